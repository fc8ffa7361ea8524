"""The measures, computed from the live tables at the moment they are asked for (no batch rebuild).

People measures read tables kept in the writing transaction by database triggers: the people cube
(PeopleYear, rollup.py) for a year, quarter or month, the programme rollups for kinds and topics, the
participation summary (triggers.py) for what the cube cannot answer, attendance for spaces. Each is read once per
query object into a small "cube" by every people dimension, then rolled up in Python into any breakdown. Nothing
is cached between requests: a new attendance row shows in every figure on the next request.

Cells are keyed by tuples of breakdown values in the order asked; None in a position means "all" (a total over
that dimension), so one table holds its cells and all its margins.

The package is cut along the seams: `areas` (AreaIndex), `query` (MeasureQuery, NoData, the roll-up), `sql` (the
SQL pieces the row sources share), `rows` (the row sources), `cube` (the people cube and its tables), `population`,
`sessions`, `memberships`; `measure_table` below dispatches a measure to them.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from ..formulas import MEASURES
from .areas import SELF, AreaIndex
from .cube import CUBE_DIMS, cube_table, cube_tables_one_way, cube_tables_with_pair, people_cube, people_table
from .memberships import membership_table
from .population import POP_DIMS, population_table
from .query import PEOPLE_DIMS, PROGRAMME_DIMS, MeasureQuery, NoData, rollup
from .sessions import session_table

__all__ = [
    "CUBE_DIMS",
    "PEOPLE_DIMS",
    "POP_DIMS",
    "PROGRAMME_DIMS",
    "SELF",
    "AreaIndex",
    "MeasureQuery",
    "NoData",
    "cube_table",
    "cube_tables_one_way",
    "cube_tables_with_pair",
    "measure_table",
    "membership_table",
    "people_cube",
    "people_table",
    "population_table",
    "rollup",
    "session_table",
]


def measure_table(q: MeasureQuery, measure: str, by: list[str], **options) -> dict[tuple, float]:
    """One measure by a breakdown: {cell key: value}. Raises NoData or DomainError with a message."""
    if measure not in MEASURES:
        raise NoData(_("Unknown measure “%(measure)s”.") % {"measure": measure[:40]})
    if measure in ("learners", "attendances", "hours"):
        table = people_table(q, by)
        return {k: v.get(measure, 0) for k, v in table.items()}
    if measure == "population":
        return {k: v.get("population", 0) for k, v in population_table(q, by).items()}
    if measure in (
        "sessions",
        "active_spaces",
        "currently_active_spaces",
        "active_clubs",
        "currently_active_clubs",
    ):
        return {k: v.get(measure, 0) for k, v in session_table(q, by, measure).items()}
    if measure in ("members", "retained_members", "expected_attendances", "member_attendances"):
        table = membership_table(q, by, int(options.get("min_sessions", 3)))
        return {k: v.get(measure, 0) for k, v in table.items()}
    raise NoData(_("Unknown measure “%(measure)s”.") % {"measure": measure})
