# ruff: noqa: S608 - fixed SQL built from constant table and column names, no user input
"""The SQL of the dashboard's sessions rollup: row triggers on programmes_session keeping

- analytics_sessionday (SessionDay): per unit (a programme `p` or a learning space `s`) and date, its sessions held
  that day (not cancelled);
- analytics_sessionyear (SessionYear): per unit and year, its sessions held in each month (s01..s12) and its
  distinct dates with a held session in each month (d01..d12). A date lies in one month, so the distinct dates of
  any run of whole months are the sum of its months'.

"Sessions held", "active learning spaces" and "active clubs" (3 or more sessions on 3 or more dates) of a period of
whole months then read one row per unit and year instead of the sessions. Each trigger moves a session's day
counter first and then its unit-year: a date counts when its day goes from 0 to 1 session and stops when it goes
back to 0 (counted by the counter, not by looking at the sessions, so a statement writing several sessions of one
day counts it once on both engines). Row triggers on both engines (sessions are written a few at a time, a
schedule's generation a few hundred); on PostgreSQL after the city's attendance lock, like the other writers of
the figures. Removals only UPDATE rows their addition made (never INSERT).
"""

from __future__ import annotations

from .common import MONTHS, drop_statements, pg_function
from .summary import _month, _year

SESSIONS = "programmes_session"
SD = "analytics_sessionday"
SY = "analytics_sessionyear"
FIGURES_LOCK = 7351  # the city's attendance lock (programmes.services.attendance_writes.ATTENDANCE_LOCK)
S_COLS = [f"s{m:02d}" for m in MONTHS]  # sessions held per month
D_COLS = [f"d{m:02d}" for m in MONTHS]  # distinct dates with a held session per month
UNITS = [("p", "programme_id"), ("s", "space_id")]
HELD = "status <> 'cancelled'"  # programmes.SessionQuerySet.held()
PG_TRIGGERS = {"analytics_sd_session": SESSIONS}
SQLITE_TRIGGERS = ["analytics_sd_ins", "analytics_sd_del", "analytics_sd_upd_old", "analytics_sd_upd_new"]


def _day_sessions(ref: str, unit: str, column: str) -> str:
    return f"(SELECT d.sessions FROM {SD} d WHERE d.unit = '{unit}' AND d.unit_id = {ref}.{column} AND d.date = {ref}.date)"


def _add(vendor: str, ref: str) -> list[str]:
    """Held session `ref` added to its units' day and year (a space only when it has one)."""
    target = lambda t: f"{t}." if vendor == "postgresql" else ""  # noqa: E731 - two engines' spelling
    excluded = "EXCLUDED" if vendor == "postgresql" else "excluded"
    month = _month(vendor, ref)
    out = []
    for unit, column in UNITS:
        has = f"{ref}.{column} IS NOT NULL"
        out.append(
            f"INSERT INTO {SD} (city_id, unit, unit_id, date, sessions) SELECT {ref}.city_id, '{unit}', "
            f"{ref}.{column}, {ref}.date, 1 WHERE {has} ON CONFLICT (unit, unit_id, date) "
            f"DO UPDATE SET sessions = {target(SD)}sessions + 1"
        )
        new_date = f"CASE WHEN {_day_sessions(ref, unit, column)} = 1 THEN 1 ELSE 0 END"
        values = [f"CASE WHEN {month} = {m} THEN 1 ELSE 0 END" for m in MONTHS]
        values += [f"CASE WHEN {month} = {m} THEN {new_date} ELSE 0 END" for m in MONTHS]
        cols = [*S_COLS, *D_COLS]
        out.append(
            f"INSERT INTO {SY} (city_id, unit, unit_id, year, {', '.join(cols)}) SELECT {ref}.city_id, '{unit}', "
            f"{ref}.{column}, {_year(vendor, ref)}, {', '.join(values)} WHERE {has} "
            f"ON CONFLICT (unit, unit_id, year) DO UPDATE SET "
            + ", ".join(f"{c} = {target(SY)}{c} + {excluded}.{c}" for c in cols)
        )
    return out


def _sub(vendor: str, ref: str) -> list[str]:
    """Held session `ref` taken from its units' day and year: only rows already there are updated."""
    month = _month(vendor, ref)
    out = []
    for unit, column in UNITS:
        out.append(
            f"UPDATE {SD} SET sessions = sessions - 1 WHERE unit = '{unit}' AND unit_id = {ref}.{column} "
            f"AND date = {ref}.date"
        )
        gone = f"CASE WHEN {_day_sessions(ref, unit, column)} = 0 THEN 1 ELSE 0 END"
        sets = [f"s{m:02d} = s{m:02d} - (CASE WHEN {month} = {m} THEN 1 ELSE 0 END)" for m in MONTHS]
        sets += [f"d{m:02d} = d{m:02d} - (CASE WHEN {month} = {m} THEN {gone} ELSE 0 END)" for m in MONTHS]
        out.append(
            f"UPDATE {SY} SET {', '.join(sets)} WHERE unit = '{unit}' AND unit_id = {ref}.{column} "
            f"AND year = {_year(vendor, ref)}"
        )
    return out


def _moved(vendor: str) -> str:
    """An update that changes what a session counts for: its units, date, city or whether it is held."""
    op = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
    cols = " OR ".join(f"NEW.{c} {op} OLD.{c}" for c in ("programme_id", "space_id", "date", "city_id"))
    return f"{cols} OR (NEW.{HELD}) {op} (OLD.{HELD})"


def install_statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        name = "analytics_sd_session"
        steps = [
            f"IF TG_OP = 'UPDATE' AND NOT ({_moved(vendor)}) THEN RETURN NULL; END IF;",
            "IF TG_OP = 'DELETE' THEN",
            f"PERFORM pg_advisory_xact_lock({FIGURES_LOCK}, CAST(OLD.city_id AS INTEGER));",
            "ELSE",
            f"PERFORM pg_advisory_xact_lock({FIGURES_LOCK}, CAST(NEW.city_id AS INTEGER));",
            "END IF;",
            f"IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.{HELD} THEN",
            *(s + ";" for s in _sub(vendor, "OLD")),
            "END IF;",
            f"IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.{HELD} THEN",
            *(s + ";" for s in _add(vendor, "NEW")),
            "END IF;",
        ]
        return [
            pg_function(name, steps),
            f"CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON {SESSIONS} FOR EACH ROW "
            f"EXECUTE FUNCTION {name}()",
        ]

    def body(statements: list[str]) -> str:
        return "BEGIN " + " ".join(s + ";" for s in statements) + " END"

    return [
        f"CREATE TRIGGER analytics_sd_ins AFTER INSERT ON {SESSIONS} WHEN NEW.{HELD} {body(_add(vendor, 'NEW'))}",
        f"CREATE TRIGGER analytics_sd_del AFTER DELETE ON {SESSIONS} WHEN OLD.{HELD} {body(_sub(vendor, 'OLD'))}",
        f"CREATE TRIGGER analytics_sd_upd_old AFTER UPDATE ON {SESSIONS} WHEN ({_moved(vendor)}) AND OLD.{HELD} "
        f"{body(_sub(vendor, 'OLD'))}",
        f"CREATE TRIGGER analytics_sd_upd_new AFTER UPDATE ON {SESSIONS} WHEN ({_moved(vendor)}) AND NEW.{HELD} "
        f"{body(_add(vendor, 'NEW'))}",
    ]


def uninstall_statements(vendor: str) -> list[str]:
    return drop_statements(vendor, PG_TRIGGERS, SQLITE_TRIGGERS)


def backfill_statements(vendor: str) -> list[str]:
    """Both tables rebuilt from the sessions (the triggers dropped meanwhile)."""
    units = " UNION ALL ".join(
        f"SELECT s.city_id, '{unit}' AS unit, s.{column} AS unit_id, s.date FROM {SESSIONS} s "
        f"WHERE s.{HELD} AND s.{column} IS NOT NULL"
        for unit, column in UNITS
    )
    month = _month(vendor, "d")
    sums = [f"SUM(CASE WHEN {month} = {m} THEN d.sessions ELSE 0 END)" for m in MONTHS]
    sums += [f"SUM(CASE WHEN {month} = {m} THEN 1 ELSE 0 END)" for m in MONTHS]
    return [
        f"DELETE FROM {SY}",
        f"DELETE FROM {SD}",
        f"INSERT INTO {SD} (city_id, unit, unit_id, date, sessions) SELECT MIN(x.city_id), x.unit, x.unit_id, "
        f"x.date, COUNT(*) FROM ({units}) x GROUP BY x.unit, x.unit_id, x.date",
        f"INSERT INTO {SY} (city_id, unit, unit_id, year, {', '.join([*S_COLS, *D_COLS])}) "
        f"SELECT MIN(d.city_id), d.unit, d.unit_id, {_year(vendor, 'd')}, {', '.join(sums)} FROM {SD} d "
        f"WHERE d.sessions > 0 GROUP BY d.unit, d.unit_id, {_year(vendor, 'd')}",
    ]
