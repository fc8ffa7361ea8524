import datetime as dt

from ninja import Schema


class ErrorOut(Schema):
    detail: str
    field: str | None = None


class CityOut(Schema):
    slug: str
    name: str
    name_vi: str
    name_en: str
    description: str
    country_code: str
    time_zone: str
    center_lat: float | None
    center_lon: float | None
    url: str


class AreaRef(Schema):
    id: int
    code: str


class AreaOut(Schema):
    id: int
    code: str
    level: str
    name: str
    name_vi: str
    name_en: str
    parent: AreaRef | None
    lat: float | None
    lon: float | None
    area_km2: float | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    successors: list[AreaRef]
    source: str
    source_version: str

    @staticmethod
    def resolve_parent(obj):
        return {"id": obj.parent.pk, "code": obj.parent.code} if obj.parent_id and obj.parent else None

    @staticmethod
    def resolve_successors(obj):
        return [{"id": s.pk, "code": s.code} for s in obj.successors.all()]


class AreaIn(Schema):
    code: str
    level: str
    name_vi: str
    name_en: str = ""
    parent_id: int
    lat: float | None = None
    lon: float | None = None


class AreaPatch(Schema):
    """Fields left out stay as they are."""

    name_vi: str | None = None
    name_en: str | None = None
    lat: float | None = None
    lon: float | None = None
    is_remote: bool | None = None


class AuditOut(Schema):
    id: int
    created_at: dt.datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    changes: dict
    note: str

    @staticmethod
    def resolve_actor(obj):
        return obj.actor_name
