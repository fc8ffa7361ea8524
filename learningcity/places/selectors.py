"""Reads of the atlas: lists with filters, one space, GeoJSON, exports, coverage and the gap map."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from dataclasses import dataclass, field
from typing import ClassVar
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat, NullIf
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from learningcity.core.errors import DomainError
from learningcity.core.models import Area, AreaLevel, City, PopulationCount, Role
from learningcity.core.models.base import translated_value
from learningcity.core.paging import rows_with_count
from learningcity.core.permissions import coordinated_area_paths, has_role, is_city_admin
from learningcity.core.selectors import population_totals
from learningcity.core.text import fold, sort_key

from . import hours as hours_mod
from .models import (
    LearningSpace,
    OpeningException,
    OpeningPeriod,
    SpacePhoto,
    SpaceStatus,
    SpaceStatusChange,
    SpaceType,
)


@dataclass
class SpaceFilters:
    q: str = ""
    type: str = ""  # space type code
    area: int | None = None  # this area and everything under it
    facility: str = ""
    accessibility: str = ""
    language: str = ""
    status: str = ""
    open_now: bool = False
    near_lat: float | None = None
    near_lon: float | None = None
    extra: dict = field(default_factory=dict)


def city_now(city: City) -> dt.datetime:
    return timezone.now().astimezone(ZoneInfo(city.time_zone or "Asia/Ho_Chi_Minh"))


def space_type_list(*, city: City) -> list[SpaceType]:
    return list(SpaceType.objects.for_city(city).order_by("sort_order", "code"))


def open_now_q(moment: dt.datetime) -> Q:
    """Spaces open at this local moment: an exception for the day decides; otherwise the weekly pattern."""
    day, now = moment.date(), moment.time().replace(microsecond=0)
    exceptions_today = OpeningException.objects.filter(
        space=OuterRef("pk"), date_from__lte=day, date_to__gte=day
    )
    until_now = Q(closes__gt=now) | Q(closes=hours_mod.END_OF_DAY)  # "24:00" includes the last minute
    open_by_exception = exceptions_today.filter(until_now, closed=False, opens__lte=now)
    open_by_week = OpeningPeriod.objects.filter(
        until_now, space=OuterRef("pk"), weekday=moment.weekday(), opens__lte=now
    )
    return Q(status=SpaceStatus.ACTIVE) & (
        Exists(open_by_exception) | (~Exists(exceptions_today) & Exists(open_by_week))
    )


def search_q(q: str) -> Q:
    """Every folded word must appear: "nha tri tue chieng coi" finds "Ngôi nhà trí tuệ ... Chiềng Cơi"."""
    cond = Q()
    for word in fold(q).split()[:8]:
        cond &= Q(search_text__fcontains=word)
    return cond


def _area_path(city: City, area_id: int | None) -> str | None:
    if not area_id:
        return None
    return Area.objects.filter(city=city, pk=area_id).values_list("path", flat=True).first() or "/none/"


def space_list(*, city: City, filters: SpaceFilters | None = None, include_hidden: bool = False) -> QuerySet:
    """Spaces of a city with the filters applied; public ones only unless include_hidden (staff views)."""
    f = filters or SpaceFilters()
    qs = LearningSpace.objects.for_city(city)
    if not include_hidden:
        qs = qs.public()
    if f.q:
        qs = qs.filter(search_q(f.q))
    if f.type:
        qs = qs.filter(space_type__code=f.type)
    path = _area_path(city, f.area)
    if path:
        qs = qs.filter(area__path__startswith=path)
    if f.facility:
        qs = qs.filter(facilities__contains=f",{f.facility},")
    if f.accessibility:
        qs = qs.filter(accessibility__contains=f",{f.accessibility},")
    if f.language:
        qs = qs.filter(languages__contains=f",{f.language},")
    if f.status:
        qs = qs.filter(status=f.status)
    if f.open_now:
        qs = qs.filter(open_now_q(city_now(city)))
    qs = qs.select_related("space_type", "area", "city")
    if f.near_lat is not None and f.near_lon is not None:
        k = math.cos(math.radians(f.near_lat))
        dlat = F("lat") - f.near_lat
        dlon = (F("lon") - f.near_lon) * k
        qs = qs.annotate(d2=ExpressionWrapper(dlat * dlat + dlon * dlon, output_field=FloatField())).order_by(
            F("d2").asc(nulls_last=True), "id"
        )
    else:
        qs = qs.order_by("name_vi", "id")
    return qs


# The columns of the API's list (places.schemas.SpaceOut), read as values() rows (issue 17).
API_LIST_COLUMNS = (
    "id", "code", "name_vi", "name_en", "space_type__code", "space_type__name_vi", "space_type__name_en",
    "area_id", "area__code", "area__name_vi", "area__name_en", "address", "lat", "lon", "hours", "facilities",
    "accessibility", "languages", "capacity", "status",
)  # fmt: skip


def api_list_columns(qs: QuerySet) -> tuple[str, ...]:
    """API_LIST_COLUMNS, and the squared distance when `space_list` sorted by it (near_lat/near_lon)."""
    return (*API_LIST_COLUMNS, "d2") if "d2" in qs.query.annotations else API_LIST_COLUMNS


def space_api_page(qs: QuerySet, *, offset: int, limit: int) -> tuple[list[dict], int]:
    """The API list's page of values() rows and the number of matching spaces (`rows_with_count`)."""
    return rows_with_count(qs, api_list_columns(qs), offset=offset, limit=limit)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0088 * 2 * math.asin(math.sqrt(min(1.0, a)))


def with_distances(spaces, lat: float | None, lon: float | None) -> list:
    spaces = list(spaces)
    for s in spaces:
        s.distance_km = (
            haversine_km(lat, lon, s.lat, s.lon) if None not in (lat, lon, s.lat, s.lon) else None  # type: ignore[arg-type]
        )
    return spaces


def space_get(*, city: City, pk: int, include_hidden: bool = False) -> LearningSpace:
    qs = (
        LearningSpace.objects.for_city(city)
        if include_hidden
        else LearningSpace.objects.for_city(city).public()
    )
    return (
        qs.select_related("space_type", "area", "area__parent")
        .prefetch_related(
            "coordinators",
            Prefetch("periods", queryset=OpeningPeriod.objects.order_by("weekday", "opens")),
            Prefetch(
                "exceptions",
                queryset=OpeningException.objects.filter(
                    date_to__gte=timezone.now().date() - dt.timedelta(days=1)
                ),
            ),
            Prefetch("photos", queryset=SpacePhoto.objects.order_by("created_at", "id")),
            Prefetch("status_history", queryset=SpaceStatusChange.objects.select_related("actor")),
        )
        .get(pk=pk)
    )


def week_of(space: LearningSpace) -> hours_mod.Week:
    return hours_mod.parse(space.hours)


def is_open_now(space: LearningSpace, moment: dt.datetime | None = None) -> bool:
    if space.status != SpaceStatus.ACTIVE:
        return False
    moment = moment or city_now(space.city)
    return hours_mod.is_open(week_of(space), list(space.exceptions.all()), moment)


def spaces_editable_by(*, user, city: City) -> QuerySet:
    """Spaces a person may edit: all (city admin), her area's subtree (area coordinator), her own (space
    coordinator)."""
    qs = LearningSpace.objects.for_city(city)
    if is_city_admin(user, city):
        return qs
    cond = Q(pk__in=[])
    # as rules.coordinates_space: listed on the space and holding the role (a subquery, not a join: each space once
    # without distinct())
    if has_role(user, city, Role.SPACE_COORDINATOR):
        listed = LearningSpace.coordinators.through.objects.filter(user=user).values("learningspace_id")
        cond |= Q(pk__in=listed)
    for path in coordinated_area_paths(user, city):
        cond |= Q(area__path__startswith=path)
    return qs.filter(cond)


# The back office's list (issue 17): a page of plain rows with only the columns it shows, the names in the reader's
# language and the status label resolved once per row in Python, not model instances looked up cell by cell.
STAFF_LIST_COLUMNS = (
    "id", "name_vi", "name_en", "status", "space_type__name_vi", "space_type__name_en", "area__name_vi",
    "area__name_en",
)  # fmt: skip


def staff_list_rows(rows, *, lang: str) -> list[dict]:
    """One page of `spaces_editable_by(...).values(*STAFF_LIST_COLUMNS)` as the rows the back office shows."""
    lang = (lang or "vi")[:2]
    labels = {value: str(label) for value, label in SpaceStatus.choices}
    return [
        {
            "id": row["id"],
            "name": translated_value(row, "name", lang),
            "type": translated_value(row, "space_type__name", lang),
            "area": translated_value(row, "area__name", lang),
            "status": labels.get(row["status"], row["status"]),
        }
        for row in rows
    ]


def areas_for_filter(*, city: City) -> list[Area]:
    """Current wards / communes and their hamlets (the areas that hold spaces), in tree order."""
    return list(
        Area.objects.for_city(city)
        .filter(valid_to__isnull=True)
        .exclude(level=AreaLevel.PROVINCE)
        .filter(
            Q(Exists(LearningSpace.objects.filter(area=OuterRef("pk"))))
            | Q(level__in=[AreaLevel.WARD, AreaLevel.COMMUNE])
        )
        .order_by("path")
        .only("id", "name_vi", "name_en", "depth", "path", "code")
    )


# --- GeoJSON and exports --------------------------------------------------------------------------------------

GEO_FIELDS = ("id", "name_vi", "name_en", "lon", "lat", "space_type__code", "status", "area_id")


def _geojson_body(rows, base: str, use_en: bool) -> str:
    """The FeatureCollection written straight from value rows (10,000 features in a few milliseconds)."""
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    parts = []
    for pk, name_vi, name_en, lon, lat, type_code, status, area_id in rows:
        name = (name_en or name_vi) if use_en else name_vi
        parts.append(
            f'{{"type":"Feature","id":{pk},"geometry":{{"type":"Point","coordinates":[{lon!r},{lat!r}]}},'
            f'"properties":{{"name":{dumps(name)},"type":{dumps(type_code)},"status":"{status}",'
            f'"area_id":{area_id},"url":"{base}{pk}/"}}}}'
        )
    return '{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}"


class _Json(Func):
    """JSON built by the database (SQLite JSON1 / PostgreSQL), nested inside another _Json or _JsonText."""

    output_field = TextField()
    names: ClassVar[dict[str, str]] = {"sqlite": "JSON_OBJECT", "postgresql": "JSON_BUILD_OBJECT"}

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, function=self.names["sqlite"], **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, function=self.names["postgresql"], **extra)


class _JsonArray(_Json):
    names: ClassVar[dict[str, str]] = {"sqlite": "JSON_ARRAY", "postgresql": "JSON_BUILD_ARRAY"}


class _JsonText(_Json):
    def as_postgresql(self, compiler, connection, **extra):
        sql, params = super().as_postgresql(compiler, connection, **extra)
        return f"({sql})::text", params


class _JoinedText(Aggregate):
    """The rows' texts joined with commas, in one value: GROUP_CONCAT (SQLite), STRING_AGG (PostgreSQL)."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, function="STRING_AGG", **extra)


def _feature_expression(base: str, use_en: bool):
    name = Coalesce(NullIf(F("name_en"), Value("")), F("name_vi")) if use_en else F("name_vi")
    return _JsonText(
        Value("type"),
        Value("Feature"),
        Value("id"),
        F("id"),
        Value("geometry"),
        _Json(Value("type"), Value("Point"), Value("coordinates"), _JsonArray(F("lon"), F("lat"))),
        Value("properties"),
        _Json(
            Value("name"),
            name,
            Value("type"),
            F("space_type__code"),
            Value("status"),
            F("status"),
            Value("area_id"),
            F("area_id"),
            Value("url"),
            Concat(
                Value(base), Cast(F("id"), output_field=TextField()), Value("/"), output_field=TextField()
            ),
        ),
    )


# The map asks for the spaces in its view: at most this many degrees across or high (a province at zoom 7; the
# map clips a wider view to this around its centre), and at most this many features an answer, so what one
# answer costs does not grow with the city.
BBOX_MAX_DEGREES = 10.0
BBOX_MAX_FEATURES = 500


@dataclass(frozen=True)
class BBox:
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float


def parse_bbox(raw: str) -> BBox:
    """`minLon,minLat,maxLon,maxLat` in degrees (WGS 84, as GeoJSON and OGC APIs write it). A DomainError on the
    `bbox` field, in the user's language, when it is malformed, inverted, out of range or too large."""
    parts = raw.split(",")
    try:
        if len(parts) != 4 or len(raw) > 100:
            raise ValueError
        values = [float(p) for p in parts]
        if not all(math.isfinite(v) for v in values):
            raise ValueError
    except ValueError:
        raise DomainError(
            _("The bbox must be four numbers separated by commas: minLon,minLat,maxLon,maxLat."), field="bbox"
        ) from None
    box = BBox(*values)
    lons_ok = all(-180 <= v <= 180 for v in (box.min_lon, box.max_lon))
    if not (lons_ok and all(-90 <= v <= 90 for v in (box.min_lat, box.max_lat))):
        raise DomainError(
            _("The bbox is out of range: longitudes lie between -180 and 180, latitudes between -90 and 90."),
            field="bbox",
        )
    if box.min_lon >= box.max_lon or box.min_lat >= box.max_lat:
        raise DomainError(
            _("The bbox is inverted: the minimum longitude and latitude must come before the maximum ones."),
            field="bbox",
        )
    if box.max_lon - box.min_lon > BBOX_MAX_DEGREES or box.max_lat - box.min_lat > BBOX_MAX_DEGREES:
        raise DomainError(
            _("The bbox is too large: at most %(n)s degrees across and high. Zoom in and ask again.")
            % {"n": f"{BBOX_MAX_DEGREES:g}"},
            field="bbox",
        )
    return box


def spaces_extent(*, city: City, filters: SpaceFilters | None = None) -> list[list[float]] | None:
    """[[south, west], [north, east]] of the matching public spaces (one aggregate, no rows), for the map's first
    view; None when none has coordinates."""
    qs = space_list(city=city, filters=filters).filter(lat__isnull=False, lon__isnull=False).order_by()
    box = qs.aggregate(s=Min("lat"), w=Min("lon"), n=Max("lat"), e=Max("lon"))
    if box["s"] is None:
        return None
    return [[box["s"], box["w"]], [box["n"], box["e"]]]


def spaces_geojson(
    *, city: City, filters: SpaceFilters | None = None, lang: str = "vi", bbox: BBox | None = None
) -> str:
    """A FeatureCollection of the city's public spaces (lon/lat points).

    Without `bbox`, every matching space (the answer integrations have always had). With `bbox`, the spaces in
    it, at most BBOX_MAX_FEATURES (by id); when there were more, the collection says `"truncated":true` and
    `"limit"` (foreign members, which GeoJSON readers ignore), and the map asks the visitor to zoom in.

    The database writes each feature (JSON functions of SQLite and PostgreSQL; Python elsewhere). The result is
    cached under a key that includes the number of matching spaces and their latest change, so an edit, an import
    or a deletion shows at once (one cheap aggregate query decides); "open now" is never cached."""
    qs = space_list(city=city, filters=filters).filter(lat__isnull=False, lon__isnull=False).order_by()
    if bbox is not None:
        qs = qs.filter(
            lon__gte=bbox.min_lon, lon__lte=bbox.max_lon, lat__gte=bbox.min_lat, lat__lte=bbox.max_lat
        )
    base = reverse("places:space_detail", kwargs={"city_slug": city.slug, "pk": 0})[:-2]
    use_en = lang.startswith("en")
    key = None
    if not (filters and filters.open_now):
        stamp = qs.aggregate(n=Count("id"), last=Max("updated_at"))
        types = SpaceType.objects.for_city(city).aggregate(last=Max("updated_at"))["last"]
        raw = repr((city.pk, filters, use_en, bbox, stamp["n"], stamp["last"], types))
        key = "places:geojson:" + hashlib.sha256(raw.encode()).hexdigest()
        body = cache.get(key)
        if body is not None:
            return body
    tail = "]}"
    if bbox is not None:
        found = stamp["n"] if key is not None else qs.count()
        if found > BBOX_MAX_FEATURES:  # the first ones by id, chosen inside the database (a LIMIT subquery)
            first = qs.order_by("id").values("id")[:BBOX_MAX_FEATURES]
            qs = qs.filter(id__in=Subquery(first))
            tail = f'],"truncated":true,"limit":{BBOX_MAX_FEATURES}}}'
    if connection.vendor in ("sqlite", "postgresql"):
        features = qs.aggregate(all=_JoinedText(_feature_expression(base, use_en)))["all"] or ""
        body = '{"type":"FeatureCollection","features":[' + features + tail
    else:
        body = _geojson_body(qs.values_list(*GEO_FIELDS).iterator(chunk_size=5000), base, use_en)
        body = body[: -len("]}")] + tail
    if key is not None:
        cache.set(key, body, timeout=3600)
    return body


def export_rows(*, city: City, include_hidden: bool = False) -> tuple[list[str], list[list]]:
    """Rows in the import format (the same columns), so an export re-imports with nothing changed."""
    from .services import IMPORT_COLUMNS

    columns = list(IMPORT_COLUMNS)
    qs = space_list(city=city, include_hidden=include_hidden).order_by("code", "id")
    rows = []
    for s in qs:
        rows.append(
            [
                s.code,
                s.name_vi,
                s.name_en,
                s.space_type.code,
                s.area.code,
                s.address,
                "" if s.lat is None else s.lat,  # a number (CSV writes its shortest exact form)
                "" if s.lon is None else s.lon,
                s.hours,
                ";".join(s.facility_codes),
                ";".join(s.accessibility_codes),
                ";".join(s.language_codes),
                "" if s.capacity is None else s.capacity,
                s.status,
                s.contact_phone,
                s.contact_email,
                s.founded_on.isoformat() if s.founded_on else "",
                s.description_vi,
            ]
        )
    return columns, rows


# --- coverage -------------------------------------------------------------------------------------------------


@dataclass
class CoverageRow:
    area: Area
    spaces: int
    population: int | None
    per_1000: float | None
    nearest_km: float | None
    gap: bool


def population_years(*, city: City) -> list[int]:
    return sorted(
        set(
            PopulationCount.objects.for_city(city)
            .filter(sex="", age_band="", ethnicity="")
            .values_list("year", flat=True)
        ),
        reverse=True,
    )


def coverage(*, city: City, year: int | None, distance_km: float, level: str = "units") -> list[CoverageRow]:
    """Per current area: active spaces in it, spaces per 1,000 residents (only where the city has entered a
    population for that year: never a guess), the distance from its centre to the nearest active space, and
    whether that is farther than `distance_km` (a gap)."""
    areas_qs = Area.objects.for_city(city).filter(valid_to__isnull=True)
    if level == "hamlets":
        areas_qs = areas_qs.filter(level__in=[AreaLevel.HAMLET, AreaLevel.RESIDENTIAL_GROUP])
    else:
        areas_qs = areas_qs.filter(level__in=[AreaLevel.WARD, AreaLevel.COMMUNE, AreaLevel.SPECIAL_ZONE])
    areas = list(areas_qs.order_by("path"))
    spaces = list(
        LearningSpace.objects.for_city(city)
        .filter(status=SpaceStatus.ACTIVE)
        .values_list("area__path", "lat", "lon")
    )
    points = [(lat, lon) for _p, lat, lon in spaces if lat is not None and lon is not None]
    populations = population_totals(city=city, year=year, areas=areas) if year else {}
    rows = []
    for area in areas:
        count = sum(1 for p, _la, _lo in spaces if p.startswith(area.path))
        population = populations.get(area.pk)
        per_1000 = round(count * 1000 / population, 2) if population else None
        nearest = None
        if area.lat is not None and area.lon is not None and points:
            # A cheap box first (1 degree ~ 111 km), then the exact distance for the candidates.
            box = max(distance_km, 1.0) / 111.0 * 3
            near = [
                (la, lo) for la, lo in points if abs(la - area.lat) < box and abs(lo - area.lon) < box * 1.2
            ]
            candidates = near or points
            nearest = round(min(haversine_km(area.lat, area.lon, la, lo) for la, lo in candidates), 2)
        gap = nearest is None or nearest > distance_km
        rows.append(CoverageRow(area, count, population, per_1000, nearest, gap))
    rows.sort(key=lambda r: (not r.gap, sort_key(r.area.name)))
    return rows


def coverage_geojson(rows: list[CoverageRow], distance_km: float) -> str:
    features = [
        {
            "type": "Feature",
            "id": r.area.pk,
            "geometry": {"type": "Point", "coordinates": [r.area.lon, r.area.lat]},
            "properties": {
                "name": r.area.name,
                "spaces": r.spaces,
                "gap": r.gap,
                "nearest_km": r.nearest_km,
                "radius_m": int(distance_km * 1000),
            },
        }
        for r in rows
        if r.area.lat is not None and r.area.lon is not None
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)


def area_centres(*, city: City) -> list[dict]:
    """Centres of the current wards and communes: drawn on the map even with no tile server."""
    return [
        {"name": a.name, "lat": a.lat, "lon": a.lon}
        for a in Area.objects.for_city(city)
        .filter(valid_to__isnull=True, level__in=[AreaLevel.WARD, AreaLevel.COMMUNE], lat__isnull=False)
        .only("name_vi", "name_en", "lat", "lon")
    ]
