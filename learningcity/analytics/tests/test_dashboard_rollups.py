"""The dashboard's last rollups (dashboard_rollups.py: learners per programme kind and topic, sessions held and their
dates per programme and space): after every kind of write they equal a rebuild from scratch, on both engines; and the
staff and public dashboards read from them equal, figure for figure, the dashboards computed the way they were
before (the kind and topic tables from the programme learners, the key figures from the sessions)."""

import dataclasses
import datetime as dt

import pytest
from django.db import connection, transaction

from learningcity.analytics import dashboard_rollups
from learningcity.analytics.measures import MeasureQuery
from learningcity.analytics.measures import rows as row_sources
from learningcity.analytics.measures import sessions as session_measures
from learningcity.analytics.periods import period_parse
from learningcity.analytics.selectors import dashboard
from learningcity.programmes import services
from learningcity.programmes.models import Attendance, Programme, Session

from . import factories as f

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 30)
PERIODS = ["2025", "2025-Q1", "2025-03", "2026", "R12-2026-02"]

_TABLES = {  # table: (key columns, counter columns)
    dashboard_rollups.LG: ("city_id, learner_id, year, dim, value", [f"c{m:02d}" for m in range(1, 13)]),
    dashboard_rollups.GY: (
        "city_id, year, dim, value",
        ["learners", "q1", "q2", "q3", "q4", *(f"l{m:02d}" for m in range(1, 13))],
    ),
    dashboard_rollups.SD: ("city_id, unit, unit_id, date", ["sessions"]),
    dashboard_rollups.SY: (
        "city_id, unit, unit_id, year",
        [*(f"s{m:02d}" for m in range(1, 13)), *(f"d{m:02d}" for m in range(1, 13))],
    ),
}


def tables() -> dict[str, list[tuple]]:
    """The four tables, rows with nothing in them left out (a row of zeros says the same as no row)."""
    out = {}
    with connection.cursor() as cursor:
        for table, (key, counts) in _TABLES.items():
            cursor.execute(f"SELECT {key}, {', '.join(counts)} FROM {table}")  # noqa: S608 - constants
            width = len(key.split(","))
            out[table] = sorted(
                (tuple(str(v) for v in r) for r in cursor.fetchall() if any(r[width:])), key=repr
            )
    return out


def rebuilt() -> dict[str, list[tuple]]:
    live = tables()
    with transaction.atomic():
        dashboard_rollups.backfill()
        fresh = tables()
        transaction.set_rollback(True)
    assert tables() == live  # the rebuild was rolled back
    return fresh


def _shown(board) -> dict:
    """Everything the dashboard shows (figures, tables with their charts, ranking, parity, map)."""
    return {
        "figures": board.figures,
        "tables": [dataclasses.asdict(t) for t in board.tables],
        "ranking": [dataclasses.asdict(r) for r in board.ranking],
        "hidden": board.hidden_groups,
        "parity": board.parity,
        "map": board.map_svg,
        "message": board.message,
    }


def _boards(city, user, monkeypatch) -> None:
    """The staff and public dashboards of every period read from the rollups equal those computed without them."""
    for period in PERIODS:
        for staff in (True, False):
            rolled = _shown(dashboard(city=city, user=user, period_code=period, staff=staff, today=TODAY))
            with monkeypatch.context() as m:
                m.setattr(row_sources, "_group_rows_rolled", lambda *a: None)
                m.setattr(session_measures, "_rolled_figure", lambda *a: None)
                direct = _shown(dashboard(city=city, user=user, period_code=period, staff=staff, today=TODAY))
            assert rolled == direct, (period, staff)


def test_the_dashboard_of_a_year_reads_the_rollups(city, world):
    q = MeasureQuery(city=city, period=period_parse("2025"), today=TODAY)
    sets = {"club": [world["p1"].pk], "class": [world["p2"].pk]}
    # 2025: the club p1 had A, B, D (5 attendances: 2 x 60 + 2 x 90 + 60 minutes), the class p2 had C, D
    assert sorted(row_sources._group_rows_rolled(q, "kind", sets)) == [
        ("class", None, "", "", "", None, 2, 2, 240),
        ("club", None, "", "", "", None, 3, 5, 360),
    ]
    assert session_measures._rolled_figure(q, "sessions") == {(): {"sessions": 4.0}}  # one cancelled
    assert session_measures._rolled_figure(q, "active_spaces") == {(): {"active_spaces": 1.0}}  # x: 3 dates
    assert session_measures._rolled_figure(q, "active_clubs") == {(): {"active_clubs": 1.0}}  # p1
    rolling = MeasureQuery(city=city, period=period_parse("R12-2025-06"), today=TODAY)
    assert session_measures._rolled_figure(rolling, "sessions") == {(): {"sessions": 5.0}}  # and s0, 2024
    assert row_sources._group_rows_rolled(rolling, "kind", sets) is None  # two years: the programme learners


def test_every_write_keeps_the_rollups_exact_and_the_dashboard_unchanged(city, world, people, monkeypatch):
    w = world
    p1, p2, s = w["p1"], w["p2"], w["sessions"]
    user = people["viewer"]
    assert tables() == rebuilt()
    assert tables()[dashboard_rollups.GY]
    assert tables()[dashboard_rollups.SY]
    _boards(city, user, monkeypatch)
    # attendance: a new learner-month, one moved to another year, one deleted
    f.attend(s[3], w["B"])
    Attendance.objects.filter(learner=w["A"], session=s[1]).update(date=dt.date(2026, 1, 5))
    Attendance.objects.filter(learner=w["C"], session=s[4]).delete()
    assert tables() == rebuilt()
    _boards(city, user, monkeypatch)
    # sessions: a second one on a date already held, one moved to another year, one cancelled, one to another space,
    # one deleted, a cancelled one held again
    extra = f.session(p1, day=dt.date(2025, 3, 8), space=w["x"])
    Session.objects.filter(pk=s[2].pk).update(date=dt.date(2026, 3, 8))
    Session.objects.filter(pk=s[3].pk).update(status="cancelled")
    Session.objects.filter(pk=s[4].pk).update(space=w["x"])
    Session.objects.filter(pk=extra.pk).delete()
    Session.objects.filter(status="cancelled", programme=p2).update(status="scheduled")
    for day in (dt.date(2026, 3, 1), dt.date(2026, 3, 1), dt.date(2026, 4, 2), dt.date(2026, 5, 3)):
        f.session(p2, day=day, space=w["y"])
    assert tables() == rebuilt()
    _boards(city, user, monkeypatch)
    # programmes: kind and topics changed, a new programme sharing a topic
    Programme.objects.filter(pk=p1.pk).update(kind="class")
    Programme.objects.filter(pk=p2.pk).update(topics=Programme.join_codes(["language", "culture"]))
    p3 = f.programme(city, kind="club", topics=["culture", "culture"], code="dup-topics")
    s5 = f.session(p3, day=dt.date(2025, 3, 2), space=w["y"])
    for person in (w["A"], w["E"]):
        f.attend(s5, person)
    assert tables() == rebuilt()
    _boards(city, user, monkeypatch)
    p3.kind, p3.topics = "course", ""
    p3.save()
    assert tables() == rebuilt()
    _boards(city, user, monkeypatch)
    # people: a merge (attendance moves), an erasure
    services.learner_merge(actor=people["city_admin"], keep=w["A"], duplicate=w["D"])
    services.learner_erase(actor=people["city_admin"], learner=w["C"])
    assert tables() == rebuilt()
    _boards(city, user, monkeypatch)
    # a programme deleted with its sessions and attendance
    Programme.objects.filter(pk=p3.pk).delete()
    assert tables() == rebuilt()
    _boards(city, user, monkeypatch)


def test_a_removal_never_creates_a_rollup_row(city, world):
    """Removing sessions and programme learners whose rollup rows are already gone (a test's flush empties the
    analytics tables first) writes no new row (the rule of every analytics trigger, docs/analytics.md)."""
    with connection.cursor() as cursor:
        for table in _TABLES:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - constants
    Session.objects.all().delete()  # and their attendance, so the summary and the programme learners
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM analytics_programmelearner")
        for table in _TABLES:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - constants
            assert cursor.fetchone()[0] == 0, table
