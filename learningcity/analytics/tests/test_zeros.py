"""Observed zeros are suppressed in public figures; structural zeros are not counts of people (issue 16, item 7).

"0 of 429" Dao residents of a ward taking part tells something about every one of them: a zero about a named group
with residents is a count under the threshold like any other. A group with no residents at all has no one to
disclose (docs/analytics.md, "Zeros").
"""

import datetime as dt

from learningcity.analytics.indicators import evaluate_formula
from learningcity.analytics.selectors import dashboard

from . import factories as f

TODAY = dt.date(2025, 6, 30)


def _dao(city, world):
    # 429 Dao (09) live in Tô Hiệu and none of them was counted; 40 Kinh (01) there, one of whom (C) took part.
    f.population(city, world["to_hieu"], 2025, 429, ethnicity="09")
    f.population(city, world["to_hieu"], 2025, 40, ethnicity="01")


def test_the_public_dashboard_never_shows_a_zero_about_a_group_with_residents(city, world, people):
    _dao(city, world)
    board = dashboard(city=city, user=people["viewer"], period_code="2025", staff=False, today=TODAY)
    for table in board.tables:
        for row in table.rows:
            assert row.text("learners") != "0", f"{table.name}: {row.label} shows an exact zero"
    assert not any(r.learners == "0" for r in board.ranking)
    assert any("Dao" in g for g in board.hidden_groups)
    ethnicity = {r.key: r for r in board.table("ethnicity").rows}
    assert ethnicity["09"].suppressed
    assert ethnicity["09"].text("learners") == "<5"


def test_staff_still_see_the_exact_zero(city, world, people):
    _dao(city, world)
    board = dashboard(city=city, user=people["viewer"], period_code="2025", staff=True, today=TODAY)
    ethnicity = {r.key: r for r in board.table("ethnicity").rows}
    assert ethnicity["09"].learners == 0
    assert ethnicity["09"].population == 429


def test_the_participation_indicator_suppresses_observed_zeros_by_area_and_ethnicity(city, world, q2025):
    _dao(city, world)
    formula = {
        "type": "ratio",
        "numerator": {"measure": "learners"},
        "denominator": {"measure": "population"},
        "scale": 100,
    }
    public = evaluate_formula(formula, q2025, ["area", "ethnicity"], exact=False)
    dao = [r for r in public.rows if r.keys["ethnicity"] == "09" and r.keys["area"] == world["to_hieu"].pk]
    assert dao
    assert all(r.suppressed and r.numerator is None for r in dao)
    assert not [r for r in public.rows if r.numerator == 0], "an exact zero is shown"
    staff = evaluate_formula(formula, q2025, ["area", "ethnicity"], exact=True)
    dao = [r for r in staff.rows if r.keys["ethnicity"] == "09" and r.keys["area"] == world["to_hieu"].pk]
    assert dao[0].numerator == 0
    assert dao[0].denominator == 429
