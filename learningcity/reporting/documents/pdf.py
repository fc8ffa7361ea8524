"""A report or profile as PDF (reportlab platypus): the vendored Noto Sans for Latin with the Vietnamese marks, and
each run of Tai Viet, Thai, Lao or Khmer letters in its script's Noto font (`core.pdf_scripts`, as the conferences'
badges and certificates), chosen by the text itself."""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import cache
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from django.utils.translation import override
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from learningcity.core.pdf_scripts import runs

from .fonts import font_path
from .word import cell_text

REGULAR, BOLD = "LC-NotoSans", "LC-NotoSans-Bold"


@cache
def _styles() -> dict[str, ParagraphStyle]:
    pdfmetrics.registerFont(TTFont(REGULAR, font_path("regular")))
    pdfmetrics.registerFont(TTFont(BOLD, font_path("bold")))
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("t", parent=base["Title"], fontName=BOLD, fontSize=20, leading=26),
        "h1": ParagraphStyle("h1", parent=base["Heading1"], fontName=BOLD, fontSize=15, leading=20),
        "h2": ParagraphStyle("h2", parent=base["Heading2"], fontName=BOLD, fontSize=12, leading=16),
        "body": ParagraphStyle("b", parent=base["BodyText"], fontName=REGULAR, fontSize=9.5, leading=13),
        "small": ParagraphStyle("s", parent=base["BodyText"], fontName=REGULAR, fontSize=8, leading=10),
        "cell": ParagraphStyle("c", parent=base["BodyText"], fontName=REGULAR, fontSize=7.5, leading=9.5),
    }


def _text(text: str, base: str) -> str:
    """Escaped for a Paragraph, each run of another script's letters set in that script's font."""
    return "".join(
        escape(part) if font == base else f'<font name="{font}">{escape(part)}</font>'
        for font, part in runs(text, base, bold=base == BOLD)
    )


def _p(text: str, style: str) -> Paragraph:
    chosen = _styles()[style]
    return Paragraph(_text(str(text), chosen.fontName), chosen)


def _table(table: dict) -> list:
    data = [[_p(h, "cell") for h in table["headers"]]]
    data += [[_p(cell_text(v), "cell") for v in row] for row in table["rows"]]
    width = (A4[0] - 3 * cm) / max(len(table["headers"]), 1)
    grid = Table(data, colWidths=[width] * len(table["headers"]), repeatRows=1)
    grid.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef3")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    parts: list = [_p(table["title"], "h2"), grid]
    if table.get("source"):
        parts.append(_p(_("Source: %(source)s") % {"source": table["source"]}, "small"))
    parts.append(Spacer(1, 6))
    return parts


def _chart(chart: dict) -> Drawing | None:
    bars = [(str(label), v) for label, v in chart["bars"]]
    if not bars:
        return None
    height = 40 + 16 * len(bars)
    drawing = Drawing(A4[0] - 3 * cm, height)
    bc = HorizontalBarChart()
    bc.x, bc.y, bc.height, bc.width = 150, 10, height - 35, drawing.width - 190
    bc.data = [[v if isinstance(v, int | float) else 0 for _l, v in bars]]
    bc.categoryAxis.categoryNames = [label[:30] for label, _v in bars]
    bc.categoryAxis.labels.fontName = REGULAR
    bc.categoryAxis.labels.fontSize = 7
    bc.valueAxis.labels.fontName = REGULAR
    bc.valueAxis.labels.fontSize = 7
    bc.valueAxis.valueMin = 0
    bc.bars[0].fillColor = colors.HexColor("#1f5f8b")
    drawing.add(bc)
    drawing.add(String(0, height - 12, chart["title"][:90], fontName=BOLD, fontSize=9))
    return drawing


def _section(n: int, section: dict, lang: str) -> list:
    story: list = [_p(f"{n}. {section['title']}", "h1"), _p(section["prompt"], "small")]
    for code in (lang, "en" if lang == "vi" else "vi"):
        story.extend(
            _p(para, "body") for para in (section[f"narrative_{code}"] or "").split("\n\n") if para.strip()
        )
    for table in section["tables"]:
        story.extend(_table(table))
    for chart in section["charts"]:
        drawing = _chart(chart)
        if drawing is not None:
            story.append(KeepTogether([drawing, Spacer(1, 6)]))
    if section["evidence"]:
        story.append(_p(_("Evidence"), "h2"))
        story.extend(_p(f"\u2022 {e['title']} \u2014 {e['claim']}", "body") for e in section["evidence"])
    return story


def report_pdf(snapshot: dict, *, progress: Callable[[int], None] | None = None) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=1.5 * cm, rightMargin=1.5 * cm, title=snapshot["title"]
    )
    story: list = []
    lang = snapshot["language"]
    with override(lang):
        story.append(_p(snapshot["title"], "title"))
        story.append(
            _p(
                f"{snapshot['city']} · {snapshot['years'][0]}-{snapshot['years'][1]} · v{snapshot['version']}",
                "body",
            )
        )
        sections = snapshot["sections"]
        for n, section in enumerate(sections, start=1):
            story.extend(_section(n, section, lang))
            if progress:
                progress(int(n * 50 / len(sections)))
        if snapshot.get("assessment"):
            story.append(_p(_("Self-assessment against the Award criteria"), "h1"))
            story.extend(_table(snapshot["assessment"]))
        for annex in snapshot.get("annexes", []):
            story.append(_p(annex["title"], "h1"))
            story.extend(_table(annex))
    doc.build(story)
    if progress:
        progress(100)
    return out.getvalue()


def profile_pdf(
    title: str, facts: list[tuple[str, str]], texts: list[tuple[str, str]], challenges: list[tuple[str, str]]
) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, title=title)
    story: list = [_p(title, "title")]
    story.extend(
        _table(
            {
                "title": _("City profile"),
                "headers": [_("Field"), _("Value")],
                "rows": [list(f) for f in facts],
            }
        )
    )
    for heading, text in texts:
        story.append(_p(heading, "h1"))
        story.append(_p(text or "\u2013", "body"))
    story.extend(
        _table(
            {
                "title": _("Challenges (1: minor, 5: major)"),
                "headers": [_("Challenge"), _("Rating")],
                "rows": [list(c) for c in challenges],
            }
        )
    )
    doc.build(story)
    return out.getvalue()
