"""Staff pages for memberships: a programme's members (current and past), add or re-add one, end one."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from learningcity.core.decorators import staff_only, with_city
from learningcity.core.errors import DomainError
from learningcity.core.forms import add_domain_error

from .. import selectors
from ..forms import MemberAddForm, MembershipEndForm
from ..models import Learner
from ..services import membership_add, membership_end
from ..services.attendance import city_today
from .manage import _managed_programme

MEMBERS_PAGE = 100  # a phone page stays well under 50 KB


@with_city
@staff_only
def programme_members(request, city, programme_id: int):
    programme = _managed_programme(request, city, programme_id)
    today = city_today(city)
    form = MemberAddForm(request.POST or None, initial={"joined_on": today})
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["learner_code"].strip().upper()
        learner = Learner.objects.for_city(city).filter(code=code).first()
        if learner is None:
            form.add_error("learner_code", _("No learner with this code in this city."))
        else:
            try:
                membership_add(
                    actor=request.user,
                    programme=programme,
                    learner=learner,
                    joined_on=form.cleaned_data["joined_on"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, _("%(name)s is a member.") % {"name": learner.full_name})
                return redirect("programme_members", city_slug=city.slug, programme_id=programme.pk)
    q = request.GET.get("q", "")
    page = Paginator(selectors.membership_list(programme=programme, q=q), MEMBERS_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "programmes/members.html",
        {"programme": programme, "page": page, "q": q, "form": form},
    )


@with_city
@staff_only
def membership_end_page(request, city, membership_id: int):
    """End a membership on a date (default today); back to the learner's page or the members list."""
    membership = selectors.membership_get(city=city, membership_id=membership_id)
    programme = _managed_programme(request, city, membership.programme_id)
    back_to_learner = request.GET.get("back") == "learner" or request.POST.get("back") == "learner"
    today = city_today(city)
    form = MembershipEndForm(
        request.POST or None, membership=membership, today=today, initial={"left_on": today}
    )
    if request.method == "POST" and form.is_valid():
        try:
            membership_end(actor=request.user, membership=membership, left_on=form.cleaned_data["left_on"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s left %(programme)s.")
                % {"name": membership.learner.full_name, "programme": programme.title},
            )
            if back_to_learner:
                return redirect("learner_detail", city_slug=city.slug, learner_id=membership.learner_id)
            return redirect("programme_members", city_slug=city.slug, programme_id=programme.pk)
    return render(
        request,
        "programmes/membership_end.html",
        {"membership": membership, "programme": programme, "form": form, "back_to_learner": back_to_learner},
    )
