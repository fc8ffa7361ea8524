# ruff: noqa: S608 - fixed SQL built from constant table and column names, no user input
"""The member rollups: members of each programme and year, and how often they came, kept by triggers.

LC.ATTENDANCE and LC.RETENTION compare attendance with memberships; grouping every membership with its summary
row on each request grew with the memberships. Two small tables answer them for a calendar year, by programme,
kind or topic (measures.memberships reads them; other breakdowns and periods still group the memberships):

- analytics_memberjoin (MemberJoin): per programme and year, memberships that began (joined) and ended (leaving)
  in it. The members active in year Y are those joined in Y or before less those that left before Y.
- analytics_membercame (MemberCame): per programme, year and number of attendances that year (1 or more), the
  members active in that year who came that often (a learner with two memberships active counts twice, as the
  memberships are counted). Retention for any threshold, and attendance capped at the sessions held, follow.

Triggers keep both inside the writing transaction:

- on memberships (a membership moves its joining and leaving years and its learner's attendance buckets):
  PostgreSQL: statement-level triggers with transition tables, after the attendance lock of the statement's
  cities (like the learner tally, so memberships written outside `attendance_writes` wait for the city's writers):
  each INSERT, UPDATE or DELETE statement moves all its rows with one aggregated statement per rollup, so an
  import writes its memberships in one statement. SQLite (row triggers only): one trigger per operation; an import
  wraps its memberships in `bulk_insert()` (programmes' `attendance_writes(..., bulk="memberships")`): inside it
  the insert trigger is dropped (in the importing savepoint; SQLite has one writer, so no other connection ever
  writes without it: a trigger skipped by a WHEN still cost most of its time per row) and on the way out it is put
  back and the block's memberships are added with the same aggregated upserts as PostgreSQL's.
- on the summary (statement-level on PostgreSQL, rows on SQLite), moving each changed summary row's active members
  from its old yearly total to its new one.

`backfill()` rebuilds both (migration 0003, `analytics_rebuild`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection as default_connection
from django.db import transaction

from .trigger_sql import members as sql
from .trigger_sql.common import execute_all, triggers_present
from .trigger_sql.members import CAME, JOINS, MEMBERSHIPS, SQLITE_INSERT_TRIGGER

__all__ = [
    "CAME",
    "JOINS",
    "backfill",
    "bulk_insert",
    "ensure_installed",
    "install",
    "installed",
    "uninstall",
]


def install(connection=None) -> None:
    connection = connection or default_connection
    execute_all(
        connection, sql.uninstall_statements(connection.vendor) + sql.install_statements(connection.vendor)
    )


def uninstall(connection=None) -> None:
    connection = connection or default_connection
    execute_all(connection, sql.uninstall_statements(connection.vendor))


@contextmanager
def bulk_insert(connection=None) -> Iterator[None]:
    """Insert memberships in bulk inside this block; both rollups follow with one aggregated upsert each.

    Only INSERTs into memberships may run inside. One savepoint holds the rows, the rollups and the dropped insert
    trigger, which is back before the block ends (an exception rolls all of it back). PostgreSQL needs nothing here: its
    statement-level triggers already aggregate each INSERT statement (write the rows in one statement)."""
    connection = connection or default_connection
    if connection.vendor != "sqlite" or not installed(connection):
        yield
        return
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {MEMBERSHIPS}")
        since = cursor.fetchone()[0]  # SQLite's single writer: rows with a larger id are the ones added below
        cursor.execute(f"DROP TRIGGER {SQLITE_INSERT_TRIGGER}")
        try:
            yield
        finally:
            cursor.execute(sql.sqlite_insert_trigger())
        execute_all(connection, sql.bulk_statements(connection.vendor, since))


def backfill(connection=None) -> tuple[int, int]:
    """Rebuild both tables (a repair tool; never needed for freshness), then install the triggers. Returns the
    number of rows of each."""
    connection = connection or default_connection
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        uninstall(connection)
        execute_all(connection, sql.backfill_statements(connection.vendor))
        install(connection)
        cursor.execute(f"SELECT (SELECT COUNT(*) FROM {JOINS}), (SELECT COUNT(*) FROM {CAME})")
        joins, came = cursor.fetchone()
    return joins, came


_checked: set[str] = set()


def installed(connection=None) -> bool:
    return triggers_present(connection or default_connection, list(sql.PG_TRIGGERS), sql.SQLITE_TRIGGERS)


def ensure_installed(connection=None) -> None:
    """Once per process: put back triggers a later migration dropped (SQLite rebuilds a table without them)."""
    connection = connection or default_connection
    if connection.alias in _checked:
        return
    if not installed(connection):
        backfill(connection)
    _checked.add(connection.alias)
