"""The member rollups (members.py): after every kind of write to memberships and attendance they equal a rebuild
from scratch, on both engines; and LC.ATTENDANCE / LC.RETENTION read from them equal the figures grouped from the
memberships themselves."""

import datetime as dt

import pytest
from django.db import connection

from learningcity.analytics import members
from learningcity.analytics.measures import MeasureQuery, membership_table
from learningcity.analytics.measures import memberships as membership_measures
from learningcity.analytics.periods import period_parse
from learningcity.programmes import services
from learningcity.programmes.models import Attendance, Membership

from . import factories as f

pytestmark = pytest.mark.django_db


def tables() -> dict[str, list[tuple]]:
    """Both rollups, rows with nothing in them left out (a row of zeros says the same as no row)."""
    out = {}
    with connection.cursor() as cursor:
        for table, counts in ((members.JOINS, "joined, leaving"), (members.CAME, "came, members")):
            cursor.execute(f"SELECT city_id, programme_id, year, {counts} FROM {table}")  # noqa: S608 - constants
            rows = cursor.fetchall()
            keep = (lambda r: r[3] or r[4]) if table == members.JOINS else (lambda r: r[4])
            out[table] = sorted(tuple(r) for r in rows if keep(r))
    return out


def rebuilt() -> dict[str, list[tuple]]:
    from django.db import transaction

    live = tables()
    with transaction.atomic():
        members.backfill()
        fresh = tables()
        transaction.set_rollback(True)
    assert tables() == live  # the rebuild was rolled back
    return fresh


def test_every_write_keeps_the_member_rollups_exact(city, world, people):
    w = world
    p1, p2, s = w["p1"], w["p2"], w["sessions"]
    assert tables() == rebuilt()
    assert tables()[members.CAME]  # A and D came to p1 in 2025
    f.member(p2, w["C"])  # a membership of someone who came
    Membership.objects.create(
        city=city, programme=p2, learner=w["E"], joined_on=dt.date(2023, 5, 1), left_on=dt.date(2024, 6, 1)
    )
    assert tables() == rebuilt()
    f.attend(s[3], w["B"])  # attendance of a member
    Attendance.objects.filter(learner=w["A"], session=s[1]).update(
        date=dt.date(2026, 1, 5)
    )  # to another year
    assert tables() == rebuilt()
    Membership.objects.filter(learner=w["D"], programme=p1).update(left_on=dt.date(2025, 1, 31))
    Membership.objects.filter(learner=w["B"], programme=p1).update(joined_on=dt.date(2026, 2, 1))
    assert tables() == rebuilt()
    services.learner_merge(actor=people["city_admin"], keep=w["A"], duplicate=w["D"])  # memberships move
    assert tables() == rebuilt()
    services.learner_erase(actor=people["city_admin"], learner=w["C"])
    Attendance.objects.filter(session=s[2]).delete()
    Membership.objects.filter(programme=p1).delete()
    assert tables() == rebuilt()


def test_a_removal_never_creates_a_rollup_row(city, world):
    """Removing memberships and summary rows whose rollup rows are already gone (a test's flush empties the
    analytics tables first) writes no new row: one would point at a city or programme about to go, and the flush's
    commit failed on its foreign key (CI, SQLite, every transactional test after the first)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {members.JOINS}")  # noqa: S608 - constants
        cursor.execute(f"DELETE FROM {members.CAME}")  # noqa: S608 - constants
    Membership.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM analytics_participation")  # the summary's own removals
    with connection.cursor() as cursor:
        for table in (members.JOINS, members.CAME):
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - constants
            assert cursor.fetchone()[0] == 0, table


@pytest.mark.parametrize("by", [[], ["kind"], ["topic"]])
@pytest.mark.parametrize("min_sessions", [1, 2, 3])
def test_member_figures_from_the_rollups_equal_those_grouped_from_memberships(
    city, world, by, min_sessions, monkeypatch
):
    w = world
    f.member(w["p2"], w["C"])
    f.member(w["p2"], w["D"])
    Membership.objects.create(
        city=city,
        programme=w["p2"],
        learner=w["A"],
        joined_on=dt.date(2024, 1, 1),
        left_on=dt.date(2024, 12, 31),
    )
    for filters in ({}, {"kind": "club"}, {"topic": "language"}):
        q = MeasureQuery(city=city, period=period_parse("2025"), filters=dict(filters))
        rolled = membership_table(q, by, min_sessions)
        assert membership_measures._membership_groups_rolled(q, set(by) & {"kind"}, min_sessions) is not None
        with monkeypatch.context() as m:
            m.setattr(membership_measures, "_membership_groups_rolled", lambda *a: None)
            grouped = membership_table(
                MeasureQuery(city=city, period=period_parse("2025"), filters=filters), by, min_sessions
            )
        assert {k: dict(v) for k, v in rolled.items()} == {k: dict(v) for k, v in grouped.items()}, filters
    assert rolled[tuple([None] * len(by))]["members"] >= 1


def test_other_periods_and_people_breakdowns_still_group_the_memberships(city, world):
    q = MeasureQuery(city=city, period=period_parse("2025-Q1"))
    assert membership_measures._membership_groups_rolled(q, set(), 3) is None
    q = MeasureQuery(city=city, period=period_parse("2025"))
    assert membership_measures._membership_groups_rolled(q, {"sex"}, 3) is None


def test_a_bulk_import_moves_the_rollups_as_the_same_rows_written_one_by_one(city, world, monkeypatch):
    """The sheet import writes its memberships in one statement (PostgreSQL: the statement-level triggers move
    them at once; SQLite: the bulk hook adds them once, its insert trigger dropped meanwhile): the rollups come out as if
    the same attendance and memberships had been written one row at a time, and equal a rebuild."""
    import io

    from django.db import transaction
    from django.test.utils import CaptureQueriesContext

    from learningcity.analytics.trigger_sql import members as members_sql
    from learningcity.programmes.services.imports import sheet_import

    w = world
    p2, (s0, s1, s2, s3, s4) = w["p2"], w["sessions"]
    # E left p2 before 2025: her attendance there makes a new membership; B is a member of p1 already.
    Membership.objects.create(
        city=city, programme=p2, learner=w["E"], joined_on=dt.date(2023, 5, 1), left_on=dt.date(2024, 6, 1)
    )
    sheet = [(w["C"], s1), (w["C"], s2), (w["B"], s2), (w["B"], s3), (w["E"], s0), (w["E"], s3)]
    sheet += [(w["A"], s4), (w["E"], s4), (w["B"], s4)]
    csv = "code,programme,date\n" + "".join(f"{p.code},{s.programme.code},{s.date}\n" for p, s in sheet)
    att_fields = [
        "city_id",
        "session_id",
        "learner_id",
        "programme_id",
        "space_id",
        "area_id",
        "date",
        "minutes",
    ]
    mem_fields = ["city_id", "programme_id", "learner_id", "joined_on", "left_on"]
    had = (
        set(Attendance.objects.values_list("pk", flat=True)),
        set(Membership.objects.values_list("pk", flat=True)),
    )
    bulk_calls = []
    real_bulk = members_sql.bulk_statements
    monkeypatch.setattr(members_sql, "bulk_statements", lambda *a: bulk_calls.append(a) or real_bulk(*a))

    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            result = sheet_import(
                actor=None, city=city, stream=io.BytesIO(csv.encode()), check_permission=False
            )
        assert (result.attendance_added, result.memberships_added) == (
            8,
            5,
        )  # E at s0 came already; C, E in p1; A, E, B in p2
        # one call (SQLite: an executemany, logged as "5 times: INSERT ...")
        inserts = [q for q in queries if "INSERT INTO programmes_membership" in q["sql"]]
        assert len(inserts) == 1
        assert len(bulk_calls) == (1 if connection.vendor == "sqlite" else 0)
        assert members.installed()  # SQLite's bulk path put its insert trigger back
        imported = tables()
        new_attendance = list(Attendance.objects.exclude(pk__in=had[0]).order_by("pk").values(*att_fields))
        new_memberships = list(Membership.objects.exclude(pk__in=had[1]).order_by("pk").values(*mem_fields))
        transaction.set_rollback(True)
    assert tables() != imported  # the import moved the rollups (now rolled back)

    for row in new_memberships:  # the same rows, one statement each, memberships first this time
        Membership.objects.create(**row)
    for row in new_attendance:
        Attendance.objects.create(**row)
    assert tables() == imported
    assert imported == rebuilt()


def test_the_year_figures_read_no_table_that_grows_with_the_city(city, world):
    """LC.ATTENDANCE / LC.RETENTION for a year read the member rollups and the sessions rollup (sessions held per
    programme), never the memberships, the attendance, the summary or the sessions themselves: their cost follows
    the number of programmes, not of people or sessions (the 20M-row bench grew 8x when the sessions were counted)."""
    from django.test.utils import CaptureQueriesContext

    q = MeasureQuery(city=city, period=period_parse("2025"))
    with CaptureQueriesContext(connection) as ctx:
        table = membership_table(q, ["kind"], 3)
    assert table[(None,)]["members"] == 3
    read = " ".join(query["sql"] for query in ctx.captured_queries)
    for big in (
        "programmes_session",
        "programmes_membership",
        "programmes_attendance",
        "analytics_participation",
    ):
        assert f'"{big}"' not in read, big
        assert f" {big} " not in read, big
