"""Schemas of the network API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema


class NetworkOut(Schema):
    slug: str
    name: str
    name_vi: str
    name_en: str
    languages: list[str]
    member_count: int
    is_demo: bool


class MemberOut(Schema):
    slug: str
    name: str
    country_code: str
    joined_on: dt.date
    lat: float | None
    lon: float | None


class ClusterOut(Schema):
    code: str
    name: str


class NetworkDetailOut(NetworkOut):
    members: list[MemberOut]
    clusters: list[ClusterOut]


class PracticeTextOut(Schema):
    language: str
    status: str
    title: str
    summary: str


class PracticeOut(Schema):
    city: str
    slug: str
    title: str
    summary: str
    original_language: str
    key_features: list[str]
    sdg_targets: list[str]
    award_criteria: list[str]
    clusters: list[str]
    indicator_codes: list[str]
    translations: list[PracticeTextOut]
    adopted_from: str | None
    url: str


class PracticeQuery(Schema):
    q: str = ""
    cluster: str = ""
    city: str = ""
    kf: str = ""
    sdg: str = ""
    award: str = ""
    lang: str = ""
    page: int = 1


class FacetOut(Schema):
    value: str
    label: str
    count: int


class PracticePageOut(Schema):
    total: int
    page: int
    pages: int
    items: list[PracticeOut]
    facets: dict[str, list[FacetOut]]


class CompareRowOut(Schema):
    city: str
    city_name: str
    year: int
    value: Decimal | None
    per_1000_inhabitants: Decimal | None
    suppressed: bool
    population: int | None
    computed_at: dt.datetime
    source: str
    trend: dict[str, Decimal | None]


class CompareOut(Schema):
    indicator: str
    unit: str
    year: int | None
    years: list[int]
    rows: list[CompareRowOut]
    excluded: list[str]


class CompareQuery(Schema):
    indicator: str = ""
    year: int | None = None


class PartyOut(Schema):
    city: str | None
    organisation: str
    country_code: str


class ProgrammeRefOut(Schema):
    id: int
    code: str
    title: str


class PartnershipOut(Schema):
    id: int
    title: str
    kind: str
    status: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    objectives: str
    parties: list[PartyOut]
    practices: list[str]
    indicator_codes: list[str]
    programmes: list[ProgrammeRefOut]
    programme_names: list[str] = Field(description="Programmes named but not on the installation")


class SharedValueOut(Schema):
    indicator: str
    year: int
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    population: int | None
    suppressed: bool
    unit: str
    definition: str
    computed_at: dt.datetime


class CityNetworkProfileOut(Schema):
    """What a city's installation publishes for network hubs: its profile, practices and shared values."""

    slug: str
    name: str
    name_vi: str
    name_en: str
    country_code: str
    lat: float | None
    lon: float | None
    facts: list[list[str]]
    practices: list[PracticeOut]
    shared_values: list[SharedValueOut]
