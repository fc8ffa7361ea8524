"""Pages of the atlas: list, map and page of a space for everyone; editing, import and coverage for staff."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learningcity.core.cells import spreadsheet_response
from learningcity.core.decorators import staff_only, with_city
from learningcity.core.errors import DomainError
from learningcity.core.forms import ImportForm, add_domain_error
from learningcity.core.freshness import live
from learningcity.core.import_flow import staged_import
from learningcity.core.models import Area, AreaLevel, Role
from learningcity.core.paging import page_with_count
from learningcity.core.permissions import can_view_exact_figures, is_staff_of
from learningcity.core.registry import app_modules

from . import hours as hours_mod
from . import selectors, services
from .forms import CoordinatorsForm, CoverageForm, ExceptionForm, PhotoForm, SpaceFilterForm, SpaceForm
from .models import LearningSpace, OpeningException, OpeningPeriod, SpacePhoto, SpaceType
from .rules import can_add_space, can_edit_space, manages_space_area

PAGE_SIZE = 25


def _filters_from(request, city):
    types = selectors.space_type_list(city=city)
    areas = selectors.areas_for_filter(city=city)
    form = SpaceFilterForm(request.GET or None, types=types, areas=areas)
    filters = selectors.SpaceFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.SpaceFilters(
            q=data["q"],
            type=data["type"],
            area=data["area"],
            facility=data["facility"],
            accessibility=data["accessibility"],
            open_now=data["open_now"],
        )
        if data["near_lat"] is not None and data["near_lon"] is not None:
            filters.near_lat, filters.near_lon = data["near_lat"], data["near_lon"]
        elif data["near"]:
            point = next((a for a in areas if a.pk == data["near"]), None)
            point = (
                Area.objects.filter(city=city, pk=data["near"]).only("lat", "lon").first() if point else None
            )
            if point is not None and point.lat is not None:
                filters.near_lat, filters.near_lon = point.lat, point.lon
    return form, filters


def _map_attrs(city) -> dict:
    return {
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "areas_json": json.dumps(selectors.area_centres(city=city), ensure_ascii=False),
        "centre_json": json.dumps([city.center_lat or 21.3273, city.center_lon or 103.921]),
    }


@with_city
def space_list(request, city):
    form, filters = _filters_from(request, city)
    qs = selectors.space_list(city=city, filters=filters).prefetch_related(
        Prefetch("periods", queryset=OpeningPeriod.objects.order_by("weekday", "opens")),
        Prefetch("exceptions", queryset=OpeningException.objects.all()),
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    moment = selectors.city_now(city)
    spaces = selectors.with_distances(page.object_list, filters.near_lat, filters.near_lon)
    for s in spaces:
        s.open_now_flag = s.status == "active" and hours_mod.is_open(
            hours_mod.parse(s.hours), list(s.exceptions.all()), moment
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "places/space_list.html",
        {
            "form": form,
            "page": page,
            "spaces": spaces,
            "querystring": query.urlencode(),
            "near": filters.near_lat is not None,
        },
        # An unknown filter value: the form says which, with a clear status.
        status=400 if form.errors else 200,
    )


@with_city
def space_map(request, city):
    form, filters = _filters_from(request, city)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("near", None)
    geojson_url = reverse("api:spaces_geojson", kwargs={"slug": city.slug})
    if query:
        geojson_url += "?" + query.urlencode()
    # The map opens on the matching spaces' extent and asks the GeoJSON for the spaces in its view (bbox), tile
    # by tile (places/static/places/map.js), so no answer lists the whole city.
    extent = None if form.errors else selectors.spaces_extent(city=city, filters=filters)
    return render(
        request,
        "places/space_map.html",
        {
            "form": form,
            "geojson_url": geojson_url,
            "querystring": query.urlencode(),
            "bbox_map": True,
            "extent_json": json.dumps(extent) if extent else "",
            **_map_attrs(city),
        },
    )


@with_city
def space_detail(request, city, pk):
    staff = is_staff_of(request.user, city)
    try:
        space = selectors.space_get(city=city, pk=pk, include_hidden=staff)
    except LearningSpace.DoesNotExist:
        raise Http404(_("There is no such learning space.")) from None
    week = selectors.week_of(space)
    days = [(hours_mod.DAY_NAMES[i], hours_mod.day_text(week[i])) for i in range(7)]
    panels = []
    for module in app_modules("space_panels"):
        html = module.space_panel(request, space)
        if html:
            panels.append(mark_safe(html))  # noqa: S308 - the panel modules return escaped, safe HTML
    return render(
        request,
        "places/space_detail.html",
        {
            "space": space,
            "days": days,
            "today": selectors.city_now(city).weekday(),
            "open_now": selectors.is_open_now(space),
            "panels": panels,
            "can_edit": can_edit_space(request.user, space),
            "point_json": json.dumps(
                [{"lat": space.lat, "lon": space.lon, "name": space.name}] if space.lat is not None else []
            ),
            **_map_attrs(city),
        },
    )


@with_city
def space_export(request, city, fmt):
    if fmt == "geojson":
        body = selectors.spaces_geojson(city=city, lang=get_language() or "vi")
        response = HttpResponse(body, content_type="application/geo+json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{city.slug}-spaces.geojson"'
        return response
    if fmt not in ("csv", "xlsx"):
        raise Http404
    columns, rows = selectors.export_rows(city=city)
    # learningcity.core.cells defuses formula-like texts (an address "=HYPERLINK(...)") in CSV and XLSX alike.
    return spreadsheet_response(f"{city.slug}-spaces", [columns, *rows], fmt, sheet="spaces")


# --- back office ----------------------------------------------------------------------------------------------


@with_city
@staff_only
def manage_list(request, city):
    q = request.GET.get("q", "")
    number = request.GET.get("page")
    lang = get_language()

    def body() -> str:
        # Only the columns the table shows, as plain rows, a page the size of the public list's (issue 17: a staff
        # page costs what its rows cost to build and render, whatever else a space holds or the city's size).
        qs = selectors.spaces_editable_by(user=request.user, city=city)
        if q:
            qs = qs.filter(selectors.search_q(q))
        page = page_with_count(
            qs.order_by("name_vi", "id"), selectors.STAFF_LIST_COLUMNS, number=number, per_page=PAGE_SIZE
        )
        page.object_list = selectors.staff_list_rows(page.object_list, lang=lang)
        context = {"page": page, "q": q, "can_add": can_add_space(request.user, city)}
        return render_to_string("places/_manage_list_body.html", context, request)

    # The rows this person may edit, kept until the next committed write (core.freshness.live): still live.
    kept = live(("places.manage_list", city.pk, request.user.pk, q, number, lang), body)
    return render(request, "places/manage_list.html", {"body": kept})


def _space_form(request, city, space=None, manager=True):
    from learningcity.core.selectors import areas_managed_by

    areas = areas_managed_by(user=request.user, city=city).filter(valid_to__isnull=True)
    if space is not None and not manager:
        areas = Area.objects.filter(pk=space.area_id)
    areas = areas.exclude(level=AreaLevel.PROVINCE).order_by("path")
    types = SpaceType.objects.for_city(city)
    return SpaceForm(
        request.POST or None, instance=space, city=city, areas=areas, types=types, manager=manager
    )


@with_city
@staff_only
def manage_new(request, city):
    if not can_add_space(request.user, city):
        raise PermissionDenied(_("You may not add spaces."))
    form = _space_form(request, city)
    if request.method == "POST" and form.is_valid():
        try:
            space = services.space_create(actor=request.user, city=city, **form.service_data())
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Space “%(name)s” added.") % {"name": space.name})
            return redirect("places:manage_edit", city_slug=city.slug, pk=space.pk)
    return render(request, "places/space_form.html", {"form": form, "space": None})


def _editable_space(request, city, pk) -> LearningSpace:
    space = get_object_or_404(
        LearningSpace.objects.for_city(city).select_related("area", "space_type"), pk=pk
    )
    if not can_edit_space(request.user, space):
        raise PermissionDenied(_("You may not change this space."))
    return space


@with_city
@staff_only
def manage_edit(request, city, pk):
    space = _editable_space(request, city, pk)
    manager = manages_space_area(request.user, space)
    form = _space_form(request, city, space, manager=manager)
    if request.method == "POST" and form.is_valid():
        try:
            services.space_update(actor=request.user, space=space, **form.service_data())
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Changes to “%(name)s” saved.") % {"name": space.name})
            return redirect("places:manage_edit", city_slug=city.slug, pk=space.pk)
    coordinators_form = None
    if manager:
        from learningcity.core.models import User

        users = User.objects.filter(
            role_assignments__city=city, role_assignments__role=Role.SPACE_COORDINATOR
        ).distinct()
        coordinators_form = CoordinatorsForm(
            initial={"coordinators": list(space.coordinators.all())}, users=users
        )
    return render(
        request,
        "places/space_form.html",
        {
            "form": form,
            "space": space,
            "exception_form": ExceptionForm(),
            "exceptions": space.exceptions.all(),
            "photos": space.photos.all(),
            "photo_form": PhotoForm(),
            "coordinators_form": coordinators_form,
            "history": space.status_history.select_related("actor")[:20],
        },
    )


@require_POST
@with_city
@staff_only
def manage_coordinators(request, city, pk):
    space = _editable_space(request, city, pk)
    from learningcity.core.models import User

    users = User.objects.filter(
        role_assignments__city=city, role_assignments__role=Role.SPACE_COORDINATOR
    ).distinct()
    form = CoordinatorsForm(request.POST, users=users)
    if form.is_valid():
        try:
            services.space_coordinators_set(
                actor=request.user, space=space, users=form.cleaned_data["coordinators"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Coordinators saved."))
    return redirect("places:manage_edit", city_slug=city.slug, pk=space.pk)


@require_POST
@with_city
@staff_only
def manage_exception_add(request, city, pk):
    space = _editable_space(request, city, pk)
    form = ExceptionForm(request.POST)
    if form.is_valid():
        try:
            services.exception_add(actor=request.user, space=space, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Exception to the opening hours added."))
    else:
        messages.error(request, _("Check the dates and times of the exception."))
    return redirect("places:manage_edit", city_slug=city.slug, pk=space.pk)


@require_POST
@with_city
@staff_only
def manage_exception_delete(request, city, pk, exception_id):
    space = _editable_space(request, city, pk)
    exception = get_object_or_404(OpeningException, space=space, pk=exception_id)
    services.exception_delete(actor=request.user, exception=exception)
    messages.success(request, _("Exception removed."))
    return redirect("places:manage_edit", city_slug=city.slug, pk=space.pk)


@require_POST
@with_city
@staff_only
def manage_photo_add(request, city, pk):
    space = _editable_space(request, city, pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.photo_add(
                actor=request.user,
                space=space,
                upload=form.cleaned_data["photo"],
                caption=form.cleaned_data["caption"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Photo added."))
    else:
        messages.error(request, _("Choose a photo and describe it."))
    return redirect("places:manage_edit", city_slug=city.slug, pk=space.pk)


@require_POST
@with_city
@staff_only
def manage_photo_delete(request, city, pk, photo_id):
    space = _editable_space(request, city, pk)
    photo = get_object_or_404(SpacePhoto, space=space, pk=photo_id)
    services.photo_delete(actor=request.user, photo=photo)
    messages.success(request, _("Photo removed."))
    return redirect("places:manage_edit", city_slug=city.slug, pk=space.pk)


@with_city
@staff_only
def manage_import(request, city):
    if not can_add_space(request.user, city):
        raise PermissionDenied(_("You may not import spaces."))
    return staged_import(
        request,
        form=ImportForm(request.POST or None, request.FILES or None),
        template="places/space_import.html",
        run=lambda stream, apply: services.spaces_import(
            actor=request.user, city=city, stream=stream, apply=apply
        ),
        applied=lambda result: (
            _("Import done: %(c)s spaces added, %(u)s changed, %(n)s unchanged.")
            % {"c": result["create"], "u": result["update"], "n": result["unchanged"]},
            redirect("places:manage_list", city_slug=city.slug),
        ),
    )


@with_city
@staff_only
def coverage(request, city):
    years = selectors.population_years(city=city)
    form = CoverageForm(request.GET or None, years=years)
    distance, year, level = 2.0, (years[0] if years else None), "units"
    if form.is_valid():
        distance = form.cleaned_data["distance_km"] or distance
        year = form.cleaned_data["year"] or year
        level = form.cleaned_data["level"] or level
    rows = selectors.coverage(city=city, year=year, distance_km=distance, level=level)
    return render(
        request,
        "places/coverage.html",
        {
            "form": form,
            "rows": rows,
            "year": year,
            "distance": distance,
            "gaps": sum(1 for r in rows if r.gap),
            "coverage_json": selectors.coverage_geojson(rows, distance),
            "exact": can_view_exact_figures(request.user, city),
            **_map_attrs(city),
        },
    )
