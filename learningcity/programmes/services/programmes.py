"""Writes to programmes, schedules and sessions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from learningcity.core import audit
from learningcity.core.errors import DomainError
from learningcity.core.models import City
from learningcity.core.permissions import is_city_admin
from learningcity.core.text import fold, normalize

from ..models import Attendance, Headcount, Programme, ProgrammeKind, Schedule, Session, SessionStatus
from ..rules import can_add_programme, can_manage_programme, programme_place_refusal
from .attendance_writes import attendance_writes

MAX_SCHEDULE_DAYS = 3 * 366


def _search_text(p: Programme) -> str:
    return fold(" ".join([p.code, p.title_vi, p.title_en, p.organiser, p.partners]))[:600]


def _check_spaces(city: City, spaces) -> list:
    spaces = list(spaces or [])
    for space in spaces:
        if space.city_id != city.pk:
            raise DomainError(_("A space belongs to another city."), field="spaces")
    return spaces


def _check_place(actor, city: City, *, spaces, area, field: str = "spaces") -> None:
    """Refuse a place outside the actor's scope (rules.programme_place_refusal): no one widens her own reach."""
    refusal = programme_place_refusal(actor, city, spaces=spaces, area=area)
    if refusal:
        raise DomainError(refusal, field=field, code="forbidden")


def _check_session_space(actor, programme: Programme, space) -> None:
    """A session's space: one of the programme's own, or one the actor may place a programme at."""
    if space is None:
        return
    if space.city_id != programme.city_id:
        raise DomainError(_("A space belongs to another city."), field="space")
    if not programme.spaces.filter(pk=space.pk).exists():
        _check_place(actor, programme.city, spaces=[space], area=None, field="space")


@transaction.atomic
def programme_create(
    *,
    actor,
    city: City,
    code: str,
    kind: str,
    title_vi: str,
    spaces=(),
    check_permission: bool = True,
    **fields: Any,
) -> Programme:
    if check_permission and not can_add_programme(actor, city):
        raise DomainError(_("You may not add programmes in this city."), code="forbidden")
    spaces = _check_spaces(city, spaces)
    if check_permission:
        _check_place(actor, city, spaces=spaces, area=fields.get("area"))
    if kind not in ProgrammeKind.values:
        raise DomainError(_("Unknown kind of programme."), field="kind")
    if Programme.objects.filter(city=city, code=code).exists():
        raise DomainError(_("Another programme already uses this code."), field="code")
    for name in (
        "title_en",
        "title_blt",
        "description_vi",
        "description_en",
        "description_blt",
        "organiser",
        "partners",
    ):
        if name in fields:
            fields[name] = normalize(fields[name])
    programme = Programme(city=city, code=code, kind=kind, title_vi=normalize(title_vi), **fields)
    if programme.starts_on and programme.ends_on and programme.ends_on < programme.starts_on:
        raise DomainError(_("The end date is before the start date."), field="ends_on")
    programme.search_text = _search_text(programme)
    programme.save()
    programme.spaces.set(spaces)
    if actor is not None and getattr(actor, "is_authenticated", False) and not is_city_admin(actor, city):
        programme.leaders.add(actor)
    audit.record_create(actor=actor, obj=programme)
    return programme


@transaction.atomic
def programme_update(*, actor, programme: Programme, spaces=None, **fields: Any) -> Programme:
    if not can_manage_programme(actor, programme):
        raise DomainError(_("You may not change this programme."), code="forbidden")
    if spaces is not None or "area" in fields:
        spaces = _check_spaces(programme.city, spaces) if spaces is not None else None
        _check_place(
            actor,
            programme.city,
            spaces=spaces if spaces is not None else list(programme.spaces.all()),
            area=fields.get("area", programme.area),
        )
    before = audit.snapshot(programme)
    for name, value in fields.items():
        setattr(programme, name, normalize(value) if isinstance(value, str) and name != "code" else value)
    if programme.starts_on and programme.ends_on and programme.ends_on < programme.starts_on:
        raise DomainError(_("The end date is before the start date."), field="ends_on")
    programme.search_text = _search_text(programme)
    programme.save()
    if spaces is not None:
        programme.spaces.set(spaces)
    audit.record_update(actor=actor, obj=programme, before=before)
    return programme


def schedule_dates(weekdays: list[int], starts_on: dt.date, ends_on: dt.date) -> list[dt.date]:
    days = (ends_on - starts_on).days
    return [
        starts_on + dt.timedelta(d)
        for d in range(days + 1)
        if (starts_on + dt.timedelta(d)).weekday() in weekdays
    ]


@transaction.atomic
def schedule_create(
    *,
    actor,
    programme: Programme,
    weekdays: list[int],
    start_time: dt.time,
    end_time: dt.time,
    starts_on: dt.date,
    ends_on: dt.date,
    space=None,
    facilitator: str = "",
    capacity: int | None = None,
    check_permission: bool = True,
    audit_it: bool = True,
) -> Schedule:
    """A recurring pattern and its sessions (one per matching day)."""
    if check_permission and not can_manage_programme(actor, programme):
        raise DomainError(_("You may not change this programme."), code="forbidden")
    weekdays = sorted({int(d) for d in weekdays})
    if not weekdays or any(d < 0 or d > 6 for d in weekdays):
        raise DomainError(_("Choose at least one weekday."), field="weekdays")
    if end_time <= start_time:
        raise DomainError(_("The session ends before it starts."), field="end_time")
    if ends_on < starts_on:
        raise DomainError(_("The end date is before the start date."), field="ends_on")
    if (ends_on - starts_on).days > MAX_SCHEDULE_DAYS:
        raise DomainError(_("A schedule may cover at most three years."), field="ends_on")
    if check_permission:
        _check_session_space(actor, programme, space)
    elif space is not None and space.city_id != programme.city_id:
        raise DomainError(_("A space belongs to another city."), field="space")
    schedule = Schedule.objects.create(
        city_id=programme.city_id,
        programme=programme,
        space=space,
        weekdays=",".join(str(d) for d in weekdays),
        start_time=start_time,
        end_time=end_time,
        starts_on=starts_on,
        ends_on=ends_on,
        facilitator=normalize(facilitator),
        capacity=capacity,
    )
    Session.objects.bulk_create(
        [
            Session(
                city_id=programme.city_id,
                programme=programme,
                schedule=schedule,
                space=space,
                date=day,
                start_time=start_time,
                end_time=end_time,
                facilitator=schedule.facilitator,
                capacity=capacity,
            )
            for day in schedule_dates(weekdays, starts_on, ends_on)
        ],
        batch_size=500,
    )
    if audit_it:
        audit.record_create(actor=actor, obj=schedule)
    return schedule


@transaction.atomic
def session_create(
    *,
    actor,
    programme: Programme,
    date: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    space=None,
    facilitator: str = "",
    capacity: int | None = None,
    headcount_mode: bool = False,
    note: str = "",
) -> Session:
    if not can_manage_programme(actor, programme):
        raise DomainError(_("You may not change this programme."), code="forbidden")
    if end_time <= start_time:
        raise DomainError(_("The session ends before it starts."), field="end_time")
    _check_session_space(actor, programme, space)
    session = Session.objects.create(
        city_id=programme.city_id,
        programme=programme,
        date=date,
        start_time=start_time,
        end_time=end_time,
        space=space,
        facilitator=normalize(facilitator),
        capacity=capacity,
        headcount_mode=headcount_mode,
        note=normalize(note),
    )
    audit.record_create(actor=actor, obj=session)
    return session


@transaction.atomic
def session_update(*, actor, session: Session, **fields: Any) -> Session:
    """Change one occurrence (time, place, facilitator) or cancel it (status="cancelled")."""
    if not can_manage_programme(actor, session.programme):
        raise DomainError(_("You may not change this programme."), code="forbidden")
    before = audit.snapshot(session)
    for name, value in fields.items():
        setattr(session, name, normalize(value) if isinstance(value, str) and name != "status" else value)
    if session.status not in SessionStatus.values:
        raise DomainError(_("Unknown session status."), field="status")
    if session.end_time <= session.start_time:
        raise DomainError(_("The session ends before it starts."), field="end_time")
    if "space" in fields:
        _check_session_space(actor, session.programme, session.space)
    if session.status != SessionStatus.CANCELLED and any(
        k in fields for k in ("date", "start_time", "end_time", "space")
    ):
        session.status = SessionStatus.CHANGED
    # The session's attendance follows its date, minutes and space (and the figures follow the attendance). The
    # lock comes before the session's row too: a roster save takes it, then that row.
    with attendance_writes(session.city_id):
        session.save()
        Attendance.objects.filter(session=session).update(
            date=session.date, minutes=session.minutes, space=session.space
        )
        Headcount.objects.filter(session=session).update(
            date=session.date, minutes=session.minutes, space=session.space
        )
    audit.record_update(actor=actor, obj=session, before=before)
    return session


def session_cancel(*, actor, session: Session, note: str = "") -> Session:
    return session_update(
        actor=actor, session=session, status=SessionStatus.CANCELLED, note=note or session.note
    )
