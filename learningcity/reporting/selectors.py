"""Reads of reporting: reports of a city, a report with its sections, evidence and comments, and what changed
since the previous version."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from learningcity.core.models import City

from .models import Comment, Document, Evidence, Report, ReportStatus, Section


def report_list(*, city: City, approved_only: bool = False) -> QuerySet[Report]:
    qs = Report.objects.for_city(city).select_related("created_by", "approved_by")
    if approved_only:
        qs = qs.filter(status=ReportStatus.APPROVED)
    return qs.order_by("-year_to", "kind", "-version")


def report_get(*, city: City, pk: int, approved_only: bool = False) -> Report:
    qs = report_list(city=city, approved_only=approved_only).prefetch_related(
        Prefetch("sections", queryset=Section.objects.prefetch_related("evidence").order_by("position")),
        Prefetch("comments", queryset=Comment.objects.select_related("author", "section")),
    )
    return get_object_or_404(qs, pk=pk)


def section_get(*, report: Report, pk: int) -> Section:
    return get_object_or_404(Section.objects.select_related("report", "report__city"), report=report, pk=pk)


def section_by_key(*, report: Report, key: str) -> Section:
    return get_object_or_404(Section.objects.select_related("report", "report__city"), report=report, key=key)


def evidence_get(*, city: City, pk: int) -> Evidence:
    return get_object_or_404(Evidence.objects.for_city(city).select_related("section__report"), pk=pk)


def document_get(*, city: City, pk: int) -> Document:
    return get_object_or_404(Document.objects.for_city(city).select_related("report"), pk=pk)


def documents_of(*, city: City, report: Report | None) -> QuerySet[Document]:
    qs = Document.objects.for_city(city)
    return (qs.filter(report=report) if report else qs.filter(report__isnull=True))[:10]


def _cells(section: dict) -> dict[tuple[str, str], str]:
    out = {}
    for table in section["tables"]:
        for row in table["rows"]:
            if row:
                for header, value in zip(table["headers"][1:], row[1:], strict=False):
                    out[(f"{table['title']} · {row[0]}", str(header))] = "" if value is None else str(value)
    return out


def changes(old: dict, new: dict) -> list[dict]:
    """What changed between two drafts of one language: narratives and figures, per section."""
    before = {s["key"]: s for s in old["sections"]}
    out = []
    for section in new["sections"]:
        prev = before.get(section["key"])
        if prev is None:
            out.append({"title": section["title"], "narrative": True, "figures": []})
            continue
        a, b = _cells(prev), _cells(section)
        figures = [
            {"cell": f"{k[0]} · {k[1]}", "before": a.get(k, ""), "after": b.get(k, "")}
            for k in sorted(set(a) | set(b))
            if a.get(k, "") != b.get(k, "")
        ]
        narrative = (prev["narrative_vi"], prev["narrative_en"]) != (
            section["narrative_vi"],
            section["narrative_en"],
        )
        if narrative or figures:
            out.append({"title": section["title"], "narrative": narrative, "figures": figures[:50]})
    return out
