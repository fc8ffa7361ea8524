"""Conferences API under /api/v1/: events, the released schedule (JSON, iCal, frab XML), one session, and
check-in by badge code for stewards' devices (token or session)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status

from learningcity.core.api_auth import token_city_allows, token_or_session
from learningcity.core.errors import DomainError, PermissionDeniedError
from learningcity.core.schemas import ErrorOut

from . import exports, selectors
from .models import Event
from .schemas import CheckInIn, CheckInOut, EventDetailOut, EventOut, ScheduleOut, SessionOut
from .services.registration import checkin_scan

router = Router(tags=["conferences"])


def _event_out(event: Event, version: int) -> dict:
    return {
        "slug": event.slug,
        "title": event.title,
        "title_vi": event.title_vi,
        "title_en": event.title_en,
        "city": event.city.slug,
        "network": event.network_slug,
        "starts_on": event.starts_on,
        "ends_on": event.ends_on,
        "time_zone": event.time_zone,
        "schedule_version": version,
        "url": reverse("conference_detail", kwargs={"city_slug": event.city.slug, "event_slug": event.slug}),
    }


def _site(request) -> str:
    """The site's address without its trailing slash: materials' addresses are absolute for conference apps."""
    return request.build_absolute_uri("/").rstrip("/")


@router.get("/events", response=list[EventOut], url_name="event_list", summary="Conferences and forums")
def event_list(request):
    events = list(selectors.event_list())
    versions = selectors.release_versions(events)
    return [_event_out(e, versions.get(e.pk, 0)) for e in events]


@router.get(
    "/events/{slug}",
    response={200: EventDetailOut, 404: ErrorOut},
    url_name="event_detail",
    summary="An event",
)
def event_detail(request, slug: str):
    event = selectors.public_event_get(slug=slug)
    schedule = selectors.public_schedule(event)
    closes = event.registration_closes_at
    return {
        **_event_out(event, schedule.version),
        "description": event.description,
        "rooms": [{"id": r["id"], "name": r["name"], "capacity": r["capacity"]} for r in schedule.rooms],
        "registration_open": closes is None or timezone.now() < closes,
    }


@router.get(
    "/events/{slug}/schedule",
    response={200: ScheduleOut, 404: ErrorOut},
    url_name="event_schedule",
    summary="The released schedule as JSON",
)
def event_schedule(request, slug: str):
    event = selectors.public_event_get(slug=slug)
    materials = exports.public_materials_json(event, _site(request))
    return exports.schedule_json(selectors.public_schedule(event), materials)


@router.get(
    "/events/{slug}/schedule.ics",
    response={200: str, 404: ErrorOut},
    url_name="event_schedule_ics",
    summary="The released schedule as iCalendar",
)
def event_schedule_ics(request, slug: str):
    event = selectors.public_event_get(slug=slug)
    body = exports.schedule_ics(selectors.public_schedule(event))
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


@router.get(
    "/events/{slug}/schedule.xml",
    response={200: str, 404: ErrorOut},
    url_name="event_schedule_xml",
    summary="The released schedule as frab-compatible XML",
)
def event_schedule_xml(request, slug: str):
    event = selectors.public_event_get(slug=slug)
    base = request.build_absolute_uri(
        reverse("conference_detail", kwargs={"city_slug": event.city.slug, "event_slug": event.slug})
    )
    materials = exports.public_materials_json(event, _site(request))
    return HttpResponse(
        exports.schedule_frab_xml(selectors.public_schedule(event), base, materials),
        content_type="application/xml",
    )


@router.get(
    "/events/{slug}/sessions/{session_id}",
    response={200: SessionOut, 404: ErrorOut},
    url_name="event_session",
    summary="One session of the released schedule",
)
def event_session(request, slug: str, session_id: int):
    event = selectors.public_event_get(slug=slug)
    slot = selectors.public_schedule(event).slot(session_id)
    if slot is None:
        raise Http404(_("There is no such session in this event."))
    return exports.slot_json(slot, exports.public_materials_json(event, _site(request)).get(slot.id, []))


@router.post(
    "/events/{slug}/checkins",
    response={201: CheckInOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=token_or_session,
    url_name="event_checkin",
    summary="Check a badge in at the door or at a session (stewards)",
)
def event_checkin(request, slug: str, payload: CheckInIn):
    event = selectors.event_get(slug=slug)
    if not token_city_allows(request.user, event.city):
        raise PermissionDeniedError(_("This token belongs to another city."))
    session = None
    if payload.session_id:
        try:
            session = selectors.session_get(event=event, session_id=payload.session_id)
        except Http404 as exc:
            # The URL's event exists: a session in the body that is not one of its own is bad input.
            raise DomainError(str(exc), field="session_id") from exc
    checkin = checkin_scan(actor=request.user, event=event, code=payload.code, session=session)
    r = checkin.registration
    return Status(
        201,
        {
            "registration_id": r.pk,
            "name": r.full_name,
            "name_native": r.name_native,
            "session_id": checkin.session_id,
            "at": checkin.at,
        },
    )
