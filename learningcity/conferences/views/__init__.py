"""Pages of the conferences app, under /<city_slug>/events/: thin (parse, authorise, call one service or
selector, render). The public pages, a delegate's, the organisers' schedule editor and call, and check-in are
here; what comes after the event (materials, figures) in `after`, the stewards in `stewards`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from learningcity.core.decorators import with_city
from learningcity.core.errors import DomainError
from learningcity.core.forms import add_domain_error
from learningcity.core.scan import CAMERA_POLICY, scan_texts

from .. import exports, pdf, selectors
from ..forms import CheckInForm, ContributionForm, FeedbackForm, RegistrationForm, SessionForm, codes
from ..models import RegistrationStatus
from ..services import call as call_services
from ..services import mail as mail_services
from ..services import registration as reg_services
from ..services import schedule as schedule_services
from ..services.access import can_check_in, can_manage


def _event(city, event_slug):
    return selectors.public_event_get(slug=event_slug, city=city)


def _manage(request, city, event_slug):
    event = selectors.event_get(slug=event_slug, city=city)
    if not can_manage(request.user, event):
        raise PermissionDenied(_("Only the organising city's administrators may change this event."))
    return event


@with_city
def event_list(request, city):
    return render(request, "conferences/event_list.html", {"events": selectors.event_list(city=city)})


@with_city
def event_detail(request, city, event_slug):
    event = _event(city, event_slug)
    return render(
        request,
        "conferences/event_detail.html",
        {
            "event": event,
            "schedule": selectors.public_schedule(event),
            "attendees": selectors.public_attendees(event),
            "materials": selectors.materials_for(user=request.user, event=event),
            "can_manage": can_manage(request.user, event),
            "can_check_in": can_check_in(request.user, event),
        },
    )


@with_city
def schedule(request, city, event_slug):
    event = _event(city, event_slug)
    sched = selectors.public_schedule(event)
    favourites = selectors.favourite_ids(user=request.user, event=event)
    return render(
        request,
        "conferences/schedule.html",
        {"event": event, "schedule": sched, "favourites": favourites, "days": sched.days()},
    )


@with_city
def room_schedule(request, city, event_slug, room_id):
    event = _event(city, event_slug)
    sched = selectors.public_schedule(event)
    room = next((r for r in sched.rooms if r["id"] == room_id), None)
    if room is None:
        room = {"id": selectors.room_get(event=event, room_id=room_id).pk, "name": ""}
    slots = [s for s in sched.slots if s.room.get("id") == room_id]
    return render(request, "conferences/room.html", {"event": event, "room": room, "slots": slots})


@with_city
def changes(request, city, event_slug):
    event = _event(city, event_slug)
    return render(
        request, "conferences/changes.html", {"event": event, "releases": selectors.release_list(event)}
    )


@with_city
@login_required
def agenda(request, city, event_slug):
    event = _event(city, event_slug)
    sched = selectors.public_schedule(event)
    favourites = selectors.favourite_ids(user=request.user, event=event)
    token = schedule_services.agenda_feed_token(actor=request.user, event=event)
    return render(
        request,
        "conferences/agenda.html",
        {"event": event, "slots": [s for s in sched.slots if s.id in favourites], "feed_token": token},
    )


@with_city
def agenda_ics(request, city, event_slug, feed_token):
    event = _event(city, event_slug)
    user = selectors.feed_user(event=event, token=feed_token)
    sched = selectors.public_schedule(event)
    favourites = selectors.favourite_ids(user=user, event=event)
    body = exports.schedule_ics(sched, [s for s in sched.slots if s.id in favourites], name=event.title)
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


@with_city
@login_required
@require_POST
def favourite(request, city, event_slug, session_id):
    event = _event(city, event_slug)
    session = selectors.session_get(event=event, session_id=session_id)
    added = schedule_services.favourite_toggle(actor=request.user, session=session)
    messages.success(request, _("Added to your agenda.") if added else _("Taken out of your agenda."))
    return redirect("conference_schedule", city_slug=city.slug, event_slug=event.slug)


@with_city
@login_required
@require_POST
def book(request, city, event_slug, session_id):
    """A seat in a workshop or site visit for one of the person's registrations (hers, or a member's of the
    delegation she leads: `registration` in the form), or her own first confirmed one."""
    event = _event(city, event_slug)
    session = selectors.session_get(event=event, session_id=session_id)
    mine = selectors.registrations_of(user=request.user, event=event).filter(
        status=RegistrationStatus.CONFIRMED
    )
    wanted = request.POST.get("registration", "")
    registration = (
        mine.filter(pk=int(wanted)).first() if wanted.isdigit() else mine.filter(user=request.user).first()
    )
    if registration is None:
        messages.error(
            request, _("Register for the event first: seats are booked for confirmed registrations.")
        )
    else:
        try:
            booking = reg_services.session_book(
                actor=request.user, registration=registration, session=session
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            if booking.status == RegistrationStatus.CONFIRMED:
                messages.success(request, _("Your seat is booked."))
            else:
                messages.warning(request, _("The session is full: you are on its waiting list."))
    return redirect("conference_schedule", city_slug=city.slug, event_slug=event.slug)


@with_city
@login_required
def feedback(request, city, event_slug, session_id):
    event = _event(city, event_slug)
    session = selectors.session_get(event=event, session_id=session_id)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reg_services.feedback_give(
                actor=request.user,
                session=session,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Thank you for your feedback."))
            return redirect("conference_agenda", city_slug=city.slug, event_slug=event.slug)
    return render(request, "conferences/feedback.html", {"event": event, "session": session, "form": form})


@with_city
@login_required
def register(request, city, event_slug):
    event = _event(city, event_slug)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        delegation_name = data.pop("delegation_name")
        try:
            delegation = next(
                (
                    d
                    for d in selectors.delegations_led(user=request.user, event=event)
                    if d.name == delegation_name
                ),
                None,
            )
            if delegation_name and delegation is None:
                delegation = reg_services.delegation_create(
                    actor=request.user, event=event, name=delegation_name, country=data["country"]
                )
            registration = reg_services.registration_create(
                actor=request.user, event=event, delegation=delegation, **data
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if registration.status == RegistrationStatus.CONFIRMED:
                messages.success(request, _("%(name)s is registered.") % {"name": registration.full_name})
            else:
                messages.warning(
                    request,
                    _("The event is full: %(name)s is on the waiting list.")
                    % {"name": registration.full_name},
                )
            return redirect("conference_registrations", city_slug=city.slug, event_slug=event.slug)
    return render(request, "conferences/register.html", {"event": event, "form": form})


@with_city
@login_required
def registrations(request, city, event_slug):
    event = _event(city, event_slug)
    return render(
        request,
        "conferences/registrations.html",
        {"event": event, "registrations": selectors.registrations_of(user=request.user, event=event)},
    )


@with_city
@login_required
@require_POST
def registration_cancel(request, city, event_slug, registration_id):
    event = _event(city, event_slug)
    registration = selectors.registration_for(user=request.user, event=event, registration_id=registration_id)
    try:
        reg_services.registration_cancel(actor=request.user, registration=registration)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The registration is cancelled."))
    return redirect("conference_registrations", city_slug=city.slug, event_slug=event.slug)


def _registration_pdf(request, city, event_slug, registration_id, *, given, refusal, make, name):
    """One of the person's registrations as a PDF (`make`), when `given` holds for it; else back to her list
    with the refusal."""
    event = _event(city, event_slug)
    registration = selectors.registration_for(user=request.user, event=event, registration_id=registration_id)
    if not given(registration):
        messages.error(request, refusal)
        return redirect("conference_registrations", city_slug=city.slug, event_slug=event.slug)
    return _pdf(make(registration), f"{name}-{registration.pk}.pdf")


def _confirmed(registration) -> bool:
    return registration.status == RegistrationStatus.CONFIRMED


@with_city
@login_required
def badge(request, city, event_slug, registration_id):
    return _registration_pdf(
        request,
        city,
        event_slug,
        registration_id,
        given=_confirmed,
        refusal=_("A badge is made only for a confirmed registration."),
        make=pdf.badge_pdf,
        name="badge",
    )


@with_city
@login_required
def certificate(request, city, event_slug, registration_id):
    return _registration_pdf(
        request,
        city,
        event_slug,
        registration_id,
        given=lambda r: r.checked_in_at is not None,
        refusal=_("A certificate of attendance is given only to those who were checked in."),
        make=pdf.certificate_pdf,
        name="certificate",
    )


@with_city
@login_required
def visa_letter(request, city, event_slug, registration_id):
    return _registration_pdf(
        request,
        city,
        event_slug,
        registration_id,
        given=lambda r: _confirmed(r) and r.visa_letter,
        refusal=_("An invitation letter is made for a confirmed registration that asked for one."),
        make=pdf.visa_letter_pdf,
        name="invitation",
    )


def _pdf(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@with_city
@login_required
def call(request, city, event_slug):
    event = _event(city, event_slug)
    if event.competition_id is None:
        messages.error(request, _("This event has no call for contributions."))
        return redirect("conference_detail", city_slug=city.slug, event_slug=event.slug)
    form = ContributionForm(request.POST or None, request.FILES or None, event=event)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contribution = call_services.contribution_submit(
                actor=request.user,
                event=event,
                kind=data["kind"],
                title=data["title"],
                abstract=data["abstract"],
                authors=data["authors"],
                answers=form.answers(),
                files=[data["files"]] if data.get("files") else [],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("Your contribution is received. Receipt: %(r)s") % {"r": contribution.entry.receipt},
            )
            return redirect("conference_detail", city_slug=city.slug, event_slug=event.slug)
    return render(request, "conferences/call.html", {"event": event, "form": form})


# ----------------------------------------------------------------------------------------------- organisers
@with_city
@login_required
def manage(request, city, event_slug):
    event = _manage(request, city, event_slug)
    form = SessionForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid() and _save_session(request, form, event, None):
        return redirect("conference_manage", city_slug=city.slug, event_slug=event.slug)
    return render(
        request,
        "conferences/manage.html",
        {
            "event": event,
            "form": form,
            "sessions": selectors.editor_sessions(event),
            "releases": selectors.release_list(event)[:5],
            "counts": selectors.registration_counts(event),
        },
    )


def _save_session(request, form, event, session) -> bool:
    data = form.cleaned_data
    starts_at, ends_at = form.times()
    try:
        schedule_services.session_save(
            actor=request.user,
            event=event,
            session=session,
            title=data["title"],
            kind=data["kind"],
            room=data["room"],
            track=data["track"],
            starts_at=starts_at,
            ends_at=ends_at,
            speakers=list(data["speakers"]),
            languages=codes(data["languages"]),
            interpretation=codes(data["interpretation"]),
            capacity=data["capacity"] or 0,
            expected=data["expected"] or 0,
        )
    except DomainError as exc:
        add_domain_error(form, exc, aliases={"starts_at": "start", "ends_at": "end"})
        return False
    messages.success(request, _("The session is saved."))
    return True


@with_city
@login_required
def session_edit(request, city, event_slug, session_id):
    event = _manage(request, city, event_slug)
    session = selectors.session_get(event=event, session_id=session_id)
    initial: dict[str, object] = {
        "title": session.title,
        "kind": session.kind,
        "room": session.room_id,
        "track": session.track_id,
        "speakers": [link.speaker_id for link in session.speaker_links.all()],
        "languages": ", ".join(session.languages),
        "interpretation": ", ".join(session.interpretation),
        "capacity": session.capacity,
        "expected": session.expected,
    }
    if session.starts_at and session.ends_at:
        import zoneinfo

        zone = zoneinfo.ZoneInfo(event.time_zone)
        start, end = session.starts_at.astimezone(zone), session.ends_at.astimezone(zone)
        initial.update(day=start.date(), start=start.time(), end=end.time())
    form = SessionForm(request.POST or None, event=event, initial=initial)
    if request.method == "POST" and form.is_valid() and _save_session(request, form, event, session):
        return redirect("conference_manage", city_slug=city.slug, event_slug=event.slug)
    return render(
        request, "conferences/session_edit.html", {"event": event, "form": form, "session": session}
    )


@with_city
@login_required
@require_POST
def release(request, city, event_slug):
    event = _manage(request, city, event_slug)
    try:
        rel = schedule_services.schedule_release(
            actor=request.user, event=event, note=request.POST.get("note", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Version %(n)s of the schedule is published (%(c)s changes).")
            % {"n": rel.number, "c": len(rel.changes)},
        )
    return redirect("conference_manage", city_slug=city.slug, event_slug=event.slug)


@with_city
@login_required
@require_POST
def certificates_send(request, city, event_slug):
    event = _manage(request, city, event_slug)
    try:
        result = mail_services.certificates_send(actor=request.user, event=event)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            ngettext(
                "The certificate is being e-mailed to %(n)s person checked in.",
                "The certificates are being e-mailed to %(n)s people checked in.",
                result.sent,
            )
            % {"n": result.sent}
            + " "
            + ngettext(
                "%(n)s person checked in had been sent one before.",
                "%(n)s people checked in had been sent one before.",
                result.already,
            )
            % {"n": result.already},
        )
    return redirect("conference_manage", city_slug=city.slug, event_slug=event.slug)


@with_city
@login_required
def contributions(request, city, event_slug):
    event = _manage(request, city, event_slug)
    return render(
        request,
        "conferences/contributions.html",
        {"event": event, "rows": selectors.contributions_of(event)},
    )


@with_city
@login_required
@require_POST
def contribution_decide(request, city, event_slug, contribution_id):
    event = _manage(request, city, event_slug)
    contribution = selectors.contribution_get(event=event, contribution_id=contribution_id)
    try:
        if request.POST.get("action") == "publish":
            call_services.contribution_publish_practice(actor=request.user, contribution=contribution)
            messages.success(request, _("The practice is published in the network's library."))
        else:
            call_services.contribution_decide(
                actor=request.user, contribution=contribution, accept=request.POST.get("action") == "accept"
            )
            messages.success(request, _("The decision is recorded and the contributor told."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("conference_contributions", city_slug=city.slug, event_slug=event.slug)


@with_city
@login_required
def checkin(request, city, event_slug):
    """The staff check-in page. A check-in posted by the page's script (conferences/checkin.js, header
    X-Checkin: fetch) is answered in place with the result and the last checked in (no reload: the camera keeps
    scanning); without the script it is a normal POST, then a redirect with the result as a message."""
    event = selectors.event_get(slug=event_slug, city=city)
    if not can_check_in(request.user, event):
        raise PermissionDenied(_("Only the event's stewards and its organisers may check people in."))
    in_place = request.headers.get("X-Checkin") == "fetch"
    form = CheckInForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        session_id = form.cleaned_data.get("session")
        try:
            session = selectors.session_get(event=event, session_id=session_id) if session_id else None
            done = reg_services.checkin_scan(
                actor=request.user, event=event, code=form.cleaned_data["code"], session=session
            )
        except DomainError as exc:
            form.add_error("code", exc.message)
        else:
            said = _("Welcome, %(name)s.") % {"name": done.registration.full_name}
            if in_place:
                return _checkin_answer(request, event, said, ok=True)
            messages.success(request, said)
            return redirect("conference_checkin", city_slug=city.slug, event_slug=event.slug)
    if request.method == "POST":
        status = 400
        if in_place:
            said = " ".join(str(e) for errors in form.errors.values() for e in errors)
            return _checkin_answer(request, event, said, ok=False)
    response = render(
        request,
        "conferences/checkin.html",
        {"event": event, "form": form, "recent": selectors.checkins_recent(event), "scan_text": scan_texts()},
        status=status,
    )
    response["Permissions-Policy"] = CAMERA_POLICY  # the badge scanner (core/scan.js); no other page
    return response


def _checkin_answer(request, event, said: str, *, ok: bool):
    """The part of the check-in page a check-in changes: what happened, and the last checked in."""
    return render(
        request,
        "conferences/_checkin_answer.html",
        {"said": said, "ok": ok, "recent": selectors.checkins_recent(event)},
        status=200 if ok else 400,
    )
