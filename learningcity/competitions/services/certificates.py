"""Certificates as PDF, for winners and participants, printed with a vendored font that has Vietnamese glyphs
(Noto Sans, OFL, in static/competitions/fonts: a fresh machine may have no system fonts)."""

from __future__ import annotations

import io
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from learningcity.core.errors import DomainError
from learningcity.core.text import normalize

from ..models import Competition, Entry, EntryStatus

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "competitions" / "fonts"
REGULAR, BOLD = "LCNotoSans", "LCNotoSans-Bold"


def _register_fonts() -> None:
    if REGULAR not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(REGULAR, str(FONT_DIR / "NotoSans-Regular.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "NotoSans-Bold.ttf")))


def prize_label(rank: int | None, winners: int) -> str:
    if rank is None or rank > winners:
        return ""
    labels = {1: _("First prize"), 2: _("Second prize"), 3: _("Third prize")}
    return labels.get(rank, _("Prize (rank %(rank)s)") % {"rank": rank})


def _fit(c: canvas.Canvas, text: str, font: str, size: float, width: float) -> float:
    while size > 8 and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 1
    c.setFont(font, size)
    return size


def certificates_pdf(*, competition: Competition, entries: list[Entry]) -> bytes:
    """One landscape A4 page per entry: winners get their prize, others a certificate of participation."""
    if not competition.results_published_at:
        raise DomainError(_("Certificates are printed once the results are published."))
    _register_fonts()
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=landscape(A4))
    c.setTitle(normalize(competition.title))
    c.setAuthor(competition.city.name)
    width, height = landscape(A4)
    city_name = competition.city.name
    for entry in entries:
        if entry.status != EntryStatus.SUBMITTED:
            continue
        result = getattr(entry, "result", None)
        prize = prize_label(result.rank if result else None, competition.winners_per_category)
        c.setStrokeColor(HexColor("#0b5d7a"))
        c.setLineWidth(6)
        c.rect(28, 28, width - 56, height - 56)
        c.setLineWidth(1)
        c.rect(40, 40, width - 80, height - 80)
        c.setFillColor(HexColor("#0b5d7a"))
        c.setFont(REGULAR, 14)
        c.drawCentredString(width / 2, height - 90, city_name.upper())
        _fit(c, competition.title, BOLD, 22, width - 140)
        c.drawCentredString(width / 2, height - 125, competition.title)
        c.setFillColor(HexColor("#1b1f24"))
        c.setFont(BOLD, 34)
        heading = _("Certificate") if prize else _("Certificate of participation")
        c.drawCentredString(width / 2, height - 190, heading.upper())
        c.setFont(REGULAR, 16)
        c.drawCentredString(width / 2, height - 230, _("awarded to"))
        _fit(c, entry.entrant_name, BOLD, 30, width - 160)
        c.drawCentredString(width / 2, height - 275, entry.entrant_name)
        team = entry.team_list()
        y = height - 300
        if team:
            _fit(c, _("with %(names)s") % {"names": ", ".join(team)}, REGULAR, 13, width - 160)
            c.drawCentredString(width / 2, y, _("with %(names)s") % {"names": ", ".join(team)})
            y -= 22
        line = _("for “%(title)s” (%(category)s)") % {"title": entry.title, "category": entry.category.name}
        _fit(c, line, REGULAR, 16, width - 160)
        c.drawCentredString(width / 2, y - 10, line)
        if prize:
            c.setFillColor(HexColor("#a4001d"))
            c.setFont(BOLD, 26)
            c.drawCentredString(width / 2, y - 60, prize)
            c.setFillColor(HexColor("#1b1f24"))
        published = timezone.localtime(competition.results_published_at).date()
        c.setFont(REGULAR, 11)
        c.drawString(
            70,
            70,
            _("Receipt %(receipt)s · %(date)s") % {"receipt": entry.receipt, "date": published.isoformat()},
        )
        c.drawRightString(width - 70, 70, _("The organising committee"))
        c.showPage()
    c.save()
    return out.getvalue()
