"""Reads of the conferences app. The public schedule is the latest release (one row, its snapshot), so the
public pages, the agenda, the iCal feed, the JSON and the frab XML all show the same published version."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from learningcity.core.models import City

from .models import (
    AgendaFeed,
    CheckIn,
    Contribution,
    Event,
    Favourite,
    Material,
    Registration,
    RegistrationStatus,
    Room,
    ScheduleRelease,
    Session,
    SessionBooking,
    Speaker,
    Steward,
    Track,
)


def event_list(*, city: City | None = None) -> QuerySet[Event]:
    qs = Event.objects.filter(is_published=True, city__is_public=True).select_related("city")
    if city is not None:
        qs = qs.filter(city=city)
    return qs.order_by("-starts_on", "slug")


def event_get(*, slug: str, city: City | None = None) -> Event:
    qs = Event.objects.select_related("city")
    if city is not None:
        qs = qs.filter(city=city)
    event = qs.filter(slug=slug).first()
    if event is None:
        raise Http404(_("There is no event called “%(slug)s”.") % {"slug": slug[:80]})
    return event


def public_event_get(*, slug: str, city: City | None = None) -> Event:
    event = event_get(slug=slug, city=city)
    if not event.is_published or not event.city.is_public:
        raise Http404(_("There is no event called “%(slug)s”.") % {"slug": slug[:80]})
    return event


def latest_release(event: Event) -> ScheduleRelease | None:
    return ScheduleRelease.objects.filter(event=event).order_by("-number").first()


def release_list(event: Event) -> QuerySet[ScheduleRelease]:
    return ScheduleRelease.objects.filter(event=event).order_by("-number").defer("snapshot")


@dataclass
class Slot:
    id: int
    title: str
    kind: str
    room: dict[str, Any]
    track: dict[str, Any] | None
    start: dt.datetime
    end: dt.datetime
    speakers: list[dict[str, Any]]
    languages: list[str]
    interpretation: list[str]
    abstract: str = ""
    capacity: int = 0
    favourite: bool = False


@dataclass
class Day:
    date: dt.date
    times: list[tuple[dt.datetime, list[Slot]]] = field(default_factory=list)


@dataclass
class Schedule:
    event: Event
    version: int
    released_at: dt.datetime | None
    rooms: list[dict[str, Any]]
    tracks: list[dict[str, Any]]
    slots: list[Slot]

    def days(self) -> list[Day]:
        """Slots grouped by day, then by start time (the parallel sessions of one time side by side)."""
        days: dict[dt.date, Day] = {}
        for slot in self.slots:
            day = days.setdefault(slot.start.date(), Day(slot.start.date()))
            if day.times and day.times[-1][0] == slot.start:
                day.times[-1][1].append(slot)
            else:
                day.times.append((slot.start, [slot]))
        return list(days.values())

    def slot(self, session_id: int) -> Slot | None:
        return next((s for s in self.slots if s.id == session_id), None)


def schedule_from(event: Event, snapshot: dict[str, Any], version: int, released_at) -> Schedule:
    zone = zoneinfo.ZoneInfo(event.time_zone)
    rooms = {r["id"]: r for r in snapshot.get("rooms", [])}
    tracks = {t["id"]: t for t in snapshot.get("tracks", [])}
    slots = [
        Slot(
            id=s["id"],
            title=s["title"],
            kind=s["kind"],
            room=rooms.get(s["room_id"], {"id": s["room_id"], "name": "?"}),
            track=tracks.get(s["track_id"]),
            start=dt.datetime.fromisoformat(s["start"]).astimezone(zone),
            end=dt.datetime.fromisoformat(s["end"]).astimezone(zone),
            speakers=s.get("speakers", []),
            languages=s.get("languages", []),
            interpretation=s.get("interpretation", []),
            abstract=s.get("abstract", ""),
            capacity=s.get("capacity", 0),
        )
        for s in snapshot.get("sessions", [])
    ]
    return Schedule(event, version, released_at, list(rooms.values()), list(tracks.values()), slots)


def public_schedule(event: Event) -> Schedule:
    release = latest_release(event)
    if release is None:
        return Schedule(event, 0, None, [], [], [])
    return schedule_from(event, release.snapshot, release.number, release.released_at)


def draft_schedule(event: Event) -> Schedule:
    from .services.schedule import schedule_snapshot

    return schedule_from(event, schedule_snapshot(event), 0, None)


def favourite_ids(*, user, event: Event) -> set[int]:
    if not user or not user.is_authenticated:
        return set()
    return set(Favourite.objects.filter(user=user, session__event=event).values_list("session_id", flat=True))


def feed_user(*, event: Event, token: str):
    feed = AgendaFeed.objects.filter(event=event, token=token).select_related("user").first()
    if feed is None:
        raise Http404(_("There is no such calendar feed."))
    return feed.user


def session_get(*, event: Event, session_id: int) -> Session:
    session = Session.objects.filter(event=event, pk=session_id).select_related("room", "track").first()
    if session is None:
        raise Http404(_("There is no such session in this event."))
    return session


def room_get(*, event: Event, room_id: int) -> Room:
    room = Room.objects.filter(event=event, pk=room_id).first()
    if room is None:
        raise Http404(_("There is no such room in this event."))
    return room


def editor_sessions(event: Event) -> list[Session]:
    return list(
        Session.objects.filter(event=event)
        .select_related("room", "track")
        .prefetch_related("speaker_links__speaker")
        .annotate(n_fav=Count("favourites"))
        .order_by("starts_at", "room__position", "id")
    )


def rooms_of(event: Event) -> QuerySet[Room]:
    return Room.objects.filter(event=event).select_related("venue").order_by("position", "id")


def tracks_of(event: Event) -> QuerySet[Track]:
    return Track.objects.filter(event=event)


def speakers_of(event: Event) -> QuerySet[Speaker]:
    return Speaker.objects.filter(event=event)


def contributions_of(event: Event) -> list[dict[str, Any]]:
    """The call's contributions with the review engine's ranking (competitions' jury meeting rows)."""
    from learningcity.competitions import selectors as competition_selectors

    results: dict[int, Any] = {}
    if event.competition is not None:
        for group in competition_selectors.meeting_rows(event.competition):
            for row in group["rows"]:
                results[row["result"].entry_id] = row["result"]
    rows: list[dict[str, Any]] = []
    for c in Contribution.objects.filter(event=event).select_related("entry", "session", "from_city"):
        rows.append({"contribution": c, "result": results.get(c.entry_id)})
    rows.sort(key=lambda r: (r["contribution"].kind, r["result"].rank if r["result"] else 10**9))
    return rows


def contribution_get(*, event: Event, contribution_id: int) -> Contribution:
    c = Contribution.objects.filter(event=event, pk=contribution_id).select_related("entry", "event").first()
    if c is None:
        raise Http404(_("There is no such contribution."))
    return c


def registrations_of(*, user, event: Event) -> QuerySet[Registration]:
    """What a person registered: herself, or the members of the delegations she leads."""
    if not user or not user.is_authenticated:
        return Registration.objects.none()
    return (
        Registration.objects.filter(event=event)
        .filter(Q(user=user) | Q(registered_by=user) | Q(delegation__lead=user))
        .select_related("delegation")
        .order_by("queue")
    )


def registration_for(*, user, event: Event, registration_id: int) -> Registration:
    r = registrations_of(user=user, event=event).filter(pk=registration_id).first()
    if r is None:
        raise Http404(_("There is no such registration of yours."))
    return r


def delegations_led(*, user, event: Event):
    if not user or not user.is_authenticated:
        return []
    return list(event.delegations.filter(lead=user))


def public_attendees(event: Event) -> list[Registration]:
    """Only those who agreed to be listed, and only when the organisers show the list."""
    if not event.attendees_public:
        return []
    return list(
        Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED, public_listing=True)
        .select_related("delegation")
        .only("full_name", "name_native", "organisation", "country", "delegation__name")
        .order_by("country", "full_name")
    )


def registration_counts(event: Event) -> dict[str, int]:
    rows = Registration.objects.filter(event=event).values("status").annotate(n=Count("id"))
    counts = {r["status"]: r["n"] for r in rows}
    counts["checked_in"] = Registration.objects.filter(event=event, checked_in_at__isnull=False).count()
    return counts


def bookings_of(registration: Registration) -> QuerySet[SessionBooking]:
    return registration.bookings.select_related("session").exclude(status=RegistrationStatus.CANCELLED)


def checkins_recent(event: Event, limit: int = 20) -> QuerySet[CheckIn]:
    return (
        CheckIn.objects.filter(event=event).select_related("registration", "session").order_by("-at")[:limit]
    )


def sessions_attended(registration: Registration) -> list[str]:
    """The titles of the sessions a person was checked in at, in the order of the programme."""
    return list(
        CheckIn.objects.filter(registration=registration, session__isnull=False)
        .order_by("session__starts_at", "session_id")
        .values_list("session__title", flat=True)
    )


def release_versions(events: list[Event]) -> dict[int, int]:
    from django.db.models import Max

    rows = ScheduleRelease.objects.filter(event__in=events).values("event_id").annotate(n=Max("number"))
    return {r["event_id"]: r["n"] for r in rows}


def sees_private_materials(user, event: Event) -> bool:
    """The event's organisers and stewards, and its confirmed delegates (their own or led registrations)."""
    from .services.access import can_check_in

    if not user or not user.is_authenticated:
        return False
    return can_check_in(user, event) or (
        registrations_of(user=user, event=event).filter(status=RegistrationStatus.CONFIRMED).exists()
    )


def released_session_ids(event: Event) -> set[int]:
    """The sessions in the event's latest released schedule (none before the first release)."""
    snapshot = (
        ScheduleRelease.objects.filter(event=event).order_by("-number").values_list("snapshot", flat=True)
    )
    return {s["id"] for s in (snapshot.first() or {}).get("sessions", [])}


def _released(qs: QuerySet[Material], user, event: Event) -> QuerySet[Material]:
    """A session's materials follow the schedule's releases: until a release contains the session, only the
    event's organisers see them (the whole event's materials, session empty, are not held back)."""
    from .services.access import can_manage

    if can_manage(user, event):
        return qs
    return qs.filter(Q(session__isnull=True) | Q(session_id__in=released_session_ids(event)))


def materials_for(*, user, event: Event, private: bool | None = None) -> list[Material]:
    """The event's materials this person may see (public ones for anyone; a session's once a released schedule
    has it), sessions' in their order first."""
    if private is None:
        private = sees_private_materials(user, event)
    qs: QuerySet[Material] = Material.objects.filter(event=event).select_related("session", "event__city")
    if not private:
        qs = qs.filter(is_public=True)
    return list(_released(qs, user, event).order_by("session__starts_at", "session_id", "kind", "id"))


def material_get(*, user, event: Event, material_id: int) -> Material:
    material = (
        _released(Material.objects.filter(event=event, pk=material_id), user, event)
        .select_related("session")
        .first()
    )
    if material is None or not (material.is_public or sees_private_materials(user, event)):
        raise Http404(_("There is no such material."))
    return material


def steward_list(event: Event) -> QuerySet[Steward]:
    return Steward.objects.filter(event=event).select_related("user", "named_by").order_by("named_at", "id")


def steward_get(*, event: Event, steward_id: int) -> Steward:
    steward = Steward.objects.filter(event=event, pk=steward_id).select_related("user", "event").first()
    if steward is None:
        raise Http404(_("There is no such steward."))
    return steward


def stewarded_events(*, user, city: City, events: list[Event]) -> list[Event]:
    """Of these events of the city, those the person may check people in at (organiser or named steward)."""
    from learningcity.core.permissions import is_city_admin

    if not user or not user.is_authenticated:
        return []
    if is_city_admin(user, city):
        return events
    named = set(Steward.objects.filter(user=user, event__in=events).values_list("event_id", flat=True))
    return [e for e in events if e.pk in named]


def public_materials_by_session(event: Event) -> dict[int | None, list[Material]]:
    """The event's public materials by session id (None: the whole event's), in one query."""
    out: dict[int | None, list[Material]] = {}
    for material in materials_for(user=None, event=event, private=False):
        out.setdefault(material.session_id, []).append(material)
    return out
