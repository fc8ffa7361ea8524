"""analytics_rebuild puts back a summary and rollups that were emptied behind the triggers' back."""

import io

from django.core.management import call_command
from django.db import connection

TABLES = [  # emptied from the end: the summary before the member rollups its triggers write to
    "analytics_learnertally",
    "analytics_memberjoin",
    "analytics_membercame",
    "analytics_participation",
    "analytics_learneryear",
    "analytics_peopleyear",
    "analytics_programmelearner",
    "analytics_programmeyear",
    "analytics_learnergroup",
    "analytics_groupyear",
    "analytics_sessionday",
    "analytics_sessionyear",
]
ZEROS_SAY_NOTHING = {  # a row the triggers emptied says what no row says: the counters that tell
    "analytics_membercame": ["members"],
    "analytics_learnergroup": [f"c{m:02d}" for m in range(1, 13)],
    "analytics_groupyear": ["learners"],
    "analytics_sessionday": ["sessions"],
    "analytics_sessionyear": [f"s{m:02d}" for m in range(1, 13)],
}


def snapshot() -> dict[str, list[tuple]]:
    out = {}
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - constant table names
            columns = [c[0] for c in cursor.description]
            keep = [i for i, c in enumerate(columns) if c != "id"]
            rows = cursor.fetchall()
            if table in ZEROS_SAY_NOTHING:
                counters = [columns.index(c) for c in ZEROS_SAY_NOTHING[table]]
                rows = [row for row in rows if any(row[i] for i in counters)]
            out[table] = sorted((tuple(row[i] for i in keep) for row in rows), key=repr)
    return out


def test_rebuild_restores_every_table_exactly(world):
    before = snapshot()
    assert before["analytics_participation"]
    assert before["analytics_peopleyear"]
    assert before["analytics_membercame"]
    assert before["analytics_groupyear"]
    assert before["analytics_sessionyear"]
    with connection.cursor() as cursor:
        for table in reversed(TABLES):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - constant table names
    assert not any(snapshot().values())
    out = io.StringIO()
    call_command("analytics_rebuild", stdout=out)
    assert "summary rows: " in out.getvalue()
    assert snapshot() == before
