"""The attendance import keeps the analytics summary exact, in the same transaction, on SQLite and PostgreSQL."""

import datetime as dt
import io

import pytest
from django.db import connection

from learningcity.analytics.models import Participation
from learningcity.analytics.tests.summary import rebuilt, summary
from learningcity.core.errors import ImportRejected
from learningcity.programmes.models import Attendance
from learningcity.programmes.services import imports
from learningcity.programmes.services.attendance import attendance_mark
from learningcity.programmes.services.imports import sheet_import

from .factories import LearnerFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sheet(city, club, areas):
    """Eight sessions over two years and four months each, 30 learners: 240 rows, more than one batch."""
    days = [dt.date(2025, 11, 3), dt.date(2025, 11, 20), dt.date(2025, 12, 30), dt.date(2026, 1, 2)]
    days += [dt.date(2026, 2, 14), dt.date(2026, 2, 21), dt.date(2026, 3, 1), dt.date(2026, 3, 2)]
    sessions = [SessionFactory(programme=club, date=d, end_time=dt.time(9, 30)) for d in days]
    people = [LearnerFactory(city=city, area=areas["me_ban"]) for _ in range(30)]
    rows = [f"{p.code},{s.date.isoformat()}\n" for s in sessions for p in people]
    return {"sessions": sessions, "people": people, "text": "code,date\n" + "".join(rows)}


def _run(people, city, club, text, **kw):
    return sheet_import(
        actor=people["city_admin"], city=city, stream=io.BytesIO(text.encode()), programme=club, **kw
    )


def test_bulk_import_summary_equals_a_full_rebuild(city, people, club, session, members, sheet, monkeypatch):
    monkeypatch.setattr(imports, "BATCH", 50)  # several staged batches
    attendance_mark(actor=people["city_admin"], session=session, learner=members[0])  # a row from before
    before = summary()
    preview = _run(people, city, club, sheet["text"], dry_run=True)
    assert preview.attendance_added == 240
    assert summary() == before
    assert Attendance.objects.count() == 1
    result = _run(people, city, club, sheet["text"])
    assert result.attendance_added == 240
    assert Attendance.objects.count() == 241
    assert summary() == rebuilt()
    one = Participation.objects.get(learner_id=sheet["people"][0].pk, programme_id=club.pk, year=2026)
    assert (one.a01, one.a02, one.a03, one.n02) == (1, 2, 2, 180)
    # the same file again adds nothing, and counts nothing twice
    again = _run(people, city, club, sheet["text"])
    assert again.attendance_added == 0
    assert summary() == rebuilt()


def test_a_file_partly_imported_before_counts_only_the_new_rows(city, people, club, sheet):
    half = "code,date\n" + "".join(sheet["text"].splitlines(keepends=True)[1:121])
    assert _run(people, city, club, half).attendance_added == 120
    assert _run(people, city, club, sheet["text"]).attendance_added == 120
    assert summary() == rebuilt()


def test_a_failure_during_the_import_leaves_attendance_and_summary_unchanged(
    city, people, club, session, members, sheet, monkeypatch
):
    attendance_mark(actor=people["city_admin"], session=session, learner=members[1])
    before = summary()

    def boom(**kwargs):
        raise RuntimeError("disk full")

    # the audit entry is written after attendance and summary: fail there, inside the import's transaction
    monkeypatch.setattr(imports.audit, "record", boom)
    with pytest.raises(RuntimeError):
        _run(people, city, club, sheet["text"])
    assert Attendance.objects.count() == 1
    assert summary() == before
    monkeypatch.undo()
    # a rejected file (a bad row at the end) changes nothing either
    with pytest.raises(ImportRejected):
        _run(people, city, club, sheet["text"] + "NOPE,2026-03-01\n")
    assert Attendance.objects.count() == 1
    assert summary() == before
    if connection.vendor == "sqlite":  # the bulk flag never outlives the import
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM analytics_bulk_insert")
            assert cursor.fetchone()[0] == 0


def test_roster_ticks_after_an_import_still_update_the_summary(city, people, club, sheet):
    _run(people, city, club, sheet["text"])
    first = sheet["people"][0]
    session = SessionFactory(programme=club, date=dt.date(2026, 11, 2))
    row = Participation.objects.get(learner_id=first.pk, programme_id=club.pk, year=2026)
    attendance_mark(actor=people["city_admin"], session=session, learner=first)  # November: ticked
    attendance_mark(actor=people["city_admin"], session=sheet["sessions"][4], learner=first, present=False)
    after = Participation.objects.get(pk=row.pk)
    assert (after.a11, after.n11, after.a02, after.n02) == (
        row.a11 + 1,
        row.n11 + 120,
        row.a02 - 1,
        row.n02 - 90,
    )
    assert summary() == rebuilt()
