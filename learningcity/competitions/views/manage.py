"""Staff pages: set-up, entries (and paper entries), assignment, conflicts, the jury meeting, approval,
publication and certificates. City administrators only: they alone see entrants' names."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learningcity.core.decorators import staff_only, with_city
from learningcity.core.errors import DomainError
from learningcity.core.forms import add_domain_error
from learningcity.core.models import Role, User

from .. import selectors
from ..forms import (
    AdjustForm,
    ApproveForm,
    AssignmentForm,
    CategoryForm,
    CompetitionForm,
    ConflictForm,
    CriterionForm,
    JuryForm,
    PaperEntryForm,
)
from ..models import Assignment, Conflict, Entry, EntryStatus, JuryMember, Result
from ..services import results as results_services
from ..services.access import can_manage
from ..services.assignment import (
    assignment_add,
    assignment_remove,
    assignments_auto,
    conflict_remove,
    conflict_set,
)
from ..services.certificates import certificates_pdf, prize_label
from ..services.competitions import (
    category_create,
    competition_create,
    competition_update,
    criterion_create,
    jury_member_add,
)
from ..services.submissions import entry_submit, entry_withdraw


def _manager(request, city) -> None:
    if not can_manage(request.user, city):
        raise PermissionDenied(_("Only the city's administrators may manage competitions."))


def _judges(city):
    return (
        User.objects.filter(role_assignments__city=city, role_assignments__role=Role.JUDGE)
        .distinct()
        .order_by("full_name", "username")
    )


@with_city
@staff_only
def manage_list(request, city):
    _manager(request, city)
    return render(
        request, "competitions/manage_list.html", {"competitions": selectors.competition_list(city=city)}
    )


@with_city
@staff_only
def manage_new(request, city):
    _manager(request, city)
    form = CompetitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        slug, code = data.pop("slug"), data.pop("code")
        try:
            competition = competition_create(actor=request.user, city=city, slug=slug, code=code, **data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Competition created. Now add its categories and rubric."))
            return redirect("manage_competition", city_slug=city.slug, slug=competition.slug)
    return render(request, "competitions/manage_form.html", {"form": form, "heading": _("New competition")})


@with_city
@staff_only
def manage_edit(request, city, slug):
    _manager(request, city)
    competition = selectors.competition_get(city=city, slug=slug)
    fields = [name for name in CompetitionForm.base_fields if name not in ("slug", "code")]
    form = CompetitionForm(
        request.POST or None, initial={name: getattr(competition, name) for name in fields}
    )
    del form.fields["slug"], form.fields["code"]
    if request.method == "POST" and form.is_valid():
        try:
            competition_update(actor=request.user, competition=competition, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Competition saved."))
            return redirect("manage_competition", city_slug=city.slug, slug=competition.slug)
    return render(
        request,
        "competitions/manage_form.html",
        {"form": form, "heading": _("Edit the competition"), "competition": competition},
    )


@with_city
@staff_only
def manage_competition(request, city, slug):
    _manager(request, city)
    competition = selectors.competition_get(city=city, slug=slug)
    judges = _judges(city)
    forms = {
        "category_form": CategoryForm(prefix="cat"),
        "criterion_form": CriterionForm(prefix="crit"),
        "jury_form": JuryForm(prefix="jury", competition=competition, judges=judges),
    }
    if request.method == "POST":
        which = request.POST.get("form")
        try:
            if which == "category":
                form = CategoryForm(request.POST, prefix="cat")
                forms["category_form"] = form
                if form.is_valid():
                    d = form.cleaned_data
                    category_create(
                        actor=request.user,
                        competition=competition,
                        code=d["code"],
                        name_vi=d["name_vi"],
                        name_en=d["name_en"],
                        allowed_kinds=d["allowed_kinds"],
                        max_file_bytes=d["max_file_bytes"] * 1024 * 1024,
                        max_files=d["max_files"],
                    )
                    messages.success(request, _("Category added."))
                    return redirect(request.path)
            elif which == "criterion":
                form = CriterionForm(request.POST, prefix="crit")
                forms["criterion_form"] = form
                if form.is_valid():
                    criterion_create(actor=request.user, competition=competition, **form.cleaned_data)
                    messages.success(request, _("Criterion added."))
                    return redirect(request.path)
            elif which == "jury":
                form = JuryForm(request.POST, prefix="jury", competition=competition, judges=judges)
                forms["jury_form"] = form
                if form.is_valid():
                    jury_member_add(
                        actor=request.user,
                        category=form.cleaned_data["category"],
                        judge=form.cleaned_data["judge"],
                    )
                    messages.success(request, _("Judge added to the jury."))
                    return redirect(request.path)
            elif which == "assign":
                plan = assignments_auto(actor=request.user, competition=competition)
                messages.success(
                    request,
                    _("%(n)s assignments added; %(short)s entries still lack judges.")
                    % {"n": len(plan.pairs), "short": len(plan.short)},
                )
                return redirect(request.path)
        except DomainError as exc:
            messages.error(request, exc.message)
    juries = JuryMember.objects.filter(category__competition=competition).select_related("judge", "category")
    return render(
        request,
        "competitions/manage_competition.html",
        {
            "competition": competition,
            "categories": selectors.categories_with_counts(competition),
            "criteria": competition.criteria.all(),
            "juries": juries,
            "progress": selectors.progress_per_judge(competition),
            **forms,
        },
    )


@with_city
@staff_only
def manage_entries(request, city, slug):
    _manager(request, city)
    competition = selectors.competition_get(city=city, slug=slug)
    judges = _judges(city)
    form = AssignmentForm(request.POST or None, judges=judges)
    if request.method == "POST":
        if "remove" in request.POST:
            assignment = Assignment.objects.filter(
                competition=competition, pk=selectors.as_id(request.POST.get("remove"))
            ).first()
            if assignment is None:
                raise Http404(_("No such assignment."))
            try:
                assignment_remove(actor=request.user, assignment=assignment)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Assignment removed."))
            return redirect(request.get_full_path())
        if form.is_valid():
            code = form.cleaned_data["code"].strip().upper()
            entry = Entry.objects.filter(competition=competition, blind_code=code).first()
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
    assigned: dict[int, list[Assignment]] = {}
    for a in Assignment.objects.filter(entry__in=[e.pk for e in page]).select_related("judge"):
        assigned.setdefault(a.entry_id, []).append(a)
    for e in page:
        e.assigned_list = assigned.get(e.pk, [])
    return render(
        request,
        "competitions/manage_entries.html",
        {"competition": competition, "page": page, "q": q, "form": form, "withdrawn": EntryStatus.WITHDRAWN},
    )


@with_city
@staff_only
def manage_paper_entry(request, city, slug):
    _manager(request, city)
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
def manage_conflicts(request, city, slug):
    _manager(request, city)
    competition = selectors.competition_get(city=city, slug=slug)
    form = ConflictForm(request.POST or None, judges=_judges(city))
    if request.method == "POST" and "lift" in request.POST:
        conflict = Conflict.objects.filter(
            competition=competition, pk=selectors.as_id(request.POST["lift"])
        ).first()
        if conflict is None:
            raise Http404(_("No such conflict."))
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
            entry = (
                Entry.objects.filter(competition=competition, blind_code=code).first()
                or Entry.objects.filter(competition=competition, receipt=code).first()
            )
            if entry is None:
                form.add_error("code", _("No entry with this code."))
        elif d["entrant"]:
            entrant = User.objects.filter(username=d["entrant"].strip()).first()
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


@with_city
@staff_only
def manage_meeting(request, city, slug):
    """The jury meeting: ranking per category, each judge's score and comment, ties, approval, publication."""
    _manager(request, city)
    competition = selectors.competition_get(city=city, slug=slug)
    approve_form = ApproveForm(request.POST if request.POST.get("action") == "approve" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "compute":
                n = results_services.results_compute(actor=request.user, competition=competition)
                messages.success(request, _("Results computed for %(n)s entries.") % {"n": n})
            elif action == "adjust":
                result = Result.objects.filter(
                    competition=competition, pk=selectors.as_id(request.POST.get("result"))
                ).first()
                form = AdjustForm(request.POST)
                if result is None or not form.is_valid():
                    raise DomainError(_("Give a rank and the reason for the change."))
                results_services.result_adjust(actor=request.user, result=result, **form.cleaned_data)
                messages.success(request, _("Rank changed."))
            elif action == "approve":
                accept = approve_form.is_valid() and approve_form.cleaned_data["accept_ties"]
                results_services.results_approve(
                    actor=request.user, competition=competition, accept_ties=accept
                )
                messages.success(request, _("Results approved. They can now be published."))
            elif action == "unapprove":
                results_services.results_unapprove(actor=request.user, competition=competition)
                messages.success(request, _("Approval withdrawn."))
            elif action == "publish":
                results_services.results_publish(actor=request.user, competition=competition)
                messages.success(request, _("Results published."))
            return redirect(request.path)
        except DomainError as exc:
            messages.error(request, exc.message)
    groups = selectors.meeting_rows(competition)
    for group in groups:
        for row in group["rows"]:
            r = row["result"]
            row["prize"] = r.prize or prize_label(r.rank, competition.winners_per_category)
    return render(
        request,
        "competitions/manage_meeting.html",
        {
            "competition": competition,
            "groups": groups,
            "ties": results_services.unresolved_ties(competition),
            "progress": selectors.progress_per_judge(competition),
            "approve_form": approve_form,
        },
    )


@with_city
@staff_only
def manage_certificates(request, city, slug):
    """Certificates as one PDF: ?entry=<id> for one, ?winners=1 for the prize-winners, else every entrant."""
    _manager(request, city)
    competition = selectors.competition_get(city=city, slug=slug)
    entries = (
        Entry.objects.filter(competition=competition, status=EntryStatus.SUBMITTED)
        .select_related("category", "result")
        .order_by("category__position", "blind_code")
    )
    if request.GET.get("entry"):
        entries = entries.filter(pk=selectors.as_id(request.GET["entry"]))
    elif request.GET.get("winners"):
        entries = entries.filter(result__rank__lte=competition.winners_per_category)
    try:
        pdf = certificates_pdf(competition=competition, entries=list(entries))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("manage_meeting", city_slug=city.slug, slug=slug)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificates-{competition.slug}.pdf"'
    return response


@with_city
@staff_only
@require_POST
def manage_assign(request, city, slug):
    _manager(request, city)
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
def manage_entry(request, city, slug, entry_id):
    """One entry as staff see it: the entrant, every version and file (with its original name), the reviews."""
    _manager(request, city)
    competition = selectors.competition_get(city=city, slug=slug)
    entry = (
        Entry.objects.filter(competition=competition, pk=selectors.as_id(entry_id))
        .select_related("category", "residence", "entered_by", "entrant")
        .first()
    )
    if entry is None:
        raise Http404(_("No such entry."))
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
            "files": list(entry.files.order_by("added_in_version", "id")),
            "versions": list(entry.versions.all()),
            "assignments": list(entry.assignments.select_related("judge").prefetch_related("scores")),
            "conflicts": list(entry.conflicts.select_related("judge")),
            "submitted": EntryStatus.SUBMITTED,
        },
    )
