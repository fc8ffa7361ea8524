# ruff: noqa: S608 - fixed SQL built from constant table and column names, no user input
"""The SQL of the second layer: triggers on the summary, on learners and on LearnerYear keeping the four rollup
tables, their drops and their rebuild, for both engines (rollup.py runs them; see there for what each table
holds)."""

from __future__ import annotations

from learningcity.core.demography import AGE_BANDS

from .common import (
    A_COLS,
    LEARNERS,
    LY,
    MONTHS,
    N_COLS,
    PGY,
    PLM,
    PY,
    SUMMARY,
    SUMS,
    added,
    pg_function,
    pg_statement_trigger,
)

L_COLS = [f"l{m:02d}" for m in MONTHS]
Q_COLS = ["q1", "q2", "q3", "q4"]
DIMS = ["area_id", "sex", "birth_year", "ethnicity", "has_disability"]  # the learner's columns copied in
CELL = ["city_id", "year", "area_id", "sex", "age_band", "ethnicity", "disability"]  # PeopleYear's key
COUNTS = ["learners", *Q_COLS, *L_COLS, *A_COLS, *N_COLS]  # PeopleYear's counters


# --------------------------------------------------------------------------------------------- expressions
def _age_band(ref: str) -> str:
    """The age band of a LearnerYear row `ref` in its own year (the same bands as measures.sql._age_case)."""
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
def _plus_excluded(vendor: str, table: str, cols: list[str]) -> str:
    """SET clauses of an upsert that add the incoming row's `cols` to the row already in `table`."""
    if vendor == "postgresql":  # each engine's form, as installed since 0004
        return added(cols, f"{table}.", "EXCLUDED")
    return added(cols)


def _ly_add(vendor: str, ref: str) -> str:
    """Add summary row `ref` to its learner's row of the year (created with the learner's dimensions)."""
    sets = _plus_excluded(vendor, LY, SUMS)
    return (
        f"INSERT INTO {LY} (city_id, learner_id, year, {', '.join(DIMS)}, {', '.join(SUMS)}) "
        f"SELECT {ref}.city_id, l.id, {ref}.year, {', '.join('l.' + d for d in DIMS)}, "
        f"{', '.join(f'{ref}.{c}' for c in SUMS)} FROM {LEARNERS} l WHERE l.id = {ref}.learner_id "
        f"ON CONFLICT (learner_id, year) DO UPDATE SET {sets}"
    )


def _minus(ref: str) -> str:
    """SET clauses taking summary row `ref`'s sums away."""
    return ", ".join(f"{c} = {c} - {ref}.{c}" for c in SUMS)


def _plus_change() -> str:
    """SET clauses adding an updated summary row's change of sums (NEW - OLD)."""
    return ", ".join(f"{c} = {c} + (NEW.{c} - OLD.{c})" for c in SUMS)


def _ly_sub(ref: str) -> str:
    return f"UPDATE {LY} SET {_minus(ref)} WHERE learner_id = {ref}.learner_id AND year = {ref}.year"


def _ly_delta() -> str:
    return f"UPDATE {LY} SET {_plus_change()} WHERE learner_id = NEW.learner_id AND year = NEW.year"


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


def _added_to(
    vendor: str, table: str, key: list[str], cols: list[str], values: list[str], sums: list[str]
) -> str:
    """One row of `values` added into `table`: inserted, or on a clash of `key` its `sums` added to the row's."""
    return (
        f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(values)}) "
        f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {_plus_excluded(vendor, table, sums)}"
    )


def _pgy_add(vendor: str, ref: str) -> str:
    key = ["programme_id", "year"]
    cols = ["city_id", *key, *SUMS]
    return _added_to(vendor, PGY, key, cols, [f"{ref}.{c}" for c in cols], SUMS)


def _programme_add(vendor: str, ref: str) -> list[str]:
    return [_plm_add(vendor, ref), _pgy_add(vendor, ref)]


def _programme_sub(ref: str) -> list[str]:
    return [
        f"DELETE FROM {PLM} WHERE {_plm_key(ref)}",
        f"UPDATE {PGY} SET {_minus(ref)} WHERE programme_id = {ref}.programme_id AND year = {ref}.year",
    ]


def _programme_delta() -> list[str]:
    return [
        f"UPDATE {PLM} SET months = {_months('NEW')} WHERE {_plm_key('NEW')}",
        f"UPDATE {PGY} SET {_plus_change()} WHERE programme_id = NEW.programme_id AND year = NEW.year",
    ]


def _ly_copy_dims() -> str:
    sets = ", ".join(f"{d} = NEW.{d}" for d in DIMS)
    return f"UPDATE {LY} SET {sets} WHERE learner_id = NEW.id"


def _learner_changed(vendor: str) -> str:
    return " OR ".join(_changed(vendor, f"NEW.{d}", f"OLD.{d}") for d in DIMS)


def _py_add(vendor: str, ref: str) -> str:
    return _added_to(vendor, PY, CELL, [*CELL, *COUNTS], [*_cell_values(ref), *_contribution(ref)], COUNTS)


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


# --------------------------------------------------------------------------------------------- PostgreSQL
# Statement-level AFTER triggers with transition tables (REFERENCING NEW TABLE AS new_rows / OLD TABLE AS
# old_rows), one per event (PostgreSQL allows transition tables only on single-event triggers without column
# lists). Each statement on the summary, however many rows it wrote, applies its net change with one grouped
# upsert per rollup table; each statement on LearnerYear (made by those triggers, or by the learner triggers)
# moves the people cells it changed with one grouped upsert: the old contributions of the changed learner-years
# (old_rows) taken away, the new ones (new_rows) added, only cells whose figures changed written. Rows are taken
# in key order (ORDER BY), so concurrent writers lock them in the same order and cannot deadlock.
_PG_SIGNED = {
    "INSERT": [("new_rows", 1)],
    "UPDATE": [("new_rows", 1), ("old_rows", -1)],
    "DELETE": [("old_rows", -1)],
}


def _pg_signed(op: str, keys: list[tuple[str, str]], values: list[tuple[str, str]]) -> str:
    """The transition rows of statement `op` as one relation: `keys` as they are, `values` signed (+1 for a new
    row, -1 for an old one); each given as (alias, expression of `t`)."""
    parts = []
    for relation, sign in _PG_SIGNED[op]:
        exprs = [f"{expr} AS {alias}" for alias, expr in keys]
        exprs += [f"{sign} * ({expr}) AS {alias}" for alias, expr in values]
        exprs.append(f"{sign} AS gain")
        parts.append(f"SELECT {', '.join(exprs)} FROM {relation} t")
    return " UNION ALL ".join(parts)


def _pg_grouped(op: str, keys: list[tuple[str, str]], values: list[tuple[str, str]], first: str = "") -> str:
    """The signed rows summed per key, keys whose sums all net to zero left out. `first`: a column taken as
    MIN (the city of the key). `gain` > 0: the key gained rows (inserted, or moved in), so its target row may be
    created; otherwise the statement only changes rows already there (a missing one stays missing, as with the
    row triggers' plain UPDATE)."""
    sums = [f"SUM(u.{alias})" for alias, _ in values]
    group = [alias for alias, _ in keys if alias != first]
    head = [f"MIN(u.{first}) AS {first}"] if first else []
    return (
        f"SELECT {', '.join(head + [f'u.{a}' for a in group])}, "
        f"{', '.join(f'{s} AS {a}' for s, (a, _) in zip(sums, values, strict=True))}, SUM(u.gain) AS gain "
        f"FROM ({_pg_signed(op, keys, values)}) u GROUP BY {', '.join(f'u.{a}' for a in group)} "
        f"HAVING {' OR '.join(f'{s} <> 0' for s in sums)}"
    )


def _pg_kept(op: str, table: str, key: list[str]) -> str:
    """The WHERE of a grouped upsert into `table`: a key that gained no rows only updates an existing row."""
    if op == "INSERT":
        return ""
    same = " AND ".join(f"x.{c} = g.{c}" for c in key)
    return f" WHERE g.gain > 0 OR EXISTS (SELECT 1 FROM {table} x WHERE {same})"


def _pg_grouped_added(
    op: str, table: str, key: list[str], cols: list[str], grouped: str, sums: list[str]
) -> str:
    """The grouped net change of statement `op` added into `table`, rows taken in key order (see above)."""
    return (
        f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join('g.' + c for c in cols)} FROM ({grouped}) g"
        f"{_pg_kept(op, table, key)} ORDER BY {', '.join('g.' + c for c in key)} ON CONFLICT ({', '.join(key)}) "
        f"DO UPDATE SET {_plus_excluded('postgresql', table, sums)}"
    )


def _pg_ly(op: str) -> str:
    """The summary rows' net change per (learner, year) added to LearnerYear, a new row taking the learner's
    dimensions (a learner no longer in the table has no row to keep, as with the row triggers)."""
    keys = [(c, f"t.{c}") for c in ("city_id", "learner_id", "year")]
    grouped = _pg_grouped(op, keys, [(c, f"t.{c}") for c in SUMS], first="city_id")
    sets = _plus_excluded("postgresql", LY, SUMS)
    return (
        f"INSERT INTO {LY} (city_id, learner_id, year, {', '.join(DIMS)}, {', '.join(SUMS)}) "
        f"SELECT g.city_id, l.id, g.year, {', '.join('l.' + d for d in DIMS)}, "
        f"{', '.join('g.' + c for c in SUMS)} FROM ({grouped}) g JOIN {LEARNERS} l ON l.id = g.learner_id"
        f"{_pg_kept(op, LY, ['learner_id', 'year'])} ORDER BY g.learner_id, g.year ON CONFLICT (learner_id, year) DO UPDATE SET {sets}"
    )


def _pg_pgy(op: str) -> str:
    """The summary rows' net change per (programme, year) added to ProgrammeYear."""
    keys = [(c, f"t.{c}") for c in ("city_id", "programme_id", "year")]
    grouped = _pg_grouped(op, keys, [(c, f"t.{c}") for c in SUMS], first="city_id")
    key = ["programme_id", "year"]
    return _pg_grouped_added(op, PGY, key, ["city_id", *key, *SUMS], grouped, SUMS)


def _pg_plm(op: str) -> list[str]:
    """ProgrammeLearner mirrors each summary row: the keys the statement removed (deleted, or moved away and not
    written again) lose their row, the rows it wrote set theirs."""
    key = ("learner_id", "programme_id", "year")
    out = []
    if op in ("UPDATE", "DELETE"):
        gone = (
            f" AND NOT EXISTS (SELECT 1 FROM new_rows n WHERE {' AND '.join(f'n.{c} = o.{c}' for c in key)})"
            if op == "UPDATE"
            else ""
        )
        out.append(
            f"DELETE FROM {PLM} p USING old_rows o WHERE {' AND '.join(f'p.{c} = o.{c}' for c in key)}{gone}"
        )
    if op in ("INSERT", "UPDATE"):
        # a row that kept its key only updates its existing row (a row moved to a new key creates one)
        kept = (
            f" WHERE NOT EXISTS (SELECT 1 FROM old_rows o WHERE {' AND '.join(f'o.{c} = t.{c}' for c in key)})"
            f" OR EXISTS (SELECT 1 FROM {PLM} x WHERE {' AND '.join(f'x.{c} = t.{c}' for c in key)})"
            if op == "UPDATE"
            else ""
        )
        out.append(
            f"INSERT INTO {PLM} (city_id, year, programme_id, learner_id, months) "
            f"SELECT t.city_id, t.year, t.programme_id, t.learner_id, {_months('t')} FROM new_rows t{kept} "
            f"ORDER BY t.learner_id, t.programme_id, t.year ON CONFLICT (learner_id, programme_id, year) "
            f"DO UPDATE SET months = EXCLUDED.months WHERE {PLM}.months <> EXCLUDED.months"
        )
    return out


def _pg_py(op: str) -> str:
    """The changed learner-years' contributions moved between people cells: old ones out, new ones in."""
    keys = list(zip(CELL, _cell_values("t"), strict=True))
    grouped = _pg_grouped(op, keys, list(zip(COUNTS, _contribution("t"), strict=True)))
    return _pg_grouped_added(op, PY, CELL, [*CELL, *COUNTS], grouped, COUNTS)


_PG_SUMMARY_TRIGGERS = {
    "INSERT": "analytics_ly_ins",
    "UPDATE": "analytics_ly_upd",
    "DELETE": "analytics_ly_del",
}
_PG_LY_TRIGGERS = {"INSERT": "analytics_py_ins", "UPDATE": "analytics_py_upd", "DELETE": "analytics_py_del"}


def _postgresql_statements(programmes: bool) -> list[str]:
    v = "postgresql"
    out = []
    for table, names, body in (
        (
            SUMMARY,
            _PG_SUMMARY_TRIGGERS,
            lambda op: [_pg_ly(op), *([*_pg_plm(op), _pg_pgy(op)] if programmes else [])],
        ),
        (LY, _PG_LY_TRIGGERS, lambda op: [_pg_py(op)]),
    ):
        for op, name in names.items():
            # an upsert fires both its INSERT and UPDATE triggers, one of them usually with no rows: skip it
            relation = "new_rows" if op != "DELETE" else "old_rows"
            guard = f"IF NOT EXISTS (SELECT 1 FROM {relation}) THEN RETURN NULL; END IF;"
            out.append(pg_function(name, [guard, *(sql + ";" for sql in body(op))]))
            out.append(pg_statement_trigger(name, op, table))
    out.append(
        pg_function(
            "analytics_ly_learner_sync",
            [
                "IF TG_OP = 'DELETE' THEN",
                f"DELETE FROM {LY} WHERE learner_id = OLD.id;",
                "ELSE",
                _ly_copy_dims() + ";",
                "END IF;",
            ],
        )
    )
    out.append(
        f"CREATE TRIGGER analytics_ly_learner_upd AFTER UPDATE ON {LEARNERS} FOR EACH ROW "
        f"WHEN ({_learner_changed(v)}) EXECUTE FUNCTION analytics_ly_learner_sync()"
    )
    out.append(
        f"CREATE TRIGGER analytics_ly_learner_del AFTER DELETE ON {LEARNERS} FOR EACH ROW "
        "EXECUTE FUNCTION analytics_ly_learner_sync()"
    )
    return out


def _sqlite_statements(programmes: bool) -> list[str]:
    v = "sqlite"

    def body(*parts: list[str]) -> str:
        return "BEGIN " + " ".join(sql + ";" for part in parts for sql in part) + " END"

    delta = [_ly_delta(), *(_programme_delta() if programmes else [])]
    sub = [_ly_sub("OLD"), *(_programme_sub("OLD") if programmes else [])]
    add = [_ly_add(v, "NEW"), *(_programme_add(v, "NEW") if programmes else [])]
    return [
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


PG_TRIGGERS = {
    **dict.fromkeys(_PG_SUMMARY_TRIGGERS.values(), SUMMARY),
    "analytics_ly_learner_upd": LEARNERS,
    "analytics_ly_learner_del": LEARNERS,
    **dict.fromkeys(_PG_LY_TRIGGERS.values(), LY),
}
_PG_FUNCTIONS = [*_PG_SUMMARY_TRIGGERS.values(), "analytics_ly_learner_sync", *_PG_LY_TRIGGERS.values()]
_PG_OLD = {"analytics_ly_sync": SUMMARY, "analytics_py_sync": LY}  # the row triggers of 0004/0005
SQLITE_TRIGGERS = [
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


def install_statements(vendor: str, programmes: bool = True) -> list[str]:
    """The statements that create the triggers (after `uninstall_statements`); `programmes=False` leaves out the
    programme tables (migration 0004, before 0005 creates them)."""
    return _postgresql_statements(programmes) if vendor == "postgresql" else _sqlite_statements(programmes)


def uninstall_statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {name} ON {table}" for name, table in {**PG_TRIGGERS, **_PG_OLD}.items()
        ] + [f"DROP FUNCTION IF EXISTS {name}()" for name in [*_PG_FUNCTIONS, *_PG_OLD]]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS]


def backfill_statements(programmes: bool = True) -> list[str]:
    """The four tables rebuilt from the summary and the learners (the triggers dropped meanwhile)."""
    out = [f"DELETE FROM {PY}", f"DELETE FROM {LY}"]
    if programmes:
        out += [
            f"DELETE FROM {PLM}",
            f"DELETE FROM {PGY}",
            f"INSERT INTO {PLM} (city_id, year, programme_id, learner_id, months) "
            f"SELECT s.city_id, s.year, s.programme_id, s.learner_id, {_months('s')} FROM {SUMMARY} s",
            f"INSERT INTO {PGY} (city_id, programme_id, year, {', '.join(SUMS)}) "
            f"SELECT MIN(s.city_id), s.programme_id, s.year, {', '.join(f'SUM(s.{c})' for c in SUMS)} "
            f"FROM {SUMMARY} s GROUP BY s.programme_id, s.year",
        ]
    cell = _cell_values("r")
    return [
        *out,
        f"INSERT INTO {LY} (city_id, learner_id, year, {', '.join(DIMS)}, {', '.join(SUMS)}) "
        f"SELECT MIN(p.city_id), l.id, p.year, {', '.join('l.' + d for d in DIMS)}, "
        f"{', '.join(f'SUM(p.{c})' for c in SUMS)} "
        f"FROM {SUMMARY} p JOIN {LEARNERS} l ON l.id = p.learner_id GROUP BY l.id, p.year",
        f"INSERT INTO {PY} ({', '.join(CELL)}, {', '.join(COUNTS)}) "
        f"SELECT {', '.join(cell)}, {', '.join(f'SUM({c})' for c in _contribution('r'))} "
        f"FROM {LY} r GROUP BY {', '.join(cell)}",
    ]
