"""Core API: cities, areas and the audit trail. Thin: parse, authorise, call a selector or a service."""

import datetime as dt

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from . import selectors
from .api_auth import api_city_get, token_city_allows, token_or_session
from .errors import DomainError, PermissionDeniedError
from .models import Area
from .schemas import AreaIn, AreaOut, AreaPatch, AuditOut, CityOut, ErrorOut
from .services.areas import area_create, area_update
from .tenancy import city_get

router = Router(tags=["cities"])


def _city_out(city) -> dict:
    return {
        "slug": city.slug,
        "name": city.name,
        "name_vi": city.name_vi,
        "name_en": city.name_en,
        "description": city.description,
        "country_code": city.country_code,
        "time_zone": city.time_zone,
        "center_lat": city.center_lat,
        "center_lon": city.center_lon,
        "url": reverse("city_home", kwargs={"city_slug": city.slug}),
    }


@router.get("/cities", response=list[CityOut], summary="List the learning cities")
def cities(request):
    return [_city_out(c) for c in selectors.city_list()]


@router.get("/cities/{slug}", response=CityOut, summary="One learning city")
def city_detail(request, slug: str):
    return _city_out(city_get(slug))


class AreaFilters(Schema):
    level: str | None = None
    current: bool = False
    q: str = ""


@router.get("/cities/{slug}/areas", response=list[AreaOut], summary="The city's administrative areas")
@paginate(LimitOffsetPagination, page_size=500)
def areas(request, slug: str, filters: Query[AreaFilters]):
    city = city_get(slug)
    return selectors.area_list(city=city, level=filters.level, current_only=filters.current, q=filters.q)


@router.post(
    "/cities/{slug}/areas",
    response={201: AreaOut, 400: ErrorOut, 403: ErrorOut},
    auth=token_or_session,
    summary="Add a hamlet or residential group",
)
def area_add(request, slug: str, payload: AreaIn):
    city = api_city_get(request, slug)
    parent = Area.objects.filter(city=city, pk=payload.parent_id).first()
    if parent is None:
        raise DomainError(_("No such parent area in this city."), field="parent_id")
    area = area_create(
        actor=request.user,
        city=city,
        parent=parent,
        code=payload.code,
        level=payload.level,
        name_vi=payload.name_vi,
        name_en=payload.name_en,
        lat=payload.lat,
        lon=payload.lon,
    )
    return Status(201, Area.objects.select_related("parent").get(pk=area.pk))


@router.get("/cities/{slug}/areas/{area_id}", response=AreaOut, summary="One administrative area")
def area_detail(request, slug: str, area_id: int):
    city = city_get(slug)
    return get_object_or_404(selectors.area_list(city=city), pk=area_id)


@router.patch(
    "/cities/{slug}/areas/{area_id}",
    response={200: AreaOut, 400: ErrorOut, 403: ErrorOut},
    auth=token_or_session,
    summary="Change an area's names, centre or remoteness",
)
def area_change(request, slug: str, area_id: int, payload: AreaPatch):
    city = api_city_get(request, slug)
    area = get_object_or_404(Area.objects.for_city(city), pk=area_id)
    changes = payload.dict(exclude_unset=True)
    for field in ("name_vi", "is_remote"):  # required: an explicit null leaves them as they are
        if changes.get(field) is None:
            changes.pop(field, None)
    if "name_en" in changes and changes["name_en"] is None:
        changes["name_en"] = ""  # an explicit null clears the English name
    area_update(actor=request.user, area=area, **changes)
    return Status(200, selectors.area_list(city=city).get(pk=area.pk))


class AuditFilters(Schema):
    action: str = ""
    object_type: str = ""
    actor_id: int | None = None
    since: dt.date | None = None
    q: str = ""


@router.get(
    "/cities/{slug}/audit",
    response={200: list[AuditOut], 403: ErrorOut},
    auth=token_or_session,
    summary="The audit trail (city administrators)",
)
@paginate(LimitOffsetPagination, page_size=100)
def audit_entries(request, slug: str, filters: Query[AuditFilters]):
    city = city_get(slug)
    if not token_city_allows(request.user, city) or not selectors.user_can_view_audit(request.user, city):
        raise PermissionDeniedError(_("Only city administrators may read the audit trail."))
    return selectors.audit_list(city=city, **filters.dict())
