"""Every measure against figures counted by hand from the `world` fixture (tests/conftest.py).

2025 attendance: A (F, 35, Thái, Mé Ban) at S1 60', S2 90', S3 60'; B (F, 20, Thái, Mé Ban) at S1;
C (M, 75, Kinh, Tổ 1, disability) at S4 120'; D (M, 22, Hmông, Chiềng Cơi itself) at S2 and S4.
E came only in December 2024. S1-S3: club (culture) at space X in Mé Ban; S4: class (literacy, language) at
space Y in Tổ 1; one class session cancelled. Population 2025: Chiềng Cơi 100 (F 50, M 50), Tô Hiệu 50 (F 30, M 20).
"""

import datetime as dt

import pytest

from learningcity.analytics.measures import SELF, MeasureQuery, NoData, measure_table
from learningcity.analytics.periods import period_parse
from learningcity.core.tests.factories import AreaFactory

from . import factories as f


def test_learners_reached_by_every_people_dimension(q2025, world):
    assert measure_table(q2025, "learners", []) == {(): 4}
    assert measure_table(q2025, "learners", ["sex"]) == {(None,): 4, ("F",): 2, ("M",): 2}
    assert measure_table(q2025, "learners", ["ethnicity"]) == {(None,): 4, ("03",): 2, ("01",): 1, ("08",): 1}
    assert measure_table(q2025, "learners", ["age_band"]) == {
        (None,): 4,
        ("25-64",): 1,
        ("15-24",): 2,
        ("65+",): 1,
    }
    assert measure_table(q2025, "learners", ["disability"]) == {(None,): 4, ("no",): 2, ("yes",): 1, ("",): 1}
    assert measure_table(q2025, "learners", ["remote"]) == {(None,): 4, ("remote",): 3, ("central",): 1}


def test_learners_by_area_at_any_level(city, q2025, world):
    cc, th = world["chieng_coi"].pk, world["to_hieu"].pk
    assert measure_table(q2025, "learners", ["area"]) == {(None,): 4, (cc,): 3, (th,): 1}
    ward = MeasureQuery(city=city, period=q2025.period, area=world["chieng_coi"])
    assert measure_table(ward, "learners", ["area"]) == {(None,): 3, (world["me_ban"].pk,): 2, (SELF,): 1}
    hamlet = MeasureQuery(city=city, period=q2025.period, area=world["me_ban"])
    assert measure_table(hamlet, "learners", ["space"]) == {(None,): 2, (world["x"].pk,): 2}


def test_old_units_count_in_their_successor(city, q2025, world):
    old = AreaFactory(
        city=city,
        code="03658",
        parent=world["province"],
        name_vi="Xã Chiềng Cọ",
        valid_to=dt.date(2025, 6, 30),
    )
    old.successors.add(world["chieng_coi"])
    person = f.learner(city, sex="F", birth_year=1970, ethnicity="03", area=old)
    f.attend(world["sessions"][1], person)
    q = MeasureQuery(city=city, period=period_parse("2025"))
    assert measure_table(q, "learners", ["area"])[(world["chieng_coi"].pk,)] == 4


def test_attendances_and_hours(q2025):
    assert measure_table(q2025, "attendances", []) == {(): 7}
    assert measure_table(q2025, "hours", []) == {(): 10.0}
    assert measure_table(q2025, "hours", ["sex"]) == {(None,): 10.0, ("F",): 4.5, ("M",): 5.5}


def test_learners_by_kind_and_topic_are_distinct_within_each(q2025):
    assert measure_table(q2025, "learners", ["kind"]) == {(None,): 4, ("club",): 3, ("class",): 2}
    topics = measure_table(q2025, "learners", ["topic"])
    assert topics[("culture",)] == 3
    assert topics[("literacy",)] == 2
    assert topics[("language",)] == 2


def test_periods_month_quarter_rolling(city, world):
    def learners(code):
        return measure_table(MeasureQuery(city=city, period=period_parse(code)), "learners", [])[()]

    assert learners("2025-Q1") == 3
    assert learners("2025-03") == 3
    assert learners("2025-04") == 1
    assert learners("R12-2025-03") == 4  # April 2024 - March 2025 includes E in December 2024
    assert learners("2024") == 1


def test_sessions_and_active_spaces_and_clubs(q2025, world):
    assert measure_table(q2025, "sessions", []) == {(): 4}  # the cancelled one does not count
    assert measure_table(q2025, "sessions", ["kind"]) == {(None,): 4, ("club",): 3, ("class",): 1}
    assert measure_table(q2025, "active_spaces", []) == {(): 1}  # X: 3 sessions on 3 dates; Y: 1
    assert measure_table(q2025, "active_clubs", []) == {(): 1}
    # today = 30 June 2025: S3 (1 April) and S4 (1 May) fall within the last 90 days
    assert measure_table(q2025, "currently_active_spaces", []) == {(): 2}


def test_members_retention_and_attendance_rate(q2025):
    assert measure_table(q2025, "members", []) == {(): 3}
    assert measure_table(q2025, "retained_members", []) == {(): 1}  # only A came to 3 sessions
    assert measure_table(q2025, "expected_attendances", []) == {(): 9}  # 3 members x 3 club sessions
    assert measure_table(q2025, "member_attendances", []) == {(): 5}  # A 3 + B 1 + D 1


def test_members_by_every_dimension_and_with_a_filter(city, q2025, world):
    """Members of the club: A (F, 35, Thái, Mé Ban) came 3 times, B (F, 20, Thái, Mé Ban) once, D (M, 22, Hmông,
    Chiềng Cơi itself, disability not asked) once; 3 club sessions held in 2025."""

    def table(by, **filters):
        q = MeasureQuery(city=city, period=q2025.period, today=q2025.today, filters=filters)
        return {
            key: (
                measure_table(q, "members", by)[key],
                measure_table(q, "retained_members", by)[key],
                measure_table(q, "member_attendances", by)[key],
                measure_table(q, "expected_attendances", by)[key],
            )
            for key in measure_table(q, "members", by)
        }

    assert table(["sex"]) == {(None,): (3, 1, 5, 9), ("F",): (2, 1, 4, 6), ("M",): (1, 0, 1, 3)}
    assert table(["age_band"]) == {(None,): (3, 1, 5, 9), ("25-64",): (1, 1, 3, 3), ("15-24",): (2, 0, 2, 6)}
    assert table(["ethnicity"]) == {(None,): (3, 1, 5, 9), ("03",): (2, 1, 4, 6), ("08",): (1, 0, 1, 3)}
    assert table(["disability"]) == {(None,): (3, 1, 5, 9), ("no",): (2, 1, 4, 6), ("",): (1, 0, 1, 3)}
    assert table(["remote"]) == {(None,): (3, 1, 5, 9), ("remote",): (3, 1, 5, 9)}
    assert table(["area"]) == {(None,): (3, 1, 5, 9), (world["chieng_coi"].pk,): (3, 1, 5, 9)}
    assert table(["topic"]) == {(None,): (3, 1, 5, 9), ("culture",): (3, 1, 5, 9)}
    assert table(["kind", "sex"])[("club", "F")] == (2, 1, 4, 6)
    assert table([], sex="M") == {(): (1, 0, 1, 3)}
    assert table(["age_band"], sex="F") == {
        (None,): (2, 1, 4, 6),
        ("25-64",): (1, 1, 3, 3),
        ("15-24",): (1, 0, 1, 3),
    }
    ward = MeasureQuery(city=city, period=q2025.period, area=world["chieng_coi"])
    assert measure_table(ward, "members", ["area"]) == {(None,): 3, (world["me_ban"].pk,): 2, (SELF,): 1}


@pytest.mark.parametrize(
    ("code", "expected", "came", "retained"),
    [
        ("2025-03", 6, 4, 0),  # S1, S2 held; A 2 + B 1 + D 1
        ("2025-Q2", 3, 1, 0),  # S3 held; A 1
        ("R12-2025-03", 9, 4, 0),  # S0 (December 2024, only E, not a member), S1, S2 held
        ("2025-04", 3, 1, 0),
    ],
)
def test_member_attendance_counts_only_the_months_of_the_period(city, world, code, expected, came, retained):
    q = MeasureQuery(city=city, period=period_parse(code), today=dt.date(2025, 6, 30))
    assert measure_table(q, "members", []) == {(): 3}
    assert measure_table(q, "expected_attendances", []) == {(): expected}
    assert measure_table(q, "member_attendances", []) == {(): came}
    assert measure_table(q, "retained_members", []) == {(): retained}
    # A tick recorded now counts at once (the summary the figures read is kept by triggers).
    if code == "2025-04":
        f.attend(world["sessions"][3], world["B"])
        q = MeasureQuery(city=city, period=period_parse(code), today=dt.date(2025, 6, 30))
        assert measure_table(q, "member_attendances", []) == {(): 2}


def _members_from_rows(q, by, min_sessions=3):
    """The membership figures worked out from the raw rows (memberships, held sessions, attendance), one
    membership at a time: the reference the database's GROUP BY must equal."""
    from collections import defaultdict

    from learningcity.core.demography import age_band
    from learningcity.programmes.models import Attendance, Membership, Session

    start, end = q.period.start, q.period.end
    held: dict[int, int] = defaultdict(int)
    for pid in (
        Session.objects.for_city(q.city).held().between(start, end).values_list("programme_id", flat=True)
    ):
        held[pid] += 1
    came: dict[tuple, int] = defaultdict(int)
    for pid, lid in Attendance.objects.filter(city=q.city, date__gte=start, date__lte=end).values_list(
        "programme_id", "learner_id"
    ):
        came[(pid, lid)] += 1
    out: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    ms = Membership.objects.for_city(q.city).filter(joined_on__lte=end).exclude(left_on__lt=start)
    for m in ms.select_related("learner", "programme"):
        learner = m.learner
        values = {
            "sex": learner.sex or "",
            "age_band": age_band(learner.birth_year, q.period.age_year),
            "kind": m.programme.kind,
            "disability": ""
            if learner.has_disability is None
            else ("yes" if learner.has_disability else "no"),
        }
        if any(values[d] != v for d, v in q.filters.items()):
            continue
        n, h = came[(m.programme_id, m.learner_id)], held[m.programme_id]
        for keep in range(2 ** len(by)):
            key = tuple(values[d] if keep >> i & 1 else None for i, d in enumerate(by))
            acc = out[key]
            acc[0] += 1
            acc[1] += n >= min_sessions
            acc[2] += min(n, h)
            acc[3] += h
    return {k: tuple(v) for k, v in out.items()}


@pytest.mark.parametrize("code", ["2025", "2025-03", "2025-Q2", "R12-2025-03", "2024"])
@pytest.mark.parametrize(
    ("by", "filters"),
    [
        ([], {}),
        (["sex"], {}),
        (["kind", "age_band"], {}),
        (["disability", "sex"], {"kind": "club"}),
        (["age_band"], {"sex": "F"}),
    ],
)
def test_member_figures_equal_a_count_from_the_raw_rows(city, world, code, by, filters):
    """The members, retained members and attendances the database groups equal the same figures counted one
    membership at a time from memberships, sessions and attendance rows (periods within one year and across two)."""
    f.attend(world["sessions"][3], world["B"])  # a write after the fixture's: the figures follow it
    q = MeasureQuery(city=city, period=period_parse(code), today=dt.date(2025, 6, 30), filters=filters)
    expected = _members_from_rows(q, by)
    got = {
        key: tuple(
            int(measure_table(q, name, by).get(key, 0))
            for name in ("members", "retained_members", "member_attendances", "expected_attendances")
        )
        for key in measure_table(q, "members", by)
        if measure_table(q, "members", by)[key]
    }
    assert got == {k: v for k, v in expected.items() if v[0]}


def test_population_uses_the_most_aggregated_rows_and_fails_clearly(city, q2025, world):
    assert measure_table(q2025, "population", []) == {(): 150}
    assert measure_table(q2025, "population", ["sex"]) == {(None,): 150, ("F",): 80, ("M",): 70}
    with pytest.raises(NoData, match="2030"):
        measure_table(MeasureQuery(city=city, period=period_parse("2030")), "population", [])
    with pytest.raises(NoData):
        measure_table(q2025, "population", ["disability"])


def test_unknown_measure_is_no_data(q2025):
    with pytest.raises(NoData):
        measure_table(q2025, "happiness", [])


def test_a_new_attendance_shows_at_once(city, q2025, world):
    before = measure_table(q2025, "learners", [])[()]
    f.attend(world["sessions"][1], world["E"])  # E comes to S1
    q = MeasureQuery(city=city, period=period_parse("2025"))
    assert measure_table(q, "learners", [])[()] == before + 1


def test_summary_follows_every_attendance_write_in_the_same_transaction(city, world):
    from learningcity.analytics import triggers
    from learningcity.analytics.models import Participation
    from learningcity.programmes.models import Attendance

    def snapshot():
        return sorted(
            Participation.objects.filter(city=city)
            .exclude(**dict.fromkeys(triggers.A_COLS, 0))
            .values_list("learner_id", "programme_id", "year", *triggers.ALL_COLS)
        )

    a_row = Participation.objects.get(learner_id=world["A"].pk, programme_id=world["p1"].pk, year=2025)
    assert (a_row.a03, a_row.a04, a_row.n03, a_row.n04) == (2, 1, 150, 60)
    # delete, move (as a merge of duplicates does), and bulk insert
    Attendance.objects.filter(learner=world["B"]).delete()
    Attendance.objects.filter(learner=world["D"]).update(learner=world["E"])
    Attendance.objects.bulk_create(
        [
            Attendance(
                city=city,
                session=world["sessions"][3],
                learner=world["B"],
                programme=world["p1"],
                space=world["x"],
                date=world["sessions"][3].date,
                minutes=60,
            )
        ]
    )
    live = snapshot()
    triggers.backfill()
    assert snapshot() == live  # the triggers kept exactly what a full rebuild gives
    q = MeasureQuery(city=city, period=period_parse("2025"))
    assert measure_table(q, "learners", ["sex"]) == {(None,): 4, ("F",): 3, ("M",): 1}


def test_triggers_come_back_if_a_migration_dropped_them(city, world):
    from learningcity.analytics import triggers

    triggers.uninstall()
    triggers._checked.clear()
    assert not triggers.installed()
    q = MeasureQuery(city=city, period=period_parse("2025"))
    assert measure_table(q, "learners", []) == {(): 4}
    assert triggers.installed()
