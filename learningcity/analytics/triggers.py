# ruff: noqa: S608 - fixed SQL built from constant table and column names, no user input
"""Database triggers that keep analytics_participation in step with programmes_attendance.

The triggers run inside the transaction that writes attendance (roster ticks, API, admin, bulk_create, queryset
updates and deletes, erasure, merge, imports), so the summary can never be stale nor counted twice: it commits or
rolls back with the attendance it describes.

- PostgreSQL: statement-level AFTER triggers with transition tables (REFERENCING NEW TABLE / OLD TABLE). Each
  INSERT, UPDATE or DELETE statement on attendance adds its rows to the summary with one aggregated
  INSERT ... ON CONFLICT DO UPDATE (GROUP BY learner, programme, year), however many rows it wrote: a one-row
  roster tick and a 5,000-row import batch take the same path, with no flag to set.
- SQLite (row-level triggers only): one small trigger per month and operation. An import wraps each batch in
  `bulk_insert()`: inside it the insert triggers are skipped (a one-row flag table that only the import's own
  write transaction ever sees, SQLite having a single writer), and on the way out the batch's rows are added with
  the same aggregated upsert. Updates and deletes always run their row triggers.

Summary rows are always written with ordinary INSERT ... ON CONFLICT DO UPDATE and UPDATE statements, so triggers
on analytics_participation itself (a further rollup) fire too. `backfill()` rebuilds the summary from the
attendance table once (used by the migration that installs the triggers, and by `analytics_rebuild` for repair).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection as default_connection
from django.db import transaction

from .trigger_sql import summary as sql
from .trigger_sql.common import A_COLS, ATTENDANCE, N_COLS, SUMMARY

# The SQL lives in trigger_sql.summary; the names other modules and tests read stay here too.
ALL_COLS = sql.ALL_COLS
BULK_FLAG = sql.BULK_FLAG
KEY = sql.KEY
PG_TRIGGERS = sql.PG_TRIGGERS
SQLITE_INSERT_TRIGGER = sql.SQLITE_INSERT_TRIGGER
_SQLITE_TRIGGERS = sql.SQLITE_TRIGGERS
__all__ = [
    "ALL_COLS",
    "ATTENDANCE",
    "A_COLS",
    "BULK_FLAG",
    "FIGURES_LOCK",
    "KEY",
    "N_COLS",
    "PG_TRIGGERS",
    "SQLITE_INSERT_TRIGGER",
    "SUMMARY",
    "backfill",
    "bulk_insert",
    "ensure_installed",
    "install",
    "installed",
    "lock_city_figures",
    "uninstall",
]


def install(connection=None) -> None:
    connection = connection or default_connection
    uninstall(connection)
    with connection.cursor() as cursor:
        for statement in sql.install_statements(connection.vendor):
            cursor.execute(statement)


def uninstall(connection=None) -> None:
    connection = connection or default_connection
    with connection.cursor() as cursor:
        for statement in sql.uninstall_statements(connection.vendor):
            cursor.execute(statement)


@contextmanager
def bulk_insert(connection=None) -> Iterator[None]:
    """Insert attendance rows in bulk inside this block; the summary follows with one aggregated upsert.

    Only INSERTs into attendance may run inside (updates and deletes keep their own triggers). Everything happens
    in one savepoint: an exception rolls back the rows, the summary and the flag together, and the flag is gone
    again before the block ends, so no other statement, transaction or connection ever runs with it.
    PostgreSQL needs nothing here: its statement-level triggers already aggregate each INSERT statement.
    """
    connection = connection or default_connection
    if connection.vendor != "sqlite" or not installed(connection):
        yield
        return
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {ATTENDANCE}")
        since = cursor.fetchone()[0]  # SQLite's single writer: rows with a larger id are the ones added below
        cursor.execute(f"INSERT INTO {BULK_FLAG} (active) VALUES (1)")
        try:
            yield
        finally:
            cursor.execute(f"DELETE FROM {BULK_FLAG}")
        cursor.execute(sql.bulk_upsert(since))


def backfill(connection=None) -> int:
    """Rebuild the whole summary from attendance (a repair tool; never needed for freshness)."""
    connection = connection or default_connection
    with connection.cursor() as cursor:
        for statement in sql.backfill_statements(connection.vendor):
            cursor.execute(statement)
        cursor.execute(f"SELECT COUNT(*) FROM {SUMMARY}")
        return cursor.fetchone()[0]


_checked: set[str] = set()


def installed(connection=None) -> bool:
    connection = connection or default_connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT COUNT(*) FROM pg_trigger WHERE tgname = ANY(%s) AND NOT tgisinternal",
                [list(PG_TRIGGERS.values())],
            )
            return cursor.fetchone()[0] == len(PG_TRIGGERS)
        cursor.execute(
            "SELECT COUNT(*) FROM sqlite_master WHERE (type = 'trigger' AND name LIKE 'analytics_att_%%') "
            "OR (type = 'table' AND name = %s)",
            [BULK_FLAG],
        )
        return cursor.fetchone()[0] == len(_SQLITE_TRIGGERS) + 1


def ensure_installed(connection=None) -> None:
    """Once per process: if a later migration rebuilt the attendance table (SQLite drops triggers with the old
    table), put the triggers back and rebuild the summary, so figures are never stale."""
    connection = connection or default_connection
    if connection.alias in _checked:
        return
    if not installed(connection):
        install(connection)
        backfill(connection)
    _checked.add(connection.alias)


FIGURES_LOCK = 7351  # = programmes.services.attendance_writes.ATTENDANCE_LOCK (a test holds them equal)


def lock_city_figures(city_id: int, connection=None) -> None:
    """Take this city's attendance lock until the transaction ends: the lock that programmes'
    `attendance_writes(city_id)` takes before every write of the city's attendance (see there). The rollups hold
    city-wide rows (people by area, sex, age band...), so two attendance writes of one city touch the same rows:
    taken in different orders by different statements, they deadlocked (found by the load test: two roster saves).
    Programmes' writers take it through `attendance_writes`; this is the same lock for any other code that must
    not run beside them."""
    from learningcity.programmes.services.attendance_writes import attendance_lock

    connection = connection or default_connection
    attendance_lock([int(city_id)], using=connection.alias)
