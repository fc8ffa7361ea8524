"""Reads of the analytics app: the dashboards ("who is left behind"), frameworks, indicators, reported values.

The apps above analytics (reporting, network) import none of it: they reach what they need of these reads (and
the city's targets, `services.city_target_set`) through the hook `analytics/indicator_results.py`
(core.registry; typed by `core.indicators`); tests/test_layers.py holds them to it.
`results` gives an indicator's values as plain data (`indicator_result`, `indicator_total`, `IndicatorReader`
for many indicators of one period), `targets` the actual against target.

`catalogue` reads the indicator catalogue (frameworks, indicators, reported values); `participation` computes the
participation dashboard from the measures, and `board` holds what it returns (cells, tables, the ranking) and the
rows its exports write. Every public name is re-exported here: `selectors.dashboard(...)`.
"""

from __future__ import annotations

from .board import Cell, Dashboard, Ranked, Table, ranking_rows, table_rows
from .catalogue import (
    ensure_catalogue,
    framework_list,
    framework_tree,
    indicator_get,
    indicator_list,
    manual_value_list,
)
from .participation import MIN_POPULATION_TO_RANK, PEOPLE_BREAKDOWNS, PROGRAMME_BREAKDOWNS, dashboard
from .results import (
    IndicatorNotFound,
    IndicatorReader,
    IndicatorRef,
    IndicatorResult,
    ResultRow,
    dimension_label,
    indicator_result,
    indicator_total,
    indicators_active,
    indicators_by_code,
)
from .targets import TargetRow, target_rows

__all__ = [
    "MIN_POPULATION_TO_RANK",
    "PEOPLE_BREAKDOWNS",
    "PROGRAMME_BREAKDOWNS",
    "Cell",
    "Dashboard",
    "IndicatorNotFound",
    "IndicatorReader",
    "IndicatorRef",
    "IndicatorResult",
    "Ranked",
    "ResultRow",
    "Table",
    "TargetRow",
    "dashboard",
    "dimension_label",
    "ensure_catalogue",
    "framework_list",
    "framework_tree",
    "indicator_get",
    "indicator_list",
    "indicator_result",
    "indicator_total",
    "indicators_active",
    "indicators_by_code",
    "manual_value_list",
    "ranking_rows",
    "table_rows",
    "target_rows",
]
