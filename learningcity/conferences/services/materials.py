"""Slides, recordings and outcome documents of an event's sessions (or of the event as a whole).

A material is a link (a recording on a video site, slides on a sharing site) or an uploaded file, identified by
its content and never by its name: PDFs, images and recordings go through the competitions' checks
(`competitions.services.files.check_file`: PDFs rewritten without scripts, links out or metadata, images
re-encoded without EXIF or GPS, recordings stripped of their tags); Word, PowerPoint and Excel documents are
opened as the zip packages they are and refused when they carry macros or would unpack into a bomb. Anything
else (a program named slides.pdf, a text named report.docx) is refused with its name and the reason, and nothing
is written. The organiser chooses whether each material is public or only for the event's confirmed delegates.
"""

from __future__ import annotations

import io
import secrets
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from learningcity.competitions.models import FileKind
from learningcity.competitions.services.files import _read_within, check_file, sniff
from learningcity.core import audit
from learningcity.core.errors import DomainError
from learningcity.core.text import normalize

from ..models import Event, Material, MaterialKind, Session
from .access import require_manager

MATERIAL_MAX_BYTES = 20 * 1024 * 1024
OFFICE_UNPACKED_MAX_BYTES = 200 * 1024 * 1024  # a zip bomb unpacks far beyond this
OFFICE_MAX_MEMBERS = 5000
OFFICE_FORMATS = {
    "word/document.xml": (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "ppt/presentation.xml": (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    "xl/workbook.xml": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
CHECKED_FORMATS = {"pdf", "jpg", "png", "webp", "mp3", "ogg", "m4a", "wav"}


def _limit() -> int:
    return min(MATERIAL_MAX_BYTES, settings.MAX_UPLOAD_BYTES)


def _disguised(name: str) -> DomainError:
    return DomainError(
        _(
            "“%(name)s” is not what its name says: its content is not a PDF, a Word, PowerPoint or Excel "
            "document, an image or a recording. It was refused."
        )
        % {"name": name},
        field="file",
    )


def _read(upload, name: str) -> bytes:
    """The upload's bytes within the limit (the competitions' reader: its declared size, then what it holds)."""
    try:
        return _read_within(upload, name, _limit())
    except DomainError as exc:
        raise DomainError(exc.message, field="file") from None


def _office(data: bytes, name: str) -> tuple[str, str]:
    """(format, content type) of a Word, PowerPoint or Excel package without macros; refused otherwise."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
            names = {m.filename for m in members}
            unpacked = sum(m.file_size for m in members)
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _disguised(name) from None
    if len(members) > OFFICE_MAX_MEMBERS or unpacked > OFFICE_UNPACKED_MAX_BYTES:
        raise DomainError(
            _("“%(name)s” would unpack into far more than it holds; it was refused.") % {"name": name},
            field="file",
        )
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise DomainError(
            _("“%(name)s” contains macros; please save it without them (or as a PDF).") % {"name": name},
            field="file",
        )
    found = next((fmt for member, fmt in OFFICE_FORMATS.items() if member in names), None)
    if found is None or "[Content_Types].xml" not in names:
        raise _disguised(name)
    return found


def checked_upload(upload) -> tuple[bytes, str, str]:
    """(the bytes to keep, their format, their content type) of an accepted file; DomainError otherwise."""
    name = str(getattr(upload, "name", "") or "file")[-120:]
    data = _read(upload, name)
    if data.startswith(b"PK\x03\x04"):
        fmt, content_type = _office(data, name)
        return data, fmt, content_type
    if sniff(data) not in CHECKED_FORMATS:
        raise _disguised(name)
    try:
        checked = check_file(
            ContentFile(data, name=name),
            allowed_kinds=[FileKind.PDF, FileKind.IMAGE, FileKind.AUDIO],
            max_bytes=_limit(),
        )
    except DomainError as exc:
        raise DomainError(exc.message, field="file") from None
    return checked.data, checked.file_format, checked.content_type


def _link(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        URLValidator(schemes=["https", "http"])(value)
    except ValidationError:
        raise DomainError(
            _("A link is a full web address starting with https:// (or http://)."), field="link"
        ) from None
    if len(value) > 500:
        raise DomainError(_("A link is at most 500 characters long."), field="link")
    return value


def material_add(
    *,
    actor,
    event: Event,
    kind: str,
    title: str,
    session: Session | None = None,
    upload=None,
    link: str = "",
    is_public: bool = False,
) -> Material:
    require_manager(actor, event)
    if kind not in MaterialKind.values:
        raise DomainError(_("Choose the kind of material."), field="kind")
    title = normalize(title or "").strip()[:200]
    if not title:
        raise DomainError(_("Give the material a title."), field="title")
    if session is not None and session.event_id != event.pk:
        raise DomainError(_("There is no such session in this event."), field="session")
    link = _link(link)
    if bool(link) == (upload is not None):
        raise DomainError(_("Attach a file or give a link (one of the two)."), field="file")
    material = Material(
        city=event.city,
        event=event,
        session=session,
        kind=kind,
        title=title,
        token=secrets.token_hex(16),
        link=link,
        is_public=bool(is_public),
        added_by=actor,
    )
    if upload is not None:
        data, fmt, content_type = checked_upload(upload)
        material.file_format, material.content_type, material.size = fmt, content_type, len(data)
    with transaction.atomic():
        if upload is not None:
            material.file.save(f"material.{fmt}", ContentFile(data), save=False)
        material.save()
        audit.record_create(actor=actor, obj=material)
    return material


def material_remove(*, actor, material: Material) -> None:
    require_manager(actor, material.event)
    with transaction.atomic():
        audit.record_delete(actor=actor, obj=material)
        stored = material.file.name
        material.delete()
        if stored:
            transaction.on_commit(lambda: material.file.storage.delete(stored))
