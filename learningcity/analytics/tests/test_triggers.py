"""The summary triggers: every write path on attendance keeps analytics_participation exact (both engines)."""

import datetime as dt

import pytest
from django.db import connection, transaction

from learningcity.analytics import triggers
from learningcity.programmes.models import Attendance

from . import factories as f
from .summary import rebuilt, summary

pytestmark = pytest.mark.django_db


def _rows(world, sessions, learners):
    return [
        Attendance(
            city=s.city,
            session=s,
            learner=p,
            programme=s.programme,
            space=s.space,
            date=s.date,
            minutes=s.minutes,
        )
        for s in sessions
        for p in learners
    ]


def test_every_write_path_keeps_the_summary_exact(city, world):
    sessions, w = world["sessions"], world
    assert summary() == rebuilt()
    Attendance.objects.bulk_create(_rows(w, [sessions[3]], [w["B"], w["C"], w["E"]]))  # one multi-row INSERT
    assert summary() == rebuilt()
    Attendance.objects.filter(learner=w["A"], session=sessions[1]).update(
        date=dt.date(2025, 12, 31)
    )  # month, year
    assert summary() == rebuilt()
    Attendance.objects.filter(learner=w["D"]).update(learner=w["E"])  # a merge moves rows to another person
    assert summary() == rebuilt()
    Attendance.objects.filter(session=sessions[3]).update(space=None)  # nothing the summary counts changes
    assert summary() == rebuilt()
    Attendance.objects.filter(learner=w["B"]).delete()  # erasure, a roster untick
    assert summary() == rebuilt()
    w["C"].delete()  # cascade
    assert summary() == rebuilt()


def test_bulk_insert_adds_the_rows_once_and_rolls_back_with_them(city, world):
    w = world
    before, count = summary(), Attendance.objects.count()
    rows = _rows(w, [w["sessions"][3], w["sessions"][4]], [w["B"], w["E"]])

    def insert_then_fail():
        with transaction.atomic(), triggers.bulk_insert():
            Attendance.objects.bulk_create(rows)
            raise RuntimeError("roll back")

    with pytest.raises(RuntimeError, match="roll back"):
        insert_then_fail()
    assert summary() == before
    assert Attendance.objects.count() == count
    with transaction.atomic(), triggers.bulk_insert():
        Attendance.objects.bulk_create(rows)
    assert Attendance.objects.count() == count + 4
    assert summary() == rebuilt() != before
    # after the block, single inserts are counted by the triggers again
    f.attend(w["sessions"][2], w["E"])
    assert summary() == rebuilt()


def test_no_bulk_state_outlives_the_block(city, world):
    """SQLite: the flag row exists only inside the block. PostgreSQL keeps no state at all (statement triggers)."""

    def flag():
        if connection.vendor != "sqlite":
            return 0
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM analytics_bulk_insert")
            return cursor.fetchone()[0]

    with triggers.bulk_insert():
        assert flag() == (1 if connection.vendor == "sqlite" else 0)
    assert flag() == 0
    with pytest.raises(ValueError, match="inside the block"), triggers.bulk_insert():
        raise ValueError("inside the block")
    assert flag() == 0
    f.attend(world["sessions"][3], world["E"])  # an ordinary insert afterwards is counted by the triggers
    assert summary() == rebuilt()


def test_installed_and_reinstalled(city, world):
    assert triggers.installed()
    triggers.uninstall()
    assert not triggers.installed()
    triggers.install()
    assert triggers.installed()
    f.attend(world["sessions"][3], world["E"])
    assert summary() == rebuilt()
