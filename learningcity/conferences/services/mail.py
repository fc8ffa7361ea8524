"""E-mails to delegates with their documents attached: the badge, and the visa invitation letter when she asked
for one, when her registration is confirmed (at once or on moving up from the waiting list); the certificate of
attendance after the event, for those checked in.

Services call `mail_later` inside their transaction: after the commit a background task (`tasks.py`) makes the
PDFs and sends the message, so a registration never waits for a PDF. The documents attached to one message
weigh at most `CONFERENCE_MAIL_MAX_ATTACHMENT_BYTES` (settings; many mail servers refuse large messages): a
document that would pass the cap is left out and the message gives its address instead. Every message also
names the page where the person finds her documents again."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from learningcity.core import audit
from learningcity.core.errors import DomainError

from ..models import Event, Registration, RegistrationStatus
from .access import require_manager

DEFAULT_MAX_ATTACHMENT_BYTES = 2 * 1024 * 1024
KINDS = ("confirmed", "promoted", "waitlisted", "certificate")


def max_attachment_bytes() -> int:
    return int(getattr(settings, "CONFERENCE_MAIL_MAX_ATTACHMENT_BYTES", DEFAULT_MAX_ATTACHMENT_BYTES))


def mail_later(registration: Registration, kind: str) -> None:
    """After the commit, send the person the message of this kind (in the language active now)."""
    if kind not in KINDS:
        raise ValueError(kind)
    if not registration.email:
        return
    from ..tasks import send_registration_mail

    pk, language = registration.pk, translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(lambda: send_registration_mail.enqueue(pk, kind, language))


@dataclass(frozen=True)
class Document:
    filename: str
    url_name: str
    make: Callable[[Registration], bytes]


def _address(url_name: str, registration: Registration) -> str:
    """The page's address: absolute with the site's origin (the first of CSRF_TRUSTED_ORIGINS) when known."""
    event = registration.event
    args: list[str | int] = [event.city.slug, event.slug]
    if url_name != "conference_registrations":
        args.append(registration.pk)
    path = reverse(url_name, args=args)
    origins = getattr(settings, "CSRF_TRUSTED_ORIGINS", None) or [""]
    return origins[0].rstrip("/") + path


def _compose(registration: Registration, kind: str) -> tuple[str, str, list[Document]] | None:
    """Subject, body and documents of the message, or None when it no longer applies (cancelled meanwhile)."""
    from .. import pdf

    event, name = registration.event, registration.full_name
    confirmed = registration.status == RegistrationStatus.CONFIRMED
    if kind == "waitlisted":
        if registration.status != RegistrationStatus.WAITLISTED:
            return None
        return (
            _("On the waiting list: %(e)s") % {"e": event.title},
            _("The event is full; %(name)s is on the waiting list and will be told if a place frees up.")
            % {"name": name},
            [],
        )
    if kind == "certificate":
        if not confirmed or registration.checked_in_at is None:
            return None
        return (
            _("Certificate of attendance: %(e)s") % {"e": event.title},
            _("Thank you for taking part in %(e)s. The certificate of attendance of %(name)s is attached.")
            % {"e": event.title, "name": name},
            [Document(f"certificate-{registration.pk}.pdf", "conference_certificate", pdf.certificate_pdf)],
        )
    if not confirmed:
        return None
    documents = [Document(f"badge-{registration.pk}.pdf", "conference_badge", pdf.badge_pdf)]
    if registration.visa_letter:
        documents.append(
            Document(f"invitation-{registration.pk}.pdf", "conference_visa_letter", pdf.visa_letter_pdf)
        )
    if kind == "promoted":
        subject = _("A place is free: %(e)s") % {"e": event.title}
        body = _("%(name)s moved up from the waiting list and is now registered.") % {"name": name}
    else:
        subject = _("Registration confirmed: %(e)s") % {"e": event.title}
        body = _("%(name)s is registered for %(e)s.") % {"name": name, "e": event.title}
    body += "\n\n" + _("The badge (print it or show it on your phone at the door) is attached.")
    if registration.visa_letter:
        body += " " + _("So is the invitation letter for the visa application.")
    return subject, body, documents


def registration_mail_send(*, registration_id: int, kind: str, language: str) -> bool:
    """Make the documents and send the message; False when there is no one to send it to or it no longer
    applies."""
    registration = (
        Registration.objects.select_related("event__city", "delegation").filter(pk=registration_id).first()
    )
    if registration is None or not registration.email:
        return False
    with translation.override(language):
        composed = _compose(registration, kind)
        if composed is None:
            return False
        subject, body, documents = composed
        message = EmailMessage(subject, "", to=[registration.email])
        room, too_large = max_attachment_bytes(), []
        for document in documents:
            data = document.make(registration)
            if len(data) <= room:
                message.attach(document.filename, data, "application/pdf")
                room -= len(data)
            else:
                too_large.append(_address(document.url_name, registration))
        if too_large:
            body += "\n\n" + _("Too large to attach; download it from:") + "\n" + "\n".join(too_large)
        body += "\n\n" + _("Your registrations and their documents: %(url)s") % {
            "url": _address("conference_registrations", registration)
        }
        message.body = body
        message.send()
    return True


@dataclass(frozen=True)
class CertificatesSent:
    sent: int  # messages going out now
    already: int  # people checked in who had been sent theirs before


def certificates_send(*, actor, event: Event, now: dt.datetime | None = None) -> CertificatesSent:
    """E-mail each person checked in at the door her certificate of attendance, from the event's last day on,
    once: each one sent is recorded (`certificate_sent_at`), and a later press sends only to those checked in
    since. The rows are locked while they are marked, so two presses at once do not both send."""
    require_manager(actor, event)
    now = now or timezone.now()
    today = now.astimezone(zoneinfo.ZoneInfo(event.time_zone)).date()
    if today < event.ends_on:
        raise DomainError(
            _("Certificates are sent from the last day of the event on (%(day)s).")
            % {"day": f"{event.ends_on:%d/%m/%Y}"},
            code="too_early",
        )
    checked_in = Registration.objects.filter(
        event=event, status=RegistrationStatus.CONFIRMED, checked_in_at__isnull=False
    ).exclude(email="")
    with transaction.atomic():
        registrations = list(checked_in.filter(certificate_sent_at__isnull=True).select_for_update())
        already = checked_in.filter(certificate_sent_at__isnull=False).count()
        Registration.objects.filter(pk__in=[r.pk for r in registrations]).update(certificate_sent_at=now)
        audit.record(
            actor=actor,
            action="update",
            obj=event,
            note=f"certificates of attendance e-mailed to {len(registrations)} ({already} had one already)",
        )
        for registration in registrations:
            mail_later(registration, "certificate")
    return CertificatesSent(sent=len(registrations), already=already)
