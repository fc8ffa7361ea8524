"""Registry hook (core.registry): the indicators, their values and the city's targets, for the apps above analytics.

Reporting and network import nothing from analytics: they reach this module through
`core.indicators.indicator_results()`, whose protocol `IndicatorResults` is its contract (mypy checks this module
against it, below). It hands out analytics' public reads (`selectors`) and its one write for others, the city's
targets (`services.city_target_set`); measures, formulas, labels and periods stay analytics' own.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from learningcity.core.models import City

from .models import Indicator
from .selectors import (
    IndicatorNotFound,
    IndicatorReader,
    dimension_label,
    indicator_get,
    indicator_list,
    indicator_total,
    indicators_active,
    indicators_by_code,
    target_rows,
)
from .services import city_target_set


def indicator_reader(*, city: City, period: str, exact: bool = False) -> IndicatorReader:
    """The values of the city's active indicators for one period ("2025", "2025-Q2"), one measure query."""
    return IndicatorReader(city=city, period=period, exact=exact)


def indicators_with_targets(indicators: Iterable[Indicator]) -> list[Indicator]:
    """Those of `indicator_list`'s indicators that have a target, national or the city's (read from its
    prefetch: no query)."""
    return [i for i in indicators if i.targets.all()]


__all__ = [
    "IndicatorNotFound",
    "city_target_set",
    "dimension_label",
    "indicator_get",
    "indicator_list",
    "indicator_reader",
    "indicator_total",
    "indicators_active",
    "indicators_by_code",
    "indicators_with_targets",
    "target_rows",
]

if TYPE_CHECKING:
    from learningcity.core.indicators import IndicatorResults

    from . import indicator_results as _this

    _conforms: IndicatorResults = _this
