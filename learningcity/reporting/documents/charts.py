"""Bar charts drawn as PNG (Pillow) for the DOCX: the same data as the page's SVG and the PDF's vector chart."""

from __future__ import annotations

import io
from functools import cache

from PIL import Image, ImageDraw, ImageFont

from .fonts import font_path

WIDTH, BAR_H, GAP, LABEL_W = 1200, 34, 12, 420


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(font_path("regular"), size)


def bar_png(chart: dict) -> bytes:
    bars = chart["bars"] or [["\u2013", None]]
    height = 70 + len(bars) * (BAR_H + GAP)
    image = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    draw.text((10, 10), chart["title"][:110], fill="black", font=_font(26))
    values = [v for _label, v in bars if isinstance(v, int | float)]
    top = max(values) if values else 1
    top = top or 1
    for n, (label, value) in enumerate(bars):
        y = 60 + n * (BAR_H + GAP)
        draw.text((10, y + 4), str(label)[:38], fill="black", font=_font(22))
        if isinstance(value, int | float):
            length = int((WIDTH - LABEL_W - 160) * value / top)
            draw.rectangle([LABEL_W, y, LABEL_W + max(length, 2), y + BAR_H], fill="#1f5f8b")
            draw.text(
                (LABEL_W + max(length, 2) + 8, y + 4),
                f"{value:,.2f}".rstrip("0").rstrip("."),
                fill="black",
                font=_font(22),
            )
        else:
            draw.rectangle([LABEL_W, y, LABEL_W + 20, y + BAR_H], fill="#bbbbbb")
            draw.text((LABEL_W + 28, y + 4), "<5 / \u2013", fill="#555555", font=_font(22))
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False)
    return out.getvalue()
