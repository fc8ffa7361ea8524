# ruff: noqa: S608 - fixed SQL built from constant table and column names, no user input
"""The SQL of the learner tally: triggers on programmes_learner keeping analytics_learnertally (one row per city:
its number of learners), their drops and the rebuild, for both engines (tally.py runs them; see there)."""

from __future__ import annotations

from .common import LEARNERS, pg_function, pg_statement_trigger

TALLY = "analytics_learnertally"
FIGURES_LOCK = 7351  # the city's attendance lock (programmes.services.attendance_writes.ATTENDANCE_LOCK)


def _pg_lock(relation: str) -> str:
    """Take the attendance lock of every city of the statement's rows, in id order, before the tally row: the
    lock every writer of the figures takes first (triggers.lock_city_figures), so a learner created outside
    `attendance_writes` (a form, the API, an import's new people) waits for it like a roster save, and the
    tally row is always taken after it: never the other way round, so no deadlock."""
    return (
        f"PERFORM pg_advisory_xact_lock({FIGURES_LOCK}, c.city_id::integer) "
        f"FROM (SELECT DISTINCT city_id FROM {relation} ORDER BY city_id) c;"
    )


def _pg_add() -> str:
    return (
        f"INSERT INTO {TALLY} (city_id, learners) SELECT t.city_id, COUNT(*) FROM new_rows t GROUP BY t.city_id "
        f"ORDER BY t.city_id ON CONFLICT (city_id) DO UPDATE SET learners = {TALLY}.learners + EXCLUDED.learners;"
    )


def _pg_sub() -> str:
    # An UPDATE only: the learners of a city being deleted leave no new row behind (its tally row goes with it).
    return (
        f"UPDATE {TALLY} SET learners = {TALLY}.learners - g.n FROM (SELECT t.city_id, COUNT(*) AS n "
        f"FROM old_rows t GROUP BY t.city_id) g WHERE {TALLY}.city_id = g.city_id;"
    )


_PG = {"INSERT": "analytics_tally_ins", "DELETE": "analytics_tally_del"}
_PG_MOVE = "analytics_tally_move"
PG_TRIGGERS = [*_PG.values(), _PG_MOVE]
SQLITE_TRIGGERS = ["analytics_tally_ins", "analytics_tally_del", "analytics_tally_move"]


def _one_add(ref: str, target: str = "") -> str:
    """Row `ref`'s city gains a learner (`target`: the table's name and a dot on PostgreSQL)."""
    return (
        f"INSERT INTO {TALLY} (city_id, learners) VALUES ({ref}.city_id, 1) "
        f"ON CONFLICT (city_id) DO UPDATE SET learners = {target}learners + 1;"
    )


def _one_sub(ref: str) -> str:
    return f"UPDATE {TALLY} SET learners = learners - 1 WHERE city_id = {ref}.city_id;"


def install_statements(vendor: str) -> list[str]:
    """The statements that create the triggers (after `uninstall_statements`)."""
    if vendor == "postgresql":
        out = []
        for op, body in (
            ("INSERT", [_pg_lock("new_rows"), _pg_add()]),
            ("DELETE", [_pg_lock("old_rows"), _pg_sub()]),
        ):
            relation = "new_rows" if op == "INSERT" else "old_rows"
            guard = f"IF NOT EXISTS (SELECT 1 FROM {relation}) THEN RETURN NULL; END IF;"
            out += [pg_function(_PG[op], [guard, *body]), pg_statement_trigger(_PG[op], op, LEARNERS)]
        # A learner moved to another city (never done by the services; the admin or a repair might): a row
        # trigger that fires only then, so the learners' edits pay nothing.
        out.append(
            pg_function(
                _PG_MOVE,
                [
                    f"PERFORM pg_advisory_xact_lock({FIGURES_LOCK}, c::integer) "
                    "FROM unnest(ARRAY[LEAST(OLD.city_id, NEW.city_id), GREATEST(OLD.city_id, NEW.city_id)]) c;",
                    _one_sub("OLD"),
                    _one_add("NEW", f"{TALLY}."),
                ],
            )
        )
        out.append(
            f"CREATE TRIGGER {_PG_MOVE} AFTER UPDATE OF city_id ON {LEARNERS} FOR EACH ROW "
            f"WHEN (OLD.city_id IS DISTINCT FROM NEW.city_id) EXECUTE FUNCTION {_PG_MOVE}()"
        )
        return out
    return [
        f"CREATE TRIGGER analytics_tally_ins AFTER INSERT ON {LEARNERS} BEGIN {_one_add('NEW')} END",
        f"CREATE TRIGGER analytics_tally_del AFTER DELETE ON {LEARNERS} BEGIN {_one_sub('OLD')} END",
        f"CREATE TRIGGER analytics_tally_move AFTER UPDATE OF city_id ON {LEARNERS} "
        f"WHEN OLD.city_id IS NOT NEW.city_id BEGIN {_one_sub('OLD')} {_one_add('NEW')} END",
    ]


def uninstall_statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {name} ON {LEARNERS}" for name in PG_TRIGGERS] + [
            f"DROP FUNCTION IF EXISTS {name}()" for name in PG_TRIGGERS
        ]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS]


def backfill_statements() -> list[str]:
    """The tally rebuilt from the learners (the triggers dropped meanwhile)."""
    return [
        f"DELETE FROM {TALLY}",
        f"INSERT INTO {TALLY} (city_id, learners) SELECT l.city_id, COUNT(*) FROM {LEARNERS} l GROUP BY l.city_id",
    ]
