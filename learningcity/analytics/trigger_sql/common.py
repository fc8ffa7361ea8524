# ruff: noqa: S608 - fixed SQL built from constant table, column and trigger names, no user input
"""The pieces every trigger of the figures chain shares: table names, month columns, the per-month sums, the
additive upsert's SET clauses and PostgreSQL's statement-level trigger with its function."""

from __future__ import annotations

ATTENDANCE = "programmes_attendance"
LEARNERS = "programmes_learner"
SUMMARY = "analytics_participation"
LY = "analytics_learneryear"
PY = "analytics_peopleyear"
PLM = "analytics_programmelearner"
PGY = "analytics_programmeyear"

MONTHS = range(1, 13)
A_COLS = [f"a{m:02d}" for m in MONTHS]  # attendances per month
N_COLS = [f"n{m:02d}" for m in MONTHS]  # minutes per month
SUMS = (
    A_COLS + N_COLS
)  # the month columns of the summary and of the rollups that sum it (models.MonthColumns)

# PostgreSQL allows transition tables only on single-event triggers: one trigger per event.
PG_REFERENCING = {
    "INSERT": "NEW TABLE AS new_rows",
    "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "DELETE": "OLD TABLE AS old_rows",
}


def by_month(month: str, count: str, minutes: str, *, summed: bool = False) -> list[str]:
    """The 24 month columns' values of a row whose month is `month`: `count` (a01..a12) and `minutes` (n01..n12)
    in its own month's columns, 0 in the others; each inside SUM(...) when `summed`."""
    values = [f"CASE WHEN {month} = {m} THEN {count} ELSE 0 END" for m in MONTHS]
    values += [f"CASE WHEN {month} = {m} THEN {minutes} ELSE 0 END" for m in MONTHS]
    return [f"SUM({v})" for v in values] if summed else values


def added(cols: list[str], target: str = "", excluded: str = "excluded") -> str:
    """SET clauses of an upsert that add the incoming row's `cols` to the row already there (`target`: the
    table's name and a dot, or nothing)."""
    return ", ".join(f"{c} = {target}{c} + {excluded}.{c}" for c in cols)


def pg_function(name: str, body: list[str]) -> str:
    """A PL/pgSQL trigger function running `body` (statements with their semicolons)."""
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$\nBEGIN\n"
        + "\n".join(body)
        + "\nRETURN NULL;\nEND;\n$$ LANGUAGE plpgsql"
    )


def pg_statement_trigger(name: str, op: str, table: str) -> str:
    """A statement-level AFTER trigger on `table` for `op` with its transition tables, running function `name`."""
    return (
        f"CREATE TRIGGER {name} AFTER {op} ON {table} REFERENCING {PG_REFERENCING[op]} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
    )


def execute_all(connection, statements: list[str]) -> None:
    """Run `statements` in order on `connection` (the layers' install, uninstall and rebuild)."""
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def triggers_present(connection, pg_names: list[str], sqlite_names: list[str]) -> bool:
    """Whether every trigger of a layer is installed on `connection` (named per engine)."""
    names = pg_names if connection.vendor == "postgresql" else sqlite_names
    listed = ", ".join(f"'{n}'" for n in names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT COUNT(*) FROM pg_trigger WHERE tgname IN ({listed}) AND NOT tgisinternal")
        else:
            cursor.execute(
                f"SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ({listed})"
            )
        return cursor.fetchone()[0] == len(names)


def drop_statements(vendor: str, pg_triggers: dict[str, str], sqlite_triggers: list[str]) -> list[str]:
    """A layer's uninstall: its triggers (PostgreSQL: name -> table, then their functions of the same names)."""
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {name} ON {table}" for name, table in pg_triggers.items()] + [
            f"DROP FUNCTION IF EXISTS {name}()" for name in pg_triggers
        ]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in sqlite_triggers]
