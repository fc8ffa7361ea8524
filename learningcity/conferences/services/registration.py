"""Registrations (delegations and individuals) with capacity and a waiting list that moves up on cancellation,
seats in workshops and site visits, and check-in by the QR code of the badge."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from learningcity.core import audit
from learningcity.core.errors import DomainError
from learningcity.core.text import fold, normalize

from ..models import (
    CheckIn,
    Delegation,
    Event,
    Registration,
    RegistrationStatus,
    Session,
    SessionBooking,
    Sex,
)
from .access import require_signed_in, require_steward
from .mail import mail_later

BADGE_SALT = "conferences.badge"
ACTIVE = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)


def _country(value: str) -> str:
    value = (value or "").strip().upper()
    if len(value) != 2 or not value.isalpha():
        raise DomainError(_("A country is its two-letter code, e.g. VN, TH."), field="country")
    return value


def delegation_create(*, actor, event: Event, name: str, country: str) -> Delegation:
    require_signed_in(actor)
    name = normalize(name)
    if not name:
        raise DomainError(_("Name the city or organisation the delegation represents."), field="name")
    with transaction.atomic():
        delegation = Delegation.objects.create(
            city_id=event.city_id, event=event, name=name[:200], country=_country(country), lead=actor
        )
        audit.record_create(actor=actor, obj=delegation)
    return delegation


def registration_create(
    *,
    actor,
    event: Event,
    full_name: str,
    country: str,
    delegation: Delegation | None = None,
    name_native: str = "",
    email: str = "",
    role: str = "",
    organisation: str = "",
    sex: str = Sex.OTHER,
    accessibility: str = "",
    diet: str = "",
    interpretation_language: str = "",
    visa_letter: bool = False,
    public_listing: bool = False,
    now: dt.datetime | None = None,
) -> Registration:
    """One person: confirmed while the event has places, then on the waiting list in order. A delegation lead
    registers her members; anyone signed in registers herself."""
    require_signed_in(actor)
    now = now or timezone.now()
    if not event.is_published:
        raise DomainError(_("This event is not open for registration."))
    if event.registration_closes_at and now >= event.registration_closes_at:
        raise DomainError(_("Registration for this event has closed."), code="closed")
    if delegation is not None and (delegation.event_id != event.pk or delegation.lead_id != actor.pk):
        raise DomainError(_("Only the lead of this delegation may register its members."), code="forbidden")
    full_name = normalize(full_name)
    if not full_name:
        raise DomainError(_("Give the person's name."), field="full_name")
    if sex not in Sex.values:
        raise DomainError(_("Choose one of the options."), field="sex")
    email = normalize(email).lower()
    if email and ("@" not in email or len(email) > 254):
        raise DomainError(_("This e-mail address is not valid."), field="email")
    country = _country(country)
    key = fold(full_name)[:200]
    with transaction.atomic():
        Event.objects.select_for_update().filter(
            pk=event.pk
        ).order_by().first()  # one place counted at a time
        active = Registration.objects.filter(event=event, status__in=ACTIVE)
        if active.filter(name_key=key, country=country).exists() or (
            email and active.filter(email=email).exists()
        ):
            raise DomainError(
                _("%(name)s is already registered for this event.") % {"name": full_name},
                field="full_name",
                code="duplicate",
            )
        confirmed = active.filter(status=RegistrationStatus.CONFIRMED).count()
        status = (
            RegistrationStatus.CONFIRMED
            if not event.capacity or confirmed < event.capacity
            else RegistrationStatus.WAITLISTED
        )
        queue = (Registration.objects.filter(event=event).aggregate(m=Max("queue"))["m"] or 0) + 1
        registration = Registration.objects.create(
            city_id=event.city_id,
            event=event,
            delegation=delegation,
            user=actor if delegation is None else None,
            registered_by=actor,
            full_name=full_name[:200],
            name_native=normalize(name_native)[:200],
            name_key=key,
            email=email,
            role=normalize(role)[:120],
            organisation=normalize(organisation)[:200],
            country=country,
            sex=sex,
            accessibility=normalize(accessibility)[:300],
            diet=normalize(diet)[:200],
            interpretation_language=normalize(interpretation_language).lower()[:8],
            visa_letter=bool(visa_letter),
            public_listing=bool(public_listing),
            status=status,
            queue=queue,
            badge_code=secrets.token_hex(8),
        )
        audit.record_create(actor=actor, obj=registration)
        mail_later(registration, "confirmed" if status == RegistrationStatus.CONFIRMED else "waitlisted")
    return registration


def can_act_for(user, registration: Registration) -> bool:
    if not user or not user.is_authenticated:
        return False
    if registration.user_id == user.pk or registration.registered_by_id == user.pk:
        return True
    return registration.delegation is not None and registration.delegation.lead_id == user.pk


def _promote_event(event: Event) -> list[Registration]:
    promoted: list[Registration] = []
    if not event.capacity:
        return promoted
    confirmed = Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).count()
    free = event.capacity - confirmed
    if free > 0:
        for waiting in Registration.objects.filter(
            event=event, status=RegistrationStatus.WAITLISTED
        ).order_by("queue", "id")[:free]:
            waiting.status = RegistrationStatus.CONFIRMED
            waiting.save(update_fields=["status", "updated_at"])
            mail_later(waiting, "promoted")
            promoted.append(waiting)
    return promoted


def registration_cancel(*, actor, registration: Registration) -> list[Registration]:
    """Cancel a registration; the first on the waiting list moves up. Returns those who moved up."""
    from .access import can_manage

    event = registration.event
    if not (can_act_for(actor, registration) or can_manage(actor, event)):
        raise DomainError(
            _("Only the person, her delegation lead or the organisers may cancel."), code="forbidden"
        )
    if registration.status == RegistrationStatus.CANCELLED:
        raise DomainError(_("This registration is already cancelled."))
    with transaction.atomic():
        Event.objects.select_for_update().filter(pk=event.pk).order_by().first()
        before = audit.snapshot(registration)
        registration.status = RegistrationStatus.CANCELLED
        registration.save(update_fields=["status", "updated_at"])
        audit.record_update(actor=actor, obj=registration, before=before)
        for booking in SessionBooking.objects.filter(registration=registration).exclude(
            status=RegistrationStatus.CANCELLED
        ):
            _booking_cancel(booking)
        return _promote_event(event)


def session_book(*, actor, registration: Registration, session: Session) -> SessionBooking:
    """A seat in a workshop or site visit: confirmed while seats remain, then waitlisted in order."""
    if not can_act_for(actor, registration):
        raise DomainError(_("Only the person or her delegation lead may book her seats."), code="forbidden")
    if session.event_id != registration.event_id:
        raise DomainError(_("This session belongs to another event."))
    if registration.status != RegistrationStatus.CONFIRMED:
        raise DomainError(_("Only confirmed registrations may book seats."))
    if not session.capacity:
        raise DomainError(_("This session needs no booking: every delegate may come."))
    with transaction.atomic():
        Session.objects.select_for_update().filter(pk=session.pk).order_by().first()
        existing = SessionBooking.objects.filter(session=session, registration=registration).first()
        if existing is not None and existing.status != RegistrationStatus.CANCELLED:
            raise DomainError(_("This seat is already booked."), code="duplicate")
        confirmed = SessionBooking.objects.filter(
            session=session, status=RegistrationStatus.CONFIRMED
        ).count()
        status = (
            RegistrationStatus.CONFIRMED if confirmed < session.capacity else RegistrationStatus.WAITLISTED
        )
        queue = (SessionBooking.objects.filter(session=session).aggregate(m=Max("queue"))["m"] or 0) + 1
        if existing is not None:
            existing.status, existing.queue = status, queue
            existing.save(update_fields=["status", "queue", "updated_at"])
            booking = existing
        else:
            booking = SessionBooking.objects.create(
                city_id=session.city_id,
                session=session,
                registration=registration,
                status=status,
                queue=queue,
            )
        audit.record_create(actor=actor, obj=booking)
    return booking


def _booking_cancel(booking: SessionBooking) -> None:
    session = booking.session
    Session.objects.select_for_update().filter(pk=session.pk).order_by().first()
    was_confirmed = booking.status == RegistrationStatus.CONFIRMED
    booking.status = RegistrationStatus.CANCELLED
    booking.save(update_fields=["status", "updated_at"])
    if was_confirmed:
        nxt = (
            SessionBooking.objects.filter(session=session, status=RegistrationStatus.WAITLISTED)
            .order_by("queue", "id")
            .first()
        )
        if nxt is not None:
            nxt.status = RegistrationStatus.CONFIRMED
            nxt.save(update_fields=["status", "updated_at"])


def booking_cancel(*, actor, booking: SessionBooking) -> None:
    if not can_act_for(actor, booking.registration):
        raise DomainError(_("Only the person or her delegation lead may cancel her seats."), code="forbidden")
    with transaction.atomic():
        before = audit.snapshot(booking)
        _booking_cancel(booking)
        audit.record_update(actor=actor, obj=booking, before=before)


# ------------------------------------------------------------------------------------------------ check-in
def badge_payload(registration: Registration) -> str:
    """What the QR code of a badge holds: the event and the badge, signed (a forged code does not verify)."""
    return signing.Signer(salt=BADGE_SALT).sign(f"{registration.event.slug}:{registration.badge_code}")


def checkin_scan(
    *, actor, event: Event, code: str, session: Session | None = None, now: dt.datetime | None = None
) -> CheckIn:
    """Check a person in at the door (no session) or at a session by the QR code of her badge. A forged code,
    a code of another event, a cancelled or waitlisted person and a second scan are refused."""
    require_steward(actor, event)
    now = now or timezone.now()
    try:
        value = signing.Signer(salt=BADGE_SALT).unsign((code or "").strip())
    except signing.BadSignature:
        raise DomainError(_("This code is not a badge of ours: it may be forged."), code="forged") from None
    event_slug, _sep, badge = value.rpartition(":")
    if event_slug != event.slug:
        raise DomainError(_("This badge is for another event."), code="other_event")
    registration = Registration.objects.filter(event=event, badge_code=badge).first()
    if registration is None or registration.status != RegistrationStatus.CONFIRMED:
        raise DomainError(_("This badge is not a confirmed registration."), code="not_confirmed")
    if session is not None:
        if session.event_id != event.pk:
            raise DomainError(_("This session belongs to another event."))
        if (
            session.capacity
            and not SessionBooking.objects.filter(
                session=session, registration=registration, status=RegistrationStatus.CONFIRMED
            ).exists()
        ):
            raise DomainError(
                _("%(name)s has no seat booked in this session.") % {"name": registration.full_name},
                code="no_seat",
            )
    already = CheckIn.objects.filter(registration=registration, session=session)
    if already.exists():
        raise DomainError(
            _("%(name)s is already checked in here: this code was used.") % {"name": registration.full_name},
            code="reused",
        )
    try:
        with transaction.atomic():
            checkin = CheckIn.objects.create(
                city_id=event.city_id,
                event=event,
                registration=registration,
                session=session,
                at=now,
                by=actor if getattr(actor, "pk", None) else None,
            )
            if session is None:
                Registration.objects.filter(pk=registration.pk).update(checked_in_at=now)
            audit.record_create(actor=actor, obj=checkin)
    except IntegrityError:
        raise DomainError(
            _("%(name)s is already checked in here: this code was used.") % {"name": registration.full_name},
            code="reused",
        ) from None
    return checkin


def feedback_give(*, actor, session: Session, rating: int, comment: str = ""):
    """A registered delegate's feedback on a session (given again, it replaces her previous one)."""
    from django.db.models import Q

    from ..models import SessionFeedback

    require_signed_in(actor)
    registered = Registration.objects.filter(
        event_id=session.event_id, status=RegistrationStatus.CONFIRMED
    ).filter(Q(user=actor) | Q(registered_by=actor))
    if not registered.exists():
        raise DomainError(_("Only registered delegates may give feedback on a session."), code="forbidden")
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise DomainError(_("Give a mark from 1 to 5."), field="rating")
    with transaction.atomic():
        feedback, created = SessionFeedback.objects.update_or_create(
            session=session,
            user=actor,
            defaults={"city_id": session.city_id, "rating": rating, "comment": normalize(comment)[:1000]},
        )
        if created:
            audit.record_create(actor=actor, obj=feedback)
        else:
            audit.record(actor=actor, action="update", obj=feedback)
    return feedback
