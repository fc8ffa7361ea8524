"""Upgrading a database that already holds attendance keeps the summary triggers (SQLite rebuilds the table).

programmes 0002 changes attendance's foreign keys. SQLite makes such a change by copying the table into a new one
and dropping the old, and the old table's triggers go with it; analytics 0007 puts them back. This walks a real
upgrade in a fresh SQLite file, in a subprocess (whatever engine the suite runs on): migrate to the state before,
record attendance, migrate to the end, then check that the triggers are there without any repair call and that
a new attendance row reaches the summary.
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

SETUP = """
import datetime as dt
from learningcity.core.models import City
from learningcity.programmes.models import Attendance, Learner, Programme, Session
city = City.objects.create(slug="upgrade", name_vi="Nâng cấp")
prog = Programme.objects.create(city=city, code="club", kind="club", title_vi="CLB")
day = dt.date(2025, 3, 1)
sess = Session.objects.create(city=city, programme=prog, date=day, start_time=dt.time(8), end_time=dt.time(9))
person = Learner.objects.create(city=city, code="L00001", full_name="Lò Thị Mai")
Attendance.objects.create(city=city, session=sess, learner=person, programme=prog, date=day, minutes=60)
"""

CHECK = """
import datetime as dt
from django.db import transaction
from learningcity.analytics import rollup, triggers
from learningcity.analytics.models import Participation
from learningcity.programmes.models import Attendance, Learner, Programme, Session
assert triggers.installed(), "summary triggers missing after the upgrade"
assert rollup.installed(), "rollup triggers missing after the upgrade"
row = Participation.objects.get()
assert (row.a03, row.n03) == (1, 60), (row.a03, row.n03)
prog = Programme.objects.get()
day = dt.date(2025, 3, 8)
sess = Session.objects.create(city=prog.city, programme=prog, date=day, start_time=dt.time(8), end_time=dt.time(9))
Attendance.objects.create(
    city=prog.city, session=sess, learner=Learner.objects.get(), programme=prog, date=day, minutes=90
)
row.refresh_from_db()
assert (row.a03, row.n03) == (2, 150), (row.a03, row.n03)
live = list(Participation.objects.values_list("learner_id", "programme_id", "year", *triggers.ALL_COLS))
with transaction.atomic():
    triggers.backfill()
    assert list(Participation.objects.values_list("learner_id", "programme_id", "year", *triggers.ALL_COLS)) == live
    transaction.set_rollback(True)
print("upgrade ok")
"""


def _manage(env, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_upgrade_keeps_the_summary_triggers_on_sqlite(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'upgrade.sqlite3'}",
        "DATA_DIR": str(tmp_path),
    }
    env["TESTING"] = "1"
    steps = [
        ("migrate", "analytics", "0006", "-v0"),
        ("shell", "-c", textwrap.dedent(SETUP)),
        ("migrate", "-v0"),
        ("shell", "-c", textwrap.dedent(CHECK)),
    ]
    for step in steps:
        done = _manage(env, *step)
        assert done.returncode == 0, (step[0], done.stdout[-2000:], done.stderr[-4000:])
    assert "upgrade ok" in done.stdout
