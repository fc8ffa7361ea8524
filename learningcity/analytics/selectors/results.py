"""Analytics' public reads of indicator values, for the apps above it (reporting, network, through the hook
`analytics/indicator_results.py`).

What comes back is plain data: the indicator's code, name and unit, the period's label, and rows with their
breakdown values already named in the active language, counts of people under 5 suppressed unless `exact`.
Nothing outside analytics needs its measures, formulas, periods or labels: they stay analytics' own
(docs/architecture.md, "The layers"; tests/test_layers.py).

`IndicatorReader` reads many indicators of one city and period with one measure query between them, so a page
that shows every indicator costs the queries of the measures it reads, not a set per indicator.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from learningcity.core.errors import DomainError
from learningcity.core.models import City

from ..indicators import evaluate_indicator
from ..labels import Labeller
from ..labels import dimension_label as _dimension_label
from ..measures import MeasureQuery, NoData
from ..models import Indicator
from ..periods import period_parse
from .catalogue import ensure_catalogue, indicator_list

IndicatorRef = (
    Indicator  # a catalogue entry as the selectors return it: read its fields, never query through it
)
IndicatorNotFound = Indicator.DoesNotExist  # what `indicator_get` raises for an unknown or inactive code


@dataclass(frozen=True)
class ResultRow:
    """One row of an indicator's result: `labels` names each breakdown value, `label` all of them together
    ("All" for the total)."""

    keys: dict[str, Any]
    labels: dict[str, str]
    numerator: float | None
    denominator: float | None
    value: float | None
    suppressed: bool = False
    note: str = ""

    @property
    def is_total(self) -> bool:
        return all(v is None for v in self.keys.values())

    @property
    def label(self) -> str:
        shown = [
            text for dim, text in self.labels.items() if dim != "reference" and self.keys.get(dim) is not None
        ]
        return ", ".join(shown) if shown else _("All")


@dataclass(frozen=True)
class IndicatorResult:
    code: str
    name: str
    unit: str
    period: str  # the period's label ("2025", "Quarter 2 2025")
    by: list[str]
    rows: list[ResultRow] = field(default_factory=list)
    message: str = ""  # why there is nothing honest to show

    @property
    def has_data(self) -> bool:
        return not self.message and bool(self.rows)

    @property
    def total(self) -> ResultRow | None:
        if self.message:
            return None
        return next((r for r in self.rows if r.is_total), None)


def dimension_label(dim: str) -> str:
    """The people-facing name of a breakdown ("Sex", "Ethnic group")."""
    return _dimension_label(dim)


class IndicatorReader:
    """The values of a city's indicators for one period ("2025", "2025-Q2", "R12-2025-06").

    `indicators` (from `indicator_list`) spares reading the catalogue again; unknown codes give None."""

    def __init__(
        self, *, city: City, period: str, exact: bool = False, indicators: Iterable[Indicator] | None = None
    ):
        self.city, self.exact = city, exact
        self.indicators = {
            i.code: i for i in (indicators if indicators is not None else indicator_list(city=city))
        }
        self._q = MeasureQuery(city=city, period=period_parse(period))
        self._labeller: Labeller | None = None

    @property
    def period_label(self) -> str:
        return self._q.period.label

    def label(self, dim: str, value: Any) -> str:
        if self._labeller is None:
            self._labeller = Labeller(self.city, self._q.index, self._q.root)
        if dim == "reference":
            return str(value)
        return self._labeller(dim, value)

    def result(self, code: str, by: Sequence[str] = ()) -> IndicatorResult | None:
        indicator = self.indicators.get(code)
        if indicator is None:
            return None
        try:
            raw = evaluate_indicator(indicator, self._q, list(by), exact=self.exact)
        except NoData as exc:
            return IndicatorResult(
                code, indicator.name, indicator.unit, self.period_label, list(by), message=exc.message
            )
        rows = [
            ResultRow(
                keys=dict(r.keys),
                labels={dim: self.label(dim, v) for dim, v in r.keys.items() if v is not None},
                numerator=r.numerator,
                denominator=r.denominator,
                value=r.value,
                suppressed=r.suppressed,
                note=r.note,
            )
            for r in raw.rows
        ]
        return IndicatorResult(
            code, indicator.name, indicator.unit, self.period_label, list(raw.by), rows, raw.message
        )


def indicator_result(
    *, city: City, code: str, period: str, by: Sequence[str] = (), exact: bool = False
) -> IndicatorResult | None:
    """One indicator's value for a period, broken down `by` (None for an unknown or inactive code)."""
    ensure_catalogue()
    indicators = Indicator.objects.filter(code=code, is_active=True)
    return IndicatorReader(city=city, period=period, exact=exact, indicators=indicators).result(code, by)


def indicator_total(
    *, city: City, indicator: IndicatorRef | str, year: int, exact: bool = False
) -> ResultRow | None:
    """An indicator's total for a calendar year, or None where it has none (no data, a formula it cannot
    compute, an unknown code). `indicator` is a catalogue entry (as `indicator_get` returns it) or a code."""
    try:
        if isinstance(indicator, str):
            result = indicator_result(city=city, code=indicator, period=str(year), exact=exact)
        else:
            reader = IndicatorReader(city=city, period=str(year), exact=exact, indicators=[indicator])
            result = reader.result(indicator.code)
    except DomainError:
        return None
    return result.total if result is not None else None


def indicators_by_code(*, codes: Iterable[str]) -> dict[str, Indicator]:
    """Catalogue entries by code (inactive ones too: what a city once shared keeps its name)."""
    return {i.code: i for i in Indicator.objects.filter(code__in=list(codes))}


def indicators_active() -> list[Indicator]:
    """The active indicators in the catalogue's order, without their frameworks or targets."""
    return list(Indicator.objects.filter(is_active=True).order_by("position", "code"))
