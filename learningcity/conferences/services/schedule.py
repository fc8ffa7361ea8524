"""Events, their rooms and tracks, the schedule editor (which refuses a speaker in two rooms at once, a room
booked twice and a session over its room's capacity) and releases of the schedule with what changed."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learningcity.core import audit
from learningcity.core.errors import DomainError
from learningcity.core.models import City
from learningcity.core.text import normalize

from ..models import (
    Event,
    Favourite,
    Room,
    ScheduleRelease,
    Session,
    SessionKind,
    SessionSpeaker,
    Speaker,
    Track,
    Venue,
)
from .access import require_manager

LANG_RE = re.compile(r"^[a-z]{2,3}$")


def _languages(values, field: str) -> list[str]:
    out: list[str] = []
    for value in values or []:
        value = str(value).strip().lower()
        if not value:
            continue
        if not LANG_RE.match(value):
            raise DomainError(
                _("A language is a code of two or three letters, e.g. vi, en, th."), field=field
            )
        if value not in out:
            out.append(value)
    return out


def event_create(
    *,
    actor,
    city: City,
    slug: str,
    title_vi: str,
    starts_on: dt.date,
    ends_on: dt.date,
    title_en: str = "",
    description_vi: str = "",
    description_en: str = "",
    network_slug: str = "",
    capacity: int = 0,
    registration_closes_at: dt.datetime | None = None,
    time_zone: str = "",
    is_published: bool = True,
    check_permission: bool = True,
) -> Event:
    from learningcity.core.permissions import is_city_admin

    if check_permission and not is_city_admin(actor, city):
        raise DomainError(_("Only the city's administrators may create events."), code="forbidden")
    slug = (slug or "").strip().lower()
    if not re.fullmatch(r"[a-z0-9-]{2,80}", slug):
        raise DomainError(_("A short name uses small letters, digits and dashes (2 to 80)."), field="slug")
    if Event.objects.filter(slug=slug).exists():
        raise DomainError(_("Another event already uses this address."), field="slug")
    if not normalize(title_vi):
        raise DomainError(_("Give the event a title."), field="title_vi")
    if ends_on < starts_on:
        raise DomainError(_("The last day cannot come before the first."), field="ends_on")
    time_zone = time_zone or city.time_zone
    try:
        zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise DomainError(_("Unknown time zone."), field="time_zone") from None
    if network_slug:
        from learningcity.network import selectors as network_selectors

        try:
            network_selectors.network_get(slug=network_slug)
        except Exception:
            raise DomainError(_("There is no such network."), field="network_slug") from None
    with transaction.atomic():
        event = Event.objects.create(
            city=city,
            slug=slug,
            network_slug=network_slug,
            title_vi=normalize(title_vi),
            title_en=normalize(title_en),
            description_vi=normalize(description_vi),
            description_en=normalize(description_en),
            starts_on=starts_on,
            ends_on=ends_on,
            time_zone=time_zone,
            capacity=max(0, int(capacity)),
            registration_closes_at=registration_closes_at,
            is_published=is_published,
        )
        audit.record_create(actor=actor, obj=event)
    return event


def venue_create(*, actor, event: Event, name: str, space=None, address: str = "") -> Venue:
    require_manager(actor, event)
    if space is not None and space.city_id != event.city_id:
        raise DomainError(
            _("Choose a learning space of the organising city, or an outside venue."), field="space"
        )
    name = normalize(name) or (space.name if space is not None else "")
    if not name:
        raise DomainError(_("Give the venue a name."), field="name")
    with transaction.atomic():
        venue = Venue.objects.create(
            city_id=event.city_id, event=event, space=space, name=name[:200], address=normalize(address)[:300]
        )
        audit.record_create(actor=actor, obj=venue)
    return venue


def room_create(*, actor, venue: Venue, name: str, capacity: int) -> Room:
    event = venue.event
    require_manager(actor, event)
    name = normalize(name)
    if not name:
        raise DomainError(_("Give the room a name."), field="name")
    if capacity is None or int(capacity) <= 0:
        raise DomainError(_("A room needs at least one seat."), field="capacity")
    if Room.objects.filter(event=event, name=name).exists():
        raise DomainError(_("The event already has a room with this name."), field="name")
    with transaction.atomic():
        room = Room.objects.create(
            city_id=event.city_id,
            event=event,
            venue=venue,
            name=name[:120],
            capacity=int(capacity),
            position=Room.objects.filter(event=event).count(),
        )
        audit.record_create(actor=actor, obj=room)
    return room


def track_create(*, actor, event: Event, name_vi: str, name_en: str = "", colour: str = "#1d4ed8") -> Track:
    require_manager(actor, event)
    if not normalize(name_vi):
        raise DomainError(_("Give the track a name."), field="name_vi")
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", colour or ""):
        raise DomainError(_("A colour is written #rrggbb."), field="colour")
    with transaction.atomic():
        track = Track.objects.create(
            city_id=event.city_id,
            event=event,
            name_vi=normalize(name_vi),
            name_en=normalize(name_en),
            colour=colour,
        )
        audit.record_create(actor=actor, obj=track)
    return track


def speaker_create(
    *, actor, event: Event, name: str, name_native: str = "", organisation: str = "", user=None
) -> Speaker:
    require_manager(actor, event)
    name = normalize(name)
    if not name:
        raise DomainError(_("Give the speaker's name."), field="name")
    with transaction.atomic():
        speaker = Speaker.objects.create(
            city_id=event.city_id,
            event=event,
            user=user,
            name=name[:200],
            name_native=normalize(name_native)[:200],
            organisation=normalize(organisation)[:200],
        )
        audit.record_create(actor=actor, obj=speaker)
    return speaker


def _fmt(moment: dt.datetime | None, event: Event) -> str:
    if moment is None:
        return ""
    return timezone.localtime(moment, zoneinfo.ZoneInfo(event.time_zone)).strftime("%d/%m %H:%M")


def _check_slot(
    event: Event,
    *,
    session_id: int | None,
    room: Room | None,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    speaker_ids: list[int],
    seats: int,
) -> None:
    """Refuse a slot that cannot be held: out of the event's days, a room booked twice, a speaker in two
    places at once, more people than the room seats. Called with the event row locked."""
    if (starts_at is None) != (ends_at is None):
        raise DomainError(_("Give both the start and the end, or neither."), field="ends_at")
    if room is not None and room.event_id != event.pk:
        raise DomainError(_("Choose a room of this event."), field="room")
    if room is not None and seats > room.capacity:
        raise DomainError(
            _("%(room)s seats %(cap)s; this session expects %(n)s.")
            % {"room": room.name, "cap": room.capacity, "n": seats},
            field="capacity",
            code="over_capacity",
        )
    if starts_at is None or ends_at is None:
        return
    if ends_at <= starts_at:
        raise DomainError(_("A session ends after it starts."), field="ends_at")
    zone = zoneinfo.ZoneInfo(event.time_zone)
    first = timezone.localtime(starts_at, zone).date()
    last = timezone.localtime(ends_at, zone).date()
    if first < event.starts_on or last > event.ends_on:
        raise DomainError(_("A session must take place on the days of the event."), field="starts_at")
    overlapping = Session.objects.filter(event=event, starts_at__lt=ends_at, ends_at__gt=starts_at)
    if session_id is not None:
        overlapping = overlapping.exclude(pk=session_id)
    if room is not None:
        clash = overlapping.filter(room=room).first()
        if clash is not None:
            raise DomainError(
                _("%(room)s is already booked then for “%(other)s” (%(start)s).")
                % {"room": room.name, "other": clash.title, "start": _fmt(clash.starts_at, event)},
                field="room",
                code="room_booked",
            )
    if speaker_ids:
        link = (
            SessionSpeaker.objects.filter(session__in=overlapping, speaker_id__in=speaker_ids)
            .select_related("speaker", "session")
            .first()
        )
        if link is not None:
            raise DomainError(
                _("%(speaker)s already speaks then in “%(other)s” (%(start)s).")
                % {
                    "speaker": link.speaker.name,
                    "other": link.session.title,
                    "start": _fmt(link.session.starts_at, event),
                },
                field="speakers",
                code="speaker_busy",
            )


def session_save(
    *,
    actor,
    event: Event,
    title: str,
    session: Session | None = None,
    kind: str = SessionKind.PARALLEL,
    room: Room | None = None,
    track: Track | None = None,
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
    speakers: list[Speaker] | None = None,
    abstract: str = "",
    languages=(),
    interpretation=(),
    capacity: int = 0,
    expected: int = 0,
    check_permission: bool = True,
) -> Session:
    """Create a session, or change one (session given). Nothing is written when the slot is refused."""
    if check_permission:
        require_manager(actor, event)
    if session is not None and session.event_id != event.pk:
        raise DomainError(_("This session belongs to another event."))
    title = normalize(title)
    if not title:
        raise DomainError(_("Give the session a title."), field="title")
    if kind not in SessionKind.values:
        raise DomainError(_("Choose a kind of session."), field="kind")
    if track is not None and track.event_id != event.pk:
        raise DomainError(_("Choose a track of this event."), field="track")
    speakers = list(speakers) if speakers is not None else None
    if speakers is not None and any(s.event_id != event.pk for s in speakers):
        raise DomainError(_("Choose speakers of this event."), field="speakers")
    langs = _languages(languages, "languages")
    interp = _languages(interpretation, "interpretation")
    capacity, expected = max(0, int(capacity or 0)), max(0, int(expected or 0))
    with transaction.atomic():
        Event.objects.select_for_update().filter(
            pk=event.pk
        ).order_by().first()  # one schedule edit at a time
        if speakers is None:
            speaker_ids = (
                list(SessionSpeaker.objects.filter(session=session).values_list("speaker_id", flat=True))
                if session is not None
                else []
            )
        else:
            speaker_ids = [s.pk for s in speakers]
        _check_slot(
            event,
            session_id=session.pk if session is not None else None,
            room=room,
            starts_at=starts_at,
            ends_at=ends_at,
            speaker_ids=speaker_ids,
            seats=max(capacity, expected),
        )
        values: dict[str, Any] = {
            "title": title[:250],
            "kind": kind,
            "room": room,
            "track": track,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "abstract": normalize(abstract),
            "languages": langs,
            "interpretation": interp,
            "capacity": capacity,
            "expected": expected,
        }
        if session is None:
            session = Session.objects.create(city_id=event.city_id, event=event, **values)
            audit.record_create(actor=actor, obj=session)
        else:
            before = audit.snapshot(session)
            for key, value in values.items():
                setattr(session, key, value)
            session.save()
            audit.record_update(actor=actor, obj=session, before=before)
        if speakers is not None:
            SessionSpeaker.objects.filter(session=session).exclude(speaker_id__in=speaker_ids).delete()
            have = set(SessionSpeaker.objects.filter(session=session).values_list("speaker_id", flat=True))
            SessionSpeaker.objects.bulk_create(
                [
                    SessionSpeaker(city_id=event.city_id, session=session, speaker_id=sid)
                    for sid in speaker_ids
                    if sid not in have
                ]
            )
    return session


def session_move(
    *, actor, session: Session, room: Room | None, starts_at: dt.datetime | None, ends_at: dt.datetime | None
) -> Session:
    """Move a session to another room or time (its speakers and everything else unchanged)."""
    return session_save(
        actor=actor,
        event=session.event,
        session=session,
        title=session.title,
        kind=session.kind,
        room=room,
        track=session.track,
        starts_at=starts_at,
        ends_at=ends_at,
        abstract=session.abstract,
        languages=session.languages,
        interpretation=session.interpretation,
        capacity=session.capacity,
        expected=session.expected,
    )


def speaker_add(*, actor, session: Session, speaker: Speaker) -> Session:
    """A speaker joins a session: refused when she speaks elsewhere at the same time."""
    current = list(Speaker.objects.filter(session_links__session=session))
    if speaker in current:
        return session
    return session_save(
        actor=actor,
        event=session.event,
        session=session,
        title=session.title,
        kind=session.kind,
        room=session.room,
        track=session.track,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        speakers=[*current, speaker],
        abstract=session.abstract,
        languages=session.languages,
        interpretation=session.interpretation,
        capacity=session.capacity,
        expected=session.expected,
    )


# ------------------------------------------------------------------------------------------------ releases
def schedule_snapshot(event: Event) -> dict[str, Any]:
    """The schedule as it stands: what a release freezes and what the public pages and the API read."""
    rooms = list(Room.objects.filter(event=event).select_related("venue").order_by("position", "id"))
    tracks = list(Track.objects.filter(event=event).order_by("id"))
    sessions = list(
        Session.objects.filter(event=event, starts_at__isnull=False, room__isnull=False).order_by(
            "starts_at", "room__position", "id"
        )
    )
    speakers: dict[int, list[dict[str, Any]]] = {}
    for link in (
        SessionSpeaker.objects.filter(session__in=sessions)
        .select_related("speaker")
        .order_by("speaker__name")
    ):
        s = link.speaker
        speakers.setdefault(link.session_id, []).append(
            {"id": s.pk, "name": s.name, "name_native": s.name_native, "organisation": s.organisation}
        )
    return {
        "rooms": [
            {
                "id": r.pk,
                "name": r.name,
                "capacity": r.capacity,
                "venue": r.venue.name,
                "space_id": r.venue.space_id,
            }
            for r in rooms
        ],
        "tracks": [
            {"id": t.pk, "name_vi": t.name_vi, "name_en": t.name_en, "colour": t.colour} for t in tracks
        ],
        "sessions": [
            {
                "id": s.pk,
                "title": s.title,
                "abstract": s.abstract,
                "kind": s.kind,
                "room_id": s.room_id,
                "track_id": s.track_id,
                "start": s.starts_at.astimezone(dt.UTC).isoformat(),
                "end": s.ends_at.astimezone(dt.UTC).isoformat(),
                "languages": s.languages,
                "interpretation": s.interpretation,
                "capacity": s.capacity,
                "speakers": speakers.get(s.pk, []),
            }
            for s in sessions
            if s.starts_at and s.ends_at
        ],
    }


def schedule_changes(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """What changed between two snapshots, one line per session: added, cancelled, moved, changed."""
    old = {s["id"]: s for s in before.get("sessions", [])}
    new = {s["id"]: s for s in after.get("sessions", [])}
    changes = []
    for sid, s in new.items():
        if sid not in old:
            changes.append({"session": sid, "title": s["title"], "change": "added"})
            continue
        o = s and old[sid]
        if (o["room_id"], o["start"], o["end"]) != (s["room_id"], s["start"], s["end"]):
            changes.append(
                {
                    "session": sid,
                    "title": s["title"],
                    "change": "moved",
                    "before": {"room_id": o["room_id"], "start": o["start"], "end": o["end"]},
                    "after": {"room_id": s["room_id"], "start": s["start"], "end": s["end"]},
                }
            )
        elif any(o.get(k) != s.get(k) for k in ("title", "speakers", "languages", "interpretation", "kind")):
            changes.append({"session": sid, "title": s["title"], "change": "changed"})
    for sid, o in old.items():
        if sid not in new:
            changes.append({"session": sid, "title": o["title"], "change": "cancelled"})
    return changes


def schedule_release(
    *, actor, event: Event, note: str = "", now: dt.datetime | None = None
) -> ScheduleRelease:
    """Publish the schedule as it stands, with what changed since the previous release; the people who chose a
    changed session are told by e-mail."""
    require_manager(actor, event)
    now = now or timezone.now()
    with transaction.atomic():
        Event.objects.select_for_update().filter(pk=event.pk).order_by().first()
        previous = ScheduleRelease.objects.filter(event=event).order_by("-number").first()
        snapshot = schedule_snapshot(event)
        changes = schedule_changes(previous.snapshot if previous else {}, snapshot) if previous else []
        if previous is not None and not changes:
            raise DomainError(_("Nothing changed since the last release."))
        release = ScheduleRelease.objects.create(
            city_id=event.city_id,
            event=event,
            number=(previous.number + 1) if previous else 1,
            released_at=now,
            released_by=actor if getattr(actor, "pk", None) else None,
            note=normalize(note)[:300],
            snapshot=snapshot,
            changes=changes,
        )
        audit.record_create(actor=actor, obj=release)
        changed = [c["session"] for c in changes if c["change"] != "added"]
        if changed:
            release_id = release.pk
            transaction.on_commit(lambda: notify_changes(release_id))
    return release


def notify_changes(release_id: int) -> int:
    """E-mail each person whose agenda holds a changed session (one message per person). Returns the count."""
    release = ScheduleRelease.objects.select_related("event").get(pk=release_id)
    by_session = {c["session"]: c for c in release.changes if c["change"] != "added"}
    rooms = {r["id"]: r["name"] for r in release.snapshot.get("rooms", [])}
    zone = zoneinfo.ZoneInfo(release.event.time_zone)
    per_user: dict[Any, list[str]] = {}
    for fav in Favourite.objects.filter(session_id__in=by_session).select_related("user"):
        if not fav.user.email:
            continue
        c = by_session[fav.session_id]
        if c["change"] == "moved":
            start = dt.datetime.fromisoformat(c["after"]["start"]).astimezone(zone)
            line = _("“%(t)s” moves to %(room)s, %(when)s.") % {
                "t": c["title"],
                "room": rooms.get(c["after"]["room_id"], "?"),
                "when": start.strftime("%d/%m %H:%M"),
            }
        elif c["change"] == "cancelled":
            line = _("“%(t)s” is cancelled.") % {"t": c["title"]}
        else:
            line = _("“%(t)s” has changed.") % {"t": c["title"]}
        per_user.setdefault(fav.user.email, []).append(line)
    for email, lines in per_user.items():
        send_mail(
            _("Changes to your agenda: %(e)s") % {"e": release.event.title},
            "\n".join(lines),
            None,
            [email],
        )
    return len(per_user)


def favourite_toggle(*, actor, session: Session) -> bool:
    """Add a session to the person's agenda, or take it out. Returns whether it is now in."""
    from .access import require_signed_in

    require_signed_in(actor)
    with transaction.atomic():
        deleted, _ignored = Favourite.objects.filter(session=session, user=actor).delete()
        if deleted:
            return False
        Favourite.objects.create(city_id=session.city_id, session=session, user=actor)
    return True


def agenda_feed_token(*, actor, event: Event) -> str:
    import secrets

    from ..models import AgendaFeed
    from .access import require_signed_in

    require_signed_in(actor)
    feed, _created = AgendaFeed.objects.get_or_create(
        event=event, user=actor, defaults={"city_id": event.city_id, "token": secrets.token_urlsafe(32)}
    )
    return feed.token
