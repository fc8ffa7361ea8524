# ruff: noqa: S608 - fixed SQL built from constant table and column names, no user input
"""The SQL of the dashboard's kind/topic people rollup: triggers on analytics_programmelearner (one row per summary
row, its months with attendance as bits) and on programmes keeping

- analytics_learnergroup (LearnerGroup): per learner, year and programme group (kind `k` or topic `t`, and its
  code), c01..c12: how many of the learner's programmes of that group they came to in each month;
- analytics_groupyear (GroupYear): per city, year and group, the distinct learners of the year (`learners`), of each
  quarter (q1..q4) and of each month (l01..l12): a learner counts where one of their counters is above zero.

A learner-group row's contribution moves between GroupYear cells as its counters change, so "distinct" stays exact
(the same pattern as LearnerYear and PeopleYear in rollup.py). A programme whose kind or topics change moves its
learners' counters from its old groups to its new ones. Both engines: statement-level triggers with transition
tables on PostgreSQL for the rollup tables (their writers are statements of the summary's triggers), row triggers
on SQLite, and a row trigger on programmes on both (an edit of a programme is rare). Removals only UPDATE rows
their addition made (never INSERT), so rows deleted together with their city leave nothing behind.
"""

from __future__ import annotations

from .common import MONTHS, PLM, added, drop_statements, pg_function, pg_statement_trigger
from .rollup import L_COLS, Q_COLS

LG = "analytics_learnergroup"
GY = "analytics_groupyear"
PROGRAMMES = "programmes_programme"
FIGURES_LOCK = 7351  # the city's attendance lock (programmes.services.attendance_writes.ATTENDANCE_LOCK)
C_COLS = [f"c{m:02d}" for m in MONTHS]
LG_KEY = ["learner_id", "year", "dim", "value"]
GY_KEY = ["city_id", "year", "dim", "value"]
GY_COUNTS = ["learners", *Q_COLS, *L_COLS]

_PG_PLM = {"INSERT": "analytics_lg_ins", "UPDATE": "analytics_lg_upd", "DELETE": "analytics_lg_del"}
_PG_LG = {"INSERT": "analytics_gy_ins", "UPDATE": "analytics_gy_upd", "DELETE": "analytics_gy_del"}
_PROGRAMME = "analytics_lg_programme"
PG_TRIGGERS = {
    **dict.fromkeys(_PG_PLM.values(), PLM),
    **dict.fromkeys(_PG_LG.values(), LG),
    _PROGRAMME: PROGRAMMES,
}
SQLITE_TRIGGERS = [
    "analytics_lg_ins",
    "analytics_lg_upd",
    "analytics_lg_del",
    "analytics_gy_ins",
    "analytics_gy_upd",
    "analytics_gy_del",
    _PROGRAMME,
]


# --------------------------------------------------------------------------------------------- expressions
def _bits(ref: str, sign: int = 1) -> list[str]:
    """Programme-learner row `ref`'s months as 0/1 per month (c01..c12 order), times `sign`."""
    return [f"{sign} * (({ref}.months >> {m - 1}) & 1)" for m in MONTHS]


def _topics(vendor: str, topics: str) -> str:
    """A FROM item (alias j, column `value`) listing the codes of a "|a|b|" topics column `topics`."""
    if vendor == "postgresql":
        return f"unnest(string_to_array(btrim({topics}, '|'), '|')) AS j(value)"
    # SQLite has no string splitting usable in a trigger (no WITH there): the codes as a JSON array, quoted.
    escaped = f"replace(replace(trim({topics}, '|'), '\\', '\\\\'), '\"', '\\\"')"
    return f"json_each('[\"' || replace({escaped}, '|', '\",\"') || '\"]') AS j"


def _grouped(vendor: str, cols: list[str], src: str, where: str, kind: str, topics: str) -> str:
    """`cols` (then dim, value) once for the kind `kind` and once per distinct topic of `topics`, from the FROM items
    `src` (may be empty) under `where`."""
    head = ", ".join(cols) + ", " if cols else ""
    kind_part = f"SELECT {head}'k' AS dim, {kind} AS value" + (f" FROM {src}" if src else "")
    kind_part += f" WHERE {where}" if where else ""
    items = ", ".join(x for x in (src, _topics(vendor, topics)) if x)
    conds = " AND ".join(x for x in (where, "j.value <> ''") if x)
    return f"{kind_part} UNION ALL SELECT DISTINCT {head}'t', j.value FROM {items} WHERE {conds}"


# A source of programme-learner rows: (FROM items, WHERE, alias of the row, its kind, its topics, sign).
Source = tuple[str, str, str, str, str, int]


def _signed(vendor: str, sources: list[Source]) -> str:
    """The sources' months as signed counters summed per learner-group key, keys netting to nothing left out."""
    parts = []
    for src, where, ref, kind, topics, sign in sources:
        cols = [f"{ref}.{c} AS {c}" for c in ("city_id", "learner_id", "year", "programme_id")]
        cols += [f"{b} AS {c}" for b, c in zip(_bits(ref, sign), C_COLS, strict=True)]
        parts.append(_grouped(vendor, cols, src, where, kind, topics))
    sums = [f"SUM(u.{c})" for c in C_COLS]
    return (
        f"SELECT MIN(u.city_id) AS city_id, u.learner_id, u.year, u.dim, u.value, "
        f"{', '.join(f'{x} AS {c}' for x, c in zip(sums, C_COLS, strict=True))} "
        f"FROM ({' UNION ALL '.join(parts)}) u GROUP BY u.learner_id, u.year, u.dim, u.value "
        f"HAVING {' OR '.join(f'{x} <> 0' for x in sums)}"
    )


def _moves(vendor: str, sources: list[Source]) -> str:
    """The sources' net change added into LearnerGroup with one upsert (PostgreSQL: keys in order, so concurrent
    writers lock rows in the same order). Only a pure addition (no counter going down) may create a row; a change
    that takes something away only updates a row already there, so a removal never creates one."""
    cols = ["city_id", *LG_KEY, *C_COLS]
    pg = vendor == "postgresql"
    same = " AND ".join(f"x.{c} = g.{c}" for c in LG_KEY)
    least = f"{'LEAST' if pg else 'min'}({', '.join('g.' + c for c in C_COLS)})"
    return (
        f"INSERT INTO {LG} ({', '.join(cols)}) SELECT {', '.join('g.' + c for c in cols)} "
        f"FROM ({_signed(vendor, sources)}) g WHERE {least} >= 0 OR EXISTS (SELECT 1 FROM {LG} x WHERE {same})"
        + (f" ORDER BY {', '.join('g.' + c for c in LG_KEY)}" if pg else "")
        + f" ON CONFLICT ({', '.join(LG_KEY)}) DO UPDATE SET "
        + (added(C_COLS, f"{LG}.", "EXCLUDED") if pg else added(C_COLS))
    )


def _flag(expr: str) -> str:
    return f"(CASE WHEN {expr} > 0 THEN 1 ELSE 0 END)"


def _contribution(ref: str) -> list[str]:
    """What one LearnerGroup row `ref` adds to its GroupYear cell, in GY_COUNTS order."""
    out = [_flag(" + ".join(f"{ref}.{c}" for c in C_COLS))]
    out += [_flag(" + ".join(f"{ref}.c{m:02d}" for m in range(3 * k + 1, 3 * k + 4))) for k in range(4)]
    out += [_flag(f"{ref}.{c}") for c in C_COLS]
    return out


def _row(ref: str, sign: int) -> Source:
    """Programme-learner row `ref` (NEW or OLD of a row trigger) with its programme's kind and topics."""
    return (PROGRAMMES + " p", f"p.id = {ref}.programme_id", ref, "p.kind", "p.topics", sign)


def _programme_moves(vendor: str) -> str:
    """A programme's kind or topics changed: its learners' counters leave the old groups and join the new ones."""
    src = f"{PLM} t"
    return _moves(
        vendor,
        [
            (src, "t.programme_id = OLD.id", "t", "OLD.kind", "OLD.topics", -1),
            (src, "t.programme_id = NEW.id", "t", "NEW.kind", "NEW.topics", 1),
        ],
    )


def _programme_changed(vendor: str) -> str:
    op = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
    return f"NEW.kind {op} OLD.kind OR NEW.topics {op} OLD.topics"


# --------------------------------------------------------------------------------------------- PostgreSQL
_PG_SIGNED = {
    "INSERT": [("new_rows", 1)],
    "UPDATE": [("new_rows", 1), ("old_rows", -1)],
    "DELETE": [("old_rows", -1)],
}


def _pg_plm(op: str) -> str:
    """A statement on ProgrammeLearner: its old rows' counters out, its new rows' in, netted per key."""
    return _moves(
        "postgresql",
        [
            (f"{relation} t, {PROGRAMMES} p", "p.id = t.programme_id", "t", "p.kind", "p.topics", sign)
            for relation, sign in _PG_SIGNED[op]
        ],
    )


def _pg_gy(op: str) -> str:
    """A statement on LearnerGroup: the changed rows' contributions moved between GroupYear cells (as _pg_py)."""
    from .rollup import _pg_grouped, _pg_grouped_added

    keys = [(c, f"t.{c}") for c in GY_KEY]
    grouped = _pg_grouped(op, keys, list(zip(GY_COUNTS, _contribution("t"), strict=True)))
    return _pg_grouped_added(op, GY, GY_KEY, [*GY_KEY, *GY_COUNTS], grouped, GY_COUNTS)


def _postgresql_statements() -> list[str]:
    out = []
    for table, names, body in (
        (PLM, _PG_PLM, lambda op: [_pg_plm(op)]),
        (LG, _PG_LG, lambda op: [_pg_gy(op)]),
    ):
        for op, name in names.items():
            relation = "new_rows" if op != "DELETE" else "old_rows"
            guard = f"IF NOT EXISTS (SELECT 1 FROM {relation}) THEN RETURN NULL; END IF;"
            out.append(pg_function(name, [guard, *(s + ";" for s in body(op))]))
            out.append(pg_statement_trigger(name, op, table))
    # After the city's attendance lock, like every writer of the figures outside `attendance_writes`.
    lock = f"PERFORM pg_advisory_xact_lock({FIGURES_LOCK}, CAST(NEW.city_id AS INTEGER));"
    out.append(pg_function(_PROGRAMME, [lock, _programme_moves("postgresql") + ";"]))
    out.append(
        f"CREATE TRIGGER {_PROGRAMME} AFTER UPDATE OF kind, topics ON {PROGRAMMES} FOR EACH ROW "
        f"WHEN ({_programme_changed('postgresql')}) EXECUTE FUNCTION {_PROGRAMME}()"
    )
    return out


# --------------------------------------------------------------------------------------------- SQLite
def _sqlite_statements() -> list[str]:
    v = "sqlite"

    def body(statements: list[str]) -> str:
        return "BEGIN " + " ".join(s + ";" for s in statements) + " END"

    def gy_add(ref: str) -> str:
        cols = [*GY_KEY, *GY_COUNTS]
        values = [f"{ref}.{c}" for c in GY_KEY] + _contribution(ref)
        return (
            f"INSERT INTO {GY} ({', '.join(cols)}) VALUES ({', '.join(values)}) "
            f"ON CONFLICT ({', '.join(GY_KEY)}) DO UPDATE SET {added(GY_COUNTS)}"
        )

    def gy_where(ref: str) -> str:
        return " AND ".join(f"{c} = {ref}.{c}" for c in GY_KEY)

    def gy_sub(ref: str) -> str:
        sets = ", ".join(f"{c} = {c} - {x}" for c, x in zip(GY_COUNTS, _contribution(ref), strict=True))
        return f"UPDATE {GY} SET {sets} WHERE {gy_where(ref)}"

    def gy_delta() -> str:
        sets = ", ".join(
            f"{c} = {c} + ({n} - {o})"
            for c, n, o in zip(GY_COUNTS, _contribution("NEW"), _contribution("OLD"), strict=True)
        )
        return f"UPDATE {GY} SET {sets} WHERE {gy_where('NEW')}"

    plm_moved = " OR ".join(
        f"NEW.{c} IS NOT OLD.{c}" for c in ("months", "learner_id", "programme_id", "year", "city_id")
    )
    return [
        f"CREATE TRIGGER analytics_lg_ins AFTER INSERT ON {PLM} {body([_moves(v, [_row('NEW', 1)])])}",
        f"CREATE TRIGGER analytics_lg_upd AFTER UPDATE ON {PLM} WHEN {plm_moved} "
        f"{body([_moves(v, [_row('OLD', -1), _row('NEW', 1)])])}",
        f"CREATE TRIGGER analytics_lg_del AFTER DELETE ON {PLM} {body([_moves(v, [_row('OLD', -1)])])}",
        f"CREATE TRIGGER analytics_gy_ins AFTER INSERT ON {LG} {body([gy_add('NEW')])}",
        f"CREATE TRIGGER analytics_gy_upd AFTER UPDATE ON {LG} {body([gy_delta()])}",
        f"CREATE TRIGGER analytics_gy_del AFTER DELETE ON {LG} {body([gy_sub('OLD')])}",
        f"CREATE TRIGGER {_PROGRAMME} AFTER UPDATE OF kind, topics ON {PROGRAMMES} "
        f"WHEN {_programme_changed(v)} {body([_programme_moves(v)])}",
    ]


def install_statements(vendor: str) -> list[str]:
    return _postgresql_statements() if vendor == "postgresql" else _sqlite_statements()


def uninstall_statements(vendor: str) -> list[str]:
    return drop_statements(vendor, PG_TRIGGERS, SQLITE_TRIGGERS)


def backfill_statements(vendor: str) -> list[str]:
    """Both tables rebuilt from the programme learners and the programmes (the triggers dropped meanwhile)."""
    grouped = _signed(
        vendor, [(f"{PLM} t, {PROGRAMMES} p", "p.id = t.programme_id", "t", "p.kind", "p.topics", 1)]
    )
    cols = ["city_id", *LG_KEY, *C_COLS]
    return [
        f"DELETE FROM {GY}",
        f"DELETE FROM {LG}",
        f"INSERT INTO {LG} ({', '.join(cols)}) SELECT {', '.join('g.' + c for c in cols)} FROM ({grouped}) g",
        f"INSERT INTO {GY} ({', '.join(GY_KEY)}, {', '.join(GY_COUNTS)}) "
        f"SELECT {', '.join('r.' + c for c in GY_KEY)}, {', '.join(f'SUM({x})' for x in _contribution('r'))} "
        f"FROM {LG} r GROUP BY {', '.join('r.' + c for c in GY_KEY)}",
    ]
