"""Text in the scripts of the region for PDFs drawn with reportlab: a fallback font per script, chosen by the
text's own characters, so a Thai, Lao, Khmer or Tai Viet name prints in its letters instead of boxes.

The base font (Noto Sans: Latin with the Vietnamese marks) is the caller's; each other script is set in its Noto
Sans from Debian's fonts-noto-core (`make system-deps` installs it; `PDF_FONT_DIR` names another folder). A run of
text is split where the script changes; spaces, digits, punctuation and combining marks stay with the run they
are in, so "Lò Thị Hoà (ທ້າວ ສົມພອນ)" is three runs in two fonts. A script whose font file is missing falls back
to the base font (boxes, logged once) rather than failing the document.

Each script's run is shaped with HarfBuzz (uharfbuzz, which reportlab uses when it is installed) before it is
drawn: Khmer's subscript consonants (coeng + consonant, "ស្រី") become the font's subscript glyphs instead of a
separate coeng sign, and Thai, Lao and Tai Viet marks sit where the font places them. The base font's runs (Latin,
Vietnamese) are drawn as before, unshaped.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapedStr, TTFont, shapeStr

log = logging.getLogger(__name__)

DEFAULT_FONT_DIR = "/usr/share/fonts/truetype/noto"


@dataclass(frozen=True)
class Script:
    name: str
    ranges: tuple[tuple[int, int], ...]
    regular: str
    bold: str  # the regular file again where Noto has no bold (Tai Viet)


SCRIPTS = (
    Script("thai", ((0x0E00, 0x0E7F),), "NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf"),
    Script("lao", ((0x0E80, 0x0EFF),), "NotoSansLao-Regular.ttf", "NotoSansLao-Bold.ttf"),
    Script(
        "khmer",
        ((0x1780, 0x17FF), (0x19E0, 0x19FF)),
        "NotoSansKhmer-Regular.ttf",
        "NotoSansKhmer-Bold.ttf",
    ),
    Script("taiviet", ((0xAA80, 0xAADF),), "NotoSansTaiViet-Regular.ttf", "NotoSansTaiViet-Regular.ttf"),
)


def script_of(ch: str) -> str | None:
    """The script of a character among SCRIPTS, or None (Latin, Vietnamese, digits, spaces, marks...)."""
    code = ord(ch)
    for script in SCRIPTS:
        if any(lo <= code <= hi for lo, hi in script.ranges):
            return script.name
    return None


def _neutral(ch: str) -> bool:
    """A character of no script of its own: space, punctuation, digit, symbol or combining mark."""
    return unicodedata.category(ch)[0] in "ZPNSM"


def font_dir() -> Path:
    return Path(getattr(settings, "PDF_FONT_DIR", "") or DEFAULT_FONT_DIR)


def font_name(script: str, *, bold: bool) -> str:
    return f"LC-{script}{'-Bold' if bold else ''}"


@cache
def _registered(script_name: str, bold: bool) -> bool:
    """Register the script's font once per process; False when its file is missing (then the base font)."""
    script = next(s for s in SCRIPTS if s.name == script_name)
    path = font_dir() / (script.bold if bold else script.regular)
    if not path.is_file():
        log.warning("No font for the %s script at %s: install fonts-noto-core", script_name, path)
        return False
    pdfmetrics.registerFont(TTFont(font_name(script_name, bold=bold), str(path)))
    return True


def _covers(font: str, ch: str) -> bool:
    face = getattr(pdfmetrics.getFont(font), "face", None)
    return face is not None and ord(ch) in face.charToGlyph


def runs(text: str, base: str, *, bold: bool = False) -> list[tuple[str, str]]:
    """(font name, text) runs of `text`: the base font, and each script's font where its letters are. A space,
    mark or punctuation stays in the script's run when its font has it (else it goes to the base font)."""
    out: list[tuple[str, str]] = []
    for ch in text:
        script = script_of(ch)
        font = font_name(script, bold=bold) if script and _registered(script, bold) else base
        if script is None and out and out[-1][0] != base and _neutral(ch) and _covers(out[-1][0], ch):
            font = out[-1][0]
        if out and out[-1][0] == font:
            out[-1] = (font, out[-1][1] + ch)
        else:
            out.append((font, ch))
    return out


def shaped(part: str, font: str, size: float) -> tuple[str, float]:
    """The run as drawn, and its width: a script font's run shaped by HarfBuzz (a `ShapedStr` carrying the glyphs
    and their advances; unchanged when shaping changes nothing), a base font's run as it is."""
    if font.startswith("LC-") and getattr(pdfmetrics.getFont(font), "shapable", False):
        text = shapeStr(part, font, size)
        if isinstance(text, ShapedStr):
            return text, sum(glyph.x_advance for glyph in text.__shapeData__) * size / 1000
    return part, pdfmetrics.stringWidth(part, font, size)


def runs_width(parts: list[tuple[str, str]], size: float) -> float:
    return sum(shaped(part, font, size)[1] for font, part in parts)


def draw_runs(canvas, x: float, y: float, parts: list[tuple[str, str]], size: float) -> None:
    """Draw the runs from x along the baseline y, each in its font, the scripts' runs shaped."""
    for font, part in parts:
        text, width = shaped(part, font, size)
        canvas.setFont(font, size)
        canvas.drawString(x, y, text)
        x += width
