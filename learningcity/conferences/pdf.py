"""Badges (name in its own script, city, QR code), certificates of attendance and visa invitation letters as
PDF. The base font is the Noto Sans the platform vendors (static/competitions/fonts: Latin with the Vietnamese
marks); names and titles in Thai, Lao, Khmer or Tai Viet letters are set in that script's Noto font
(`core.pdf_scripts`), chosen by the text itself."""

from __future__ import annotations

import io

import segno
from django.contrib.staticfiles import finders
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, A6, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from learningcity.core.pdf_scripts import draw_runs, runs, runs_width

from . import selectors
from .models import Registration
from .services.registration import badge_payload

REGULAR, BOLD = "LCConfSans", "LCConfSans-Bold"
MAX_SESSIONS = 10  # lines of session titles a certificate has room for


def _fonts() -> None:
    if REGULAR not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(REGULAR, finders.find("competitions/fonts/NotoSans-Regular.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, finders.find("competitions/fonts/NotoSans-Bold.ttf")))


def _centre(c: canvas.Canvas, text: str, font: str, size: float, y: float, width: float) -> None:
    parts = runs(text, font, bold=font == BOLD)
    while size > 7 and runs_width(parts, size) > width - 20:
        size -= 1
    draw_runs(c, (width - runs_width(parts, size)) / 2, y, parts, size)


def _line(c: canvas.Canvas, text: str, font: str, size: float, x: float, y: float) -> None:
    draw_runs(c, x, y, runs(text, font, bold=font == BOLD), size)


def badge_pdf(registration: Registration) -> bytes:
    _fonts()
    event = registration.event
    out = io.BytesIO()
    width, height = A6
    c = canvas.Canvas(out, pagesize=A6)
    c.setTitle(registration.full_name)
    _centre(c, event.title, REGULAR, 10, height - 30, width)
    _centre(c, registration.full_name, BOLD, 20, height - 80, width)
    if registration.name_native and registration.name_native != registration.full_name:
        _centre(c, registration.name_native, REGULAR, 14, height - 102, width)
    org = registration.delegation.name if registration.delegation else registration.organisation
    _centre(
        c,
        f"{org} · {registration.country}" if org else registration.country,
        REGULAR,
        11,
        height - 124,
        width,
    )
    qr = io.BytesIO()
    segno.make(badge_payload(registration), micro=False, error="m").save(qr, kind="png", scale=4, border=2)
    qr.seek(0)
    side = 130
    c.drawImage(ImageReader(qr), (width - side) / 2, 40, side, side)
    c.showPage()
    c.save()
    return out.getvalue()


def certificate_pdf(registration: Registration) -> bytes:
    """The certificate of a person checked in, with the titles of the sessions she was checked in at."""
    _fonts()
    sessions = selectors.sessions_attended(registration)
    event = registration.event
    out = io.BytesIO()
    width, height = landscape(A4)
    c = canvas.Canvas(out, pagesize=landscape(A4))
    c.setTitle(_("Certificate of attendance"))
    _centre(c, _("Certificate of attendance"), BOLD, 30, height - 130, width)
    _centre(c, registration.full_name, BOLD, 26, height - 210, width)
    if registration.name_native and registration.name_native != registration.full_name:
        _centre(c, registration.name_native, REGULAR, 16, height - 240, width)
    _centre(c, _("attended"), REGULAR, 14, height - 280, width)
    _centre(c, event.title, BOLD, 18, height - 310, width)
    days = f"{event.starts_on:%d/%m/%Y} – {event.ends_on:%d/%m/%Y}"
    _centre(c, f"{event.city.name}, {days}", REGULAR, 13, height - 340, width)
    if sessions:
        _centre(c, _("Sessions attended"), BOLD, 12, height - 385, width)
        shown = sessions[:MAX_SESSIONS]
        if len(sessions) > MAX_SESSIONS:
            shown[-1] = _("… and %(n)s more") % {"n": len(sessions) - MAX_SESSIONS + 1}
        for n, title in enumerate(shown):
            _centre(c, title, REGULAR, 11, height - 405 - 16 * n, width)
    c.showPage()
    c.save()
    return out.getvalue()


def visa_letter_pdf(registration: Registration) -> bytes:
    """An invitation letter for a visa application: the organising city invites the delegate by name."""
    _fonts()
    event = registration.event
    out = io.BytesIO()
    _width, height = A4
    c = canvas.Canvas(out, pagesize=A4)
    c.setTitle(_("Invitation letter"))
    y = height - 90
    _line(c, _("Invitation letter"), BOLD, 16, 60, y)
    lines = [
        "",
        _("The organisers of %(e)s invite:") % {"e": event.title},
        "",
        registration.full_name + (f" ({registration.name_native})" if registration.name_native else ""),
        " · ".join(x for x in [registration.role, registration.organisation, registration.country] if x),
        (registration.delegation.name if registration.delegation else ""),
        "",
        _("to attend the event in %(city)s from %(start)s to %(end)s.")
        % {
            "city": event.city.name,
            "start": f"{event.starts_on:%d/%m/%Y}",
            "end": f"{event.ends_on:%d/%m/%Y}",
        },
        _("Registration number: %(n)s") % {"n": registration.pk},
    ]
    for line in lines:
        y -= 22
        _line(c, line[:110], REGULAR, 12, 60, y)
    c.showPage()
    c.save()
    return out.getvalue()


def document_pdf(title: str, lines: list[str]) -> bytes:
    """A plain one-page document: a title and lines of text (the demo's outcome documents and slides)."""
    _fonts()
    out = io.BytesIO()
    _width, height = A4
    c = canvas.Canvas(out, pagesize=A4)
    c.setTitle(title)
    c.setFont(BOLD, 16)
    c.drawString(60, height - 90, title[:80])
    c.setFont(REGULAR, 12)
    for i, line in enumerate(lines, start=1):
        c.drawString(60, height - 90 - 24 * i, line[:110])
    c.showPage()
    c.save()
    return out.getvalue()
