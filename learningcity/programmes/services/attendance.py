"""Writes to attendance (one tap per person) and headcounts (open events, no names)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learningcity.core import audit
from learningcity.core.demography import AGE_BAND_CODES, Sex, ethnicity_code
from learningcity.core.errors import DomainError

from ..models import (
    Attendance,
    ConsentPurpose,
    Headcount,
    HeadcountSource,
    Learner,
    Session,
    SessionStatus,
)
from ..rules import can_manage_programme
from .attendance_writes import attendance_writes


def city_today(city) -> dt.date:
    import zoneinfo

    return timezone.now().astimezone(zoneinfo.ZoneInfo(city.time_zone)).date()


def _check_session(actor, session: Session) -> None:
    """Inside `attendance_writes` (the city's attendance lock taken): check, then lock the session's row until the
    transaction ends: two saves of one roster (two leaders, or one phone resending on a weak link) run one after
    the other, so the second sees what the first wrote. (SQLite transactions are IMMEDIATE, so writers are
    serialised there already.)"""
    list(Session.objects.select_for_update().filter(pk=session.pk).values_list("pk", flat=True))
    if not can_manage_programme(actor, session.programme):
        raise DomainError(_("You may not take attendance for this programme."), code="forbidden")
    if session.status == SessionStatus.CANCELLED:
        raise DomainError(_("This session was cancelled."), field="session")
    if session.date > city_today(session.city):
        raise DomainError(_("A session in the future cannot have attended anyone yet."), field="date")


def _row(session: Session, learner: Learner) -> Attendance:
    return Attendance(
        city_id=session.city_id,
        session=session,
        learner=learner,
        programme_id=session.programme_id,
        space_id=session.space_id,
        area_id=learner.area_id,
        date=session.date,
        minutes=session.minutes,
    )


@transaction.atomic
def attendance_mark(*, actor, session: Session, learner: Learner, present: bool = True) -> bool:
    """Tick (or untick) one person. Returns whether they are now marked present."""
    with attendance_writes(session.city_id):
        _check_session(actor, session)
        if learner.city_id != session.city_id:
            raise DomainError(_("The learner belongs to another city."), field="learner")
        existing = Attendance.objects.filter(session=session, learner=learner).first()
        if present and existing is None:
            row = _row(session, learner)
            row.save()
            audit.record_create(actor=actor, obj=row)
        elif not present and existing is not None:
            audit.record_delete(actor=actor, obj=existing)
            existing.delete()
    return present


@transaction.atomic
def attendance_set(
    *, actor, session: Session, learner_ids: list[int], scope_ids: list[int] | None = None
) -> dict[str, int]:
    """Make the roster exactly these people; with `scope_ids` (the people a page showed), change only those."""
    with attendance_writes(session.city_id):
        _check_session(actor, session)
        wanted = set(
            Learner.objects.filter(city_id=session.city_id, pk__in=learner_ids).values_list("pk", flat=True)
        )
        current = set(Attendance.objects.filter(session=session).values_list("learner_id", flat=True))
        if scope_ids is not None:
            scope = set(scope_ids)
            wanted = (wanted & scope) | (current - scope)
        removed = current - wanted
        added = wanted - current
        Attendance.objects.filter(session=session, learner_id__in=removed).delete()
        learners = Learner.objects.filter(pk__in=added).only("pk", "area_id")
        Attendance.objects.bulk_create([_row(session, learner) for learner in learners])
        audit.record(
            actor=actor,
            action="update",
            obj=session,
            changes={"present": [len(current), len(wanted)]},
            note="attendance",
        )
    return {"added": len(added), "removed": len(removed), "present": len(wanted)}


@transaction.atomic
def newcomer_add(
    *, actor, session: Session, full_name: str, sex: str = "", birth_year: int | None = None
) -> Learner:
    """Someone new at the door: a learner (consent to participation given there, living where the session's
    space is), a member of the programme from the session's date, marked present once the session has started.
    All of it or, on any refusal, none of it."""
    from .learners import learner_create, membership_add

    with attendance_writes(session.city_id):  # before the new learner's rows, not only at the tick
        learner = learner_create(
            actor=actor,
            city=session.city,
            full_name=full_name,
            sex=sex,
            birth_year=birth_year,
            area=session.space.area if session.space_id and session.space else None,
            consent_purposes=[ConsentPurpose.PARTICIPATION],
            consent_method=_("at the session"),
        )
        membership_add(actor=actor, programme=session.programme, learner=learner, joined_on=session.date)
        if session.date <= city_today(session.city):
            attendance_mark(actor=actor, session=session, learner=learner, present=True)
    return learner


@transaction.atomic
def headcount_record(*, actor, session: Session, counts: list[dict]) -> int:
    """Replace the session's door counts: items {sex, age_band, count}, and optionally {ethnicity, count}
    (a breakdown, where known, of the same people: sex and age band left blank)."""
    with attendance_writes(session.city_id):  # the same lock as the roster's saves of this session
        _check_session(actor, session)
        rows = []
        for item in counts:
            count = int(item.get("count") or 0)
            if count < 0:
                raise DomainError(_("A count cannot be negative."), field="count")
            if count == 0:
                continue
            sex = item.get("sex", "")
            band = item.get("age_band", "")
            if sex not in Sex.values:
                raise DomainError(_("Unknown sex."), field="sex")
            if band and band not in AGE_BAND_CODES:
                raise DomainError(_("Unknown age band."), field="age_band")
            ethnicity = ""
            if item.get("ethnicity"):
                ethnicity = ethnicity_code(item["ethnicity"]) or ""
                if not ethnicity:
                    raise DomainError(
                        _("Unknown ethnicity “%(value)s”.") % {"value": item["ethnicity"]}, field="ethnicity"
                    )
            rows.append(
                Headcount(
                    city_id=session.city_id,
                    session=session,
                    programme_id=session.programme_id,
                    space_id=session.space_id,
                    date=session.date,
                    minutes=session.minutes,
                    sex=sex,
                    age_band=band,
                    ethnicity=ethnicity,
                    count=count,
                    source=HeadcountSource.COUNTED,
                )
            )
        # Rows with an ethnicity are a breakdown of people already counted by sex and age band.
        total = sum(r.count for r in rows if not r.ethnicity)
        by_ethnicity = sum(r.count for r in rows if r.ethnicity)
        if by_ethnicity > total:
            raise DomainError(
                _("The counts by ethnicity (%(part)s) exceed the people counted (%(total)s).")
                % {"part": by_ethnicity, "total": total},
                field="ethnicity",
            )
        Headcount.objects.filter(session=session, source=HeadcountSource.COUNTED).delete()
        Headcount.objects.bulk_create(rows)
        audit.record(
            actor=actor, action="update", obj=session, changes={"headcount": [None, total]}, note="headcount"
        )
    return total
