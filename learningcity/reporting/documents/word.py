"""A report or profile as DOCX (python-docx): headings, narratives, tables and charts, editable in Word and
LibreOffice. Built only from a snapshot dict, so an approved report prints its frozen figures."""

from __future__ import annotations

import io
from collections.abc import Callable

import docx
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import override
from docx.document import Document as Docx
from docx.shared import Cm, Pt

from .charts import bar_png


def cell_text(value) -> str:
    """A cell as the reader's language writes numbers (1.234.567,5 in Vietnamese, 1,234,567.5 in English)."""
    if value is None:
        return "\u2013"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, float) and value != int(value):
        return number_format(round(value, 2), use_l10n=True, force_grouping=True)
    return number_format(int(value), use_l10n=True, force_grouping=True)


def _new() -> Docx:
    doc = docx.Document()
    style = doc.styles["Normal"]
    style.font.name = "Noto Sans"
    style.font.size = Pt(10)
    return doc


def _table(doc: Docx, table: dict) -> None:
    doc.add_paragraph(table["title"], style="Caption")
    grid = doc.add_table(rows=1, cols=len(table["headers"]))
    grid.style = "Table Grid"
    for cell, header in zip(grid.rows[0].cells, table["headers"], strict=True):
        cell.text = str(header)
    for row in table["rows"]:
        cells = grid.add_row().cells
        for cell, value in zip(cells, row, strict=False):
            cell.text = cell_text(value)
    if table.get("source"):
        doc.add_paragraph(_("Source: %(source)s") % {"source": table["source"]})


def _section(doc: Docx, n: int, section: dict, lang: str) -> None:
    doc.add_heading(f"{n}. {section['title']}", level=1)
    doc.add_paragraph(section["prompt"], style="Intense Quote")
    for code in (lang, "en" if lang == "vi" else "vi"):
        text = section[f"narrative_{code}"]
        if text:
            doc.add_heading({"vi": "Tiếng Việt", "en": "English"}[code], level=2)
            for para in text.split("\n\n"):
                doc.add_paragraph(para)
    for table in section["tables"]:
        _table(doc, table)
    for chart in section["charts"]:
        if chart["bars"]:
            doc.add_picture(io.BytesIO(bar_png(chart)), width=Cm(16))
    if section["evidence"]:
        doc.add_heading(_("Evidence"), level=2)
        for e in section["evidence"]:
            doc.add_paragraph(f"{e['title']} \u2014 {e['claim']}", style="List Bullet")


def report_docx(snapshot: dict, *, progress: Callable[[int], None] | None = None) -> bytes:
    doc = _new()
    with override(snapshot["language"]):
        doc.add_heading(snapshot["title"], level=0)
        doc.add_paragraph(
            f"{snapshot['city']} · {snapshot['years'][0]}-{snapshot['years'][1]} · v{snapshot['version']}"
        )
        lang = snapshot["language"]
        sections = snapshot["sections"]
        for n, section in enumerate(sections, start=1):
            _section(doc, n, section, lang)
            if progress:
                progress(int(n * 100 / len(sections)))
        if snapshot.get("assessment"):
            doc.add_heading(_("Self-assessment against the Award criteria"), level=1)
            _table(doc, snapshot["assessment"])
        for annex in snapshot.get("annexes", []):
            doc.add_heading(annex["title"], level=1)
            _table(doc, annex)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def profile_docx(
    title: str, facts: list[tuple[str, str]], texts: list[tuple[str, str]], challenges: list[tuple[str, str]]
) -> bytes:
    doc = _new()
    doc.add_heading(title, level=0)
    _table(
        doc,
        {"title": _("City profile"), "headers": [_("Field"), _("Value")], "rows": [list(f) for f in facts]},
    )
    for heading, text in texts:
        doc.add_heading(heading, level=1)
        doc.add_paragraph(text or "\u2013")
    _table(
        doc,
        {
            "title": _("Challenges (1: minor, 5: major)"),
            "headers": [_("Challenge"), _("Rating")],
            "rows": [list(c) for c in challenges],
        },
    )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
