"""What programmes offers the field app (core.registry hook `field_actions`, contract in docs/fieldwork.md).

The bundle: the programmes a person manages (same rule as every page: `selectors.programmes_managed_by`), their
sessions from a week back to four weeks ahead, their members and who is marked present, and the headcounts
already recorded. Names and codes only: no sex, year of birth, ethnicity or disability leaves the server, for any
role, since the roster needs none of them.

The actions, each applied through programmes' own services (so the same permission checks, the city's attendance
lock and the audit trail): a tick on the roster, a headcount, a new person at the door. A conflict is a
`DomainError` whose code names its kind: `gone`, `cancelled`, `forbidden`, `merged` (resolution: the person kept),
`erased`, `changed` (someone else recorded a headcount meanwhile), `duplicate` (a member of that name exists).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from learningcity.core.demography import AGE_BAND_CODES, Sex
from learningcity.core.errors import DomainError
from learningcity.core.models import AuditEntry
from learningcity.core.text import fold, normalize

from . import selectors
from .models import (
    Attendance,
    Headcount,
    HeadcountSource,
    Learner,
    Membership,
    ProgrammeStatus,
    Session,
    SessionStatus,
)
from .rules import can_manage_learners, can_manage_programme
from .services import attendance_mark, headcount_record, newcomer_add
from .services.attendance import city_today

DAYS_BACK = 7
DAYS_AHEAD = 28
LEARNER_KIND = "programmes.learner"


class Conflict(DomainError):
    """A refusal with a way out: `resolution` names the record the phone may apply the action to instead."""

    def __init__(self, message: str, *, code: str, resolution: dict):
        super().__init__(message, code=code)
        self.resolution = resolution


def field_bundle(*, city, user) -> dict | None:
    """Programmes, sessions, members and attendance this person may keep on her phone (None: nothing)."""
    if not can_manage_learners(user, city):
        return None
    today = city_today(city)
    programmes = list(
        selectors.programmes_managed_by(user=user, city=city).exclude(
            status__in=[ProgrammeStatus.ENDED, ProgrammeStatus.CANCELLED]
        )
    )
    ids = [p.pk for p in programmes]
    sessions = list(
        Session.objects.for_city(city)
        .filter(programme_id__in=ids)
        .between(today - dt.timedelta(days=DAYS_BACK), today + dt.timedelta(days=DAYS_AHEAD))
        .select_related("space")
        .order_by("date", "start_time", "pk")
    )
    session_ids = [s.pk for s in sessions]
    members: dict[int, list[int]] = defaultdict(list)
    for programme_id, learner_id in (
        Membership.objects.filter(city=city, programme_id__in=ids)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=today - dt.timedelta(days=DAYS_BACK)))
        .values_list("programme_id", "learner_id")
    ):
        members[programme_id].append(learner_id)
    present: dict[int, list[int]] = defaultdict(list)
    for session_id, learner_id in Attendance.objects.filter(
        city_id=city.pk, session_id__in=session_ids
    ).values_list("session_id", "learner_id"):
        present[session_id].append(learner_id)
    counted = dict(
        Headcount.objects.filter(
            city=city, session_id__in=session_ids, source=HeadcountSource.COUNTED, ethnicity=""
        )
        .values_list("session_id")
        .annotate(total=Sum("count"))
        .values_list("session_id", "total")
    )
    people = {pk for ids_ in members.values() for pk in ids_} | {
        pk for ids_ in present.values() for pk in ids_
    }
    learners = Learner.objects.filter(city=city, pk__in=people).order_by("search_text", "pk")
    return {
        "today": today.isoformat(),
        "programmes": [
            {"id": p.pk, "title": p.title, "kind": p.kind, "members": sorted(members[p.pk])}
            for p in programmes
        ],
        "sessions": [_session_out(s, present[s.pk], counted.get(s.pk)) for s in sessions],
        "learners": [
            {"id": pk, "code": code, "name": name}
            for pk, code, name in learners.values_list("pk", "code", "full_name")
        ],
    }


def _session_out(s: Session, present: list[int], headcount: int | None) -> dict:
    return {
        "id": s.pk,
        "programme": s.programme_id,
        "date": s.date.isoformat(),
        "start": s.start_time.strftime("%H:%M"),
        "end": s.end_time.strftime("%H:%M"),
        "space": s.space.name if s.space_id and s.space else "",
        "status": s.status,
        "headcount_mode": s.headcount_mode,
        "present": sorted(present),
        "headcount": headcount,
    }


def _int(payload: dict, name: str) -> int:
    value = payload.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise DomainError(_("The action is malformed: “%(field)s” is missing.") % {"field": name}, field=name)
    return value


def _session(city, user, payload: dict, memo: dict) -> Session:
    session = (
        Session.objects.for_city(city)
        .select_related("programme", "space", "city")
        .filter(pk=_int(payload, "session_id"))
        .first()
    )
    if session is None:
        raise DomainError(_("This session no longer exists."), code="gone")
    if session.status == SessionStatus.CANCELLED:
        raise DomainError(
            _("The session of %(date)s was cancelled.") % {"date": session.date.strftime("%d/%m/%Y")},
            code="cancelled",
        )
    allowed = memo.setdefault("programmes", {})
    if session.programme_id not in allowed:
        allowed[session.programme_id] = can_manage_programme(user, session.programme)
    if not allowed[session.programme_id]:
        raise DomainError(
            _("You no longer coordinate “%(programme)s”.") % {"programme": session.programme.title},
            code="forbidden",
        )
    return session


def _merged_into(city, code: str) -> Learner | None:
    """The record a merged person now lives in (following merges of merges), from the merge's audit entry."""
    for _step in range(5):
        entry = (
            AuditEntry.objects.filter(
                city=city,
                object_type=LEARNER_KIND,
                action=AuditEntry.Action.MERGE,
                note__startswith=f"{code} -> ",
            )
            .order_by("-pk")
            .first()
        )
        if entry is None:
            return None
        kept = Learner.objects.for_city(city).filter(pk=int(entry.object_id)).first()
        if kept is not None:
            return kept
        code = entry.note.split(" -> ", 1)[1]
    return None


def _learner(city, payload: dict) -> Learner:
    learner_id = _int(payload, "learner_id")
    learner = Learner.objects.for_city(city).select_related("area").filter(pk=learner_id).first()
    if learner is not None:
        return learner
    code = str(payload.get("learner_code") or "")
    kept = _merged_into(city, code) if code else None
    if kept is not None:
        raise Conflict(
            _("%(code)s was merged into %(name)s (%(kept)s).")
            % {"code": code, "name": kept.full_name, "kept": kept.code},
            code="merged",
            resolution={"learner_id": kept.pk, "learner_code": kept.code, "name": kept.full_name},
        )
    erased = AuditEntry.objects.filter(
        city=city, object_type=LEARNER_KIND, object_id=str(learner_id), action=AuditEntry.Action.ERASE
    ).exists()
    if erased:
        raise DomainError(_("This person was erased at their request."), code="erased")
    raise DomainError(_("This person is no longer in the city's records."), code="gone")


def attendance_action(*, city, user, payload: dict, memo: dict) -> dict:
    """A tick (present true) or untick on a session's roster; marking what is already so changes nothing."""
    session = _session(city, user, payload, memo)
    learner = _learner(city, payload)
    present = payload.get("present", True) is not False
    already = Attendance.objects.filter(session=session, learner=learner).exists()
    if already == present:
        return {"present": present, "changed": False}
    attendance_mark(actor=user, session=session, learner=learner, present=present)
    return {"present": present, "changed": True}


def _counts(payload: dict) -> list[dict]:
    counts = payload.get("counts")
    if not isinstance(counts, list):
        raise DomainError(_("The action is malformed: “%(field)s” is missing.") % {"field": "counts"})
    clean = []
    for item in counts:
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("count"), int)
            or isinstance(item["count"], bool)
        ):
            raise DomainError(_("Counts are whole numbers."), field="count")
        sex, band = str(item.get("sex", "")), str(item.get("age_band", ""))
        if sex not in Sex.values or (band and band not in AGE_BAND_CODES):
            raise DomainError(
                _("The action is malformed: “%(field)s” is missing.") % {"field": "sex/age_band"}
            )
        clean.append({"sex": sex, "age_band": band, "count": item["count"]})
    return clean


def headcount_action(*, city, user, payload: dict, memo: dict) -> dict:
    """Replace a session's door counts; refused as `changed` when someone else recorded others since the phone
    saw them (`base_total`), unless sent again with `force`."""
    session = _session(city, user, payload, memo)
    counts = _counts(payload)
    if "base_total" in payload and not payload.get("force"):
        current = Headcount.objects.filter(
            session=session, source=HeadcountSource.COUNTED, ethnicity=""
        ).aggregate(n=Sum("count"))["n"]
        if (current or None) != (payload["base_total"] or None):
            raise DomainError(
                _("Someone else recorded %(n)s people for this session since this phone was prepared.")
                % {"n": current or 0},
                code="changed",
            )
    total = headcount_record(actor=user, session=session, counts=counts)
    return {"total": total}


def newcomer_action(*, city, user, payload: dict, memo: dict) -> dict:
    """A new person at the door: a learner, a member, marked present (programmes.services.newcomer_add).
    Refused as `duplicate` when a member of the programme has the same name, unless sent with `force`."""
    session = _session(city, user, payload, memo)
    name = normalize(str(payload.get("full_name") or "")).strip()[:200]
    if not name:
        raise DomainError(_("The new person has no name."), field="full_name")
    sex = str(payload.get("sex") or "")
    if sex not in Sex.values:
        sex = ""
    birth_year = payload.get("birth_year")
    if not isinstance(birth_year, int) or isinstance(birth_year, bool) or not 1900 <= birth_year <= 2100:
        birth_year = None
    if not payload.get("force"):
        same = (
            Learner.objects.filter(
                city=city, memberships__programme_id=session.programme_id, search_text=fold(name)
            )
            .order_by("pk")
            .first()
        )
        if same is not None:
            raise Conflict(
                _("%(name)s (%(code)s) is already a member of this programme.")
                % {"name": same.full_name, "code": same.code},
                code="duplicate",
                resolution={"learner_id": same.pk, "learner_code": same.code, "name": same.full_name},
            )
    learner = newcomer_add(actor=user, session=session, full_name=name, sex=sex, birth_year=birth_year)
    return {"id": learner.pk, "code": learner.code, "name": learner.full_name}


FIELD_ACTIONS: dict[str, Any] = {
    "programmes.attendance": attendance_action,
    "programmes.headcount": headcount_action,
    "programmes.newcomer": newcomer_action,
}
