"""Who judges what: the automatic assignment of entries to judges, and the conflicts of interest."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learningcity.core.decorators import staff_only, with_city
from learningcity.core.errors import DomainError
from learningcity.core.forms import add_domain_error

from ... import selectors
from ...forms import ConflictForm
from ...services.assignment import assignments_auto, conflict_remove, conflict_set
from .base import require_manager


@with_city
@staff_only
@require_POST
def manage_assign(request, city, slug):
    require_manager(request, city)
    competition = selectors.competition_get(city=city, slug=slug)
    try:
        plan = assignments_auto(actor=request.user, competition=competition)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(n)s assignments added; %(short)s entries still lack judges.")
            % {"n": len(plan.pairs), "short": len(plan.short)},
        )
    return redirect("manage_competition", city_slug=city.slug, slug=slug)


@with_city
@staff_only
def manage_conflicts(request, city, slug):
    require_manager(request, city)
    competition = selectors.competition_get(city=city, slug=slug)
    form = ConflictForm(request.POST or None, judges=selectors.judge_list(city=city))
    if request.method == "POST" and "lift" in request.POST:
        conflict = selectors.conflict_get(competition=competition, conflict_id=request.POST["lift"])
        try:
            conflict_remove(actor=request.user, conflict=conflict)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Conflict lifted."))
        return redirect(request.path)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        code = d["code"].strip().upper()
        entry = None
        entrant = None
        if code:
            entry = selectors.entry_by_code(competition=competition, code=code, receipt=True)
            if entry is None:
                form.add_error("code", _("No entry with this code."))
        elif d["entrant"]:
            entrant = selectors.entrant_by_username(d["entrant"].strip())
            if entrant is None:
                form.add_error("entrant", _("No such account."))
        if not form.errors:
            try:
                made = conflict_set(
                    actor=request.user,
                    competition=competition,
                    judge=d["judge"],
                    entry=entry,
                    entrant=entrant,
                    reason=d["reason"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("%(n)s conflicts recorded.") % {"n": len(made)})
                return redirect(request.path)
    return render(
        request,
        "competitions/manage_conflicts.html",
        {"competition": competition, "form": form, "conflicts": selectors.conflict_list(competition)},
    )
