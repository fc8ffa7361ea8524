"""Programmes API: public programmes and sessions; learners and attendance with a token, same rules as pages."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from learningcity.core.api_auth import api_city_get, token_or_session
from learningcity.core.errors import DomainError, PermissionDeniedError
from learningcity.core.models import Area
from learningcity.core.schemas import ErrorOut
from learningcity.core.tenancy import city_get

from . import selectors
from .models import Attendance, Learner, Programme, ProgrammeKind, Topic
from .rules import can_manage_learners, can_manage_programme, sensitive_checker
from .schemas import (
    AttendanceIn,
    AttendanceOut,
    AttendanceResult,
    AttendanceSetIn,
    LearnerIn,
    LearnerOut,
    ProgrammeOut,
    SessionOut,
)
from .services import attendance_mark, attendance_set, learner_create

router = Router(tags=["programmes"])
MAX_RANGE_DAYS = 400


def programme_out(p: Programme) -> dict:
    return {
        "id": p.pk,
        "code": p.code,
        "kind": p.kind,
        "title": p.title,
        "title_vi": p.title_vi,
        "title_en": p.title_en,
        "title_blt": p.title_blt,
        "description": p.description,
        "organiser": p.organiser,
        "partners": p.partners,
        "partner_country": p.partner_country,
        "spaces": [{"id": s.pk, "name": s.name} for s in p.spaces.all()],
        "area_id": p.area_id,
        "topics": Programme.codes(p.topics),
        "target_groups": Programme.codes(p.target_groups),
        "kflc_blocks": Programme.codes(p.kflc_blocks),
        "sdg_targets": Programme.codes(p.sdg_targets),
        "starts_on": p.starts_on,
        "ends_on": p.ends_on,
        "status": p.status,
        "calendar_url": reverse("programme_ics", kwargs={"city_slug": p.city.slug, "programme_id": p.pk}),
    }


def session_out(s) -> dict:
    return {
        "id": s.pk,
        "programme_id": s.programme_id,
        "programme": s.programme.title,
        "date": s.date,
        "start_time": s.start_time,
        "end_time": s.end_time,
        "space": {"id": s.space.pk, "name": s.space.name} if s.space_id and s.space else None,
        "facilitator": s.facilitator,
        "capacity": s.capacity,
        "status": s.status,
        "note": s.note,
    }


class ProgrammeFilters(Schema):
    kind: str = ""
    topic: str = ""
    space: int | None = None
    area: int | None = None
    q: str = ""


@router.get(
    "/cities/{slug}/programmes",
    response={200: list[ProgrammeOut], 400: ErrorOut},
    summary="The city's programmes",
)
@paginate(LimitOffsetPagination, page_size=200)
def programmes(request, slug: str, filters: Query[ProgrammeFilters]):
    city = city_get(slug)
    unknown = {
        "kind": _("Unknown programme kind “%(value)s”: use one of %(codes)s."),
        "topic": _("Unknown topic “%(value)s”: use one of %(codes)s."),
    }
    for name, value, known in (("kind", filters.kind, ProgrammeKind), ("topic", filters.topic, Topic)):
        if value and value not in known.values:
            codes = ", ".join(known.values)
            raise DomainError(unknown[name] % {"value": value[:40], "codes": codes}, field=name)
    qs = selectors.programme_list(
        city=city,
        kind=filters.kind,
        topic=filters.topic,
        space_id=filters.space,
        area_id=filters.area,
        q=filters.q,
    ).select_related("city")
    return _Mapped(qs, programme_out)


class _Mapped:
    """A lazily mapped queryset, so the paginator slices in the database before mapping."""

    def __init__(self, qs, fn):
        self.qs, self.fn = qs, fn

    def __len__(self):
        return self.qs.count()

    def count(self):
        return self.qs.count()

    def __getitem__(self, item):
        return [self.fn(x) for x in self.qs[item]]


@router.get("/cities/{slug}/programmes/{programme_id}", response=ProgrammeOut, summary="One programme")
def programme_detail(request, slug: str, programme_id: int):
    city = city_get(slug)
    programme = selectors.programme_get(city=city, programme_id=programme_id)
    programme.city = city
    return programme_out(programme)


@router.get(
    "/cities/{slug}/sessions", response={200: list[SessionOut], 400: ErrorOut}, summary="Sessions in a period"
)
@paginate(LimitOffsetPagination, page_size=500)
def sessions(
    request,
    slug: str,
    from_date: dt.date | None = Query(None, alias="from"),  # noqa: B008
    to: dt.date | None = None,
    programme: int | None = None,
    space: int | None = None,
):
    city = city_get(slug)
    start = from_date or dt.date.today()
    end = to or start + dt.timedelta(days=30)
    if end < start:
        raise DomainError(_("“to” is before “from”."), field="to")
    if (end - start).days > MAX_RANGE_DAYS:
        raise DomainError(_("Ask for at most 400 days at a time."), field="to")
    qs = selectors.session_list(city=city, start=start, end=end, programme_id=programme, space_id=space)
    return _Mapped(qs, session_out)


def _staff_city(request, slug):
    city = api_city_get(request, slug)
    if not can_manage_learners(request.user, city):
        raise PermissionDeniedError(_("You may not read learners in this city."))
    return city


def _learner_out(learner: Learner, sensitive: bool) -> dict:
    data = {
        "id": learner.pk,
        "code": learner.code,
        "full_name": learner.full_name,
        "sex": learner.sex,
        "birth_year": learner.birth_year,
        "area_id": learner.area_id,
        "languages": learner.languages,
    }
    if sensitive:
        data |= {
            "ethnicity": learner.ethnicity,
            "has_disability": learner.has_disability,
            "disability_answers": learner.disability_answers,
        }
    return data


@router.get(
    "/cities/{slug}/learners",
    response={200: list[LearnerOut], 403: ErrorOut},
    auth=token_or_session,
    summary="Learners (staff who run activities)",
)
@paginate(LimitOffsetPagination, page_size=200)
def learners(request, slug: str, q: str = ""):
    city = _staff_city(request, slug)
    check = sensitive_checker(request.user, city)
    qs = selectors.learner_list(city=city, q=q)
    return _Mapped(qs, lambda x: _learner_out(x, check(x.area.path if x.area_id else "")))


@router.post(
    "/cities/{slug}/learners",
    response={201: LearnerOut, 400: ErrorOut, 403: ErrorOut},
    auth=token_or_session,
    summary="Add a learner",
    description=(
        "Ethnicity and disability answers are accepted only from a role that may see them for the new person's "
        "home area (city administrators; area coordinators inside their subtree): from anyone else 403, nothing "
        "created. Leave them out (ethnicity 99, no answers) to add the person without them."
    ),
)
def learner_add(request, slug: str, payload: LearnerIn):
    city = _staff_city(request, slug)
    area = None
    if payload.area_id is not None:
        area = Area.objects.filter(city=city, pk=payload.area_id).first()
        if area is None:
            raise DomainError(_("No such area in this city."), field="area_id")
    learner = learner_create(
        actor=request.user,
        city=city,
        full_name=payload.full_name,
        sex=payload.sex,
        birth_year=payload.birth_year,
        ethnicity=payload.ethnicity,
        area=area,
        languages=payload.languages,
        disability_answers=payload.disability_answers,
        consent_purposes=payload.consent_purposes,
        consent_method=payload.consent_method,
    )
    check = sensitive_checker(request.user, city)
    return Status(201, _learner_out(learner, check(area.path if area else "")))


@router.get(
    "/cities/{slug}/sessions/{session_id}/attendance",
    response={200: list[AttendanceOut], 403: ErrorOut},
    auth=token_or_session,
    summary="Who attended a session",
)
def attendance_list(request, slug: str, session_id: int):
    city = _staff_city(request, slug)
    session = selectors.session_get(city=city, session_id=session_id)
    if not can_manage_programme(request.user, session.programme):
        raise PermissionDeniedError(_("You may not take attendance for this programme."))
    return [
        {"session_id": session.pk, "learner_id": lid, "learner_code": code, "date": day}
        for lid, code, day in Attendance.objects.filter(session=session)
        .order_by("learner__code")
        .values_list("learner_id", "learner__code", "date")
    ]


@router.post(
    "/cities/{slug}/sessions/{session_id}/attendance",
    response={200: AttendanceResult, 400: ErrorOut, 403: ErrorOut},
    auth=token_or_session,
    summary="Mark one person present or absent",
)
def attendance_add(request, slug: str, session_id: int, payload: AttendanceIn):
    city = _staff_city(request, slug)
    session = selectors.session_get(city=city, session_id=session_id)
    learner = Learner.objects.filter(city=city, pk=payload.learner_id).first()
    if learner is None:
        raise DomainError(_("No such learner in this city."), field="learner_id")
    attendance_mark(actor=request.user, session=session, learner=learner, present=payload.present)
    return {"session_id": session.pk, "present": Attendance.objects.filter(session=session).count()}


@router.put(
    "/cities/{slug}/sessions/{session_id}/attendance",
    response={200: AttendanceResult, 400: ErrorOut, 403: ErrorOut},
    auth=token_or_session,
    summary="Set the whole roster of a session",
)
def attendance_replace(request, slug: str, session_id: int, payload: AttendanceSetIn):
    city = _staff_city(request, slug)
    session = selectors.session_get(city=city, session_id=session_id)
    result = attendance_set(actor=request.user, session=session, learner_ids=payload.learner_ids)
    return {"session_id": session.pk, "present": result["present"]}
