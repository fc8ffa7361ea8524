# ruff: noqa: S608 - fixed SQL built from constant table and column names, no user input
"""The SQL of the first layer: triggers on programmes_attendance keeping analytics_participation (the summary),
their drops, the bulk path's aggregated upsert and the rebuild (triggers.py runs them; see there)."""

from __future__ import annotations

from .common import (
    ATTENDANCE,
    MONTHS,
    SUMMARY,
    SUMS,
    added,
    by_month,
    pg_function,
    pg_statement_trigger,
)

ALL_COLS = SUMS
KEY = "learner_id, programme_id, year"
BULK_FLAG = (
    "analytics_bulk_insert"  # SQLite: a row here (inside the importing transaction only) skips row triggers
)

PG_TRIGGERS = {
    "INSERT": "analytics_participation_ins",
    "UPDATE": "analytics_participation_upd",
    "DELETE": "analytics_participation_del",
}
SQLITE_INSERT_TRIGGER = "analytics_att_insert"
SQLITE_TRIGGERS = [
    SQLITE_INSERT_TRIGGER,
    *(
        f"analytics_att_{op}_{ref}_{m:02d}"
        for m in MONTHS
        for op, ref in (("delete", "old"), ("update", "old"), ("update", "new"))
    ),
]
_SQLITE_OLD = [f"analytics_att_insert_new_{m:02d}" for m in MONTHS]  # 0002's per-month insert triggers


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
    sums = by_month("u.month", "u.s", "u.s * u.minutes", summed=True)
    having = f" HAVING {' OR '.join(f'{s} <> 0' for s in sums)}" if changed_only else ""
    return (
        f"SELECT MAX(u.city_id) AS city_id, u.learner_id, u.programme_id, u.year, "
        f"{', '.join(f'{s} AS {c}' for s, c in zip(sums, ALL_COLS, strict=True))} "
        f"FROM ({rows_sql}) u GROUP BY u.learner_id, u.programme_id, u.year{having}"
    )


def _upsert(grouped_sql: str) -> str:
    """Add grouped (signed) figures to the summary: one ordinary INSERT ... ON CONFLICT DO UPDATE."""
    cols = ", ".join(ALL_COLS)
    sets = added(ALL_COLS, f"{SUMMARY}.")
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


def _sqlite_insert() -> str:
    """One attendance row NEW added to the summary (the month picked by CASE)."""
    values = by_month(_month("sqlite", "NEW"), "1", "NEW.minutes")
    return (
        f"INSERT INTO {SUMMARY} (city_id, {KEY}, {', '.join(ALL_COLS)}) "
        f"VALUES (NEW.city_id, NEW.learner_id, NEW.programme_id, {_year('sqlite', 'NEW')}, {', '.join(values)}) "
        f"ON CONFLICT ({KEY}) DO UPDATE SET {added(ALL_COLS)};"
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


def install_statements(vendor: str) -> list[str]:
    """The statements that create the triggers (after `uninstall_statements`)."""
    if vendor == "postgresql":
        out = []
        for op, statement in _pg_functions().items():
            name = PG_TRIGGERS[op]
            out += [pg_function(name, [f"{statement};"]), pg_statement_trigger(name, op, ATTENDANCE)]
        return out
    # SQLite: inserts run one trigger (a single trigger is cheap to skip: SQLite runs each row trigger as a
    # sub-program, WHEN included) that adds the row with one upsert, unless bulk_insert() set the flag; updates
    # and deletes run one small trigger per month whose WHEN picks the month (a two-column update).
    out = [
        f"CREATE TABLE IF NOT EXISTS {BULK_FLAG} (active INTEGER NOT NULL)",
        f"DELETE FROM {BULK_FLAG}",
        f"CREATE TRIGGER {SQLITE_INSERT_TRIGGER} AFTER INSERT ON {ATTENDANCE} "
        f"WHEN NOT EXISTS (SELECT 1 FROM {BULK_FLAG}) BEGIN {_sqlite_insert()} END",
    ]
    for m in MONTHS:
        for op, ref in (("DELETE", "OLD"), ("UPDATE", "OLD"), ("UPDATE", "NEW")):
            name = f"analytics_att_{op.lower()}_{ref.lower()}_{m:02d}"
            out.append(
                f"CREATE TRIGGER {name} AFTER {op} ON {ATTENDANCE} "
                f"WHEN CAST(strftime('%m', {ref}.date) AS INTEGER) = {m} BEGIN {_sqlite_month(ref, m)} END"
            )
    return out


def uninstall_statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        out = []
        for name in [*PG_TRIGGERS.values(), "analytics_participation_sync"]:  # _sync: the row trigger of 0002
            out += [f"DROP TRIGGER IF EXISTS {name} ON {ATTENDANCE}", f"DROP FUNCTION IF EXISTS {name}()"]
        return out
    names = [*SQLITE_TRIGGERS, *_SQLITE_OLD, "analytics_att_ins", "analytics_att_del", "analytics_att_upd"]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in names] + [f"DROP TABLE IF EXISTS {BULK_FLAG}"]


def bulk_upsert(since: int) -> str:
    """SQLite's bulk path: the attendance rows with an id above `since` added to the summary in one upsert."""
    return _upsert(_grouped(_rows("sqlite", ATTENDANCE, 1, f" WHERE t.id > {int(since)}")))


def backfill_statements(vendor: str) -> list[str]:
    """The whole summary rebuilt from attendance."""
    year = _year(vendor, "t")
    sums = by_month(_month(vendor, "t"), "1", "t.minutes", summed=True)
    return [
        f"DELETE FROM {SUMMARY}",
        f"INSERT INTO {SUMMARY} (city_id, learner_id, programme_id, year, {', '.join(ALL_COLS)}) "
        f"SELECT t.city_id, t.learner_id, t.programme_id, {year}, {', '.join(sums)} FROM {ATTENDANCE} t "
        f"GROUP BY t.city_id, t.learner_id, t.programme_id, {year}",
    ]
