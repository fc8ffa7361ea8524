"""Reporting API under /api/v1/: the GNLC profile and the approved reports (their frozen snapshots) as JSON."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from ninja import Router, Schema

from learningcity.core.tenancy import city_get

from . import profile as profile_mod
from . import selectors

router = Router(tags=["reporting"])


class FactOut(Schema):
    key: str
    label: str
    value: Any
    year: int | None
    from_platform: bool


class ProfileOut(Schema):
    city: str
    facts: list[FactOut]
    motivation_vi: str
    motivation_en: str
    implementation_vi: str
    implementation_en: str
    challenges: dict[str, int]


class ReportSummaryOut(Schema):
    id: int
    kind: str
    title: str
    year_from: int
    year_to: int
    version: int
    approved_at: str | None


class ReportOut(ReportSummaryOut):
    snapshot: dict[str, Any]


@router.get("/cities/{slug}/profile", response=ProfileOut, summary="The city's GNLC profile")
def profile(request, slug: str):
    city = city_get(slug)
    p = profile_mod.profile_get(city)
    facts = [
        {
            "key": f.key,
            "label": f.label,
            "value": None if f.value in (None, "") else str(f.value),
            "year": f.year,
            "from_platform": f.from_platform,
        }
        for f in profile_mod.facts(city, p)
    ]
    return {
        "city": city.slug,
        "facts": facts,
        "motivation_vi": p.motivation_vi,
        "motivation_en": p.motivation_en,
        "implementation_vi": p.implementation_vi,
        "implementation_en": p.implementation_en,
        "challenges": p.challenges or {},
    }


def _summary(r) -> dict:
    return {
        "id": r.pk,
        "kind": r.kind,
        "title": r.title,
        "year_from": r.year_from,
        "year_to": r.year_to,
        "version": r.version,
        "approved_at": r.approved_at.isoformat() if r.approved_at else None,
    }


@router.get("/cities/{slug}/reports", response=list[ReportSummaryOut], summary="Approved reports")
def reports(request, slug: str):
    return [_summary(r) for r in selectors.report_list(city=city_get(slug), approved_only=True)]


@router.get(
    "/cities/{slug}/reports/{report_id}", response=ReportOut, summary="One approved report, as frozen"
)
def report(request, slug: str, report_id: int):
    r = selectors.report_get(city=city_get(slug), pk=report_id, approved_only=True)
    lang = (get_language() or "vi")[:2]
    return {**_summary(r), "snapshot": (r.snapshot or {}).get(lang, {})}
