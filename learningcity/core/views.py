"""Core pages: the list of cities, a city's home, areas, the audit trail, API tokens, health, login."""

from __future__ import annotations

import datetime
import zoneinfo

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import selectors
from .decorators import staff_only, with_city
from .errors import DomainError
from .forms import ApiTokenForm, AreaEditForm, AreaForm, AuditFilterForm, ImportForm, add_domain_error
from .import_flow import staged_import
from .models import ApiToken, Area
from .permissions import can_manage_area, is_city_admin, roles_in
from .registry import app_modules
from .services.accounts import api_token_create, api_token_revoke
from .services.areas import area_create, area_update, hamlets_import


@require_GET
def city_list(request):
    return render(request, "core/city_list.html", {"cities": selectors.city_list()})


@with_city
def city_home(request, city):
    figures: list = []
    for module in app_modules("figures"):
        figures.extend(module.key_figures(city))
    return render(request, "core/city_home.html", {"figures": figures})


def _database_answers() -> None:
    """One round trip to the database, or an exception. On PostgreSQL a kept connection is pinged by Django's own
    health check (CONN_HEALTH_CHECKS) the first time a request uses it: that ping (or, when it failed, the new
    connection that replaces it) is the answer, instead of a second `SELECT 1` after it (issue 17: the probe is
    hit hard by load balancers). SQLite's check pings nothing, so there the probe runs its query."""
    checked = getattr(connection, "health_check_enabled", False) and not getattr(
        connection, "health_check_done", True
    )
    kept = connection.connection is not None and checked
    if kept and connection.vendor == "postgresql":
        connection.close_if_health_check_failed()  # SELECT 1 on the kept connection; closed if it failed
        connection.ensure_connection()  # a new connection when it was closed: connecting is the answer
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


@never_cache
def healthz(request):
    try:
        _database_answers()
    except Exception as exc:  # any database failure means "not healthy"
        return JsonResponse(
            {"status": "error", "database": "unavailable", "error": type(exc).__name__}, status=503
        )
    return JsonResponse({"status": "ok", "database": "ok"})


def page_not_found(request, exception):
    message = exception.args[0] if exception and exception.args and isinstance(exception.args[0], str) else ""
    return render(request, "404.html", {"message": message}, status=404)


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choosing a new password through the e-mailed link is the way back from a lockout: it lifts the lock."""

    def form_valid(self, form):
        from axes.utils import reset as axes_reset

        response = super().form_valid(form)
        axes_reset(username=form.user.get_username())
        return response


@with_city
@staff_only
def manage_home(request, city):
    """The back office of a city: what this person may do here."""
    from .models import Role

    labels = dict(Role.choices)
    roles = sorted(str(labels.get(r, r)) for r in roles_in(request.user, city))
    return render(request, "core/manage_home.html", {"roles": roles})


@with_city
@staff_only
def area_list_page(request, city):
    areas = selectors.areas_managed_by(user=request.user, city=city).select_related("parent").order_by("path")
    q = request.GET.get("q", "")
    if q:
        from .text import fold

        areas = areas.filter(search_text__contains=fold(q))
    page = Paginator(areas, 100).get_page(request.GET.get("page"))
    return render(request, "core/area_list.html", {"page": page, "q": q})


@with_city
@staff_only
def area_new(request, city):
    parents = selectors.areas_managed_by(user=request.user, city=city).filter(valid_to__isnull=True)
    form = AreaForm(request.POST or None, parents=parents)
    if request.method == "POST" and form.is_valid():
        try:
            area = area_create(actor=request.user, city=city, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Area “%(name)s” added.") % {"name": area.name})
            return redirect("area_list", city_slug=city.slug)
    return render(request, "core/area_form.html", {"form": form})


@with_city
@staff_only
def area_edit(request, city, pk: int):
    # Another city's unit is not found here (404); a unit outside her subtree is refused (403).
    area = get_object_or_404(Area.objects.for_city(city).select_related("parent"), pk=pk)
    if not can_manage_area(request.user, area):
        raise PermissionDenied(_("You may not change this area."))
    initial = {f: getattr(area, f) for f in ("name_vi", "name_en", "lat", "lon", "is_remote")}
    form = AreaEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            area_update(actor=request.user, area=area, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Area “%(name)s” saved.") % {"name": area.name})
            return redirect("area_list", city_slug=city.slug)
    return render(request, "core/area_edit.html", {"form": form, "area": area})


@with_city
@staff_only
def area_import(request, city):
    return staged_import(
        request,
        form=ImportForm(request.POST or None, request.FILES or None),
        template="core/area_import.html",
        run=lambda stream, apply: hamlets_import(actor=request.user, city=city, stream=stream, apply=apply),
        applied=lambda result: (
            _("%(n)s areas imported.") % {"n": result["create"]},
            redirect("area_list", city_slug=city.slug),
        ),
    )


@with_city
@staff_only
def audit_list_page(request, city):
    if not is_city_admin(request.user, city):
        raise PermissionDenied(_("Only city administrators may read the audit trail."))
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.audit_list(city=city, **{k: v for k, v in filters.items() if v})
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_list.html", {"form": form, "page": page})


def _city_admin_only(request, city) -> None:
    if not is_city_admin(request.user, city):
        raise PermissionDenied(_("Only city administrators may manage API tokens."))


@with_city
@staff_only
@never_cache
def token_list(request, city):
    _city_admin_only(request, city)
    tokens = selectors.api_token_list(city=city)
    page = Paginator(tokens, 50).get_page(request.GET.get("page"))
    return render(request, "core/token_list.html", {"page": page, "now": timezone.now()})


@with_city
@staff_only
@never_cache
def token_new(request, city):
    """Make a token; its raw value is on the answer to this POST and nowhere else (never stored, never again)."""
    _city_admin_only(request, city)
    owners = selectors.token_owner_choices(city=city, actor=request.user)
    form = ApiTokenForm(request.POST or None, owners=owners, initial={"user": request.user.pk})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        expires_at = None
        if data["expires_on"]:
            # Works through the chosen day in the city's time zone.
            zone = zoneinfo.ZoneInfo(city.time_zone)
            next_day = data["expires_on"] + datetime.timedelta(days=1)
            expires_at = datetime.datetime.combine(next_day, datetime.time(), tzinfo=zone)
        try:
            token, raw = api_token_create(
                actor=request.user,
                user=data["user"],
                city=city,
                name=data["name"],
                scope=data["scope"],
                expires_at=expires_at,
            )
        except DomainError as exc:
            add_domain_error(form, exc, aliases={"expires_at": "expires_on"})
        else:
            return render(request, "core/token_created.html", {"token": token, "raw": raw})
    return render(request, "core/token_form.html", {"form": form})


@with_city
@staff_only
@require_POST
def token_revoke(request, city, pk: int):
    _city_admin_only(request, city)
    token = get_object_or_404(ApiToken.objects.for_city(city), pk=pk)
    try:
        api_token_revoke(actor=request.user, token=token, city=city)
    except DomainError as exc:
        raise PermissionDenied(exc.message) from None
    messages.success(request, _("Token “%(name)s” revoked: it no longer works.") % {"name": token.name})
    return redirect("token_list", city_slug=city.slug)


def robots(request):
    return HttpResponse("User-agent: *\nDisallow: /admin/\nDisallow: /api/\n", content_type="text/plain")
