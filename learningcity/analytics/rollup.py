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
triggers, and for repair); `installed()` / `ensure_installed()` as in triggers.py.
"""

from __future__ import annotations

from django.db import connection as default_connection
from django.db import transaction

from learningcity.core.demography import AGE_BANDS

SUMMARY = "analytics_participation"
LEARNERS = "programmes_learner"
LY = "analytics_learneryear"
PY = "analytics_peopleyear"
PLM = "analytics_programmelearner"
PGY = "analytics_programmeyear"
MONTHS = range(1, 13)
A_COLS = [f"a{m:02d}" for m in MONTHS]
N_COLS = [f"n{m:02d}" for m in MONTHS]
L_COLS = [f"l{m:02d}" for m in MONTHS]
Q_COLS = ["q1", "q2", "q3", "q4"]
SUMS = A_COLS + N_COLS  # the summed columns shared by the summary and LearnerYear
DIMS = ["area_id", "sex", "birth_year", "ethnicity", "has_disability"]  # the learner's columns copied in
CELL = ["city_id", "year", "area_id", "sex", "age_band", "ethnicity", "disability"]  # PeopleYear's key
COUNTS = ["learners", *Q_COLS, *L_COLS, *A_COLS, *N_COLS]  # PeopleYear's counters


# --------------------------------------------------------------------------------------------- expressions
def _age_band(ref: str) -> str:
    """The age band of a LearnerYear row `ref` in its own year (the same bands as measures._age_case)."""
    parts = [f"WHEN {ref}.year - {ref}.birth_year < 0 THEN ''"]
    for code, _low, high in AGE_BANDS:
        if high is not None:
            parts.append(f"WHEN {ref}.year - {ref}.birth_year <= {int(high)} THEN '{code}'")
    return (
        f"CASE WHEN {ref}.birth_year IS NULL THEN '' " + " ".join(parts) + f" ELSE '{AGE_BANDS[-1][0]}' END"
    )


def _disability(ref: str) -> str:
    return (
        f"CASE WHEN {ref}.has_disability IS NULL THEN '' WHEN {ref}.has_disability THEN 'yes' ELSE 'no' END"
    )


def _cell_values(ref: str) -> list[str]:
    """PeopleYear's key of a LearnerYear row `ref`, in CELL order."""
    return [
        f"{ref}.city_id",
        f"{ref}.year",
        f"COALESCE({ref}.area_id, 0)",
        f"{ref}.sex",
        _age_band(ref),
        f"{ref}.ethnicity",
        _disability(ref),
    ]


def _flag(expr: str) -> str:
    return f"(CASE WHEN {expr} > 0 THEN 1 ELSE 0 END)"


def _contribution(ref: str) -> list[str]:
    """What one LearnerYear row `ref` adds to its cell, in COUNTS order."""
    out = [_flag(" + ".join(f"{ref}.{c}" for c in A_COLS))]
    out += [_flag(" + ".join(f"{ref}.a{m:02d}" for m in range(3 * k + 1, 3 * k + 4))) for k in range(4)]
    out += [_flag(f"{ref}.{c}") for c in A_COLS]
    out += [f"{ref}.{c}" for c in A_COLS + N_COLS]
    return out


def _same(vendor: str, a: str, b: str) -> str:
    return f"{a} IS NOT DISTINCT FROM {b}" if vendor == "postgresql" else f"{a} IS {b}"


def _changed(vendor: str, a: str, b: str) -> str:
    return f"{a} IS DISTINCT FROM {b}" if vendor == "postgresql" else f"{a} IS NOT {b}"


# --------------------------------------------------------------------------------------------- statements
def _ly_add(vendor: str, ref: str) -> str:
    """Add summary row `ref` to its learner's row of the year (created with the learner's dimensions)."""
    excluded = "EXCLUDED" if vendor == "postgresql" else "excluded"
    target = LY if vendor == "postgresql" else ""
    sets = ", ".join(f"{c} = {target + '.' if target else ''}{c} + {excluded}.{c}" for c in SUMS)
    return (
        f"INSERT INTO {LY} (city_id, learner_id, year, {', '.join(DIMS)}, {', '.join(SUMS)}) "
        f"SELECT {ref}.city_id, l.id, {ref}.year, {', '.join('l.' + d for d in DIMS)}, "
        f"{', '.join(f'{ref}.{c}' for c in SUMS)} FROM {LEARNERS} l WHERE l.id = {ref}.learner_id "
        f"ON CONFLICT (learner_id, year) DO UPDATE SET {sets}"
    )


def _ly_sub(ref: str) -> str:
    sets = ", ".join(f"{c} = {c} - {ref}.{c}" for c in SUMS)
    return f"UPDATE {LY} SET {sets} WHERE learner_id = {ref}.learner_id AND year = {ref}.year"


def _ly_delta() -> str:
    sets = ", ".join(f"{c} = {c} + (NEW.{c} - OLD.{c})" for c in SUMS)
    return f"UPDATE {LY} SET {sets} WHERE learner_id = NEW.learner_id AND year = NEW.year"


def _key_same() -> str:
    """A summary row that keeps its key (learner, programme, year): its changes are added as deltas."""
    return "NEW.learner_id = OLD.learner_id AND NEW.programme_id = OLD.programme_id AND NEW.year = OLD.year"


def _months(ref: str) -> str:
    """The months of summary row `ref` with attendance, as bits (bit m-1 for month m)."""
    return " + ".join(f"(CASE WHEN {ref}.a{m:02d} > 0 THEN {1 << (m - 1)} ELSE 0 END)" for m in MONTHS)


def _plm_key(ref: str) -> str:
    return f"learner_id = {ref}.learner_id AND programme_id = {ref}.programme_id AND year = {ref}.year"


def _plm_add(vendor: str, ref: str) -> str:
    excluded = "EXCLUDED" if vendor == "postgresql" else "excluded"
    return (
        f"INSERT INTO {PLM} (city_id, year, programme_id, learner_id, months) VALUES ({ref}.city_id, {ref}.year, "
        f"{ref}.programme_id, {ref}.learner_id, {_months(ref)}) ON CONFLICT (learner_id, programme_id, year) "
        f"DO UPDATE SET months = {excluded}.months"
    )


def _pgy_add(vendor: str, ref: str) -> str:
    excluded = "EXCLUDED" if vendor == "postgresql" else "excluded"
    target = f"{PGY}." if vendor == "postgresql" else ""
    sets = ", ".join(f"{c} = {target}{c} + {excluded}.{c}" for c in SUMS)
    return (
        f"INSERT INTO {PGY} (city_id, programme_id, year, {', '.join(SUMS)}) VALUES ({ref}.city_id, "
        f"{ref}.programme_id, {ref}.year, {', '.join(f'{ref}.{c}' for c in SUMS)}) "
        f"ON CONFLICT (programme_id, year) DO UPDATE SET {sets}"
    )


def _programme_add(vendor: str, ref: str) -> list[str]:
    return [_plm_add(vendor, ref), _pgy_add(vendor, ref)]


def _programme_sub(ref: str) -> list[str]:
    sets = ", ".join(f"{c} = {c} - {ref}.{c}" for c in SUMS)
    return [
        f"DELETE FROM {PLM} WHERE {_plm_key(ref)}",
        f"UPDATE {PGY} SET {sets} WHERE programme_id = {ref}.programme_id AND year = {ref}.year",
    ]


def _programme_delta() -> list[str]:
    sets = ", ".join(f"{c} = {c} + (NEW.{c} - OLD.{c})" for c in SUMS)
    return [
        f"UPDATE {PLM} SET months = {_months('NEW')} WHERE {_plm_key('NEW')}",
        f"UPDATE {PGY} SET {sets} WHERE programme_id = NEW.programme_id AND year = NEW.year",
    ]


def _ly_copy_dims() -> str:
    sets = ", ".join(f"{d} = NEW.{d}" for d in DIMS)
    return f"UPDATE {LY} SET {sets} WHERE learner_id = NEW.id"


def _learner_changed(vendor: str) -> str:
    return " OR ".join(_changed(vendor, f"NEW.{d}", f"OLD.{d}") for d in DIMS)


def _py_add(vendor: str, ref: str) -> str:
    excluded = "EXCLUDED" if vendor == "postgresql" else "excluded"
    target = f"{PY}." if vendor == "postgresql" else ""
    sets = ", ".join(f"{c} = {target}{c} + {excluded}.{c}" for c in COUNTS)
    return (
        f"INSERT INTO {PY} ({', '.join(CELL)}, {', '.join(COUNTS)}) "
        f"VALUES ({', '.join(_cell_values(ref))}, {', '.join(_contribution(ref))}) "
        f"ON CONFLICT ({', '.join(CELL)}) DO UPDATE SET {sets}"
    )


def _py_where(ref: str) -> str:
    return " AND ".join(f"{c} = {v}" for c, v in zip(CELL, _cell_values(ref), strict=True))


def _py_sub(ref: str) -> str:
    sets = ", ".join(f"{c} = {c} - {v}" for c, v in zip(COUNTS, _contribution(ref), strict=True))
    return f"UPDATE {PY} SET {sets} WHERE {_py_where(ref)}"


def _py_delta() -> str:
    sets = ", ".join(
        f"{c} = {c} + ({new} - {old})"
        for c, new, old in zip(COUNTS, _contribution("NEW"), _contribution("OLD"), strict=True)
    )
    return f"UPDATE {PY} SET {sets} WHERE {_py_where('NEW')}"


def _py_cell_same(vendor: str) -> str:
    cols = ["city_id", "year", *DIMS]
    return " AND ".join(_same(vendor, f"NEW.{c}", f"OLD.{c}") for c in cols)


# --------------------------------------------------------------------------------------------- install
def install(connection=None, programmes: bool = True) -> None:
    """Install every trigger; `programmes=False` leaves out the programme tables (migration 0004, before 0005
    creates them)."""
    connection = connection or default_connection
    vendor = connection.vendor
    uninstall(connection)
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            _install_postgresql(cursor, programmes)
        else:
            _install_sqlite(cursor, programmes)


def _pg_function(cursor, name: str, body: list[str]) -> None:
    cursor.execute(
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$\nBEGIN\n"
        + "\n".join(body)
        + "\nRETURN NULL;\nEND;\n$$ LANGUAGE plpgsql"
    )


def _install_postgresql(cursor, programmes: bool) -> None:
    v = "postgresql"
    delta = [_ly_delta(), *(_programme_delta() if programmes else [])]
    sub = [_ly_sub("OLD"), *(_programme_sub("OLD") if programmes else [])]
    add = [_ly_add(v, "NEW"), *(_programme_add(v, "NEW") if programmes else [])]
    _pg_function(
        cursor,
        "analytics_ly_sync",
        [
            f"IF TG_OP = 'UPDATE' AND {_key_same()} THEN",
            *[sql + ";" for sql in delta],
            "RETURN NULL;",
            "END IF;",
            "IF TG_OP = 'DELETE' OR TG_OP = 'UPDATE' THEN",
            *[sql + ";" for sql in sub],
            "END IF;",
            "IF TG_OP = 'INSERT' OR TG_OP = 'UPDATE' THEN",
            *[sql + ";" for sql in add],
            "END IF;",
        ],
    )
    _pg_function(
        cursor,
        "analytics_ly_learner_sync",
        [
            "IF TG_OP = 'DELETE' THEN",
            f"DELETE FROM {LY} WHERE learner_id = OLD.id;",
            "ELSE",
            _ly_copy_dims() + ";",
            "END IF;",
        ],
    )
    _pg_function(
        cursor,
        "analytics_py_sync",
        [
            f"IF TG_OP = 'UPDATE' AND {_py_cell_same(v)} THEN",
            _py_delta() + ";",
            "RETURN NULL;",
            "END IF;",
            "IF TG_OP = 'DELETE' OR TG_OP = 'UPDATE' THEN",
            _py_sub("OLD") + ";",
            "END IF;",
            "IF TG_OP = 'INSERT' OR TG_OP = 'UPDATE' THEN",
            _py_add(v, "NEW") + ";",
            "END IF;",
        ],
    )
    cursor.execute(
        f"CREATE TRIGGER analytics_ly_sync AFTER INSERT OR UPDATE OR DELETE ON {SUMMARY} "
        "FOR EACH ROW EXECUTE FUNCTION analytics_ly_sync()"
    )
    cursor.execute(
        f"CREATE TRIGGER analytics_ly_learner_upd AFTER UPDATE ON {LEARNERS} FOR EACH ROW "
        f"WHEN ({_learner_changed(v)}) EXECUTE FUNCTION analytics_ly_learner_sync()"
    )
    cursor.execute(
        f"CREATE TRIGGER analytics_ly_learner_del AFTER DELETE ON {LEARNERS} FOR EACH ROW "
        "EXECUTE FUNCTION analytics_ly_learner_sync()"
    )
    cursor.execute(
        f"CREATE TRIGGER analytics_py_sync AFTER INSERT OR UPDATE OR DELETE ON {LY} "
        "FOR EACH ROW EXECUTE FUNCTION analytics_py_sync()"
    )


def _install_sqlite(cursor, programmes: bool) -> None:
    v = "sqlite"

    def body(*parts: list[str]) -> str:
        return "BEGIN " + " ".join(sql + ";" for part in parts for sql in part) + " END"

    delta = [_ly_delta(), *(_programme_delta() if programmes else [])]
    sub = [_ly_sub("OLD"), *(_programme_sub("OLD") if programmes else [])]
    add = [_ly_add(v, "NEW"), *(_programme_add(v, "NEW") if programmes else [])]
    statements = [
        f"CREATE TRIGGER analytics_ly_ins AFTER INSERT ON {SUMMARY} {body(add)}",
        f"CREATE TRIGGER analytics_ly_upd AFTER UPDATE ON {SUMMARY} WHEN {_key_same()} {body(delta)}",
        f"CREATE TRIGGER analytics_ly_upd_move AFTER UPDATE ON {SUMMARY} WHEN NOT ({_key_same()}) "
        f"{body(sub, add)}",
        f"CREATE TRIGGER analytics_ly_del AFTER DELETE ON {SUMMARY} {body(sub)}",
        f"CREATE TRIGGER analytics_ly_learner_upd AFTER UPDATE ON {LEARNERS} WHEN {_learner_changed(v)} "
        f"BEGIN {_ly_copy_dims()}; END",
        f"CREATE TRIGGER analytics_ly_learner_del AFTER DELETE ON {LEARNERS} "
        f"BEGIN DELETE FROM {LY} WHERE learner_id = OLD.id; END",
        f"CREATE TRIGGER analytics_py_ins AFTER INSERT ON {LY} BEGIN {_py_add(v, 'NEW')}; END",
        f"CREATE TRIGGER analytics_py_upd AFTER UPDATE ON {LY} WHEN {_py_cell_same(v)} BEGIN {_py_delta()}; END",
        f"CREATE TRIGGER analytics_py_upd_move AFTER UPDATE ON {LY} WHEN NOT ({_py_cell_same(v)}) "
        f"BEGIN {_py_sub('OLD')}; {_py_add(v, 'NEW')}; END",
        f"CREATE TRIGGER analytics_py_del AFTER DELETE ON {LY} BEGIN {_py_sub('OLD')}; END",
    ]
    for sql in statements:
        cursor.execute(sql)


_PG_TRIGGERS = {
    "analytics_ly_sync": SUMMARY,
    "analytics_ly_learner_upd": LEARNERS,
    "analytics_ly_learner_del": LEARNERS,
    "analytics_py_sync": LY,
}
_PG_FUNCTIONS = ["analytics_ly_sync", "analytics_ly_learner_sync", "analytics_py_sync"]
_SQLITE_TRIGGERS = [
    "analytics_ly_ins",
    "analytics_ly_upd",
    "analytics_ly_upd_move",
    "analytics_ly_del",
    "analytics_ly_learner_upd",
    "analytics_ly_learner_del",
    "analytics_py_ins",
    "analytics_py_upd",
    "analytics_py_upd_move",
    "analytics_py_del",
]


def uninstall(connection=None) -> None:
    connection = connection or default_connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for name, table in _PG_TRIGGERS.items():
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            for name in _PG_FUNCTIONS:
                cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")
            return
        for name in _SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def backfill(connection=None, programmes: bool = True) -> tuple[int, int]:
    """Rebuild the rollup tables from the summary and the learners (a repair tool; never needed for freshness),
    then install the triggers. Returns the number of LearnerYear and PeopleYear rows."""
    connection = connection or default_connection
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        uninstall(connection)
        cursor.execute(f"DELETE FROM {PY}")
        cursor.execute(f"DELETE FROM {LY}")
        if programmes:
            cursor.execute(f"DELETE FROM {PLM}")
            cursor.execute(f"DELETE FROM {PGY}")
            cursor.execute(
                f"INSERT INTO {PLM} (city_id, year, programme_id, learner_id, months) "
                f"SELECT s.city_id, s.year, s.programme_id, s.learner_id, {_months('s')} FROM {SUMMARY} s"
            )
            cursor.execute(
                f"INSERT INTO {PGY} (city_id, programme_id, year, {', '.join(SUMS)}) "
                f"SELECT MIN(s.city_id), s.programme_id, s.year, {', '.join(f'SUM(s.{c})' for c in SUMS)} "
                f"FROM {SUMMARY} s GROUP BY s.programme_id, s.year"
            )
        cursor.execute(
            f"INSERT INTO {LY} (city_id, learner_id, year, {', '.join(DIMS)}, {', '.join(SUMS)}) "
            f"SELECT MIN(p.city_id), l.id, p.year, {', '.join('l.' + d for d in DIMS)}, "
            f"{', '.join(f'SUM(p.{c})' for c in SUMS)} "
            f"FROM {SUMMARY} p JOIN {LEARNERS} l ON l.id = p.learner_id GROUP BY l.id, p.year"
        )
        cell = _cell_values("r")
        cursor.execute(
            f"INSERT INTO {PY} ({', '.join(CELL)}, {', '.join(COUNTS)}) "
            f"SELECT {', '.join(cell)}, {', '.join(f'SUM({c})' for c in _contribution('r'))} "
            f"FROM {LY} r GROUP BY {', '.join(cell)}"
        )
        install(connection, programmes)
        cursor.execute(f"SELECT (SELECT COUNT(*) FROM {LY}), (SELECT COUNT(*) FROM {PY})")
        ly, py = cursor.fetchone()
    return ly, py


_checked: set[str] = set()


def installed(connection=None) -> bool:
    connection = connection or default_connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = ", ".join(f"'{n}'" for n in _PG_TRIGGERS)
            cursor.execute(f"SELECT COUNT(*) FROM pg_trigger WHERE tgname IN ({names}) AND NOT tgisinternal")
            return cursor.fetchone()[0] == len(_PG_TRIGGERS)
        names = ", ".join(f"'{n}'" for n in _SQLITE_TRIGGERS)
        cursor.execute(f"SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ({names})")
        return cursor.fetchone()[0] == len(_SQLITE_TRIGGERS)


def ensure_installed(connection=None) -> None:
    """Once per process: if a later migration rebuilt a table (SQLite drops triggers with the old table), put the
    triggers back and rebuild the rollup, so figures are never stale."""
    connection = connection or default_connection
    if connection.alias in _checked:
        return
    if not installed(connection):
        backfill(connection)
    _checked.add(connection.alias)
