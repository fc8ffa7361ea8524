# ruff: noqa: S608 - fixed SQL built from constant table names, no user input
"""The staff dashboard's last rollups, kept by triggers so the dashboard of a year reads only small tables:

- the learners per programme kind and topic (analytics_learnergroup per learner, year and group, summed into
  analytics_groupyear per city, year and group: distinct learners of the year, each quarter and month), kept by
  triggers on the programme learners (rollup.py's ProgrammeLearner) and on programmes (kind, topics);
- the sessions held per programme and learning space (analytics_sessionday per unit and date, summed into
  analytics_sessionyear per unit and year: sessions and distinct dates per month), kept by triggers on sessions.

`backfill()` rebuilds the four tables (migration 0004, `analytics_rebuild`); `installed()` / `ensure_installed()`
as in members.py. The SQL is in trigger_sql.groups and trigger_sql.sessions.
"""

from __future__ import annotations

from django.db import connection as default_connection
from django.db import transaction

from .trigger_sql import groups, sessions
from .trigger_sql.common import execute_all, triggers_present
from .trigger_sql.groups import GY, LG
from .trigger_sql.sessions import SD, SY

__all__ = ["GY", "LG", "SD", "SY", "backfill", "ensure_installed", "install", "installed", "uninstall"]
_LAYERS = (groups, sessions)


def install_statements(vendor: str) -> list[str]:
    return [
        s for layer in _LAYERS for s in layer.uninstall_statements(vendor) + layer.install_statements(vendor)
    ]


def uninstall_statements(vendor: str) -> list[str]:
    return [s for layer in _LAYERS for s in layer.uninstall_statements(vendor)]


def backfill_statements(vendor: str) -> list[str]:
    return [s for layer in _LAYERS for s in layer.backfill_statements(vendor)]


def install(connection=None) -> None:
    connection = connection or default_connection
    execute_all(connection, install_statements(connection.vendor))


def uninstall(connection=None) -> None:
    connection = connection or default_connection
    execute_all(connection, uninstall_statements(connection.vendor))


def backfill(connection=None) -> tuple[int, int]:
    """Rebuild the four tables (a repair tool; never needed for freshness), then install the triggers. Returns the
    number of GroupYear and SessionYear rows."""
    connection = connection or default_connection
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        uninstall(connection)
        execute_all(connection, backfill_statements(connection.vendor))
        install(connection)
        cursor.execute(f"SELECT (SELECT COUNT(*) FROM {GY}), (SELECT COUNT(*) FROM {SY})")
        group_years, session_years = cursor.fetchone()
    return group_years, session_years


_checked: set[str] = set()


def installed(connection=None) -> bool:
    connection = connection or default_connection
    return all(
        triggers_present(connection, list(layer.PG_TRIGGERS), layer.SQLITE_TRIGGERS) for layer in _LAYERS
    )


def ensure_installed(connection=None) -> None:
    """Once per process: put back triggers a later migration dropped (SQLite rebuilds a table without them)."""
    connection = connection or default_connection
    if connection.alias in _checked:
        return
    if not installed(connection):
        backfill(connection)
    _checked.add(connection.alias)


def migration_statements(vendor: str) -> list[str]:
    """What analytics 0004 runs (frozen beside it): the drops, the first rebuild, then the triggers."""
    return (
        uninstall_statements(vendor)
        + backfill_statements(vendor)
        + [s for layer in _LAYERS for s in layer.install_statements(vendor)]
    )
