"""Judging pages: a judge's list and her blind scoring page. Names, teams and file names never appear."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learningcity.core.decorators import staff_only, with_city
from learningcity.core.errors import DomainError

from .. import selectors
from ..api import file_response
from ..forms import DeclareConflictForm
from ..models import Assignment
from ..services.access import is_judge
from ..services.assignment import conflict_declare
from ..services.scoring import assignment_for, scores_save


def explain_refusal(view):
    """Show why a page was refused (a conflict of interest, not assigned) rather than a bare 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            message = str(exc) or _("Your account may not open this page.")
            return render(request, "competitions/forbidden.html", {"message": message}, status=403)

    return wrapper


def _require_judge(request, city) -> None:
    if not is_judge(request.user, city):
        raise PermissionDenied(_("Only judges of this city may review entries."))


def _own(request, city, assignment_id: int) -> Assignment:
    found = selectors.assignment_find(city=city, assignment_id=assignment_id)
    if found is None or found.judge_id != request.user.pk:
        raise PermissionDenied(_("This entry is not assigned to you."))
    try:
        return assignment_for(judge=request.user, entry=found.entry)
    except DomainError as exc:
        raise PermissionDenied(exc.message) from None


@with_city
@staff_only
@explain_refusal
def judge_home(request, city):
    _require_judge(request, city)
    assignments = list(selectors.assignments_for_judge(judge=request.user, city=city))
    done = sum(1 for a in assignments if a.submitted_at)
    return render(
        request,
        "competitions/judge_home.html",
        {
            "assignments": assignments,
            "done": done,
            "total": len(assignments),
            "percent": round(100 * done / len(assignments)) if assignments else 0,
            "conflicts": selectors.conflicts_of_judge(judge=request.user, city=city),
        },
    )


@with_city
@staff_only
@explain_refusal
def judge_entry(request, city, assignment_id):
    _require_judge(request, city)
    assignment = _own(request, city, assignment_id)
    criteria = list(assignment.competition.criteria.all())
    scores = {s.criterion_id: s for s in assignment.scores.all()}
    error = None
    posted = request.POST if request.method == "POST" else None
    if posted is not None:
        submit = posted.get("action") != "draft"
        values = {c.pk: posted.get(f"criterion_{c.pk}", "").strip() for c in criteria}
        comments = {c.pk: posted.get(f"comment_{c.pk}", "") for c in criteria}
        try:
            scores_save(
                actor=request.user,
                assignment=assignment,
                values=values,
                comments=comments,
                comment=posted.get("comment", ""),
                submit=submit,
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(
                request,
                _("Scores for %(code)s submitted.") % {"code": assignment.entry.blind_code}
                if submit
                else _("Draft saved."),
            )
            return redirect("judge_home", city_slug=city.slug)
    rows = []
    for c in criteria:
        s = scores.get(c.pk)
        rows.append(
            {
                "criterion": c,
                "value": posted.get(f"criterion_{c.pk}", "")
                if posted is not None
                else (s.value if s else ""),
                "comment": posted.get(f"comment_{c.pk}", "")
                if posted is not None
                else (s.comment if s else ""),
            }
        )
    return render(
        request,
        "competitions/judge_entry.html",
        {
            "assignment": assignment,
            "entry": selectors.blind_entry(assignment.entry),
            "rows": rows,
            "error": error,
            "comment": posted.get("comment", "") if posted is not None else assignment.comment,
            "conflict_form": DeclareConflictForm(),
        },
    )


@with_city
@staff_only
@explain_refusal
@require_POST
def judge_conflict(request, city, assignment_id):
    _require_judge(request, city)
    assignment = _own(request, city, assignment_id)
    form = DeclareConflictForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        conflict_declare(actor=request.user, entry=assignment.entry, reason=reason)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Conflict of interest recorded for %(code)s; the entry was taken off your list.")
            % {"code": assignment.entry.blind_code},
        )
    return redirect("judge_home", city_slug=city.slug)


@with_city
@staff_only
@explain_refusal
def judge_file(request, city, assignment_id, token):
    _require_judge(request, city)
    assignment = _own(request, city, assignment_id)
    found = selectors.entry_file_current(entry=assignment.entry, token=token)
    if found is None:
        raise Http404(_("No such file."))
    return file_response(found, label=f"{assignment.entry.blind_code}.{found.file_format}")


@with_city
@staff_only
@explain_refusal
def judge_entry_by_code(request, city, entry_id):
    """Opening an entry by its number: allowed only through the judge's own assignment, never past a conflict."""
    _require_judge(request, city)
    entry = selectors.entry_find(city=city, entry_id=entry_id)
    if entry is None:
        raise Http404(_("No such entry."))
    try:
        assignment = assignment_for(judge=request.user, entry=entry)
    except DomainError as exc:
        raise PermissionDenied(exc.message) from None
    return redirect("judge_entry", city_slug=city.slug, assignment_id=assignment.pk)
