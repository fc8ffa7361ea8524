"""The squashed analytics migration, walked on a real SQLite file in a subprocess (whatever engine the suite runs on).

A database that applied the old 0001-0007 must count the squashed 0001 as applied and change nothing; a fresh one
gets its triggers from the frozen SQL, and they keep the summary right. Before the squash, 0007 put the triggers
back after programmes 0002 rebuilt the attendance table on SQLite; the squashed migration runs after programmes
0002, and a schema dump of a database migrated by the old chain and one by the squash were compared equal on both
engines the day it was made (SQLite: sqlite_master; PostgreSQL: pg_dump -s).
"""

import importlib
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
        timeout=900,  # a guard against a hang, not a timing: migrate takes minutes on a loaded machine
        check=False,
    )


REPLACED = [
    "0001_initial",
    "0002_participation_summary",
    "0003_bulk_import_sync",
    "0004_people_rollup",
    "0005_programme_rollup",
    "0006_rollup_statement_triggers",
    "0007_triggers_after_attendance_rebuild",
]

AS_BEFORE_THE_SQUASH = """
import importlib
from django.db import connection
squash = importlib.import_module("learningcity.analytics.migrations.0001_squashed_frozen_triggers").Migration
squash.name = "0001_squashed_frozen_triggers"
with connection.cursor() as cursor:
    # the squash itself unrecorded (later analytics migrations, such as 0002, stay applied)
    cursor.execute("DELETE FROM django_migrations WHERE app = 'analytics' AND name = %s", [squash.name])
    for app, name in squash.replaces:
        cursor.execute("INSERT INTO django_migrations (app, name, applied) VALUES (%s, %s, CURRENT_TIMESTAMP)", [app, name])
"""


def _env(tmp_path) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'upgrade.sqlite3'}",
        "DATA_DIR": str(tmp_path),
        "TESTING": "1",
    }


def _steps(env, *steps) -> subprocess.CompletedProcess:
    done = None
    for step in steps:
        done = _manage(env, *step)
        assert done.returncode == 0, (step[0], done.stdout[-2000:], done.stderr[-4000:])
    assert done is not None
    return done


def test_a_fresh_database_gets_working_triggers_from_the_frozen_sql(tmp_path):
    done = _steps(
        _env(tmp_path),
        ("migrate", "-v0"),
        ("shell", "-c", textwrap.dedent(SETUP)),
        ("shell", "-c", textwrap.dedent(CHECK)),
    )
    assert "upgrade ok" in done.stdout


def test_a_database_migrated_by_the_old_chain_counts_the_squash_as_applied(tmp_path):
    squash = importlib.import_module(
        "learningcity.analytics.migrations.0001_squashed_frozen_triggers"
    ).Migration
    assert squash.replaces == [("analytics", name) for name in REPLACED]
    env = _env(tmp_path)
    _steps(
        env,
        ("migrate", "-v0"),
        ("shell", "-c", textwrap.dedent(SETUP)),
        ("shell", "-c", AS_BEFORE_THE_SQUASH),
    )
    shown = _steps(env, ("showmigrations", "analytics")).stdout
    assert "[-] 0001_squashed_frozen_triggers" in shown  # recorded under the old names only
    migrated = _steps(env, ("migrate", "-v1")).stdout
    assert "No migrations to apply." in migrated  # nothing runs again: no table or trigger is touched
    assert "[X] 0001_squashed_frozen_triggers" in _steps(env, ("showmigrations", "analytics")).stdout
    assert "upgrade ok" in _steps(env, ("shell", "-c", textwrap.dedent(CHECK))).stdout


TALLY_CHECK = """
from learningcity.analytics import tally
from learningcity.core.models import City
from learningcity.programmes.models import Learner
assert tally.installed(), "tally triggers missing"
city = City.objects.get(slug="upgrade")
assert tally.learner_count(city.pk) == 1, tally.learner_count(city.pk)
Learner.objects.create(city=city, code="L00002", full_name="Cầm Văn Hùng")
assert tally.learner_count(city.pk) == 2, tally.learner_count(city.pk)
print("tally ok")
"""


def test_the_tally_migration_counts_the_learners_already_there(tmp_path):
    """A database with learners before analytics 0002: the migration counts them and installs the triggers."""
    env = _env(tmp_path)
    _steps(
        env,
        ("migrate", "-v0"),
        ("migrate", "analytics", "0001", "-v0"),
        ("shell", "-c", textwrap.dedent(SETUP)),
        ("migrate", "-v0"),
    )
    assert "tally ok" in _steps(env, ("shell", "-c", textwrap.dedent(TALLY_CHECK))).stdout
