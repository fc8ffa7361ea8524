"""The attendance bulk writer: rows staged in a temporary table of the connection, then written in one statement.

The sheet import and the demo write attendance through it (under `attendance_writes(..., bulk=True)`); the roster
and the API write single rows through services.attendance.
"""

from __future__ import annotations

from django.db import connection, transaction

from learningcity.core.bulk import write_rows

from .attendance_writes import attendance_writes

ATTENDANCE_FIELDS = (
    "city_id",
    "session_id",
    "learner_id",
    "programme_id",
    "space_id",
    "area_id",
    "date",
    "minutes",
)
ATTENDANCE_COLUMNS = f"({', '.join(ATTENDANCE_FIELDS)})"


STAGE = "lc_attendance_stage"
STAGE_COLUMNS = (
    "city_id bigint, session_id bigint, learner_id bigint, programme_id bigint, space_id bigint, area_id bigint, "
    "date date, minutes smallint"
)


class AttendanceStage:
    """Validated attendance rows, staged in a temporary table of this connection, then written in one statement.

    `add()` streams each batch into the stage (`core.bulk.write_rows`: executemany or COPY), so memory stays
    bounded by one batch. `write()` moves the whole stage into attendance with one INSERT ... SELECT ... ON CONFLICT
    DO NOTHING (importing the same rows twice adds nothing), inside `attendance_writes(cities, bulk=True)` (the
    cities' attendance lock, and the other apps' bulk-insert hooks). The analytics summary follows in the same
    transaction with one aggregated upsert per (learner, programme, year) for the whole file, instead of one per
    row or per batch: PostgreSQL's statement-level trigger does it; on SQLite analytics' hook
    (`analytics.triggers.bulk_insert`) skips the per-row trigger and adds the rows itself. Any rollup kept by
    triggers on the summary thus sees each summary row change once per import. `count_new()` tells a preview how
    many rows are new without writing them. Use inside the import's transaction: the stage goes with it.
    """

    def __init__(self) -> None:
        self.rows = 0
        self._ready = False

    def _cursor(self):
        connection.ensure_connection()
        return connection.connection.cursor()  # type: ignore[union-attr]

    def add(self, rows: list[tuple]) -> None:
        if not rows:
            return
        sqlite = connection.vendor == "sqlite"
        if not self._ready:
            raw = self._cursor()
            try:
                if sqlite:
                    raw.execute(f"CREATE TEMP TABLE IF NOT EXISTS {STAGE} ({STAGE_COLUMNS})")
                    raw.execute(f"DELETE FROM temp.{STAGE}")  # noqa: S608 - constant
                else:
                    raw.execute(f"CREATE TEMP TABLE IF NOT EXISTS {STAGE} ({STAGE_COLUMNS}) ON COMMIT DROP")
                    raw.execute(f"TRUNCATE {STAGE}")
            finally:
                raw.close()
            self._ready = True
        write_rows(f"temp.{STAGE}" if sqlite else STAGE, ATTENDANCE_FIELDS, rows)
        self.rows += len(rows)

    def count_new(self) -> int:
        """Staged rows not yet recorded (the stage holds no duplicates: the import refuses them)."""
        if not self.rows:
            return 0
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM {STAGE} s WHERE NOT EXISTS (SELECT 1 FROM programmes_attendance a "  # noqa: S608
                "WHERE a.session_id = s.session_id AND a.learner_id = s.learner_id)"
            )
            return cursor.fetchone()[0]

    def write(self, *, on_conflict: bool = True) -> int:
        """Move the stage into attendance; returns the rows inserted."""
        if not self.rows:
            return 0
        suffix = " ON CONFLICT (session_id, learner_id) DO NOTHING" if on_conflict else ""
        select = (
            f"INSERT INTO programmes_attendance {ATTENDANCE_COLUMNS} "  # noqa: S608 - constants
            "SELECT city_id, session_id, learner_id, programme_id, space_id, area_id, date, minutes "
            # In session order, whatever the sheet's: each index is then written in runs, not at random.
            f"FROM {STAGE} WHERE true ORDER BY session_id, learner_id{suffix}"  # WHERE: SQLite's parser needs it
        )
        raw = self._cursor()
        try:
            with transaction.atomic():
                raw.execute(f"SELECT DISTINCT city_id FROM {STAGE} ORDER BY city_id")  # noqa: S608 - constant
                with attendance_writes([city_id for (city_id,) in raw.fetchall()], bulk=True):
                    raw.execute(select)
                    inserted = max(raw.rowcount, 0)
                raw.execute(f"DELETE FROM {STAGE}")  # noqa: S608 - constant
            self.rows = 0
            return inserted
        finally:
            raw.close()


def insert_attendance_rows(rows: list[tuple], *, on_conflict: bool = True) -> int:
    """Write attendance rows (already resolved) the way the import does; returns rows inserted."""
    with transaction.atomic():  # the stage lives in the transaction (PostgreSQL: ON COMMIT DROP)
        stage = AttendanceStage()
        stage.add(rows)
        return stage.write(on_conflict=on_conflict)
