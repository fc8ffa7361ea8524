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

ATTENDANCE = "programmes_attendance"
SUMMARY = "analytics_participation"
BULK_FLAG = (
    "analytics_bulk_insert"  # SQLite: a row here (inside the importing transaction only) skips row triggers
)
A_COLS = [f"a{m:02d}" for m in range(1, 13)]
N_COLS = [f"n{m:02d}" for m in range(1, 13)]
ALL_COLS = A_COLS + N_COLS
KEY = "learner_id, programme_id, year"

PG_TRIGGERS = {
    "INSERT": "analytics_participation_ins",
    "UPDATE": "analytics_participation_upd",
    "DELETE": "analytics_participation_del",
}


def _year(vendor: str, ref: str) -> str:
    if vendor == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {ref}.date) AS INTEGER)"
    return f"CAST(strftime('%Y', {ref}.date) AS INTEGER)"


def _month(vendor: str, ref: str) -> str:
    if vendor == "postgresql":
        return f"CAST(EXTRACT(MONTH FROM {ref}.date) AS INTEGER)"
    return f"CAST(strftime('%m', {ref}.date) AS INTEGER)"


def _rows(vendor: str, relation: str, sign: int, where: str = "") -> str:
    """One line per attendance row of `relation`: its key, month, minutes and sign (+1 added, -1 removed)."""
    return (
        f"SELECT t.city_id, t.learner_id, t.programme_id, {_year(vendor, 't')} AS year, "
        f"{_month(vendor, 't')} AS month, t.minutes AS minutes, {sign} AS s FROM {relation} t{where}"
    )


def _grouped(rows_sql: str, *, changed_only: bool = False) -> str:
    """The rows summed per (learner, programme, year): counts a01..a12 and minutes n01..n12, signed."""
    sums = [f"SUM(CASE WHEN u.month = {m} THEN u.s ELSE 0 END)" for m in range(1, 13)]
    sums += [f"SUM(CASE WHEN u.month = {m} THEN u.s * u.minutes ELSE 0 END)" for m in range(1, 13)]
    having = f" HAVING {' OR '.join(f'{s} <> 0' for s in sums)}" if changed_only else ""
    return (
        f"SELECT MAX(u.city_id) AS city_id, u.learner_id, u.programme_id, u.year, "
        f"{', '.join(f'{s} AS {c}' for s, c in zip(sums, ALL_COLS, strict=True))} "
        f"FROM ({rows_sql}) u GROUP BY u.learner_id, u.programme_id, u.year{having}"
    )


def _upsert(grouped_sql: str) -> str:
    """Add grouped (signed) figures to the summary: one ordinary INSERT ... ON CONFLICT DO UPDATE."""
    cols = ", ".join(ALL_COLS)
    sets = ", ".join(f"{c} = {SUMMARY}.{c} + excluded.{c}" for c in ALL_COLS)
    # "WHERE true": SQLite's parser needs it before ON CONFLICT in an INSERT ... SELECT. ORDER BY: concurrent
    # writers lock summary rows in the same order, so two imports touching the same people cannot deadlock.
    return (
        f"INSERT INTO {SUMMARY} (city_id, {KEY}, {cols}) SELECT g.city_id, g.learner_id, g.programme_id, g.year, "
        f"{', '.join(f'g.{c}' for c in ALL_COLS)} FROM ({grouped_sql}) g WHERE true "
        f"ORDER BY g.learner_id, g.programme_id, g.year ON CONFLICT ({KEY}) DO UPDATE SET {sets}"
    )


def _subtract(grouped_sql: str) -> str:
    """Remove grouped figures (of deleted rows) from the summary: one ordinary UPDATE ... FROM."""
    sets = ", ".join(f"{c} = {SUMMARY}.{c} - g.{c}" for c in ALL_COLS)
    return (
        f"UPDATE {SUMMARY} SET {sets} FROM ({grouped_sql}) g WHERE {SUMMARY}.learner_id = g.learner_id "
        f"AND {SUMMARY}.programme_id = g.programme_id AND {SUMMARY}.year = g.year"
    )


def _pg_functions() -> dict[str, str]:
    v = "postgresql"
    return {
        "INSERT": _upsert(_grouped(_rows(v, "new_rows", 1))),
        "DELETE": _subtract(_grouped(_rows(v, "old_rows", 1))),
        # net change: the new rows added, the old rows removed; untouched keys (e.g. a space set to NULL) skipped
        "UPDATE": _upsert(
            _grouped(f"{_rows(v, 'new_rows', 1)} UNION ALL {_rows(v, 'old_rows', -1)}", changed_only=True)
        ),
    }


def install(connection=None) -> None:
    connection = connection or default_connection
    uninstall(connection)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            referencing = {
                "INSERT": "NEW TABLE AS new_rows",
                "DELETE": "OLD TABLE AS old_rows",
                "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
            }
            for op, statement in _pg_functions().items():
                name = PG_TRIGGERS[op]
                cursor.execute(
                    f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$\nBEGIN\n{statement};\n"
                    "RETURN NULL;\nEND;\n$$ LANGUAGE plpgsql"
                )
                cursor.execute(
                    f"CREATE TRIGGER {name} AFTER {op} ON {ATTENDANCE} REFERENCING {referencing[op]} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
                )
            return
        # SQLite: inserts run one trigger (a single trigger is cheap to skip: SQLite runs each row trigger as a
        # sub-program, WHEN included) that adds the row with one upsert, unless bulk_insert() set the flag; updates
        # and deletes run one small trigger per month whose WHEN picks the month (a two-column update).
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {BULK_FLAG} (active INTEGER NOT NULL)")
        cursor.execute(f"DELETE FROM {BULK_FLAG}")
        cursor.execute(
            f"CREATE TRIGGER {SQLITE_INSERT_TRIGGER} AFTER INSERT ON {ATTENDANCE} "
            f"WHEN NOT EXISTS (SELECT 1 FROM {BULK_FLAG}) BEGIN {_sqlite_insert()} END"
        )
        for m in range(1, 13):
            for op, ref in (("DELETE", "OLD"), ("UPDATE", "OLD"), ("UPDATE", "NEW")):
                name = f"analytics_att_{op.lower()}_{ref.lower()}_{m:02d}"
                cursor.execute(
                    f"CREATE TRIGGER {name} AFTER {op} ON {ATTENDANCE} "
                    f"WHEN CAST(strftime('%m', {ref}.date) AS INTEGER) = {m} BEGIN {_sqlite_month(ref, m)} END"
                )


def _sqlite_insert() -> str:
    """One attendance row NEW added to the summary (the month picked by CASE)."""
    month = _month("sqlite", "NEW")
    values = [f"CASE WHEN {month} = {m} THEN 1 ELSE 0 END" for m in range(1, 13)]
    values += [f"CASE WHEN {month} = {m} THEN NEW.minutes ELSE 0 END" for m in range(1, 13)]
    sets = ", ".join(f"{c} = {c} + excluded.{c}" for c in ALL_COLS)
    return (
        f"INSERT INTO {SUMMARY} (city_id, {KEY}, {', '.join(ALL_COLS)}) "
        f"VALUES (NEW.city_id, NEW.learner_id, NEW.programme_id, {_year('sqlite', 'NEW')}, {', '.join(values)}) "
        f"ON CONFLICT ({KEY}) DO UPDATE SET {sets};"
    )


def _sqlite_month(ref: str, m: int) -> str:
    """Remove (OLD) or add (NEW) one attendance row of month m: a two-column update or upsert."""
    year = _year("sqlite", ref)
    a, n = f"a{m:02d}", f"n{m:02d}"
    if ref == "NEW":
        values = ", ".join("1" if c == a else (f"{ref}.minutes" if c == n else "0") for c in ALL_COLS)
        return (
            f"INSERT INTO {SUMMARY} (city_id, learner_id, programme_id, year, {', '.join(ALL_COLS)}) "
            f"VALUES ({ref}.city_id, {ref}.learner_id, {ref}.programme_id, {year}, {values}) "
            f"ON CONFLICT (learner_id, programme_id, year) DO UPDATE SET {a} = {a} + 1, {n} = {n} + excluded.{n};"
        )
    where = f"learner_id = {ref}.learner_id AND programme_id = {ref}.programme_id AND year = {year}"
    return f"UPDATE {SUMMARY} SET {a} = {a} - 1, {n} = {n} - {ref}.minutes WHERE {where};"


SQLITE_INSERT_TRIGGER = "analytics_att_insert"
_SQLITE_TRIGGERS = [
    SQLITE_INSERT_TRIGGER,
    *(
        f"analytics_att_{op}_{ref}_{m:02d}"
        for m in range(1, 13)
        for op, ref in (("delete", "old"), ("update", "old"), ("update", "new"))
    ),
]
_SQLITE_OLD = [f"analytics_att_insert_new_{m:02d}" for m in range(1, 13)]  # 0002's per-month insert triggers


def uninstall(connection=None) -> None:
    connection = connection or default_connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for name in [
                *PG_TRIGGERS.values(),
                "analytics_participation_sync",
            ]:  # _sync: the row trigger of 0002
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {ATTENDANCE}")
                cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")
            return
        for name in [
            *_SQLITE_TRIGGERS,
            *_SQLITE_OLD,
            "analytics_att_ins",
            "analytics_att_del",
            "analytics_att_upd",
        ]:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DROP TABLE IF EXISTS {BULK_FLAG}")


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
        cursor.execute(_upsert(_grouped(_rows("sqlite", ATTENDANCE, 1, f" WHERE t.id > {int(since)}"))))


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
