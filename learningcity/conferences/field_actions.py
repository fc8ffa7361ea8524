"""What conferences offers the field app (core.registry hook `field_actions`, contract in docs/fieldwork.md):
check-in at the door or at a session on a steward's phone with the connection cut.

The bundle: for the stewards an organiser named for an event (and the organisers, the city's administrators),
the events of the city they check people in at, from yesterday to a week ahead, their sessions, and for each
confirmed registration its badge and name only (no sex, country, needs or contact leaves the server), so the
phone can greet the person it scanned. The phone keeps the scanned code; when
the connection returns, fieldwork applies each scan once through `checkin_scan`, which checks the signature: a
forged code, a code of another event or a cancelled registration is a conflict with its code (`forged`,
`other_event`, `not_confirmed`, `no_seat`, `gone`, `forbidden`); a second scan of the same person at the same
place is no conflict (two stewards at two doors both succeed) and answers `{"changed": false}`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import signing
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from learningcity.core.errors import DomainError
from learningcity.core.permissions import is_staff_of

from . import selectors
from .models import Event, Registration, RegistrationStatus, Session
from .services.registration import BADGE_SALT, checkin_scan


def field_bundle(*, city, user) -> dict | None:
    if not is_staff_of(user, city):
        return None
    today = timezone.localdate()
    events = selectors.stewarded_events(
        user=user,
        city=city,
        events=list(
            Event.objects.for_city(city).filter(
                starts_on__lte=today + dt.timedelta(days=7), ends_on__gte=today - dt.timedelta(days=1)
            )
        ),
    )
    if not events:
        return None
    out = []
    for event in events:
        sessions = Session.objects.filter(event=event, starts_at__isnull=False).order_by("starts_at")
        people = Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).values_list(
            "badge_code", "full_name", "name_native", "checked_in_at"
        )
        signer = signing.Signer(salt=BADGE_SALT)
        out.append(
            {
                "slug": event.slug,
                "title": event.title,
                "sessions": [
                    {"id": s.pk, "title": s.title, "start": s.starts_at.isoformat() if s.starts_at else None}
                    for s in sessions
                ],
                # per badge: the name, the code its QR carries (to check in by name) and whether already in
                "badges": {
                    badge: {
                        "name": name,
                        "name_native": native,
                        "code": signer.sign(f"{event.slug}:{badge}"),
                        "in": checked_in is not None,
                    }
                    for badge, name, native, checked_in in people
                },
            }
        )
    return {"events": out}


def checkin_action(*, city, user, payload: dict, memo: dict) -> dict:
    """One scan from a steward's phone: {"event": slug, "code": the QR text, "session": id or null, "at": ISO}."""
    slug, code = payload.get("event"), payload.get("code")
    if not isinstance(slug, str) or not isinstance(code, str):
        raise DomainError(_("The action is malformed: “%(field)s” is missing.") % {"field": "event, code"})
    event = Event.objects.for_city(city).filter(slug=slug).first()
    if event is None:
        raise DomainError(_("There is no event called “%(slug)s”.") % {"slug": slug[:80]}, code="gone")
    session = None
    if payload.get("session") is not None:
        session = Session.objects.filter(event=event, pk=payload["session"]).first()
        if session is None:
            raise DomainError(_("There is no such session in this event."), code="gone")
    at = parse_datetime(str(payload.get("at") or "")) or None
    if at is not None and (timezone.is_naive(at) or at > timezone.now() + dt.timedelta(minutes=5)):
        at = None
    try:
        checkin = checkin_scan(actor=user, event=event, code=code, session=session, now=at)
    except DomainError as exc:
        if exc.code != "reused":
            raise
        # Already checked in here (another steward at another door, or a scan before): nothing to change, and
        # nothing for the steward to decide.
        return {"changed": False}
    return {"registration": checkin.registration_id, "name": checkin.registration.full_name}


FIELD_ACTIONS: dict[str, Any] = {"conferences.checkin": checkin_action}
