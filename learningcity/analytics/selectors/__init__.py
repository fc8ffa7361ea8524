"""Reads of the analytics app: the dashboards ("who is left behind"), frameworks, indicators, reported values.

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

__all__ = [
    "MIN_POPULATION_TO_RANK",
    "PEOPLE_BREAKDOWNS",
    "PROGRAMME_BREAKDOWNS",
    "Cell",
    "Dashboard",
    "Ranked",
    "Table",
    "dashboard",
    "ensure_catalogue",
    "framework_list",
    "framework_tree",
    "indicator_get",
    "indicator_list",
    "manual_value_list",
    "ranking_rows",
    "table_rows",
]
