"""Staff pages: programmes, schedules, sessions, the attendance roster and headcounts."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learningcity.core.decorators import staff_only, with_city
from learningcity.core.demography import AGE_BAND_CODES, Sex, ethnicity_name
from learningcity.core.errors import DomainError
from learningcity.core.forms import add_domain_error
from learningcity.core.models import Area
from learningcity.core.text import fold

from .. import selectors
from ..forms import ProgrammeForm, QuickLearnerForm, ScheduleForm, SessionForm
from ..models import Learner, Programme
from ..rules import can_add_programme, can_manage_learners, can_manage_programme
from ..services import (
    attendance_mark,
    attendance_set,
    headcount_record,
    newcomer_add,
    programme_create,
    schedule_create,
    session_create,
    session_update,
)
from ..services.attendance import city_today

# The groups counted at the door where known (Son La's largest groups, then other).
HEADCOUNT_ETHNICITIES = ["03", "01", "08", "06", "34", "09", "98"]
ROSTER_PAGE = 120  # keeps the page under 50 KB on a slow phone connection
ADDED_KEY = "roster-added"  # in the user's session: form token -> name of the person it added (the last 50)


def _spaces(request, city):
    """The spaces this person may place a programme or a session at (rules.programme_place_refusal)."""
    return selectors.programme_space_choices(user=request.user, city=city)


def _managed_programme(request, city, programme_id: int) -> Programme:
    programme = selectors.programme_get(city=city, programme_id=programme_id)
    if not can_manage_programme(request.user, programme):
        raise PermissionDenied(_("You may not change this programme."))
    return programme


def _managed_session(request, city, session_id: int):
    session = selectors.session_get(city=city, session_id=session_id)
    if not can_manage_programme(request.user, session.programme):
        raise PermissionDenied(_("You may not take attendance for this programme."))
    return session


@with_city
@staff_only
def programme_manage_list(request, city):
    q = request.GET.get("q", "")
    qs = selectors.programmes_managed_by(user=request.user, city=city)
    if q:
        qs = qs.filter(search_text__contains=fold(q))
    return render(
        request,
        "programmes/manage_list.html",
        {
            "programmes": list(qs[:500]),
            "can_add": can_add_programme(request.user, city),
            "q": request.GET.get("q", ""),
        },
    )


@with_city
@staff_only
def programme_new(request, city):
    if not can_add_programme(request.user, city):
        raise PermissionDenied(_("You may not add programmes in this city."))
    form = ProgrammeForm(request.POST or None, spaces=_spaces(request, city))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        spaces = data.pop("spaces")
        for name in ("topics", "target_groups", "kflc_blocks", "sdg_targets"):
            data[name] = Programme.join_codes(data[name])
        try:
            programme = programme_create(actor=request.user, city=city, spaces=spaces, **data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Programme “%(title)s” added.") % {"title": programme.title})
            return redirect("programme_manage", city_slug=city.slug, programme_id=programme.pk)
    return render(request, "programmes/programme_form.html", {"form": form})


@with_city
@staff_only
def programme_manage(request, city, programme_id: int):
    programme = _managed_programme(request, city, programme_id)
    spaces = _spaces(request, city)
    schedule_form = ScheduleForm(
        request.POST if "schedule" in request.POST else None, spaces=spaces, prefix="sch"
    )
    session_form = SessionForm(
        request.POST if "session" in request.POST else None,
        spaces=spaces,
        prefix="ses",
        initial={"status": "scheduled"},
    )
    if request.method == "POST":
        form = schedule_form if "schedule" in request.POST else session_form
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                if form is schedule_form:
                    schedule = schedule_create(actor=request.user, programme=programme, **data)
                    messages.success(
                        request, _("%(n)s sessions scheduled.") % {"n": schedule.sessions.count()}
                    )
                else:
                    data.pop("status", None)
                    session_create(actor=request.user, programme=programme, **data)
                    messages.success(request, _("Session added."))
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                return redirect("programme_manage", city_slug=city.slug, programme_id=programme.pk)
    today = city_today(city)
    sessions = list(
        selectors.session_list(
            city=city,
            start=today - dt.timedelta(days=14),
            end=today + dt.timedelta(days=28),
            programme_id=programme.pk,
        )[:100]
    )
    return render(
        request,
        "programmes/programme_manage.html",
        {
            "programme": programme,
            "sessions": sessions,
            "today": today,
            "schedule_form": schedule_form,
            "session_form": session_form,
            "stats": selectors.programme_stats(programme=programme),
        },
    )


@with_city
@staff_only
def session_edit(request, city, session_id: int):
    session = _managed_session(request, city, session_id)
    initial = {
        f: getattr(session, f)
        for f in ("date", "start_time", "end_time", "space", "facilitator", "status", "note")
    }
    form = SessionForm(request.POST or None, spaces=_spaces(request, city), initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = {k: v for k, v in form.cleaned_data.items() if initial.get(k) != v}
        try:
            session_update(actor=request.user, session=session, **changed)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Session saved."))
            return redirect("programme_manage", city_slug=city.slug, programme_id=session.programme_id)
    return render(request, "programmes/session_form.html", {"form": form, "session": session})


@with_city
@staff_only
def roster(request, city, session_id: int):
    """The club leader's phone page: one tap per person; the plain form post works without JavaScript."""
    session = _managed_session(request, city, session_id)
    error = ""
    if request.method == "POST":
        ids = [int(x) for x in request.POST.getlist("present") if x.isdigit()]
        raw = request.POST.get("shown")
        shown = None if raw is None else [int(x) for x in raw.split(",") if x.isdigit()]
        try:
            result = attendance_set(actor=request.user, session=session, learner_ids=ids, scope_ids=shown)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Saved: %(n)s present.") % {"n": result["present"]})
            return redirect("session_roster", city_slug=city.slug, session_id=session.pk)
    q = request.GET.get("q", "")
    everyone = selectors.roster(session=session, q=q)
    page = Paginator(everyone, ROSTER_PAGE).get_page(request.GET.get("page"))
    rows = list(page)
    future = session.date > city_today(city)
    return render(
        request,
        "programmes/roster.html",
        {
            "session": session,
            "rows": rows,
            "page": page,
            "total": len(everyone),
            "shown": ",".join(str(r["id"]) for r in rows),
            "present_count": session.attendances.count(),
            "quick_form": _quick_form_kept(request, session),
            "error": error,
            "future": future,
            "q": q,
        },
    )


@require_POST
@with_city
@staff_only
def roster_mark(request, city, session_id: int):
    """One tap (JavaScript): mark a person present or absent; answers JSON."""
    session = _managed_session(request, city, session_id)
    learner = Learner.objects.filter(city=city, pk=request.POST.get("learner", "0") or 0).first()
    if learner is None:
        return JsonResponse({"detail": _("No such learner in this city.")}, status=400)
    try:
        attendance_mark(
            actor=request.user, session=session, learner=learner, present=request.POST.get("present") == "1"
        )
    except DomainError as exc:
        return JsonResponse({"detail": exc.message}, status=403 if exc.code == "forbidden" else 400)
    count = session.attendances.count()
    return JsonResponse(
        {"learner": learner.pk, "present": request.POST.get("present") == "1", "count": count}
    )


@require_POST
@with_city
@staff_only
def roster_add_learner(request, city, session_id: int):
    """A new person at the door: create them, make them a member and mark them present. The same filled-in form
    sent twice adds the person once; a refused one comes back with what was typed and what to correct."""
    session = _managed_session(request, city, session_id)
    if not can_manage_learners(request.user, city):
        raise PermissionDenied(_("You may not add learners in this city."))
    form = QuickLearnerForm(request.POST)
    refusal = None
    if form.is_valid():
        once = form.cleaned_data["once"]
        added = request.session.get(ADDED_KEY, {})
        if once and once in added:
            messages.info(request, _("%(name)s was already added.") % {"name": added[once]})
            return _back_to_roster(request, city, session)
        try:
            learner = newcomer_add(
                actor=request.user,
                session=session,
                full_name=form.cleaned_data["full_name"],
                sex=form.cleaned_data["sex"],
                birth_year=form.cleaned_data["birth_year"],
            )
        except DomainError as exc:
            refusal = [exc.field if exc.field in form.fields else None, exc.message]
        else:
            if once:
                added[once] = learner.full_name
                request.session[ADDED_KEY] = dict(list(added.items())[-50:])
            messages.success(request, _("%(name)s added.") % {"name": learner.full_name})
            return _back_to_roster(request, city, session)
    # Nobody types a name twice on a phone: the roster shows the form again as it was typed, once.
    request.session[_kept_key(session)] = {
        "data": {name: request.POST.get(name, "") for name in form.fields},
        "refusal": refusal,
    }
    messages.error(request, _("The new person was not added: see what to correct below."))
    return _back_to_roster(request, city, session, anchor="#new-person")


def _kept_key(session) -> str:
    return f"roster-new-person-{session.pk}"


def _back_to_roster(request, city, session, *, anchor: str = ""):
    """A redirect to the roster; the roster's script sends the form itself and is answered where to go."""
    url = reverse("session_roster", kwargs={"city_slug": city.slug, "session_id": session.pk}) + anchor
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"url": url})
    return redirect(url)


def _quick_form_kept(request, session) -> QuickLearnerForm:
    """The "someone new" form: empty, or once after a refused add, as it was typed with its errors."""
    kept = request.session.pop(_kept_key(session), None)
    if not kept:
        return QuickLearnerForm()
    form = QuickLearnerForm({k: v for k, v in kept["data"].items() if v not in ("", None)})
    if form.is_valid() and kept.get("refusal"):
        field, message = kept["refusal"]
        form.add_error(field, message)
    return form


@with_city
@staff_only
def headcount(request, city, session_id: int):
    """Open events: counts by sex and age band, no names."""
    session = _managed_session(request, city, session_id)
    sexes = [(v, label) for v, label in Sex.choices]
    error = ""
    if request.method == "POST":
        counts = []
        for sex, _label in sexes:
            for band in AGE_BAND_CODES:
                raw = request.POST.get(f"c_{sex or 'u'}_{band}", "").strip()
                if raw:
                    if not raw.isdigit():
                        error = _("Counts are whole numbers.")
                        break
                    counts.append({"sex": sex, "age_band": band, "count": int(raw)})
        for code in HEADCOUNT_ETHNICITIES:
            raw = request.POST.get(f"e_{code}", "").strip()
            if raw:
                if not raw.isdigit():
                    error = _("Counts are whole numbers.")
                    break
                counts.append({"sex": "", "age_band": "", "ethnicity": code, "count": int(raw)})
        if not error:
            try:
                total = headcount_record(actor=request.user, session=session, counts=counts)
            except DomainError as exc:
                error = exc.message
            else:
                messages.success(request, _("Headcount saved: %(n)s people.") % {"n": total})
                return redirect("session_headcount", city_slug=city.slug, session_id=session.pk)
    current = selectors.headcount_of(session=session)
    table = [
        {
            "sex": sex,
            "label": label,
            "cells": [
                {"name": f"c_{sex or 'u'}_{band}", "band": band, "value": current.get((sex, band), "")}
                for band in AGE_BAND_CODES
            ],
        }
        for sex, label in sexes
    ]
    ethnic = [
        {"name": f"e_{code}", "label": ethnicity_name(code), "value": current.get(("ethnicity", code), "")}
        for code in HEADCOUNT_ETHNICITIES
    ]
    return render(
        request,
        "programmes/headcount.html",
        {
            "session": session,
            "table": table,
            "bands": AGE_BAND_CODES,
            "error": error,
            "total": sum(v for k, v in current.items() if k[0] != "ethnicity"),
            "ethnic": ethnic,
        },
    )


def _areas(city):
    return Area.objects.filter(city=city, valid_to__isnull=True).order_by("path")
