"""Setting up a competition: its dates, categories, rubric and juries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from learningcity.core import audit
from learningcity.core.errors import DomainError
from learningcity.core.models import City, Role, RoleAssignment, User
from learningcity.core.text import normalize

from ..models import Category, Competition, Criterion, FileKind, JuryMember
from .access import require_manager

TEXT_FIELDS = (
    "title_vi",
    "title_en",
    "description_vi",
    "description_en",
    "theme_vi",
    "theme_en",
    "rules_vi",
    "rules_en",
    "prizes_vi",
    "prizes_en",
)

EDITABLE = set(TEXT_FIELDS) | {
    "announced_at",
    "opens_at",
    "closes_at",
    "judging_ends_at",
    "ends_at",
    "residents_only",
    "min_age",
    "max_age",
    "allow_teams",
    "max_team_size",
    "max_entries_per_person",
    "reviews_per_entry",
    "normalise_scores",
    "tie_policy",
    "winners_per_category",
    "gallery_enabled",
    "peoples_choice",
}


def _check_dates(values: dict[str, Any]) -> None:
    announced, opens, closes, judging = (
        values.get("announced_at"),
        values.get("opens_at"),
        values.get("closes_at"),
        values.get("judging_ends_at"),
    )
    if not (announced and opens and closes and judging):
        raise DomainError(_("Every phase needs a date."), field="closes_at")
    if not announced <= opens < closes <= judging:
        raise DomainError(
            _("The dates must follow each other: announced, open, deadline, end of judging."),
            field="closes_at",
        )


def competition_create(*, actor, city: City, slug: str, code: str, **values: Any) -> Competition:
    require_manager(actor, city)
    _check_dates(values)
    if Competition.objects.filter(city=city, slug=slug).exists():
        raise DomainError(_("Another competition already uses this address."), field="slug")
    for name in TEXT_FIELDS:
        if name in values:
            values[name] = normalize(values[name])
    with transaction.atomic():
        competition = Competition.objects.create(city=city, slug=slug, code=code.upper()[:8], **values)
        audit.record_create(actor=actor, obj=competition)
    return competition


def competition_update(*, actor, competition: Competition, **values: Any) -> Competition:
    require_manager(actor, competition.city_id)
    unknown = set(values) - EDITABLE
    if unknown:
        raise DomainError(
            _("These fields cannot be changed: %(names)s.") % {"names": ", ".join(sorted(unknown))}
        )
    before = audit.snapshot(competition)
    for name, value in values.items():
        setattr(competition, name, normalize(value) if name in TEXT_FIELDS else value)
    _check_dates(
        {f: getattr(competition, f) for f in ("announced_at", "opens_at", "closes_at", "judging_ends_at")}
    )
    with transaction.atomic():
        competition.save()
        audit.record_update(actor=actor, obj=competition, before=before)
    return competition


def category_create(
    *,
    actor,
    competition: Competition,
    code: str,
    name_vi: str,
    name_en: str = "",
    allowed_kinds: list[str],
    max_file_bytes: int = 10 * 1024 * 1024,
    max_files: int = 3,
    files_required: bool = True,
    description_vi: str = "",
    description_en: str = "",
    check_permission: bool = True,
) -> Category:
    if check_permission:
        require_manager(actor, competition.city_id)
    bad = [k for k in allowed_kinds if k not in FileKind.values]
    if bad or not allowed_kinds:
        raise DomainError(_("Choose the file types this category accepts."), field="allowed_kinds")
    with transaction.atomic():
        category = Category.objects.create(
            city_id=competition.city_id,
            competition=competition,
            code=code.upper()[:8],
            name_vi=normalize(name_vi),
            name_en=normalize(name_en),
            description_vi=normalize(description_vi),
            description_en=normalize(description_en),
            allowed_kinds=list(allowed_kinds),
            max_file_bytes=max_file_bytes,
            max_files=max_files,
            files_required=files_required,
            position=competition.categories.count(),
        )
        audit.record_create(actor=actor, obj=category)
    return category


def criterion_create(
    *,
    actor,
    competition: Competition,
    name_vi: str,
    name_en: str = "",
    weight: Decimal | float = 1,
    min_score: int = 0,
    max_score: int = 10,
    guidance_vi: str = "",
    guidance_en: str = "",
    check_permission: bool = True,
) -> Criterion:
    if check_permission:
        require_manager(actor, competition.city_id)
    if max_score <= min_score:
        raise DomainError(_("The highest score must be above the lowest."), field="max_score")
    if Decimal(str(weight)) <= 0:
        raise DomainError(_("A weight must be above zero."), field="weight")
    if competition.results_approved_at:
        raise DomainError(_("The results are approved; the rubric can no longer change."))
    with transaction.atomic():
        criterion = Criterion.objects.create(
            city_id=competition.city_id,
            competition=competition,
            name_vi=normalize(name_vi),
            name_en=normalize(name_en),
            guidance_vi=normalize(guidance_vi),
            guidance_en=normalize(guidance_en),
            weight=Decimal(str(weight)),
            min_score=min_score,
            max_score=max_score,
            position=competition.criteria.count(),
        )
        audit.record_create(actor=actor, obj=criterion)
    return criterion


def jury_member_add(
    *, actor, category: Category, judge: User, is_chair: bool = False, check_permission: bool = True
) -> JuryMember:
    if check_permission:
        require_manager(actor, category.city_id)
    if not RoleAssignment.objects.filter(user=judge, city_id=category.city_id, role=Role.JUDGE).exists():
        raise DomainError(_("Only people with the judge role in this city can sit on a jury."), field="judge")
    with transaction.atomic():
        member, created = JuryMember.objects.get_or_create(
            city_id=category.city_id, category=category, judge=judge, defaults={"is_chair": is_chair}
        )
        if created:
            audit.record_create(actor=actor, obj=member)
    return member


def jury_member_remove(*, actor, member: JuryMember) -> None:
    require_manager(actor, member.city_id)
    with transaction.atomic():
        audit.record_delete(actor=actor, obj=member)
        member.delete()


def default_dates(year: int) -> dict[str, dt.datetime]:
    """Dates of a competition run over one autumn (used by the demo and the tests)."""
    utc = dt.UTC
    return {
        "announced_at": dt.datetime(year, 9, 1, tzinfo=utc),
        "opens_at": dt.datetime(year, 9, 15, tzinfo=utc),
        "closes_at": dt.datetime(year, 11, 15, 16, 59, tzinfo=utc),
        "judging_ends_at": dt.datetime(year, 12, 10, tzinfo=utc),
    }
