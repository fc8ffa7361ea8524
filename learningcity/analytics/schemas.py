from typing import Any

from ninja import Schema


class NodeOut(Schema):
    code: str
    kind: str
    name: str
    indicators: list[str]
    children: list["NodeOut"]


NodeOut.model_rebuild()


class FrameworkOut(Schema):
    code: str
    name: str
    name_vi: str
    name_en: str
    source: str
    version: str
    structure: list[NodeOut]


class TargetOut(Schema):
    year: int
    value: float
    scope: str  # "national" or "city"


class IndicatorOut(Schema):
    code: str
    name: str
    name_vi: str
    name_en: str
    description: str
    unit: str
    type: str
    formula: dict[str, Any]
    default_by: list[str]
    frameworks: list[str]
    targets: list[TargetOut]
    version: str
    values_url: str


class ValuesOut(Schema):
    indicator: str
    unit: str
    period: str
    period_start: str
    period_end: str
    area: str | None
    by: list[str]
    exact: bool
    message: str
    rows: list[dict[str, Any]]
