"""The atlas API: spaces (list, one, GeoJSON) for everyone; writes with a token or the session, under the same
permissions as the back office. Thin: parse, authorise, call a selector or a service."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.conf import settings as ninja_settings
from ninja.pagination import LimitOffsetPagination

from learningcity.core.api_auth import api_city_get, api_user, token_city_allows, token_or_session
from learningcity.core.errors import DomainError
from learningcity.core.freshness import live
from learningcity.core.models import Area
from learningcity.core.permissions import is_staff_of
from learningcity.core.schemas import ErrorOut
from learningcity.core.tenancy import city_get

from . import selectors, services
from .models import LearningSpace
from .rules import can_add_space
from .schemas import SpaceDetailOut, SpaceIn, SpaceOut, SpacePatch, SpaceTypeOut, space_out_rows

router = Router(tags=["places"])
PAGE_MAX = ninja_settings.PAGINATION_MAX_LIMIT


class SpaceQuery(Schema):
    q: str = ""
    type: str = ""
    area: int | None = None
    facility: str = ""
    accessibility: str = ""
    language: str = ""
    status: str = ""
    open_now: bool = False
    near_lat: float | None = None
    near_lon: float | None = None


# A page of spaces: what `@paginate(LimitOffsetPagination)` declared (the same name and fields in OpenAPI; no
# docstring, which would become its description).
class PagedSpaceOut(Schema):
    items: list[SpaceOut]
    count: int


def _filters(query: SpaceQuery) -> selectors.SpaceFilters:
    data = query.dict()
    if data["near_lat"] is None or data["near_lon"] is None:
        data["near_lat"] = data["near_lon"] = None
    return selectors.SpaceFilters(**data)


@router.get("/cities/{slug}/space-types", response=list[SpaceTypeOut], summary="Types of learning spaces")
def space_types(request, slug: str):
    return selectors.space_type_list(city=city_get(slug))


GEOJSON_RESPONSES = {
    "responses": {
        200: {
            "description": "A GeoJSON FeatureCollection of Point features ([lon, lat]).",
            "content": {
                "application/geo+json": {
                    "schema": {
                        "type": "object",
                        "required": ["type", "features"],
                        "properties": {
                            "type": {"type": "string", "enum": ["FeatureCollection"]},
                            "features": {"type": "array", "items": {"type": "object"}},
                        },
                    }
                }
            },
        },
    }
}

# The spaces' GeoJSON also answers 400 for a bad bbox: {"detail": <message in the caller's language>, "field": "bbox"}.
SPACES_GEOJSON_RESPONSES = {
    "responses": {
        **GEOJSON_RESPONSES["responses"],
        400: {
            "description": "A malformed, inverted, out-of-range or oversized bbox.",
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["detail", "field"],
                        "properties": {"detail": {"type": "string"}, "field": {"type": "string"}},
                    }
                }
            },
        },
    }
}


@router.get(
    "/cities/{slug}/spaces.geojson",
    summary="Public spaces as a GeoJSON FeatureCollection (lon/lat points); bbox: those in a view",
    description=(
        "Without `bbox`, every public space matching the filters. With `bbox=minLon,minLat,maxLon,maxLat` "
        "(degrees, at most 10 across and high), the spaces in that box, at most 500; when there were more, the "
        'collection has `"truncated": true` and `"limit"`. A malformed, inverted, out-of-range or oversized '
        "bbox is a 400 naming the field."
    ),
    openapi_extra=SPACES_GEOJSON_RESPONSES,
)
def spaces_geojson(request, slug: str, filters: Query[SpaceQuery], bbox: str = ""):
    city = city_get(slug)
    box = selectors.parse_bbox(bbox) if bbox else None
    body = selectors.spaces_geojson(
        city=city, filters=_filters(filters), lang=get_language() or "vi", bbox=box
    )
    return HttpResponse(body, content_type="application/geo+json; charset=utf-8")


@router.get(
    "/cities/{slug}/spaces", response=PagedSpaceOut, summary="Learning spaces (filters; q ignores accents)"
)
def spaces(
    request, slug: str, filters: Query[SpaceQuery], ninja_pagination: Query[LimitOffsetPagination.Input]
):
    # Plain rows of the columns the answer holds, shaped once and not validated again (issue 17: a list costs what
    # its rows cost, not a model, a pydantic object and a resolver per field); `PagedSpaceOut.model_construct` is
    # what ninja sends as it is, and tests/test_api_schema.py holds the answer to the published schema.
    city = city_get(slug)
    user = api_user(request)
    include_hidden = is_staff_of(user, city) and token_city_allows(user, city)
    limit = min(ninja_pagination.limit, PAGE_MAX)
    lang = get_language() or "vi"

    def answer() -> PagedSpaceOut:
        qs = selectors.space_list(city=city, filters=_filters(filters), include_hidden=include_hidden)
        rows, count = selectors.space_api_page(qs, offset=ninja_pagination.offset, limit=limit)
        items = space_out_rows(rows, slug=city.slug, lang=lang)
        return PagedSpaceOut.model_construct(items=items, count=count)

    if filters.open_now:
        return answer()  # follows the clock as well as the data
    # Kept until the next committed write (core.freshness.live): the same for everyone who sees the same spaces.
    shape = tuple(filters.model_dump().items())
    return live(
        ("places.api.spaces", city.pk, shape, ninja_pagination.offset, limit, lang, include_hidden), answer
    )


@router.get("/cities/{slug}/spaces/{space_id}", response=SpaceDetailOut, summary="One learning space")
def space_detail(request, slug: str, space_id: int):
    city = city_get(slug)
    user = api_user(request)
    include_hidden = is_staff_of(user, city) and token_city_allows(user, city)
    try:
        space = selectors.space_get(city=city, pk=space_id, include_hidden=include_hidden)
    except LearningSpace.DoesNotExist:
        from django.http import Http404

        raise Http404("No such space in this city.") from None
    return space


def _writable_city(request, slug):
    city = api_city_get(request, slug)
    return city


def _payload_to_data(city, payload: dict) -> dict:
    data = dict(payload)
    if "type" in data:
        data["space_type"] = data.pop("type")
    if "area_id" in data:
        area_id = data.pop("area_id")
        area = Area.objects.filter(city=city, pk=area_id).first()
        if area is None:
            raise DomainError(_("No such area in this city."), field="area_id")
        data["area"] = area
    return data


@router.post(
    "/cities/{slug}/spaces",
    response={201: SpaceDetailOut, 400: ErrorOut, 403: ErrorOut},
    auth=token_or_session,
    summary="Add a learning space",
)
def space_add(request, slug: str, payload: SpaceIn):
    city = _writable_city(request, slug)
    # Before reading the body: a refused caller learns nothing from it.
    if not can_add_space(request.user, city):
        raise DomainError(_("You may not add spaces in this area."), code="forbidden")
    space = services.space_create(actor=request.user, city=city, **_payload_to_data(city, payload.dict()))
    space = selectors.space_get(city=city, pk=space.pk, include_hidden=True)
    return Status(201, space)


@router.patch(
    "/cities/{slug}/spaces/{space_id}",
    response={200: SpaceDetailOut, 400: ErrorOut, 403: ErrorOut},
    auth=token_or_session,
    summary="Change a learning space (space coordinators: only their own)",
)
def space_change(request, slug: str, space_id: int, payload: SpacePatch):
    city = _writable_city(request, slug)
    space = get_object_or_404(
        LearningSpace.objects.for_city(city).select_related("area", "space_type"), pk=space_id
    )
    changes = _payload_to_data(city, payload.dict(exclude_unset=True))
    services.space_update(actor=request.user, space=space, **changes)
    space = selectors.space_get(city=city, pk=space.pk, include_hidden=True)
    return space
