"""The jury meeting (ranking, adjustments, approval, publication) and the certificates."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from learningcity.core.decorators import staff_only, with_city
from learningcity.core.errors import DomainError

from ... import selectors
from ...forms import AdjustForm, ApproveForm
from ...services import results as results_services
from ...services.certificates import certificates_pdf, prize_label
from .base import require_manager


@with_city
@staff_only
def manage_meeting(request, city, slug):
    """The jury meeting: ranking per category, each judge's score and comment, ties, approval, publication."""
    require_manager(request, city)
    competition = selectors.competition_get(city=city, slug=slug)
    approve_form = ApproveForm(request.POST if request.POST.get("action") == "approve" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "compute":
                n = results_services.results_compute(actor=request.user, competition=competition)
                messages.success(request, _("Results computed for %(n)s entries.") % {"n": n})
            elif action == "adjust":
                result = selectors.result_get(competition=competition, result_id=request.POST.get("result"))
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
    require_manager(request, city)
    competition = selectors.competition_get(city=city, slug=slug)
    entries = selectors.certificate_entries(
        competition=competition, entry_id=request.GET.get("entry"), winners=bool(request.GET.get("winners"))
    )
    try:
        pdf = certificates_pdf(competition=competition, entries=entries)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("manage_meeting", city_slug=city.slug, slug=slug)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificates-{competition.slug}.pdf"'
    return response
