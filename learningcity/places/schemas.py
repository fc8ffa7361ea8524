import datetime as dt
import functools
import math

from django.urls import reverse
from ninja import Schema

from learningcity.core.models.base import translated_value

from .models import text_to_codes
from .selectors import is_open_now


@functools.lru_cache(maxsize=256)
def _detail_base(slug: str) -> str:
    return reverse("places:space_detail", kwargs={"city_slug": slug, "pk": 0})[:-2]


class SpaceTypeOut(Schema):
    id: int
    code: str
    name: str
    name_vi: str
    name_en: str


class AreaBrief(Schema):
    id: int
    code: str
    name: str


class ExceptionOut(Schema):
    date_from: dt.date
    date_to: dt.date
    closed: bool
    opens: dt.time | None
    closes: dt.time | None
    note: str


class SpaceOut(Schema):
    id: int
    code: str
    name: str
    name_vi: str
    name_en: str
    type: str
    type_name: str
    area: AreaBrief
    address: str
    lat: float | None
    lon: float | None
    hours: str
    facilities: list[str]
    accessibility: list[str]
    languages: list[str]
    capacity: int | None
    status: str
    distance_km: float | None = None
    url: str

    @staticmethod
    def resolve_type(obj):
        return obj.space_type.code

    @staticmethod
    def resolve_type_name(obj):
        return obj.space_type.name

    @staticmethod
    def resolve_area(obj):
        return {"id": obj.area_id, "code": obj.area.code, "name": obj.area.name}

    @staticmethod
    def resolve_facilities(obj):
        return text_to_codes(obj.facilities)

    @staticmethod
    def resolve_accessibility(obj):
        return text_to_codes(obj.accessibility)

    @staticmethod
    def resolve_languages(obj):
        return text_to_codes(obj.languages)

    @staticmethod
    def resolve_distance_km(obj):
        value = getattr(obj, "distance_km", None)
        if value is None and getattr(obj, "d2", None) is not None:
            value = math.sqrt(obj.d2) * 111.195  # equirectangular: exact enough within a province
        return round(value, 3) if value is not None else None

    @staticmethod
    def resolve_url(obj):
        return f"{_detail_base(obj.city.slug)}{obj.pk}/"


def space_out_rows(rows, *, slug: str, lang: str) -> list[SpaceOut]:
    """SpaceOut of values() rows (selectors.api_list_columns) without validating them again: the fields the
    resolvers above give an ORM object, built the same way from the row (issue 17: a list's cost)."""
    lang = (lang or "vi")[:2]
    base = _detail_base(slug)
    out = []
    for row in rows:
        d2 = row.get("d2")
        out.append(
            SpaceOut.model_construct(
                id=row["id"],
                code=row["code"],
                name=translated_value(row, "name", lang),
                name_vi=row["name_vi"],
                name_en=row["name_en"],
                type=row["space_type__code"],
                type_name=translated_value(row, "space_type__name", lang),
                area=AreaBrief.model_construct(
                    id=row["area_id"], code=row["area__code"], name=translated_value(row, "area__name", lang)
                ),
                address=row["address"],
                lat=row["lat"],
                lon=row["lon"],
                hours=row["hours"],
                facilities=text_to_codes(row["facilities"]),
                accessibility=text_to_codes(row["accessibility"]),
                languages=text_to_codes(row["languages"]),
                capacity=row["capacity"],
                status=row["status"],
                distance_km=round(math.sqrt(d2) * 111.195, 3) if d2 is not None else None,
                url=f"{base}{row['id']}/",
            )
        )
    return out


class SpaceDetailOut(SpaceOut):
    description: str
    directions: str
    contact_name: str
    contact_phone: str
    contact_email: str
    website: str
    founded_on: dt.date | None
    open_now: bool
    exceptions: list[ExceptionOut]
    photos: list[str]

    @staticmethod
    def resolve_open_now(obj) -> bool:
        return is_open_now(obj)

    @staticmethod
    def resolve_exceptions(obj):
        return list(obj.exceptions.all())

    @staticmethod
    def resolve_photos(obj):
        return [p.image.url for p in obj.photos.all()]


class SpaceIn(Schema):
    code: str = ""
    name_vi: str
    name_en: str = ""
    type: str
    area_id: int
    address: str = ""
    lat: float | None = None
    lon: float | None = None
    hours: str = ""
    facilities: list[str] = []  # noqa: RUF012 - pydantic copies a default per instance
    accessibility: list[str] = []  # noqa: RUF012 - pydantic copies a default per instance
    languages: list[str] = []  # noqa: RUF012 - pydantic copies a default per instance
    capacity: int | None = None
    status: str = "active"
    contact_phone: str = ""
    contact_email: str = ""
    description_vi: str = ""


class SpacePatch(Schema):
    code: str | None = None
    name_vi: str | None = None
    name_en: str | None = None
    type: str | None = None
    area_id: int | None = None
    address: str | None = None
    lat: float | None = None
    lon: float | None = None
    hours: str | None = None
    facilities: list[str] | None = None
    accessibility: list[str] | None = None
    languages: list[str] | None = None
    capacity: int | None = None
    status: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None
    description_vi: str | None = None
    description_en: str | None = None
    directions_vi: str | None = None
    directions_en: str | None = None
