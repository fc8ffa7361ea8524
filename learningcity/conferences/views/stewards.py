"""The stewards of an event: named by its organisers, they check people in (page, API, the offline phone)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learningcity.core.decorators import with_city
from learningcity.core.errors import DomainError
from learningcity.core.forms import add_domain_error

from .. import selectors
from ..forms import StewardForm
from ..services import stewards as steward_services
from . import _manage


@with_city
@login_required
def stewards(request, city, event_slug):
    event = _manage(request, city, event_slug)
    form = StewardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            steward = steward_services.steward_name(
                actor=request.user, event=event, username=form.cleaned_data["username"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request, _("%(name)s is a steward of the event.") % {"name": steward.user.get_username()}
            )
            return redirect("conference_stewards", city_slug=city.slug, event_slug=event.slug)
    return render(
        request,
        "conferences/stewards.html",
        {"event": event, "form": form, "stewards": selectors.steward_list(event)},
        status=400 if form.is_bound else 200,
    )


@with_city
@login_required
@require_POST
def steward_remove(request, city, event_slug, steward_id):
    event = _manage(request, city, event_slug)
    steward = selectors.steward_get(event=event, steward_id=steward_id)
    steward_services.steward_remove(actor=request.user, steward=steward)
    messages.success(
        request, _("%(name)s no longer checks people in.") % {"name": steward.user.get_username()}
    )
    return redirect("conference_stewards", city_slug=city.slug, event_slug=event.slug)
