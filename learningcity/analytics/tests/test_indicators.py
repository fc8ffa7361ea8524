"""Indicators of the shipped catalogue against hand-counted values (world: tests/conftest.py)."""

from learningcity.analytics.indicators import evaluate_indicator
from learningcity.analytics.measures import MeasureQuery
from learningcity.analytics.periods import period_parse
from learningcity.analytics.selectors import indicator_get

from . import factories as f


def values(city, code, period="2025", by=(), exact=True):
    q = MeasureQuery(city=city, period=period_parse(period))
    result = evaluate_indicator(indicator_get(code=code), q, list(by), exact=exact)
    return {tuple(v for k, v in r.keys.items() if k != "reference"): r.value for r in result.rows}, result


def test_retention_and_attendance_rate(city, world):
    assert values(city, "LC.RETENTION")[0] == {(): 33.33}  # A of A, B, D came to 3 club sessions or more
    assert values(city, "LC.ATTENDANCE")[0] == {(): 55.56}  # 5 of 3 members x 3 sessions
    assert values(city, "LC.SESSIONS", by=["kind"])[0] == {(None,): 4, ("club",): 3, ("class",): 1}
    assert values(city, "LC.HOURS")[0] == {(): 10.0}
    assert values(city, "LC.SPACES.ACTIVE")[0] == {(): 1}
    assert values(city, "LC.CLUBS.ACTIVE")[0] == {(): 1}


def test_a_ratio_of_two_membership_measures_reads_the_memberships_once(city, world, monkeypatch):
    from learningcity.analytics.measures import memberships

    calls = []
    real = memberships._membership_table
    monkeypatch.setattr(memberships, "_membership_table", lambda *a: calls.append(a[1]) or real(*a))
    assert values(city, "LC.RETENTION", by=["sex"])[0] == {(None,): 33.33, ("F",): 50.0, ("M",): 0.0}
    assert calls == [["sex"]]  # retained members / members: one table for both (it was computed twice)
    calls.clear()
    assert values(city, "LC.ATTENDANCE")[0] == {(): 55.56}
    assert calls == [[]]


def test_remote_parity(city, world):
    # remote Chiềng Cơi 3 / 100 = 3%, central Tô Hiệu 1 / 50 = 2%
    assert values(city, "SDG4.5.1.LOC")[0] == {("remote",): 1.5}


def test_ethnic_parity_against_the_majority(city, world):
    f.population(city, world["chieng_coi"], 2025, 60, ethnicity="03")
    f.population(city, world["chieng_coi"], 2025, 40, ethnicity="08")
    f.population(city, world["to_hieu"], 2025, 30, ethnicity="01")
    f.population(city, world["to_hieu"], 2025, 20, ethnicity="03")
    parity, result = values(city, "SDG4.5.1.ETH")
    # Thái (80 people) is the majority: 2 / 80 = 2.5%; Hmông 1 / 40 = 2.5%; Kinh 1 / 30 = 3.33%
    assert parity == {("08",): 1.0, ("01",): 1.33}
    assert {r.keys["reference"] for r in result.rows} == {"03"}


def test_sdg_431_adults_by_sex(city, world):
    f.population(city, world["chieng_coi"], 2025, 30, sex="F", age_band="25-64")
    f.population(city, world["chieng_coi"], 2025, 30, sex="M", age_band="25-64")
    assert values(city, "SDG4.3.1.A", period="R12-2025-12", by=["sex"])[0] == {
        (None,): 1.67,
        ("F",): 3.33,
        ("M",): 0.0,  # only A (35) among adults
    }


def test_public_values_hide_small_counts_and_their_rates(city, world):
    public, result = values(city, "LC.PARTICIPATION", by=["area"], exact=False)
    assert all(v is None for v in public.values())
    assert all(r.suppressed for r in result.rows)
