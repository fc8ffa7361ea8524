"""The entries as staff see them: the list (with judges assigned by hand), one entry, a paper entry."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from learningcity.core.decorators import staff_only, with_city
from learningcity.core.errors import DomainError
from learningcity.core.forms import add_domain_error

from ... import selectors
from ...forms import AssignmentForm, PaperEntryForm
from ...models import EntryStatus
from ...services.assignment import assignment_add, assignment_remove
from ...services.submissions import entry_submit, entry_withdraw
from .base import require_manager


@with_city
@staff_only
def manage_entries(request, city, slug):
    require_manager(request, city)
    competition = selectors.competition_get(city=city, slug=slug)
    form = AssignmentForm(request.POST or None, judges=selectors.judge_list(city=city))
    if request.method == "POST":
        if "remove" in request.POST:
            assignment = selectors.assignment_get(
                competition=competition, assignment_id=request.POST.get("remove")
            )
            try:
                assignment_remove(actor=request.user, assignment=assignment)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Assignment removed."))
            return redirect(request.get_full_path())
        if form.is_valid():
            code = form.cleaned_data["code"].strip().upper()
            entry = selectors.entry_by_code(competition=competition, code=code)
            if entry is None:
                form.add_error("code", _("No entry with this code."))
            else:
                try:
                    assignment_add(actor=request.user, entry=entry, judge=form.cleaned_data["judge"])
                except DomainError as exc:
                    add_domain_error(form, exc)
                else:
                    messages.success(request, _("Judge assigned to %(code)s.") % {"code": entry.blind_code})
                    return redirect(request.get_full_path())
    q = request.GET.get("q", "")
    entries = selectors.entry_list_for_staff(competition=competition, q=q)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    assigned = selectors.assignments_by_entry(page)
    rows = [(e, assigned.get(e.pk, [])) for e in page]
    return render(
        request,
        "competitions/manage_entries.html",
        {
            "competition": competition,
            "page": page,
            "rows": rows,
            "q": q,
            "form": form,
            "withdrawn": EntryStatus.WITHDRAWN,
        },
    )


@with_city
@staff_only
def manage_paper_entry(request, city, slug):
    require_manager(request, city)
    competition = selectors.competition_get(city=city, slug=slug)
    form = PaperEntryForm(request.POST or None, request.FILES or None, competition=competition)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            entry = entry_submit(
                actor=request.user,
                competition=competition,
                category=d["category"],
                title=d["title"],
                description=d["description"],
                team_members=d["team_members"],
                files=d["files"],
                gallery_consent=d["gallery_consent"],
                birth_year=d["birth_year"],
                residence=d["residence"],
                entrant_name=d["entrant_name"],
                entrant_contact=d["entrant_contact"],
                received_at=d["received_at"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Paper entry recorded. Receipt number: %(r)s") % {"r": entry.receipt})
            return redirect("manage_entries", city_slug=city.slug, slug=slug)
    return render(
        request,
        "competitions/manage_form.html",
        {"form": form, "heading": _("Record a paper entry"), "competition": competition, "multipart": True},
    )


@with_city
@staff_only
def manage_entry(request, city, slug, entry_id):
    """One entry as staff see it: the entrant, every version and file (with its original name), the reviews."""
    require_manager(request, city)
    competition = selectors.competition_get(city=city, slug=slug)
    entry = selectors.entry_get_for_staff(competition=competition, entry_id=entry_id)
    if request.method == "POST" and request.POST.get("action") == "withdraw":
        try:
            entry_withdraw(actor=request.user, entry=entry)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The entry was withdrawn."))
        return redirect(request.path)
    return render(
        request,
        "competitions/manage_entry.html",
        {
            "competition": competition,
            "entry": entry,
            **selectors.entry_record_for_staff(entry),
            "submitted": EntryStatus.SUBMITTED,
        },
    )
