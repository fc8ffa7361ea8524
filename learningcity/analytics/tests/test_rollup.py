"""The people rollup (rollup.py): kept by triggers, it always equals a full rebuild from the summary and learners,
and the figures read from it equal the hand-counted ones (see conftest.world)."""

import datetime as dt

from learningcity.analytics import rollup
from learningcity.analytics.measures import MeasureQuery, measure_table
from learningcity.analytics.models import LearnerYear, PeopleYear, ProgrammeLearner, ProgrammeYear
from learningcity.analytics.periods import period_parse
from learningcity.programmes.models import Attendance, Learner

from . import factories as f


def snapshot(city):
    """Both tables without their all-zero rows (a cell emptied by the triggers stays as zeros)."""
    ly_cols = ["learner_id", "year", *rollup.DIMS, *rollup.SUMS]
    py_cols = ["year", "area_id", "sex", "age_band", "ethnicity", "disability", *rollup.COUNTS]
    ly = sorted(
        r
        for r in LearnerYear.objects.filter(city=city).values_list(*ly_cols)
        if any(r[len(ly_cols) - len(rollup.SUMS) :])
    )
    py = sorted(
        r
        for r in PeopleYear.objects.filter(city=city).values_list(*py_cols)
        if any(r[len(py_cols) - len(rollup.COUNTS) :])
    )
    plm = sorted(
        r
        for r in ProgrammeLearner.objects.filter(city=city).values_list(
            "learner_id", "programme_id", "year", "months"
        )
        if r[3]
    )
    pgy = sorted(
        r
        for r in ProgrammeYear.objects.filter(city=city).values_list("programme_id", "year", *rollup.SUMS)
        if any(r[2:])
    )
    return ly, py, plm, pgy


def assert_equals_backfill(city):
    live = snapshot(city)
    rollup.backfill()
    assert snapshot(city) == live
    assert rollup.installed()


def test_the_world_as_the_triggers_built_it(city, world):
    ly, py, plm, pgy = snapshot(city)
    a_2025 = next(r for r in ly if r[0] == world["A"].pk and r[1] == 2025)
    # A came on 1 and 8 March and 1 April 2025: 2 in March (60 + 90 min), 1 in April (60 min)
    assert a_2025[2:7] == (world["me_ban"].pk, "F", 1990, "03", False)
    assert a_2025[7 + 2 : 7 + 4] == (2, 1)
    assert a_2025[19 + 2 : 19 + 4] == (150, 60)
    # The cell of A (and B): Mé Ban, women, 25-64 in 2025, Thái, no disability
    cell = next(r for r in py if r[:6] == (2025, world["me_ban"].pk, "F", "25-64", "03", "no"))
    assert cell[6] == 1  # learners in 2025: A only (B was born 2005: 15-24)
    assert cell[7:11] == (1, 1, 0, 0)  # A in Q1 and Q2
    assert (world["A"].pk, world["p1"].pk, 2025, 0b1100) in plm  # March and April
    club_2025 = next(r for r in pgy if r[:2] == (world["p1"].pk, 2025))
    assert club_2025[2 + 2 : 2 + 4] == (4, 1)  # March: A twice, B, D; April: A
    assert_equals_backfill(city)


def test_attendance_inserts_updates_and_deletes(city, world):
    s = world["sessions"]
    f.attend(s[3], world["E"])  # E (Tô Hiệu) comes on 1 April
    f.attend(s[1], world["C"])
    assert_equals_backfill(city)
    row = Attendance.objects.get(learner=world["C"], session=s[1])
    Attendance.objects.filter(pk=row.pk).update(minutes=45, date=dt.date(2025, 7, 1))  # another month
    Attendance.objects.filter(learner=world["A"], date__month=4).update(
        date=dt.date(2024, 4, 1)
    )  # another year
    assert_equals_backfill(city)
    Attendance.objects.filter(learner=world["B"]).delete()
    Attendance.objects.filter(learner=world["D"]).update(learner=world["E"])  # move, as a merge does
    Attendance.objects.bulk_create(
        [
            Attendance(
                city=city,
                session=s[3],
                learner=world["B"],
                programme=world["p1"],
                space=world["x"],
                date=s[3].date,
                minutes=60,
            )
        ]
    )
    assert_equals_backfill(city)


def test_learner_edits_move_their_years_between_cells(city, world):
    A = world["A"]
    A.sex, A.area, A.birth_year, A.has_disability, A.ethnicity = "M", world["to_1"], 1950, True, "01"
    A.save()
    Learner.objects.filter(pk=world["D"].pk).update(area=None, birth_year=None, sex="")
    assert_equals_backfill(city)
    q = MeasureQuery(city=city, period=period_parse("2025"))
    assert measure_table(q, "learners", ["sex"]) == {(None,): 4, ("F",): 1, ("M",): 2, ("",): 1}
    assert measure_table(q, "learners", ["age_band"])[("65+",)] == 2  # A (now born 1950) and C


def test_erasure_and_merge(city, world, people):
    from learningcity.programmes.services.learners import learner_erase, learner_merge

    learner_erase(actor=people["city_admin"], learner=Learner.objects.get(pk=world["B"].pk))
    assert not LearnerYear.objects.filter(learner_id=world["B"].pk).exists()
    assert_equals_backfill(city)
    # D is a duplicate of C: C's attendance at S4 is already there, D's S2 moves to C
    learner_merge(
        actor=people["city_admin"],
        keep=Learner.objects.get(pk=world["C"].pk),
        duplicate=Learner.objects.get(pk=world["D"].pk),
    )
    assert not LearnerYear.objects.filter(learner_id=world["D"].pk).exists()
    assert_equals_backfill(city)
    q = MeasureQuery(city=city, period=period_parse("2025"))
    # A and C remain as people; B's visit is kept as an anonymous headcount (attendance, not a learner)
    assert measure_table(q, "learners", []) == {(): 2}
    assert measure_table(q, "attendances", []) == {(): 6}  # A 3, B 1 (counted), C 2 (S4, and D's S2)
    # the club: A 3, B's headcount, D's S2 now C's; the class: C at S4
    assert measure_table(q, "attendances", ["kind"]) == {(None,): 6, ("club",): 5, ("class",): 1}
    assert measure_table(q, "attendances", ["topic"])[("culture",)] == 5


def test_quarter_and_month_figures_come_from_the_cube_as_from_the_summary(city, world):
    for code, expected in [("2025-Q1", 3), ("2025-Q2", 3), ("2025-03", 3), ("2025-04", 1), ("2025-05", 2)]:
        q = MeasureQuery(city=city, period=period_parse(code))
        assert measure_table(q, "learners", []) == {(): expected}, code


def test_kinds_and_topics_by_quarter_month_and_rolling_year(city, world):
    def by(code, dim, measure="learners"):
        return measure_table(MeasureQuery(city=city, period=period_parse(code)), measure, [dim])

    # Q2 2025: the club had A (1 April); the class C and D (1 May). Distinct over both: A, C, D.
    assert by("2025-Q2", "kind") == {(None,): 3, ("club",): 1, ("class",): 2}
    assert by("2025-03", "topic") == {(None,): 3, ("culture",): 3}  # A, B, D at the club in March
    assert by("2025-03", "kind", "attendances") == {(None,): 4, ("club",): 4}
    # Dec 2024 to Nov 2025: E's December 2024 visit counts too
    assert by("R12-2025-11", "kind") == {(None,): 5, ("club",): 4, ("class",): 2}
    assert by("R12-2025-11", "kind", "hours")[("club",)] == 7.0  # E 60 + A 210 + B 60 + D 90 minutes


def test_the_bulk_attendance_import_keeps_the_rollup(city, world, people):
    """The import writes the summary with one grouped upsert (triggers.py): the rollup follows it too."""
    import io

    from learningcity.programmes.services.imports import sheet_import

    s = world["sessions"]
    newcomers = [
        f.learner(city, sex="M", birth_year=2010, ethnicity="08", area=world["to_1"]) for _ in range(3)
    ]
    rows = [f"{p.code},{sess.date.isoformat()}\n" for sess in (s[1], s[2], s[3]) for p in newcomers]
    rows.append(f"{world['C'].code},{s[3].date.isoformat()}\n")
    sheet_import(
        actor=people["city_admin"],
        city=city,
        stream=io.BytesIO(("code,date\n" + "".join(rows)).encode()),
        programme=world["p1"],
    )
    assert_equals_backfill(city)
    q = MeasureQuery(city=city, period=period_parse("2025"))
    assert measure_table(q, "learners", []) == {(): 7}  # A, B, C, D and the three newcomers
    assert measure_table(q, "learners", ["age_band"])[("15-24",)] == 5  # B, D and the newcomers (aged 15)


def test_rolling_12_months_by_people_from_learner_years(city, world):
    q = MeasureQuery(city=city, period=period_parse("R12-2025-11"))
    # Dec 2024 to Nov 2025: A, B, C, D and E (1 December 2024); ages in 2025
    assert measure_table(q, "learners", ["sex"]) == {(None,): 5, ("F",): 3, ("M",): 2}
    assert measure_table(q, "learners", ["age_band"]) == {
        (None,): 5,
        ("15-24",): 2,  # B (2005), D (2003)
        ("25-64",): 2,  # A (1990), E (1980)
        ("65+",): 1,  # C (1950)
    }
    q = MeasureQuery(city=city, period=period_parse("R12-2025-11"), filters={"ethnicity": "01"})
    assert measure_table(q, "learners", []) == {(): 2}  # C and E


def test_multi_row_statements_on_the_summary_keep_the_rollup(city, world):
    """One INSERT ... SELECT, UPDATE or DELETE writing many summary rows at once (PostgreSQL runs one
    statement-level trigger for all of them): the rollups still equal their rebuild after each statement."""
    from django.db import connection

    summary, cols = rollup.SUMMARY, ", ".join(rollup.SUMS)
    p1, p2, A, D, E = (world[k].pk for k in ("p1", "p2", "A", "D", "E"))

    def run(sql, params=()):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount

    def ly(learner, year):
        return LearnerYear.objects.filter(learner_id=learner, year=year).values_list("a03", "a05").first()

    # new learner-years (2026) and new rows in existing learner-years (A and B at the class in 2025)
    assert (
        run(
            f"INSERT INTO {summary} (city_id, learner_id, programme_id, year, {cols}) "  # noqa: S608 - constants
            f"SELECT city_id, learner_id, programme_id, 2026, {cols} FROM {summary} WHERE year = 2025"
        )
        == 5
    )
    assert (
        run(
            f"INSERT INTO {summary} (city_id, learner_id, programme_id, year, {cols}) "  # noqa: S608 - constants
            f"SELECT city_id, learner_id, %s, year, {cols} FROM {summary} s WHERE programme_id = %s AND year = 2025 "
            f"AND NOT EXISTS (SELECT 1 FROM {summary} o WHERE o.learner_id = s.learner_id "
            "AND o.programme_id = %s AND o.year = 2025)",
            [p2, p1, p2],
        )
        == 2
    )
    assert ly(A, 2026) == (2, 0)
    assert ly(A, 2025) == (4, 0)
    assert_equals_backfill(city)

    # same-key changes in many rows, then a whole year moved to another key, then D's rows moved to E
    assert run(f"UPDATE {summary} SET a05 = a05 + 2, n05 = n05 + 30 WHERE year = 2025") == 7  # noqa: S608
    assert run(f"UPDATE {summary} SET year = 2023, a01 = a01 + 1 WHERE year = 2026") == 5  # noqa: S608
    assert run(f"UPDATE {summary} SET learner_id = %s WHERE learner_id = %s AND year = 2023", [E, D]) == 2  # noqa: S608
    assert ly(A, 2025) == (4, 4)
    assert ly(A, 2023) == (2, 0)
    assert ly(E, 2023) is not None
    assert not LearnerYear.objects.filter(learner_id=A, year=2026).exclude(a03=0).exists()
    assert_equals_backfill(city)

    # many rows deleted at once: a programme's rows, then a whole year
    assert run(f"DELETE FROM {summary} WHERE programme_id = %s", [p2]) == 6  # noqa: S608
    assert run(f"DELETE FROM {summary} WHERE year = 2023") == 3  # noqa: S608
    assert not ProgrammeLearner.objects.filter(programme_id=p2).exists()
    assert_equals_backfill(city)
