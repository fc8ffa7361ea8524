"""Writes to learners: create, edit, consent, memberships, merge duplicates, export and erase."""

from __future__ import annotations

import datetime as dt
import secrets
from collections import Counter
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learningcity.core import audit
from learningcity.core.demography import WG_DOMAINS, Sex, age_band, ethnicity_code, has_disability
from learningcity.core.errors import DomainError
from learningcity.core.models import AuditEntry, City
from learningcity.core.text import fold, normalize

from ..models import (
    Attendance,
    Consent,
    ConsentPurpose,
    Headcount,
    HeadcountSource,
    Learner,
    Membership,
    Programme,
)
from ..rules import can_erase_learners, can_manage_learners, can_manage_programme

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
WG_KEYS = [key for key, _label in WG_DOMAINS]


def new_learner_code() -> str:
    """Pseudonymous: random, no name, no date."""
    return "L" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(7))


def check_birth_year(year: int | None, today: dt.date | None = None) -> None:
    today = today or dt.date.today()
    if year is not None and not (today.year - 110 <= year <= today.year):
        raise DomainError(_("The year of birth %(year)s is impossible.") % {"year": year}, field="birth_year")


def clean_disability(answers: dict | None) -> dict[str, int]:
    out: dict[str, int] = {}
    for key, value in (answers or {}).items():
        if key not in WG_KEYS:
            raise DomainError(
                _("Unknown Washington Group question “%(key)s”.") % {"key": key}, field="disability"
            )
        if value in (None, ""):
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 0
        if number not in (1, 2, 3, 4):
            raise DomainError(_("Washington Group answers are 1 to 4."), field="disability")
        out[key] = number
    return out


def _clean(city: City, fields: dict[str, Any]) -> dict[str, Any]:
    if "full_name" in fields:
        fields["full_name"] = normalize(fields["full_name"])
        if not fields["full_name"]:
            raise DomainError(_("A name is required."), field="full_name")
    if "sex" in fields and fields["sex"] not in Sex.values:
        raise DomainError(_("Unknown sex."), field="sex")
    if "birth_year" in fields:
        check_birth_year(fields["birth_year"])
    if "ethnicity" in fields:
        code = ethnicity_code(fields["ethnicity"])
        if code is None:
            raise DomainError(
                _("Unknown ethnicity “%(value)s”.") % {"value": fields["ethnicity"]}, field="ethnicity"
            )
        fields["ethnicity"] = code
    if "disability_answers" in fields:
        fields["disability_answers"] = clean_disability(fields["disability_answers"])
        fields["has_disability"] = has_disability(fields["disability_answers"])
    area = fields.get("area")
    if area is not None and area.city_id != city.pk:
        raise DomainError(_("The area belongs to another city."), field="area")
    if "languages" in fields:
        fields["languages"] = normalize(fields["languages"])[:100]
    return fields


@transaction.atomic
def learner_create(
    *, actor, city: City, full_name: str, consent_purposes=(), consent_method: str = "", **fields: Any
) -> Learner:
    if not can_manage_learners(actor, city):
        raise DomainError(_("You may not add learners in this city."), code="forbidden")
    fields = _clean(city, {"full_name": full_name, **fields})
    learner = Learner(city=city, code=new_learner_code(), **fields)
    while Learner.objects.filter(city=city, code=learner.code).exists():
        learner.code = new_learner_code()
    learner.search_text = fold(learner.full_name)
    learner.save()
    audit.record_create(actor=actor, obj=learner)
    for purpose in consent_purposes:
        consent_record(actor=actor, learner=learner, purpose=purpose, method=consent_method)
    return learner


@transaction.atomic
def learner_update(*, actor, learner: Learner, **fields: Any) -> Learner:
    if not can_manage_learners(actor, learner.city_id):
        raise DomainError(_("You may not change learners in this city."), code="forbidden")
    before = audit.snapshot(learner)
    for name, value in _clean(learner.city, fields).items():
        setattr(learner, name, value)
    learner.search_text = fold(learner.full_name)
    learner.save()
    audit.record_update(actor=actor, obj=learner, before=before)
    return learner


@transaction.atomic
def consent_record(*, actor, learner: Learner, purpose: str, given: bool = True, method: str = "") -> Consent:
    if purpose not in ConsentPurpose.values:
        raise DomainError(_("Unknown purpose of consent."), field="purpose")
    if actor is not None and not can_manage_learners(actor, learner.city_id):
        raise DomainError(_("You may not change learners in this city."), code="forbidden")
    if not given:
        Consent.objects.filter(learner=learner, purpose=purpose, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now()
        )
    consent = Consent.objects.create(
        city_id=learner.city_id,
        learner=learner,
        purpose=purpose,
        given=given,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        recorded_by_name=str(actor)[:200] if actor else "system",
        method=normalize(method)[:100],
    )
    audit.record_create(actor=actor, obj=consent)
    return consent


@transaction.atomic
def membership_add(
    *, actor, programme: Programme, learner: Learner, joined_on: dt.date, check_permission: bool = True
) -> Membership:
    if check_permission and not can_manage_programme(actor, programme):
        raise DomainError(_("You may not change this programme."), code="forbidden")
    if learner.city_id != programme.city_id:
        raise DomainError(_("The learner belongs to another city."), field="learner")
    existing = Membership.objects.filter(programme=programme, learner=learner, left_on__isnull=True).first()
    if existing:
        return existing
    membership = Membership.objects.create(
        city_id=programme.city_id, programme=programme, learner=learner, joined_on=joined_on
    )
    if check_permission:
        audit.record_create(actor=actor, obj=membership)
    return membership


@transaction.atomic
def membership_end(*, actor, membership: Membership, left_on: dt.date) -> Membership:
    if not can_manage_programme(actor, membership.programme):
        raise DomainError(_("You may not change this programme."), code="forbidden")
    if left_on < membership.joined_on:
        raise DomainError(_("The leaving date is before the joining date."), field="left_on")
    before = audit.snapshot(membership)
    membership.left_on = left_on
    membership.save(update_fields=["left_on", "updated_at"])
    audit.record_update(actor=actor, obj=membership, before=before)
    return membership


@transaction.atomic
def learner_merge(*, actor, keep: Learner, duplicate: Learner) -> Learner:
    """Fold a duplicate record into the one kept: attendance, memberships and consents move; the audit says so."""
    if not can_manage_learners(actor, keep.city_id):
        raise DomainError(_("You may not change learners in this city."), code="forbidden")
    if keep.pk == duplicate.pk or keep.city_id != duplicate.city_id:
        raise DomainError(_("Choose two different learners of the same city."), field="duplicate")
    seen = set(Attendance.objects.filter(learner=keep).values_list("session_id", flat=True))
    Attendance.objects.filter(learner=duplicate, session_id__in=seen).delete()
    moved = Attendance.objects.filter(learner=duplicate).update(learner=keep)
    kept_memberships = {m.programme_id: m for m in Membership.objects.filter(learner=keep)}
    for m in Membership.objects.filter(learner=duplicate):
        mine = kept_memberships.get(m.programme_id)
        if mine is None:
            m.learner = keep
            m.save(update_fields=["learner", "updated_at"])
            continue
        if m.joined_on < mine.joined_on:
            mine.joined_on = m.joined_on
            mine.save(update_fields=["joined_on", "updated_at"])
        m.delete()
    Consent.objects.filter(learner=duplicate).update(learner=keep)
    before = audit.snapshot(keep)
    for name in ("sex", "birth_year", "area_id", "languages"):
        if not getattr(keep, name) and getattr(duplicate, name):
            setattr(keep, name, getattr(duplicate, name))
    if keep.ethnicity == "99" and duplicate.ethnicity != "99":
        keep.ethnicity = duplicate.ethnicity
    if not keep.disability_answers and duplicate.disability_answers:
        keep.disability_answers = duplicate.disability_answers
        keep.has_disability = duplicate.has_disability
    keep.save()
    audit.record(
        actor=actor,
        action=AuditEntry.Action.MERGE,
        obj=keep,
        changes={"merged_code": [duplicate.code, keep.code], "attendance_moved": [0, moved]}
        | {
            k: v
            for k, v in {k: [before.get(k), v] for k, v in audit.snapshot(keep).items()}.items()
            if v[0] != v[1]
        },
        note=f"{duplicate.code} -> {keep.code}",
    )
    duplicate.delete()
    return keep


def learner_export(*, actor, learner: Learner) -> dict[str, Any]:
    """Everything held about one person, as JSON-ready data (their right of access)."""
    if not can_manage_learners(actor, learner.city_id):
        raise DomainError(_("You may not read learners in this city."), code="forbidden")
    from learningcity.core.demography import ethnicity_name

    data = {
        "code": learner.code,
        "full_name": learner.full_name,
        "sex": learner.sex,
        "birth_year": learner.birth_year,
        "ethnicity": {"code": learner.ethnicity, "name": ethnicity_name(learner.ethnicity)},
        "disability_answers": learner.disability_answers,
        "has_disability": learner.has_disability,
        "home_area": learner.area.name if learner.area_id and learner.area else None,
        "languages": learner.languages,
        "created_at": learner.created_at.isoformat(),
        "consents": [
            {
                "purpose": c.purpose,
                "given": c.given,
                "recorded_by": c.recorded_by_name,
                "recorded_at": c.recorded_at.isoformat(),
                "method": c.method,
                "withdrawn_at": c.withdrawn_at.isoformat() if c.withdrawn_at else None,
            }
            for c in learner.consents.all()
        ],
        "memberships": [
            {
                "programme": m.programme.title,
                "joined_on": m.joined_on.isoformat(),
                "left_on": m.left_on.isoformat() if m.left_on else None,
            }
            for m in learner.memberships.select_related("programme")
        ],
        "attendance": [
            {"programme": title, "date": date.isoformat()}
            for title, date in learner.attendances.order_by("date").values_list("programme__title_vi", "date")
        ],
    }
    audit.record(actor=actor, action=AuditEntry.Action.UPDATE, obj=learner, note="exported personal data")
    return data


@transaction.atomic
def learner_erase(*, actor, learner: Learner) -> int:
    """Delete the person; keep their attendance only as anonymous counts (sex and age band, no identity)."""
    if not can_erase_learners(actor, learner.city_id):
        raise DomainError(_("Only a city administrator may erase a person."), code="forbidden")
    rows = list(
        Attendance.objects.filter(learner=learner).values_list(
            "session_id", "programme_id", "space_id", "date", "minutes"
        )
    )
    counts = Counter(rows)
    Headcount.objects.bulk_create(
        [
            Headcount(
                city_id=learner.city_id,
                session_id=session_id,
                programme_id=programme_id,
                space_id=space_id,
                date=date,
                minutes=minutes,
                sex=learner.sex,
                age_band=age_band(learner.birth_year, date.year),
                count=n,
                source=HeadcountSource.ERASED,
            )
            for (session_id, programme_id, space_id, date, minutes), n in counts.items()
        ],
        batch_size=1000,
    )
    audit.record(
        actor=actor,
        action=AuditEntry.Action.ERASE,
        obj=learner,
        changes={"attendance_kept_as_counts": [0, len(rows)]},
        note="person erased",
    )
    # The audit trail must not keep the name either.
    trail = AuditEntry.objects.filter(object_type="programmes.learner", object_id=str(learner.pk))
    trail.exclude(action=AuditEntry.Action.ERASE).update(changes={})
    trail.update(object_repr=learner.code)
    Attendance.objects.filter(learner=learner).delete()
    learner.delete()
    return len(rows)
