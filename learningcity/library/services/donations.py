"""Donations: book drives, single donations (donor optional and private), the intake queue at each bookcase,
and sheets of labels (QR code + barcode text) for copies."""

from __future__ import annotations

import datetime as dt
import io
import re

import segno
from django.db import transaction
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from learningcity.core import audit
from learningcity.core.errors import DomainError

from ..models import BookDrive, Copy, CopyStatus, Donation, IntakeItem, Record
from ..rules import can_catalogue, can_lend_at
from .catalogue import copy_add, isbn_clean

MAX_LINES = 500
FONT, FONT_BOLD = "LCNotoSans", "LCNotoSans-Bold"


def _fonts() -> tuple[str, str]:
    """Noto Sans (vendored by the platform's static files) for Vietnamese titles; Helvetica if it is absent."""
    from django.contrib.staticfiles import finders

    if FONT in pdfmetrics.getRegisteredFontNames():
        return FONT, FONT_BOLD
    regular = finders.find("competitions/fonts/NotoSans-Regular.ttf")
    bold = finders.find("competitions/fonts/NotoSans-Bold.ttf")
    if not regular or not bold:
        return "Helvetica", "Helvetica-Bold"
    pdfmetrics.registerFont(TTFont(FONT, str(regular)))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(bold)))
    return FONT, FONT_BOLD


@transaction.atomic
def drive_create(*, actor, city, name: str, starts_on: dt.date, ends_on: dt.date | None = None) -> BookDrive:
    if not can_catalogue(actor, city):
        raise DomainError(_("Only the city library's staff may start a book drive."), code="forbidden")
    if not name.strip():
        raise DomainError(_("Give the drive a name."), field="name")
    if ends_on is not None and ends_on < starts_on:
        raise DomainError(_("The drive cannot end before it starts."), field="ends_on")
    drive = BookDrive.objects.create(city=city, name=name.strip()[:200], starts_on=starts_on, ends_on=ends_on)
    audit.record_create(actor=actor, obj=drive)
    return drive


@transaction.atomic
def donation_record(
    *, actor, space, received_on: dt.date, lines: list[str], donor_name: str = "", drive=None
) -> Donation:
    """A donation at a bookcase: each line (a title or an ISBN) waits in the intake queue."""
    if not can_lend_at(actor, space):
        raise DomainError(_("You may not record donations at this bookcase."), code="forbidden")
    if drive is not None and drive.city_id != space.city_id:
        raise DomainError(_("Choose a drive of this city."), field="drive")
    lines = [line.strip() for line in lines if line.strip()]
    if not lines:
        raise DomainError(_("List at least one book."), field="titles")
    if len(lines) > MAX_LINES:
        raise DomainError(_("At most %(n)s books at a time.") % {"n": MAX_LINES}, field="titles")
    items = []
    for number, line in enumerate(lines, start=1):
        isbn = ""
        if re.fullmatch(r"[0-9Xx -]{10,17}", line):
            try:
                isbn = isbn_clean(line, field="titles")
            except DomainError as exc:
                raise DomainError(
                    _("Line %(n)s: %(reason)s") % {"n": number, "reason": exc.message}, field="titles"
                ) from None
        items.append((line[:300] if not isbn else "", isbn))
    donation = Donation.objects.create(
        city_id=space.city_id,
        space=space,
        drive=drive,
        donor_name=donor_name.strip()[:200],
        received_on=received_on,
        books=len(items),
    )
    IntakeItem.objects.bulk_create(
        [
            IntakeItem(city_id=space.city_id, donation=donation, space=space, title_hint=t, isbn=i)
            for t, i in items
        ]
    )
    audit.record_create(actor=actor, obj=donation)
    return donation


@transaction.atomic
def intake_catalogue(*, actor, item: IntakeItem, record: Record, barcode: str) -> Copy:
    """A librarian catalogues a donated book: a copy of the record, at the bookcase that received it."""
    if item.copy_id is not None:
        raise DomainError(_("This book is already catalogued."))
    if record.city_id != item.city_id:
        raise DomainError(_("Choose a record of this city."), field="record")
    copy = copy_add(actor=actor, record=record, barcode=barcode, home=item.space, status=CopyStatus.AVAILABLE)
    item.copy = copy
    item.save(update_fields=["copy", "updated_at"])
    return copy


def labels_pdf(*, city_name: str, copies: list[Copy]) -> bytes:
    """An A4 sheet of 3 x 8 labels (70 x 37 mm): QR code of the barcode, the barcode, title and city."""
    regular, bold = _fonts()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(f"{city_name}: labels")
    cols, rows, width, height = 3, 8, 70 * mm, 37 * mm
    for index, copy in enumerate(copies):
        slot = index % (cols * rows)
        if index and slot == 0:
            pdf.showPage()
        x = (slot % cols) * width
        y = A4[1] - ((slot // cols) + 1) * height
        png = io.BytesIO()
        segno.make(copy.barcode, micro=False, error="m").save(png, kind="png", scale=4, border=1)
        png.seek(0)
        pdf.drawImage(ImageReader(png), x + 3 * mm, y + 4 * mm, 29 * mm, 29 * mm)
        pdf.setFont(bold, 11)
        pdf.drawString(x + 34 * mm, y + 26 * mm, copy.barcode)
        pdf.setFont(regular, 7)
        title = copy.record.title
        pdf.drawString(x + 34 * mm, y + 20 * mm, title[:28])
        if len(title) > 28:
            pdf.drawString(x + 34 * mm, y + 16 * mm, title[28:56])
        pdf.drawString(x + 34 * mm, y + 6 * mm, city_name[:30])
    if not copies:
        pdf.drawString(20 * mm, A4[1] - 20 * mm, "-")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
