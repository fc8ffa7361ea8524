# ruff: noqa: S608 - fixed SQL built from constant table and column names, no user input
"""The SQL of the member rollups: triggers on programmes_membership and on the participation summary keeping
analytics_memberjoin (memberships joined and left per programme and year) and analytics_membercame (members active
in a year per programme, year and number of attendances that year, 1 or more), their drops and their rebuild, for
both engines (members.py runs them; see there)."""

from __future__ import annotations

from .common import A_COLS, SUMMARY, pg_function, pg_statement_trigger

MEMBERSHIPS = "programmes_membership"
JOINS = "analytics_memberjoin"
CAME = "analytics_membercame"
FIGURES_LOCK = 7351  # the city's attendance lock (programmes.services.attendance_writes.ATTENDANCE_LOCK)
PG_TRIGGERS = {
    "analytics_mc_summary_ins": SUMMARY,
    "analytics_mc_summary_upd": SUMMARY,
    "analytics_mc_summary_del": SUMMARY,
    "analytics_mc_membership_ins": MEMBERSHIPS,
    "analytics_mc_membership_upd": MEMBERSHIPS,
    "analytics_mc_membership_del": MEMBERSHIPS,
}
_PG_OLD = {"analytics_mc_membership": MEMBERSHIPS}  # the row trigger of 0003's first draft (never deployed)
SQLITE_INSERT_TRIGGER = "analytics_mc_membership_ins"  # SQLite's bulk path drops it for its block
SQLITE_TRIGGERS = [
    "analytics_mc_summary_ins",
    "analytics_mc_summary_upd",
    "analytics_mc_summary_del",
    "analytics_mc_membership_ins",
    "analytics_mc_membership_upd",
    "analytics_mc_membership_del",
]


def _total(ref: str) -> str:
    """A summary row's attendances in its year."""
    return "(" + " + ".join(f"{ref}.{c}" for c in A_COLS) + ")"


def _year(vendor: str, expr: str) -> str:
    if vendor == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {expr}) AS INTEGER)"
    return f"CAST(strftime('%Y', {expr}) AS INTEGER)"


def _day(vendor: str, year: str, month_day: str) -> str:
    """The date of `month_day` ('12-31') in the year `year` (an SQL expression), comparable with a date column."""
    if vendor == "postgresql":
        month, day = month_day.split("-")
        return f"make_date(CAST({year} AS INTEGER), {int(month)}, {int(day)})"
    return f"printf('%04d-{month_day}', {year})"


def _active(vendor: str, m: str, year: str) -> str:
    """Membership row `m` is active in year `year` (joined by its end, not left before its start)."""
    return (
        f"{m}.joined_on <= {_day(vendor, year, '12-31')} AND "
        f"({m}.left_on IS NULL OR {m}.left_on >= {_day(vendor, year, '01-01')})"
    )


def _members_of(vendor: str, ref: str) -> str:
    """The memberships of summary row `ref`'s learner in its programme active in its year."""
    return (
        f"(SELECT COUNT(*) FROM {MEMBERSHIPS} m WHERE m.learner_id = {ref}.learner_id "
        f"AND m.programme_id = {ref}.programme_id AND {_active(vendor, 'm', f'{ref}.year')})"
    )


def _came_upsert(vendor: str, select: str) -> str:
    """Signed member counts (city_id, programme_id, year, came, members) added to the buckets."""
    target = f"{CAME}." if vendor == "postgresql" else ""
    excluded = "EXCLUDED" if vendor == "postgresql" else "excluded"
    return (
        f"INSERT INTO {CAME} (city_id, programme_id, year, came, members) {select} "
        f"ON CONFLICT (programme_id, year, came) DO UPDATE SET members = {target}members + {excluded}.members"
    )


def _summary_rows(vendor: str, relation: str, sign: int) -> str:
    """Summary rows of `relation` (alias t) as signed bucket moves: their active members at their year's total."""
    return (
        f"SELECT t.city_id, t.programme_id, t.year, {_total('t')} AS came, {sign} * {_members_of(vendor, 't')} AS n "
        f"FROM {relation} t WHERE {_total('t')} > 0"
    )


def _pg_summary(op: str) -> str:
    parts = {
        "INSERT": [_summary_rows("postgresql", "new_rows", 1)],
        "UPDATE": [_summary_rows("postgresql", "new_rows", 1), _summary_rows("postgresql", "old_rows", -1)],
        "DELETE": [_summary_rows("postgresql", "old_rows", -1)],
    }[op]
    grouped = (
        f"SELECT MIN(u.city_id), u.programme_id, u.year, u.came, SUM(u.n) FROM ({' UNION ALL '.join(parts)}) u "
        "GROUP BY u.programme_id, u.year, u.came HAVING SUM(u.n) <> 0 ORDER BY u.programme_id, u.year, u.came"
    )
    if op == "DELETE":  # a removal never creates a row (see _came_subtract)
        return (
            f"UPDATE {CAME} SET members = {CAME}.members + g.n FROM ({grouped}) AS g (city_id, programme_id, year, "
            f"came, n) WHERE {CAME}.programme_id = g.programme_id AND {CAME}.year = g.year AND {CAME}.came = g.came"
        )
    return _came_upsert("postgresql", grouped)


def _came_subtract(vendor: str, where: str, amount: str) -> str:
    """Take `amount` from the existing buckets that `where` picks (alias of the table: none): a removal never
    creates a row, so rows deleted together with their programme or city (a city's deletion, a test's flush)
    leave nothing behind that points at them."""
    return f"UPDATE {CAME} SET members = members - {amount} WHERE {where}"


def _membership_moves(vendor: str, ref: str, sign: int) -> list[str]:
    """Membership row `ref` added (sign 1) or taken away (-1): its joining and leaving years, and its learner's
    attendance in the programme in each year it is active. Additions upsert; removals only update the rows the
    addition made (see _came_subtract)."""
    target = f"{JOINS}." if vendor == "postgresql" else ""
    excluded = "EXCLUDED" if vendor == "postgresql" else "excluded"
    summary_of = (
        f"SELECT s.year, {_total('s')} FROM {SUMMARY} s WHERE s.learner_id = {ref}.learner_id "
        f"AND s.programme_id = {ref}.programme_id AND {_total('s')} > 0 AND {_active(vendor, ref, 's.year')}"
    )
    if sign < 0:
        return [
            f"UPDATE {JOINS} SET joined = joined - 1 WHERE programme_id = {ref}.programme_id "
            f"AND year = {_year(vendor, f'{ref}.joined_on')}",
            f"UPDATE {JOINS} SET leaving = leaving - 1 WHERE {ref}.left_on IS NOT NULL "
            f"AND programme_id = {ref}.programme_id AND year = {_year(vendor, f'{ref}.left_on')}",
            _came_subtract(
                vendor, f"programme_id = {ref}.programme_id AND (year, came) IN ({summary_of})", "1"
            ),
        ]
    joins = (
        f"INSERT INTO {JOINS} (city_id, programme_id, year, joined, leaving) VALUES ({ref}.city_id, "
        f"{ref}.programme_id, {_year(vendor, f'{ref}.joined_on')}, {sign}, 0) ON CONFLICT (programme_id, year) "
        f"DO UPDATE SET joined = {target}joined + {excluded}.joined"
    )
    leaves = (
        f"INSERT INTO {JOINS} (city_id, programme_id, year, joined, leaving) SELECT {ref}.city_id, "
        f"{ref}.programme_id, {_year(vendor, f'{ref}.left_on')}, 0, {sign} WHERE {ref}.left_on IS NOT NULL "
        f"ON CONFLICT (programme_id, year) DO UPDATE SET leaving = {target}leaving + {excluded}.leaving"
    )
    came = _came_upsert(
        vendor,
        f"SELECT s.city_id, s.programme_id, s.year, {_total('s')}, {sign} FROM {SUMMARY} s "
        f"WHERE s.learner_id = {ref}.learner_id AND s.programme_id = {ref}.programme_id AND {_total('s')} > 0 "
        f"AND {_active(vendor, ref, 's.year')} ORDER BY s.programme_id, s.year",
    )
    return [joins, leaves, came]


_MEMBERSHIP_KEYS = ["learner_id", "programme_id", "joined_on", "left_on", "city_id"]


def _membership_changed(vendor: str) -> str:
    op = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
    return " OR ".join(f"NEW.{c} {op} OLD.{c}" for c in _MEMBERSHIP_KEYS)


def _years_of(vendor: str, relation: str) -> str:
    """The memberships of `relation` (alias m) per programme and year: how many joined and how many left in it."""
    year_j, year_l = _year(vendor, "m.joined_on"), _year(vendor, "m.left_on")
    return (
        "SELECT MIN(x.city_id) AS city_id, x.programme_id, x.year, SUM(x.j) AS joined, SUM(x.l) AS leaving FROM ("
        f"SELECT m.city_id, m.programme_id, {year_j} AS year, 1 AS j, 0 AS l FROM {relation} m UNION ALL "
        f"SELECT m.city_id, m.programme_id, {year_l} AS year, 0 AS j, 1 AS l FROM {relation} m "
        "WHERE m.left_on IS NOT NULL) x GROUP BY x.programme_id, x.year"
    )


def _buckets_of(vendor: str, relation: str) -> str:
    """The memberships of `relation` (alias m) in the attendance buckets: per programme, year and attendances
    that year, how many of them were active that year with their learner coming that often."""
    return (
        f"SELECT MIN(s.city_id) AS city_id, s.programme_id, s.year, {_total('s')} AS came, COUNT(*) AS n "
        f"FROM {SUMMARY} s JOIN {relation} m ON m.learner_id = s.learner_id AND m.programme_id = s.programme_id "
        f"AND {_active(vendor, 'm', 's.year')} WHERE {_total('s')} > 0 GROUP BY s.programme_id, s.year, {_total('s')}"
    )


def _memberships_added(vendor: str, relation: str) -> list[str]:
    """The memberships of `relation` added to both rollups: one aggregated upsert each, in key order (concurrent
    writers take the rows in the same order)."""
    target = f"{JOINS}." if vendor == "postgresql" else ""
    excluded = "EXCLUDED" if vendor == "postgresql" else "excluded"
    joins = (
        f"INSERT INTO {JOINS} (city_id, programme_id, year, joined, leaving) SELECT g.city_id, g.programme_id, "
        f"g.year, g.joined, g.leaving FROM ({_years_of(vendor, relation)}) g WHERE true "
        "ORDER BY g.programme_id, g.year ON CONFLICT (programme_id, year) DO UPDATE SET "
        f"joined = {target}joined + {excluded}.joined, leaving = {target}leaving + {excluded}.leaving"
    )
    came = _came_upsert(
        vendor,
        f"SELECT g.city_id, g.programme_id, g.year, g.came, g.n FROM ({_buckets_of(vendor, relation)}) g "
        "WHERE true ORDER BY g.programme_id, g.year, g.came",
    )
    return [joins, came]


def _memberships_removed(vendor: str, relation: str) -> list[str]:
    """The memberships of `relation` taken from both rollups: updates of the rows their addition made, never an
    insert (see _came_subtract)."""
    return [
        f"UPDATE {JOINS} SET joined = {JOINS}.joined - g.joined, leaving = {JOINS}.leaving - g.leaving "
        f"FROM ({_years_of(vendor, relation)}) g WHERE {JOINS}.programme_id = g.programme_id "
        f"AND {JOINS}.year = g.year",
        f"UPDATE {CAME} SET members = {CAME}.members - g.n FROM ({_buckets_of(vendor, relation)}) g "
        f"WHERE {CAME}.programme_id = g.programme_id AND {CAME}.year = g.year AND {CAME}.came = g.came",
    ]


def _pg_lock(relation: str) -> str:
    """The attendance lock of every city of `relation`, in id order (the order `attendance_writes` takes them)."""
    return (
        f"PERFORM pg_advisory_xact_lock({FIGURES_LOCK}, CAST(c.city_id AS INTEGER)) "
        f"FROM (SELECT DISTINCT city_id FROM {relation} ORDER BY city_id) c;"
    )


def _pg_membership(op: str) -> list[str]:
    """The body of the statement-level trigger on memberships for `op`: the statement's rows added or taken away
    in one aggregated statement per rollup, after their cities' attendance lock (the summary's writers hold it), so
    memberships written outside `attendance_writes` cannot take bucket rows in another order than they do. An
    UPDATE moves only the rows whose learner, programme, dates or city changed."""
    v = "postgresql"
    if op == "UPDATE":
        changed = " OR ".join(f"o.{c} IS DISTINCT FROM n.{c}" for c in _MEMBERSHIP_KEYS)
        old = f"(SELECT o.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {changed})"
        new = f"(SELECT n.* FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE {changed})"
        cities = f"(SELECT city_id FROM {old} u UNION ALL SELECT city_id FROM {new} w)"
        return [
            f"IF NOT EXISTS {old} THEN RETURN NULL; END IF;",
            _pg_lock(f"{cities} t"),
            *(s + ";" for s in _memberships_removed(v, old)),
            *(s + ";" for s in _memberships_added(v, new)),
        ]
    relation = "new_rows" if op == "INSERT" else "old_rows"
    moves = _memberships_added(v, relation) if op == "INSERT" else _memberships_removed(v, relation)
    return [
        f"IF NOT EXISTS (SELECT 1 FROM {relation}) THEN RETURN NULL; END IF;",
        _pg_lock(relation),
        *(s + ";" for s in moves),
    ]


def _postgresql_statements() -> list[str]:
    out = []
    for op, name in (
        ("INSERT", "analytics_mc_summary_ins"),
        ("UPDATE", "analytics_mc_summary_upd"),
        ("DELETE", "analytics_mc_summary_del"),
    ):
        relation = "new_rows" if op != "DELETE" else "old_rows"
        guard = f"IF NOT EXISTS (SELECT 1 FROM {relation}) THEN RETURN NULL; END IF;"
        out += [pg_function(name, [guard, _pg_summary(op) + ";"]), pg_statement_trigger(name, op, SUMMARY)]
    # Memberships: statement-level too, so an import's memberships written in one statement move the rollups once.
    for op, name in (
        ("INSERT", "analytics_mc_membership_ins"),
        ("UPDATE", "analytics_mc_membership_upd"),
        ("DELETE", "analytics_mc_membership_del"),
    ):
        out += [pg_function(name, _pg_membership(op)), pg_statement_trigger(name, op, MEMBERSHIPS)]
    return out


def _sqlite_statements() -> list[str]:
    v = "sqlite"

    def body(statements: list[str]) -> str:
        return "BEGIN " + " ".join(s + ";" for s in statements) + " END"

    def bucket(ref: str, sign: int) -> str:
        if sign < 0:
            return _came_subtract(
                v,
                f"programme_id = {ref}.programme_id AND year = {ref}.year AND came = {_total(ref)} "
                f"AND {_total(ref)} > 0",
                _members_of(v, ref),
            )
        return _came_upsert(
            v,
            f"SELECT {ref}.city_id, {ref}.programme_id, {ref}.year, {_total(ref)}, {sign} * {_members_of(v, ref)} "
            f"WHERE {_total(ref)} > 0",
        )

    # Memberships: row triggers (SQLite has no other); bulk_insert() (members.py) goes without the insert trigger.
    return [
        f"CREATE TRIGGER analytics_mc_summary_ins AFTER INSERT ON {SUMMARY} {body([bucket('NEW', 1)])}",
        f"CREATE TRIGGER analytics_mc_summary_upd AFTER UPDATE ON {SUMMARY} "
        f"{body([bucket('OLD', -1), bucket('NEW', 1)])}",
        f"CREATE TRIGGER analytics_mc_summary_del AFTER DELETE ON {SUMMARY} {body([bucket('OLD', -1)])}",
        sqlite_insert_trigger(),
        f"CREATE TRIGGER analytics_mc_membership_upd AFTER UPDATE ON {MEMBERSHIPS} WHEN {_membership_changed(v)} "
        f"{body(_membership_moves(v, 'OLD', -1) + _membership_moves(v, 'NEW', 1))}",
        f"CREATE TRIGGER analytics_mc_membership_del AFTER DELETE ON {MEMBERSHIPS} "
        f"{body(_membership_moves(v, 'OLD', -1))}",
    ]


def sqlite_insert_trigger() -> str:
    """SQLite's insert trigger on memberships (bulk_insert() drops it for its block and puts it back)."""
    moves = " ".join(s + ";" for s in _membership_moves("sqlite", "NEW", 1))
    return f"CREATE TRIGGER {SQLITE_INSERT_TRIGGER} AFTER INSERT ON {MEMBERSHIPS} BEGIN {moves} END"


def install_statements(vendor: str) -> list[str]:
    return _postgresql_statements() if vendor == "postgresql" else _sqlite_statements()


def uninstall_statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        triggers = {**PG_TRIGGERS, **_PG_OLD}
        return [f"DROP TRIGGER IF EXISTS {name} ON {table}" for name, table in triggers.items()] + [
            f"DROP FUNCTION IF EXISTS {name}()" for name in triggers
        ]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS]


def bulk_statements(vendor: str, since: int) -> list[str]:
    """SQLite's bulk path: the memberships with an id above `since` added to both rollups, one upsert each."""
    return _memberships_added(vendor, f"(SELECT * FROM {MEMBERSHIPS} WHERE id > {int(since)})")


def backfill_statements(vendor: str) -> list[str]:
    """Both tables rebuilt from the memberships and the summary (the triggers dropped meanwhile)."""
    return [
        f"DELETE FROM {JOINS}",
        f"DELETE FROM {CAME}",
        f"INSERT INTO {JOINS} (city_id, programme_id, year, joined, leaving) SELECT g.city_id, g.programme_id, "
        f"g.year, g.joined, g.leaving FROM ({_years_of(vendor, MEMBERSHIPS)}) g",
        f"INSERT INTO {CAME} (city_id, programme_id, year, came, members) SELECT g.city_id, g.programme_id, "
        f"g.year, g.came, g.n FROM ({_buckets_of(vendor, MEMBERSHIPS)}) g",
    ]
