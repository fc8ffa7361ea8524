# ruff: noqa: S608 - fixed SQL built from constant table and column names, no user input
"""Database triggers that keep the dashboard rollups in step with the participation summary and with learners.

Four tables, all kept inside the transaction that writes (no batch rebuild, nothing stale):

- analytics_learneryear (LearnerYear): the participation summary summed per learner and year, with the learner's
  people dimensions (home area, sex, birth year, ethnicity, disability) copied in. Triggers ON
  analytics_participation add each summary row's change; triggers ON programmes_learner copy a learner's new
  dimensions into their rows (an edit, a merge) or delete their rows (erasure, deletion).
- analytics_peopleyear (PeopleYear): the people cube. Triggers ON analytics_learneryear move each learner-year
  row's contribution between cells: distinct learners of the year, of each quarter and of each month, and
  attendances and minutes per month. The dashboard reads a few thousand cells instead of grouping every learner.
- analytics_programmelearner (ProgrammeLearner): one narrow row per summary row, the months with attendance as
  bits, so learners are counted distinctly per programme kind or topic without reading the wide summary rows.
- analytics_programmeyear (ProgrammeYear): attendances and minutes per programme, year and month.

The summary itself is kept by triggers.py (attendance -> summary); this module never touches attendance.
`backfill()` rebuilds the tables from the summary and the learners (used by the migration that installs the
triggers, and for repair); `installed()` / `ensure_installed()` as in triggers.py. The SQL itself is in trigger_sql.rollup.
"""

from __future__ import annotations

from django.db import connection as default_connection
from django.db import transaction

from .trigger_sql import rollup as sql
from .trigger_sql.common import LEARNERS, LY, PGY, PLM, PY, SUMMARY, SUMS
from .trigger_sql.rollup import CELL, COUNTS, DIMS

__all__ = [
    "CELL",
    "COUNTS",
    "DIMS",
    "LEARNERS",
    "LY",
    "PGY",
    "PLM",
    "PY",
    "SUMMARY",
    "SUMS",
    "backfill",
    "ensure_installed",
    "install",
    "installed",
    "uninstall",
]


def install(connection=None, programmes: bool = True) -> None:
    """Install every trigger; `programmes=False` leaves out the programme tables (migration 0004, before 0005
    creates them)."""
    connection = connection or default_connection
    uninstall(connection)
    with connection.cursor() as cursor:
        for statement in sql.install_statements(connection.vendor, programmes):
            cursor.execute(statement)


def uninstall(connection=None) -> None:
    connection = connection or default_connection
    with connection.cursor() as cursor:
        for statement in sql.uninstall_statements(connection.vendor):
            cursor.execute(statement)


def backfill(connection=None, programmes: bool = True) -> tuple[int, int]:
    """Rebuild the rollup tables from the summary and the learners (a repair tool; never needed for freshness),
    then install the triggers. Returns the number of LearnerYear and PeopleYear rows."""
    connection = connection or default_connection
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        uninstall(connection)
        for statement in sql.backfill_statements(programmes):
            cursor.execute(statement)
        install(connection, programmes)
        cursor.execute(f"SELECT (SELECT COUNT(*) FROM {LY}), (SELECT COUNT(*) FROM {PY})")
        ly, py = cursor.fetchone()
    return ly, py


_checked: set[str] = set()


def installed(connection=None) -> bool:
    connection = connection or default_connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = ", ".join(f"'{n}'" for n in sql.PG_TRIGGERS)
            cursor.execute(f"SELECT COUNT(*) FROM pg_trigger WHERE tgname IN ({names}) AND NOT tgisinternal")
            return cursor.fetchone()[0] == len(sql.PG_TRIGGERS)
        names = ", ".join(f"'{n}'" for n in sql.SQLITE_TRIGGERS)
        cursor.execute(f"SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ({names})")
        return cursor.fetchone()[0] == len(sql.SQLITE_TRIGGERS)


def ensure_installed(connection=None) -> None:
    """Once per process: if a later migration rebuilt a table (SQLite drops triggers with the old table), put the
    triggers back and rebuild the rollup, so figures are never stale."""
    connection = connection or default_connection
    if connection.alias in _checked:
        return
    if not installed(connection):
        backfill(connection)
    _checked.add(connection.alias)
