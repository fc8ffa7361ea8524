"""Writes of reporting: the GNLC profile, reports and their workflow (draft → review → approved, frozen),
sections with word limits, evidence checked by content, comments, and documents requested from the background."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learningcity.core import audit
from learningcity.core.errors import DomainError, PermissionDeniedError
from learningcity.core.models import City
from learningcity.core.text import normalize
from learningcity.core.uploads import clean_image

from . import drafting, rules
from .models import (
    PROFILE_WORD_LIMIT,
    Comment,
    Document,
    DocumentFormat,
    Evidence,
    EvidenceKind,
    GnlcProfile,
    Report,
    ReportKind,
    ReportStatus,
    Section,
)
from .profile import CHALLENGES
from .sections import SPECS

MAX_EVIDENCE_BYTES = 10_000_000


def word_count(text: str) -> int:
    return len(text.split())


def check_words(text: str, limit: int, field: str) -> None:
    n = word_count(text)
    if n > limit:
        raise DomainError(
            _("This text has %(n)s words; the limit is %(limit)s.") % {"n": n, "limit": limit}, field=field
        )


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDeniedError(message)


# --- GNLC profile ------------------------------------------------------------------------------------------


PROFILE_FIELDS = [
    "population", "population_year", "area_km2", "area_year", "gdp_city_usd", "gdp_city_year", "gdp_country_usd",
    "gdp_country_year", "schooling_men", "schooling_women", "schooling_year", "mayor", "contact_name",
    "contact_email", "motivation_vi", "motivation_en", "implementation_vi", "implementation_en",
]  # fmt: skip


def profile_save(
    *, actor, city: City, data: dict[str, Any], challenges: dict[str, int | None]
) -> GnlcProfile:
    """Save the GNLC profile: narratives of 200 words at most, challenges rated 1 to 5."""
    _require(rules.can_draft(actor, city), _("Only the city administrator edits the city profile."))
    for field in ("motivation_vi", "motivation_en", "implementation_vi", "implementation_en"):
        check_words(data.get(field) or "", PROFILE_WORD_LIMIT, field)
    known = {key for key, _label in CHALLENGES}
    rated = {}
    for key, value in challenges.items():
        if key not in known:
            raise DomainError(_("Unknown challenge %(key)s.") % {"key": key})
        if value is not None:
            if not 1 <= int(value) <= 5:
                raise DomainError(_("Rate each challenge from 1 to 5."), field=f"challenge_{key}")
            rated[key] = int(value)
    with transaction.atomic():
        profile, created = GnlcProfile.objects.get_or_create(city=city)
        before = audit.snapshot(profile)
        for field in PROFILE_FIELDS:
            if field in data:
                value = data[field]
                setattr(profile, field, normalize(value) if isinstance(value, str) else value)
        profile.challenges = rated
        profile.save()
        if created:
            audit.record_create(actor=actor, obj=profile)
        else:
            audit.record_update(actor=actor, obj=profile, before=before)
    return profile


# --- reports -----------------------------------------------------------------------------------------------


def report_create(*, actor, city: City, kind: str, year_from: int, year_to: int, title: str = "") -> Report:
    _require(rules.can_draft(actor, city), _("Only the city administrator drafts reports."))
    if kind not in ReportKind.values:
        raise DomainError(_("Unknown kind of report."), field="kind")
    if not 2000 <= year_from <= year_to <= 2100:
        raise DomainError(_("The period must run from one year to the same or a later one."), field="year_to")
    with transaction.atomic():
        if Report.objects.filter(city=city, kind=kind, year_from=year_from, year_to=year_to).exists():
            raise DomainError(_("A report of this kind and period exists: open it, or make a new version."))
        report = Report.objects.create(
            city=city,
            kind=kind,
            year_from=year_from,
            year_to=year_to,
            title=title.strip() or f"{ReportKind(kind).label} {year_from}-{year_to}",
            created_by=actor,
        )
        Section.objects.bulk_create(
            Section(city=city, report=report, key=spec.key, position=n, word_limit=spec.word_limit)
            for n, spec in enumerate(SPECS[ReportKind(kind)])
        )
        audit.record_create(actor=actor, obj=report)
    return report


def _editable(report: Report) -> None:
    if not report.is_editable:
        raise DomainError(_("An approved report cannot be changed: make a new version."))


def section_save(*, actor, section: Section, narrative_vi: str, narrative_en: str) -> Section:
    report = section.report
    _require(rules.can_draft(actor, report.city), _("Only the city administrator writes the report."))
    _editable(report)
    narrative_vi, narrative_en = normalize(narrative_vi.strip()), normalize(narrative_en.strip())
    check_words(narrative_vi, section.word_limit, "narrative_vi")
    check_words(narrative_en, section.word_limit, "narrative_en")
    with transaction.atomic():
        before = audit.snapshot(section)
        section.narrative_vi, section.narrative_en = narrative_vi, narrative_en
        section.save(update_fields=["narrative_vi", "narrative_en"])
        audit.record_update(actor=actor, obj=section, before=before, note=f"report {report.pk}")
    return section


def _is_document(data: bytes) -> str | None:
    """The content type of a PDF, DOCX or ODT by its content, or None."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return None
        if "word/document.xml" in names:
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        if "content.xml" in names and "mimetype" in names:
            return "application/vnd.oasis.opendocument.text"
    return None


def _checked_file(kind: str, upload) -> tuple[ContentFile, str]:
    size = getattr(upload, "size", 0) or 0
    if size > MAX_EVIDENCE_BYTES:
        raise DomainError(_("The file is too large (the limit is 10 MB)."), field="file")
    if kind == EvidenceKind.PHOTO:
        try:
            image = clean_image(upload, max_bytes=MAX_EVIDENCE_BYTES)
        except DomainError as exc:
            raise DomainError(exc.message, field="file") from None
        ext = image.name.rsplit(".", 1)[-1] if image.name else "jpg"
        return image, {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}.get(ext, "image/jpeg")
    data = upload.read(MAX_EVIDENCE_BYTES + 1)
    content_type = _is_document(data)
    if content_type is None:
        raise DomainError(
            _("This file is not what it claims: attach a PDF, Word (.docx) or OpenDocument (.odt) document."),
            field="file",
        )
    ext = {"application/pdf": "pdf", "application/vnd.oasis.opendocument.text": "odt"}.get(
        content_type, "docx"
    )
    return ContentFile(data, name=f"evidence.{ext}"), content_type


def evidence_add(*, actor, section: Section, kind: str, title: str, claim: str, upload) -> Evidence:
    report = section.report
    _require(rules.can_draft(actor, report.city), _("Only the city administrator attaches evidence."))
    _editable(report)
    if kind not in EvidenceKind.values:
        raise DomainError(_("Unknown kind of evidence."), field="kind")
    if not claim.strip():
        raise DomainError(_("Say which claim this evidence supports."), field="claim")
    content, content_type = _checked_file(kind, upload)
    with transaction.atomic():
        evidence = Evidence(
            city=report.city,
            section=section,
            kind=kind,
            title=normalize(title.strip())[:300],
            claim=normalize(claim.strip())[:500],
            content_type=content_type,
            uploaded_by=actor,
        )
        evidence.file.save(content.name or "evidence", content, save=False)
        evidence.save()
        audit.record_create(actor=actor, obj=evidence)
    return evidence


def evidence_delete(*, actor, evidence: Evidence) -> None:
    report = evidence.section.report
    _require(rules.can_draft(actor, report.city), _("Only the city administrator removes evidence."))
    _editable(report)
    with transaction.atomic():
        audit.record_delete(actor=actor, obj=evidence)
        shared = Evidence.objects.filter(file=evidence.file.name).exclude(pk=evidence.pk).exists()
        if not shared:  # an earlier version's evidence keeps the same stored file
            evidence.file.delete(save=False)
        evidence.delete()


def comment_add(*, actor, report: Report, body: str, section: Section | None = None) -> Comment:
    _require(rules.can_comment(actor, report.city), _("Only the steering committee comments on reports."))
    body = normalize(body.strip())
    if not body:
        raise DomainError(_("The comment is empty."), field="body")
    if section is not None and section.report_id != report.pk:
        raise DomainError(_("This section belongs to another report."))
    with transaction.atomic():
        comment = Comment.objects.create(
            city=report.city, report=report, section=section, author=actor, body=body
        )
        audit.record_create(actor=actor, obj=comment)
    return comment


def _transition(actor, report: Report, status: str, **fields) -> Report:
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        before = audit.snapshot(locked)
        locked.status = status
        for key, value in fields.items():
            setattr(locked, key, value)
        locked.save()
        audit.record_update(actor=actor, obj=locked, before=before)
    return locked


def report_send_for_review(*, actor, report: Report) -> Report:
    _require(rules.can_draft(actor, report.city), _("Only the city administrator sends a report for review."))
    if report.status != ReportStatus.DRAFT:
        raise DomainError(_("Only a draft can be sent for review."))
    return _transition(actor, report, ReportStatus.REVIEW, sent_by=actor, sent_at=timezone.now())


def report_return_to_draft(*, actor, report: Report) -> Report:
    _require(rules.can_approve(actor, report.city), _("Only the city administrator returns a report."))
    if report.status != ReportStatus.REVIEW:
        raise DomainError(_("Only a report in review can go back to draft."))
    return _transition(actor, report, ReportStatus.DRAFT)


def report_approve(*, actor, report: Report) -> Report:
    """Approve a report in review: its figures are frozen as a snapshot, so it never drifts when data changes."""
    _require(rules.can_approve(actor, report.city), _("Only the city administrator approves reports."))
    if report.status != ReportStatus.REVIEW:
        raise DomainError(_("Only a report in review can be approved."))
    frozen = drafting.snapshot(report)
    return _transition(
        actor, report, ReportStatus.APPROVED, snapshot=frozen, approved_by=actor, approved_at=timezone.now()
    )


def report_new_version(*, actor, report: Report) -> Report:
    """A new draft from an approved report: its texts and evidence carried over, its figures live again."""
    _require(rules.can_draft(actor, report.city), _("Only the city administrator makes a new version."))
    if report.status != ReportStatus.APPROVED:
        raise DomainError(_("Only an approved report gets a new version; edit the draft instead."))
    if Report.objects.filter(previous=report).exists():
        raise DomainError(_("This report already has a newer version."))
    with transaction.atomic():
        latest = (
            Report.objects.filter(
                city=report.city, kind=report.kind, year_from=report.year_from, year_to=report.year_to
            )
            .order_by("-version")
            .first()
        )
        new = Report.objects.create(
            city=report.city,
            kind=report.kind,
            title=report.title,
            year_from=report.year_from,
            year_to=report.year_to,
            version=(latest.version if latest else report.version) + 1,
            previous=report,
            created_by=actor,
        )
        for old in report.sections.prefetch_related("evidence"):
            section = Section.objects.create(
                city=new.city,
                report=new,
                key=old.key,
                position=old.position,
                narrative_vi=old.narrative_vi,
                narrative_en=old.narrative_en,
                word_limit=old.word_limit,
            )
            for e in old.evidence.all():
                copy = Evidence(
                    city=e.city, section=section, kind=e.kind, title=e.title, claim=e.claim,
                    content_type=e.content_type, uploaded_by=e.uploaded_by,
                )  # fmt: skip
                copy.file.name = (
                    e.file.name
                )  # the same stored file: evidence files are never changed in place
                copy.save()
        audit.record_create(actor=actor, obj=new, note=f"new version of report {report.pk}")
    return new


def document_request(
    *, actor, city: City, fmt: str, report: Report | None = None, language: str = "vi"
) -> Document:
    """Queue a document (a report, or the GNLC profile when report is None) for the background task."""
    if report is not None:
        _require(rules.can_read(actor, city), _("You may not export this report."))
    else:
        _require(rules.can_draft(actor, city), _("Only the city administrator exports the profile."))
    if fmt not in DocumentFormat.values:
        raise DomainError(_("Unknown format."), field="fmt")
    if language not in ("vi", "en"):
        raise DomainError(_("Unknown language."), field="language")
    from .tasks import build_document

    with transaction.atomic():
        document = Document.objects.create(
            city=city, report=report, fmt=fmt, language=language, requested_by=actor
        )
        transaction.on_commit(lambda: build_document.enqueue(document.pk))
    return document
