"""Comparing progress: the shared indicators and their published values, side by side."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from learningcity.core.indicators import IndicatorRef, indicator_results
from learningcity.core.models import City

from ..models import (
    Membership,
    Network,
    SharedIndicator,
    SharedValue,
)
from ..services.sharing import definition_of
from .base import PER_CAPITA_UNITS, name_key


# -------------------------------------------------------------------------------------------- comparison
@dataclass
class CompareRow:
    city: City
    value: Decimal | None
    per_capita: Decimal | None
    suppressed: bool
    year: int
    population: int | None
    computed_at: dt.datetime
    source: str
    trend: list[tuple[int, Decimal | None]] = field(default_factory=list)


@dataclass
class Comparison:
    indicator: IndicatorRef | None
    year: int | None
    rows: list[CompareRow]
    years: list[int]
    excluded: list[tuple[City, str]]
    per_capita: bool


def shared_indicator_codes(*, network: Network) -> list[str]:
    members = Membership.objects.filter(network=network, left_on__isnull=True).values("city_id")
    codes = SharedIndicator.objects.filter(city_id__in=members).values_list("indicator_code", flat=True)
    return list(codes.distinct().order_by("indicator_code"))


def compare(*, network: Network, code: str, year: int | None, cities: list[str] | None = None) -> Comparison:
    """Member cities side by side on one shared indicator: only values of the same definition and year; counts
    per 1,000 inhabitants; suppressed values stay hidden; each row says its year, source and when it was made.
    Reads the published values (a few rows per city), never the raw attendance."""
    analytics = indicator_results()
    try:
        indicator = analytics.indicator_get(code=code)
    except analytics.IndicatorNotFound:
        return Comparison(None, year, [], [], [], False)
    definition = definition_of(indicator)
    members = Membership.objects.filter(network=network, left_on__isnull=True, city__is_public=True)
    if cities:
        members = members.filter(city__slug__in=cities)
    shared = SharedIndicator.objects.filter(indicator_code=code, city_id__in=members.values("city_id"))
    # Plain tuples, not model instances: 300 cities x a few years is the whole page.
    values = list(
        SharedValue.objects.filter(indicator_code=code, city_id__in=shared.values("city_id"))
        .order_by("city_id", "year")
        .values_list(
            "city_id", "year", "value", "population", "suppressed", "definition", "source", "computed_at"
        )
    )
    years = sorted({v[1] for v in values if v[5] == definition})
    if year is None:
        remote_years = [
            v["year"]
            for r in network.remote_cities.exclude(harvested_at=None)
            for v in r.payload.get("shared_values", [])
            if v["indicator"] == code and v["definition"] == definition
        ]
        year = max(years + remote_years, default=None)
    per_capita = indicator.unit in PER_CAPITA_UNITS
    by_city: dict[int, list[tuple]] = defaultdict(list)
    for v in values:
        by_city[v[0]].append(v)
    names = {
        c.pk: c for c in City.objects.filter(pk__in=list(by_city)).only("id", "slug", "name_vi", "name_en")
    }
    rows, excluded = [], []
    for city_id, city_values in by_city.items():
        current = next((v for v in city_values if v[1] == year), None)
        if current is None:
            continue
        _c, current_year, value, population, suppressed, current_definition, source, computed_at = current
        if current_definition != definition:
            excluded.append((names[city_id], "definition"))
            continue
        shown = None if suppressed or value is None else value
        rows.append(
            CompareRow(
                city=names[city_id],
                value=shown,
                per_capita=_ratio_per_1000(shown, population) if per_capita else None,
                suppressed=suppressed,
                year=current_year,
                population=population,
                computed_at=computed_at,
                source=source,
                trend=[(v[1], None if v[4] else v[2]) for v in city_values if v[5] == definition],
            )
        )
    rows += _remote_rows(network, code, year, definition, per_capita, years)
    rows.sort(key=lambda r: name_key(r.city.name))
    return Comparison(indicator, year, rows, sorted(set(years)), excluded, per_capita)


def _remote_rows(network, code, year, definition, per_capita, years) -> list[CompareRow]:
    """Rows of member cities on other installations, from the hub's last good copy (source: their address)."""
    from types import SimpleNamespace

    from django.utils.dateparse import parse_datetime

    rows = []
    for remote in network.remote_cities.exclude(harvested_at=None):
        values = [
            v
            for v in remote.payload.get("shared_values", [])
            if v["indicator"] == code and v["definition"] == definition
        ]
        years += [v["year"] for v in values]
        current = next((v for v in values if v["year"] == year), None)
        if current is None:
            continue
        value = None if current["suppressed"] or current["value"] is None else Decimal(current["value"])
        shared = SharedValue(value=value, population=current["population"], suppressed=current["suppressed"])
        rows.append(
            CompareRow(
                city=SimpleNamespace(name=remote.name or remote.slug, slug=remote.slug),  # type: ignore[arg-type]
                value=value,
                per_capita=_per_capita(shared) if per_capita else None,
                suppressed=current["suppressed"],
                year=current["year"],
                population=current["population"],
                computed_at=parse_datetime(current["computed_at"]) or remote.harvested_at,
                source=remote.base_url,
                trend=[
                    (v["year"], None if v["value"] is None else Decimal(v["value"]))
                    for v in sorted(values, key=lambda v: v["year"])
                ],
            )
        )
    return rows


def _per_capita(value: SharedValue) -> Decimal | None:
    return None if value.suppressed else _ratio_per_1000(value.value, value.population)


def _ratio_per_1000(value: Decimal | None, population: int | None) -> Decimal | None:
    if value is None or not population:
        return None
    return (value * 1000 / population).quantize(Decimal("0.01"))


def compare_rows(comparison: Comparison) -> tuple[list[str], list[list]]:
    header = [
        "city",
        "indicator",
        "year",
        "value",
        "per_1000_inhabitants",
        "suppressed",
        "population",
        "computed_at",
        "source",
    ]
    code = comparison.indicator.code if comparison.indicator else ""
    rows = [
        [
            r.city.name,
            code,
            r.year,
            r.value,
            r.per_capita,
            r.suppressed,
            r.population,
            r.computed_at.isoformat(timespec="seconds"),
            r.source or "this installation",
        ]
        for r in comparison.rows
    ]
    return header, rows


def shared_latest(*, city: City) -> list[dict[str, Any]]:
    """The city's shared indicators with their latest published value."""
    codes = list(SharedIndicator.objects.for_city(city).values_list("indicator_code", flat=True))
    latest: dict[str, SharedValue] = {}
    for value in (
        SharedValue.objects.for_city(city)
        .filter(indicator_code__in=codes)
        .order_by("indicator_code", "-year")
    ):
        latest.setdefault(value.indicator_code, value)
    names = indicator_results().indicators_by_code(codes=codes)
    return [{"code": c, "indicator": names.get(c), "value": latest.get(c)} for c in sorted(codes)]


def indicator_choices(codes: list[str]) -> list[tuple[str, str]]:
    names = {code: i.name for code, i in indicator_results().indicators_by_code(codes=codes).items()}
    return [(c, f"{c} · {names.get(c, '')}") for c in codes]


def shareable_indicators(*, city: City) -> list[tuple[IndicatorRef, bool]]:
    shared = set(SharedIndicator.objects.for_city(city).values_list("indicator_code", flat=True))
    return [(i, i.code in shared) for i in indicator_results().indicators_active()]


def shared_values_of(*, city: City) -> list[SharedValue]:
    shared = SharedIndicator.objects.for_city(city).values("indicator_code")
    return list(
        SharedValue.objects.for_city(city)
        .filter(indicator_code__in=shared, source="")
        .order_by("indicator_code", "year")
    )
