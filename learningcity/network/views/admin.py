"""The network administrator's page: a new city with its official areas, joined to a network, its administrator
invited."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from learningcity.core.errors import DomainError
from learningcity.core.forms import add_domain_error
from learningcity.core.models import Role
from learningcity.core.permissions import is_network_admin

from .. import services
from ..forms import CityCreateForm
from .city import _send_invitation
from .public import _network


@login_required
def city_new(request, network_slug):
    network = _network(network_slug)
    if not is_network_admin(request.user):
        raise PermissionDenied(_("Only a network administrator may add cities."))
    form = CityCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            from django.db import transaction

            with transaction.atomic():
                city, result = services.city_create_with_areas(
                    actor=request.user,
                    slug=data["slug"],
                    name_vi=data["name_vi"],
                    name_en=data["name_en"],
                    province_code=data["province_code"],
                    legacy_district_codes=data["legacy_district_codes"].split(","),
                    network=network,
                    joined_on=data["joined_on"],
                )
                invitation = raw = None
                if data["admin_email"]:
                    invitation, raw = services.invitation_create(
                        actor=request.user, city=city, email=data["admin_email"], role=Role.CITY_ADMIN
                    )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if invitation is not None and raw is not None:
                _send_invitation(request, city, invitation, raw)
            messages.success(
                request,
                _("%(city)s was created with %(n)s official areas (%(source)s %(version)s).")
                % {
                    "city": city.name,
                    "n": result["created"],
                    "source": result["source"],
                    "version": result["version"],
                },
            )
            return redirect("network:detail", network.slug)
    return render(
        request,
        "network/form_page.html",
        {"network": network, "form": form, "title": _("New city")},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def network_manage(request, network_slug):
    """The network administrator adds an existing city as a member (with its joining date) or a coordinator."""
    from django.contrib.auth import get_user_model

    from learningcity.core.models import City

    from ..forms import CoordinatorForm, MemberForm

    network = _network(network_slug)
    if not is_network_admin(request.user):
        raise PermissionDenied(_("Only a network administrator may do this."))
    members = set(network.memberships.values_list("city_id", flat=True))
    cities = [c for c in City.objects.order_by("slug") if c.pk not in members]
    member_form = MemberForm(request.POST if "joined_on" in request.POST else None, cities=cities)
    coordinator_form = CoordinatorForm(request.POST if "username" in request.POST else None)
    try:
        if member_form.is_bound and member_form.is_valid():
            city = next(c for c in cities if c.pk == member_form.cleaned_data["city"])
            services.membership_add(
                actor=request.user,
                network=network,
                city=city,
                joined_on=member_form.cleaned_data["joined_on"],
            )
            messages.success(request, _("%(city)s is now a member.") % {"city": city.name})
            return redirect("network:manage", network.slug)
        if coordinator_form.is_bound and coordinator_form.is_valid():
            user = get_user_model().objects.filter(username=coordinator_form.cleaned_data["username"]).first()
            if user is None:
                raise DomainError(_("There is no account with this user name."), field="username")
            services.coordinator_add(actor=request.user, network=network, user=user)
            messages.success(request, _("%(user)s now coordinates the network.") % {"user": user})
            return redirect("network:manage", network.slug)
    except DomainError as exc:
        add_domain_error(coordinator_form if coordinator_form.is_bound else member_form, exc)
    bound = member_form if member_form.is_bound else coordinator_form
    return render(
        request,
        "network/network_manage.html",
        {
            "network": network,
            "member_form": member_form,
            "coordinator_form": coordinator_form,
            "coordinators": network.coordinators.order_by("username"),
        },
        status=400 if bound.is_bound and bound.errors else 200,
    )


@login_required
def remote_city_new(request, network_slug):
    """The network administrator adds a member city that runs its own installation; its first harvest is queued
    in the task worker (then the network's 6-hourly schedule keeps it fresh)."""
    from django.db import transaction

    from .. import selectors, tasks
    from ..forms import RemoteCityForm

    network = _network(network_slug)
    if not is_network_admin(request.user):
        raise PermissionDenied(_("Only a network administrator may do this."))
    form = RemoteCityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            remote = services.remote_city_add(actor=request.user, network=network, **form.cleaned_data)
        except DomainError as exc:
            if exc.code == "forbidden":
                raise PermissionDenied(exc.message) from None
            add_domain_error(form, exc)
        else:
            transaction.on_commit(lambda: tasks.harvest_remote_city.enqueue(remote.pk))
            messages.success(
                request,
                _("%(slug)s of %(url)s was added: its first harvest is queued.")
                % {"slug": remote.slug, "url": remote.base_url},
            )
            return redirect("network:detail", network.slug)
    return render(
        request,
        "network/remote_city_new.html",
        {"network": network, "form": form, "remote": selectors.remote_cities(network=network)},
        status=400 if form.is_bound and form.errors else 200,
    )
