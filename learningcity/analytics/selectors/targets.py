"""Actual against target: the national target (catalogue) and the city's own, per indicator and year, beside the
value the indicator has for that year (its total, suppressed as the reader may see it)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from learningcity.core.models import City

from ..indicators import evaluate_indicator
from ..measures import MeasureQuery
from ..models import Indicator, IndicatorTarget
from ..periods import period_parse


@dataclass
class TargetRow:
    indicator: Indicator
    year: int
    national: Decimal | None
    city: Decimal | None
    actual: float | None
    note: str = ""

    @property
    def gap(self) -> float | None:
        """Actual minus the city's target (else the national one)."""
        target = self.city if self.city is not None else self.national
        if target is None or self.actual is None:
            return None
        return round(self.actual - float(target), 2)


def actual_value(
    *, city: City, indicator: Indicator, year: int, exact: bool, q: MeasureQuery | None = None
) -> tuple[float | None, str]:
    """The indicator's total for a calendar year and its note (e.g. the source of a computed value); `q`, a
    measure query of that year, shares its tables between indicators."""
    q = q or MeasureQuery(city=city, period=period_parse(str(year)))
    result = evaluate_indicator(indicator, q, [], exact=exact)
    if result.message:
        return None, result.message
    row = next((r for r in result.rows if r.is_total), None)
    return (row.value, row.note) if row is not None else (None, "")


def target_rows(
    *, city: City, indicators: list[Indicator], exact: bool, years: list[int] | None = None
) -> list[TargetRow]:
    """Rows for every year that has a target (or the given years), per indicator; one query for the targets, and
    one measure query per year shared by every indicator, so the queries do not grow with the indicators."""
    targets = IndicatorTarget.objects.filter(
        indicator__in=indicators, city__isnull=True
    ) | IndicatorTarget.objects.filter(indicator__in=indicators, city=city)
    by_key: dict[tuple[int, int], dict[str, Decimal]] = {}
    for t in targets:
        by_key.setdefault((t.indicator_id, t.year), {})["city" if t.city_id else "national"] = t.value
    rows = []
    queries: dict[int, MeasureQuery] = {}
    for indicator in indicators:
        wanted = sorted({y for (code, y) in by_key if code == indicator.pk} | set(years or []))
        for year in wanted:
            got = by_key.get((indicator.pk, year), {})
            q = queries.get(year)
            if q is None:
                q = queries[year] = MeasureQuery(city=city, period=period_parse(str(year)))
            actual, note = actual_value(city=city, indicator=indicator, year=year, exact=exact, q=q)
            rows.append(TargetRow(indicator, year, got.get("national"), got.get("city"), actual, note))
    return rows


def city_targets(*, city: City) -> list[IndicatorTarget]:
    return list(
        IndicatorTarget.objects.filter(city=city)
        .select_related("indicator")
        .order_by("indicator__position", "year")
    )
