"""Reads of the programmes app: city-scoped, no N+1."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from learningcity.core.models import Area, City
from learningcity.core.text import fold

from .models import (
    Attendance,
    Consent,
    Headcount,
    ImportBatch,
    Learner,
    Membership,
    Programme,
    Session,
    SessionStatus,
)


def programme_list(
    *,
    city: City,
    kind: str = "",
    topic: str = "",
    space_id: int | None = None,
    area_id: int | None = None,
    q: str = "",
) -> QuerySet[Programme]:
    qs = Programme.objects.for_city(city).prefetch_related("spaces").select_related("area")
    if kind:
        qs = qs.filter(kind=kind)
    if topic:
        qs = qs.filter(topics__contains=f"|{topic}|")
    if space_id:
        qs = qs.filter(spaces__id=space_id)
    if area_id:
        area = Area.objects.filter(city=city, pk=area_id).first()
        if area is None:
            return qs.none()
        qs = qs.filter(Q(spaces__area__path__startswith=area.path) | Q(area__path__startswith=area.path))
    if q:
        qs = qs.filter(search_text__contains=fold(q))
    return qs.distinct().order_by("title_vi")


def programme_get(*, city: City, programme_id: int) -> Programme:
    programme = (
        Programme.objects.for_city(city)
        .prefetch_related("spaces")
        .select_related("area")
        .filter(pk=programme_id)
        .first()
    )
    if programme is None:
        raise Http404(_("No such programme."))
    return programme


def session_list(
    *,
    city: City,
    start: dt.date,
    end: dt.date,
    programme_id: int | None = None,
    space_id: int | None = None,
    include_cancelled: bool = True,
) -> QuerySet[Session]:
    qs = Session.objects.for_city(city).between(start, end).select_related("programme", "space")
    if programme_id:
        qs = qs.filter(programme_id=programme_id)
    if space_id:
        qs = qs.filter(space_id=space_id)
    if not include_cancelled:
        qs = qs.exclude(status=SessionStatus.CANCELLED)
    return qs.order_by("date", "start_time", "pk")


def session_get(*, city: City, session_id: int) -> Session:
    session = (
        Session.objects.for_city(city)
        .select_related("programme", "space", "city")
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        raise Http404(_("No such session."))
    return session


def learner_list(*, city: City, q: str = "", area_id: int | None = None) -> QuerySet[Learner]:
    qs = Learner.objects.for_city(city).select_related("area")
    if q:
        folded = fold(q)
        qs = qs.filter(Q(search_text__contains=folded) | Q(code__iexact=q.strip()))
    if area_id:
        area = Area.objects.filter(city=city, pk=area_id).first()
        qs = qs.filter(area__path__startswith=area.path) if area else qs.none()
    return qs.order_by("search_text", "pk")


def learner_area_choices(*, city: City, user, learner: Learner | None = None) -> QuerySet[Area]:
    """The home areas a person may give a learner: today's areas of the city, and the learner's current one.

    An area coordinator correcting a person (rules.learner_edit_scope) is offered only her own subtree, the
    only areas the service accepts from her.
    """
    from .rules import learner_edit_scope

    condition = Q(valid_to__isnull=True)
    if learner is not None and learner.area_id:
        condition |= Q(pk=learner.area_id)
    qs = Area.objects.filter(city=city).filter(condition)
    if learner is not None:
        scope = learner_edit_scope(user, city)
        if scope is not None:
            inside = Q(pk__in=[])
            for path in scope:
                inside |= Q(path__startswith=path)
            qs = qs.filter(inside)
    return qs.order_by("path")


def learner_get(*, city: City, learner_id: int) -> Learner:
    learner = Learner.objects.for_city(city).select_related("area").filter(pk=learner_id).first()
    if learner is None:
        raise Http404(_("No such learner."))
    return learner


def roster(*, session: Session, q: str = "") -> list[dict[str, Any]]:
    """Members of the programme on the session's day plus anyone marked present, with their tick."""
    present = set(Attendance.objects.filter(session=session).values_list("learner_id", flat=True))
    members = Membership.objects.filter(
        programme_id=session.programme_id, joined_on__lte=session.date
    ).filter(Q(left_on__isnull=True) | Q(left_on__gte=session.date))
    ids = set(members.values_list("learner_id", flat=True)) | present
    people = Learner.objects.filter(pk__in=ids).only("pk", "full_name", "code", "birth_year", "search_text")
    if q:
        people = people.filter(search_text__contains=fold(q))
    from learningcity.core.text import sort_key

    rows = [
        {
            "id": p.pk,
            "name": p.full_name,
            "code": p.code,
            "birth_year": p.birth_year,
            "present": p.pk in present,
        }
        for p in people
    ]
    rows.sort(key=lambda r: sort_key(str(r["name"])))
    return rows


def headcount_of(*, session: Session) -> dict[tuple[str, str], int]:
    """Door counts of a session: (sex, age band) -> people, and ("ethnicity", code) -> people of that group."""
    out: dict[tuple[str, str], int] = {}
    for h in Headcount.objects.filter(session=session, source="counted"):
        out[("ethnicity", h.ethnicity) if h.ethnicity else (h.sex, h.age_band)] = h.count
    return out


def upcoming_for_space(*, space, days: int = 28, limit: int = 10) -> list[Session]:
    today = dt.date.today()
    return list(
        Session.objects.filter(
            city_id=space.city_id, space=space, date__gte=today, date__lte=today + dt.timedelta(days)
        )
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("programme")
        .order_by("date", "start_time")[:limit]
    )


def programme_stats(*, programme: Programme) -> dict[str, int]:
    agg = Session.objects.filter(programme=programme).aggregate(
        sessions=Count("pk", filter=~Q(status=SessionStatus.CANCELLED))
    )
    return {
        "sessions": agg["sessions"] or 0,
        "members": Membership.objects.filter(programme=programme, left_on__isnull=True).count(),
        # city first: the (city, programme, date) index answers it
        "attendance": Attendance.objects.filter(city_id=programme.city_id, programme=programme).count(),
    }


def programmes_managed_by(*, user, city: City) -> QuerySet[Programme]:
    """The programmes a person may manage, as one query (same rule as rules.can_manage_programme)."""
    from learningcity.core.models import Role
    from learningcity.core.permissions import coordinated_area_paths, has_role, is_city_admin

    qs = Programme.objects.for_city(city)
    if is_city_admin(user, city):
        return qs.order_by("title_vi")
    if not has_role(user, city, Role.SPACE_COORDINATOR, Role.AREA_COORDINATOR):
        return qs.none()
    # A leader manages a programme with no place while she holds an organiser role (rules._is_placeless).
    condition = Q(leaders=user, area__isnull=True, spaces__isnull=True)
    if has_role(user, city, Role.SPACE_COORDINATOR):
        condition |= Q(spaces__coordinators=user)
    for path in coordinated_area_paths(user, city):
        condition |= Q(area__path__startswith=path) | Q(spaces__area__path__startswith=path)
    return qs.filter(condition).distinct().order_by("title_vi")


def programme_space_choices(*, user, city: City):
    """The spaces a person may place a programme or session at: those she may edit (rules.programme_place_refusal)."""
    from learningcity.places.selectors import spaces_editable_by

    return spaces_editable_by(user=user, city=city).order_by("name_vi")


def membership_list(*, programme: Programme, q: str = "") -> QuerySet[Membership]:
    """Members of a programme: current ones first, then those who left (latest first), by name."""
    qs = Membership.objects.filter(city_id=programme.city_id, programme=programme).select_related("learner")
    if q:
        folded = fold(q)
        qs = qs.filter(Q(learner__search_text__contains=folded) | Q(learner__code__iexact=q.strip()))
    return qs.order_by(
        F("left_on").desc(nulls_first=True), "learner__search_text", "learner_id", "-joined_on"
    )


def membership_get(*, city: City, membership_id: int) -> Membership:
    membership = (
        Membership.objects.for_city(city)
        .select_related("programme", "programme__city", "learner")
        .filter(pk=membership_id)
        .first()
    )
    if membership is None:
        raise Http404(_("No such membership."))
    return membership


def memberships_of(*, learner: Learner) -> list[Membership]:
    """A person's memberships, current ones first, each with its programme."""
    return list(
        Membership.objects.filter(city_id=learner.city_id, learner=learner)
        .select_related("programme")
        .order_by(F("left_on").desc(nulls_first=True), "-joined_on")
    )


def learner_consents_active(*, learner: Learner) -> set[str]:
    """The purposes a person has consented to and not withdrawn."""
    return set(
        Consent.objects.filter(learner=learner, given=True, withdrawn_at__isnull=True).values_list(
            "purpose", flat=True
        )
    )


def learners_by_id(*, city: City, ids) -> dict[int, Learner]:
    """These learners of the city with their areas (one query), by id: the candidates an import shows."""
    return {x.pk: x for x in Learner.objects.for_city(city).filter(pk__in=ids).select_related("area")}


def import_batch_get(*, city: City, batch_id: int) -> ImportBatch:
    return get_object_or_404(ImportBatch.objects.for_city(city), pk=batch_id)


def learners_reached(*, city: City, programme_ids: list[int], year: int) -> dict[int, int]:
    """Distinct learners who attended each programme at least once in the year (for costs per learner)."""
    if not programme_ids:
        return {}
    rows = (
        Attendance.objects.for_city(city)
        .filter(
            programme_id__in=programme_ids, date__gte=dt.date(year, 1, 1), date__lte=dt.date(year, 12, 31)
        )
        .values("programme_id")
        .annotate(n=Count("learner_id", distinct=True))
    )
    return {r["programme_id"]: r["n"] for r in rows}
