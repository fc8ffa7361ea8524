# ruff: noqa: S608 - fixed SQL built from constant table and column names, no user input
"""Database triggers that keep analytics_participation in step with programmes_attendance.

Row-level triggers (SQLite and PostgreSQL) run inside the transaction that writes attendance, bulk_create and
queryset deletes included, so the summary can never be stale. `backfill()` rebuilds the summary from the
attendance table once (used by the migration that installs the triggers, and by `analytics_rebuild` for repair).
"""

from __future__ import annotations

from django.db import connection as default_connection

ATTENDANCE = "programmes_attendance"
SUMMARY = "analytics_participation"
A_COLS = [f"a{m:02d}" for m in range(1, 13)]
N_COLS = [f"n{m:02d}" for m in range(1, 13)]
ALL_COLS = A_COLS + N_COLS


def _year(vendor: str, ref: str) -> str:
    if vendor == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {ref}.date) AS INTEGER)"
    return f"CAST(strftime('%Y', {ref}.date) AS INTEGER)"


def _month(vendor: str, ref: str) -> str:
    if vendor == "postgresql":
        return f"CAST(EXTRACT(MONTH FROM {ref}.date) AS INTEGER)"
    return f"CAST(strftime('%m', {ref}.date) AS INTEGER)"


def _apply(vendor: str, ref: str, sign: str) -> list[str]:
    """Statements adding (sign '+') or removing (sign '-') one attendance row `ref` (NEW or OLD)."""
    month = _month(vendor, ref)
    year = _year(vendor, ref)
    sets = [f"{c} = {c} {sign} (CASE WHEN {month} = {i + 1} THEN 1 ELSE 0 END)" for i, c in enumerate(A_COLS)]
    sets += [
        f"{c} = {c} {sign} (CASE WHEN {month} = {i + 1} THEN {ref}.minutes ELSE 0 END)"
        for i, c in enumerate(N_COLS)
    ]
    where = f"learner_id = {ref}.learner_id AND programme_id = {ref}.programme_id AND year = {year}"
    statements = []
    if sign == "+":
        zeros = ", ".join("0" for _ in ALL_COLS)
        cols = ", ".join(ALL_COLS)
        values = f"{ref}.city_id, {ref}.learner_id, {ref}.programme_id, {year}, {zeros}"
        if vendor == "postgresql":
            statements.append(
                f"INSERT INTO {SUMMARY} (city_id, learner_id, programme_id, year, {cols}) VALUES ({values}) "
                "ON CONFLICT (learner_id, programme_id, year) DO NOTHING"
            )
        else:
            statements.append(
                f"INSERT OR IGNORE INTO {SUMMARY} (city_id, learner_id, programme_id, year, {cols}) VALUES ({values})"
            )
    statements.append(f"UPDATE {SUMMARY} SET {', '.join(sets)} WHERE {where}")
    return statements


def install(connection=None) -> None:
    connection = connection or default_connection
    vendor = connection.vendor
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            body = "\n".join(
                [
                    "BEGIN",
                    "IF TG_OP = 'DELETE' OR TG_OP = 'UPDATE' THEN",
                    *[s + ";" for s in _apply(vendor, "OLD", "-")],
                    "END IF;",
                    "IF TG_OP = 'INSERT' OR TG_OP = 'UPDATE' THEN",
                    *[s + ";" for s in _apply(vendor, "NEW", "+")],
                    "END IF;",
                    "RETURN NULL;",
                    "END;",
                ]
            )
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION analytics_participation_sync() RETURNS trigger AS $$\n{body}\n$$ "
                "LANGUAGE plpgsql"
            )
            cursor.execute(f"DROP TRIGGER IF EXISTS analytics_participation_sync ON {ATTENDANCE}")
            cursor.execute(
                f"CREATE TRIGGER analytics_participation_sync AFTER INSERT OR UPDATE OR DELETE ON {ATTENDANCE} "
                "FOR EACH ROW EXECUTE FUNCTION analytics_participation_sync()"
            )
            return
        uninstall(connection)
        # SQLite: one small trigger per month and operation; its WHEN picks the month, so each attendance write
        # runs one insert-if-missing and one two-column update.
        for m in range(1, 13):
            for op, ref, sign in (
                ("INSERT", "NEW", "+"),
                ("DELETE", "OLD", "-"),
                ("UPDATE", "OLD", "-"),
                ("UPDATE", "NEW", "+"),
            ):
                name = f"analytics_att_{op.lower()}_{ref.lower()}_{m:02d}"
                cursor.execute(
                    f"CREATE TRIGGER {name} AFTER {op} ON {ATTENDANCE} "
                    f"WHEN CAST(strftime('%m', {ref}.date) AS INTEGER) = {m} BEGIN {_sqlite_month(ref, sign, m)} END"
                )


def _sqlite_month(ref: str, sign: str, m: int) -> str:
    year = _year("sqlite", ref)
    a, n = f"a{m:02d}", f"n{m:02d}"
    if sign == "+":
        values = ", ".join("1" if c == a else (f"{ref}.minutes" if c == n else "0") for c in ALL_COLS)
        return (
            f"INSERT INTO {SUMMARY} (city_id, learner_id, programme_id, year, {', '.join(ALL_COLS)}) "
            f"VALUES ({ref}.city_id, {ref}.learner_id, {ref}.programme_id, {year}, {values}) "
            f"ON CONFLICT (learner_id, programme_id, year) DO UPDATE SET {a} = {a} + 1, {n} = {n} + excluded.{n};"
        )
    where = f"learner_id = {ref}.learner_id AND programme_id = {ref}.programme_id AND year = {year}"
    return f"UPDATE {SUMMARY} SET {a} = {a} - 1, {n} = {n} - {ref}.minutes WHERE {where};"


_SQLITE_TRIGGERS = [
    f"analytics_att_{op}_{ref}_{m:02d}"
    for m in range(1, 13)
    for op, ref in (("insert", "new"), ("delete", "old"), ("update", "old"), ("update", "new"))
]


def uninstall(connection=None) -> None:
    connection = connection or default_connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER IF EXISTS analytics_participation_sync ON {ATTENDANCE}")
            cursor.execute("DROP FUNCTION IF EXISTS analytics_participation_sync()")
            return
        for name in [*_SQLITE_TRIGGERS, "analytics_att_ins", "analytics_att_del", "analytics_att_upd"]:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def backfill(connection=None) -> int:
    """Rebuild the whole summary from attendance (a repair tool; never needed for freshness)."""
    connection = connection or default_connection
    vendor = connection.vendor
    year = _year(vendor, "t")
    month = _month(vendor, "t")
    sums = [f"SUM(CASE WHEN {month} = {i + 1} THEN 1 ELSE 0 END)" for i in range(12)]
    sums += [f"SUM(CASE WHEN {month} = {i + 1} THEN t.minutes ELSE 0 END)" for i in range(12)]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {SUMMARY}")
        cursor.execute(
            f"INSERT INTO {SUMMARY} (city_id, learner_id, programme_id, year, {', '.join(ALL_COLS)}) "
            f"SELECT t.city_id, t.learner_id, t.programme_id, {year}, {', '.join(sums)} FROM {ATTENDANCE} t "
            f"GROUP BY t.city_id, t.learner_id, t.programme_id, {year}"
        )
        cursor.execute(f"SELECT COUNT(*) FROM {SUMMARY}")
        return cursor.fetchone()[0]


_checked: set[str] = set()


def installed(connection=None) -> bool:
    connection = connection or default_connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT COUNT(*) FROM pg_trigger WHERE tgname = 'analytics_participation_sync' AND NOT tgisinternal"
            )
            return cursor.fetchone()[0] == 1
        cursor.execute(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'analytics_att_%'"
        )
        return cursor.fetchone()[0] == len(_SQLITE_TRIGGERS)


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
