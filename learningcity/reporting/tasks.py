"""Background work: writing a report or the GNLC profile as DOCX, PDF or JSON, with its progress kept on the
Document row (the page polls it)."""

from __future__ import annotations

import json
import time

from django.core.files.base import ContentFile
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from .models import Document, DocumentStatus, Report, ReportStatus


def _progress(document: Document):
    def report(percent: int) -> None:
        Document.objects.filter(pk=document.pk).update(progress=min(99, max(percent, 1)))

    return report


def report_snapshot(report: Report, language: str, progress=None) -> dict:
    """The frozen figures of an approved report, else a fresh draft from today's data."""
    from . import drafting

    if report.status == ReportStatus.APPROVED and report.snapshot:
        return report.snapshot[language]
    return drafting.draft(report, language=language, progress=progress)


def _profile_parts(city) -> tuple[str, list, list, list]:
    from .profile import challenge_rows, profile_facts, profile_get

    profile = profile_get(city)
    texts = [
        (_("Motivation"), profile.motivation),
        (_("Implementation"), profile.implementation),
    ]
    challenges = [
        (label, str(value) if value else "\u2013") for _key, label, value in challenge_rows(profile)
    ]
    title = _("GNLC city profile: %(city)s") % {"city": city.name}
    return title, profile_facts(city), texts, challenges


def document_filename(document: Document) -> str:
    report = document.report
    if report is None:
        return f"{document.city.slug}-gnlc-profile.{document.fmt}"
    return f"{document.city.slug}-{report.kind}-{report.year_from}-{report.year_to}-v{report.version}.{document.fmt}"


def write_document(document: Document) -> tuple[bytes, str]:
    from .documents import pdf, word

    progress = _progress(document)
    if document.report is None:
        title, facts, texts, challenges = _profile_parts(document.city)
        if document.fmt == "json":
            data = {"title": title, "facts": facts, "texts": texts, "challenges": challenges}
            return json.dumps(data, ensure_ascii=False, indent=2).encode(), "gnlc-profile"
        writer = word.profile_docx if document.fmt == "docx" else pdf.profile_pdf
        return writer(title, facts, texts, challenges), "gnlc-profile"
    report = document.report
    snap = report_snapshot(report, document.language, progress=lambda p: progress(p // 2))
    name = f"{report.city.slug}-{report.kind}-{report.year_from}-{report.year_to}-v{report.version}"
    if document.fmt == "json":
        return json.dumps(snap, ensure_ascii=False, indent=2).encode(), name
    if document.fmt == "docx":
        return word.report_docx(snap, progress=lambda p: progress(50 + p // 2)), name
    return pdf.report_pdf(snap, progress=lambda p: progress(50 + p // 2)), name


@task()
def build_document(document_id: int) -> bool:
    return build(document_id)


def build(document_id: int) -> bool:
    """Write the document now (the task's body; the demo calls it directly)."""
    document = (
        Document.objects.select_related("city", "report", "report__city").filter(pk=document_id).first()
    )
    if document is None:
        return False
    Document.objects.filter(pk=document.pk).update(status=DocumentStatus.RUNNING, progress=1)
    started = time.perf_counter()
    try:
        with translation.override(document.language):
            content, name = write_document(document)
    except Exception as exc:  # the person sees that it failed; the log keeps the trace
        Document.objects.filter(pk=document.pk).update(status=DocumentStatus.FAILED, error=str(exc)[:500])
        raise
    document.refresh_from_db()
    document.file.save(f"{name}.{document.fmt}", ContentFile(content), save=False)
    document.status, document.progress = DocumentStatus.DONE, 100
    document.seconds = round(time.perf_counter() - started, 3)
    document.save(update_fields=["file", "status", "progress", "seconds"])
    return True
