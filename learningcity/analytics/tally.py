# ruff: noqa: S608 - fixed SQL built from constant table and column names, no user input
"""The learner tally: one row per city holding its number of learners, kept by triggers on programmes_learner.

The city home shows "Learners" on every visit; counting the learner table grew with the city (a full count of
its rows). The triggers keep the count in the transaction that adds or removes learners (a form, the API, an
import's new people, a merge, an erasure, a bulk load), so it commits or rolls back with them:

- PostgreSQL: statement-level triggers with transition tables on INSERT and DELETE (one grouped write however
  many learners a statement adds), and a row trigger for the rare move of a learner to another city. Each first
  takes the attendance lock of the cities it touches (`triggers.lock_city_figures`, the advisory lock
  `attendance_writes` takes before every write of the figures), then the tally row: a learner created outside
  `attendance_writes` (a form, the API, an import's new people before its attendance) thereby waits like any
  other writer of the city's figures, and the tally row is only ever taken after that lock, so two writers
  cannot take the two in opposite orders (a merge holds the lock and deletes a learner; an import creates
  learners and then writes attendance). The lock is re-entrant: a writer already inside `attendance_writes`
  takes nothing new.
- SQLite (one writer at a time): row triggers, +1 and -1.

`backfill()` rebuilds the tally from the learners (the migration that installs the triggers, `analytics_rebuild`);
`installed()` / `ensure_installed()` as in triggers.py. The SQL is in trigger_sql.tally.
"""

from __future__ import annotations

from django.db import connection as default_connection
from django.db import transaction

from .trigger_sql import tally as sql
from .trigger_sql.common import execute_all, triggers_present
from .trigger_sql.tally import TALLY

__all__ = ["TALLY", "backfill", "ensure_installed", "install", "installed", "learner_count", "uninstall"]


def install(connection=None) -> None:
    connection = connection or default_connection
    execute_all(
        connection, sql.uninstall_statements(connection.vendor) + sql.install_statements(connection.vendor)
    )


def uninstall(connection=None) -> None:
    connection = connection or default_connection
    execute_all(connection, sql.uninstall_statements(connection.vendor))


def backfill(connection=None) -> int:
    """Rebuild the tally from the learners (a repair tool; never needed for freshness), then install the
    triggers. Returns the number of cities counted."""
    connection = connection or default_connection
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        uninstall(connection)
        execute_all(connection, sql.backfill_statements())
        install(connection)
        cursor.execute(f"SELECT COUNT(*) FROM {TALLY}")
        return cursor.fetchone()[0]


_checked: set[str] = set()


def installed(connection=None) -> bool:
    return triggers_present(connection or default_connection, sql.PG_TRIGGERS, sql.SQLITE_TRIGGERS)


def ensure_installed(connection=None) -> None:
    """Once per process: if a later migration rebuilt the learner table (SQLite drops triggers with the old
    table), put the triggers back and rebuild the tally, so the figure is never stale."""
    connection = connection or default_connection
    if connection.alias in _checked:
        return
    if not installed(connection):
        backfill(connection)
    _checked.add(connection.alias)


def learner_count(city_id: int) -> int:
    """The city's learners: one row read, whatever the size of the city."""
    ensure_installed()
    with default_connection.cursor() as cursor:
        cursor.execute(f"SELECT learners FROM {TALLY} WHERE city_id = %s", [int(city_id)])
        row = cursor.fetchone()
    return int(row[0]) if row else 0
