"""The dashboard against the hand-counted `world` (tests/conftest.py): exact for staff, suppressed for the public."""

import datetime as dt

from learningcity.analytics.selectors import dashboard

TODAY = dt.date(2025, 6, 30)


def test_staff_see_exact_figures_and_rates(city, world, people):
    board = dashboard(city=city, user=people["viewer"], period_code="2025", staff=True, today=TODAY)
    assert board.exact
    figures = dict(board.figures)
    assert figures["Learners reached"] == "4"
    assert figures["Population"] == "150"
    assert figures["Participation rate"] == "2.7%"  # 4 / 150
    assert figures["Sessions held"] == "4"
    assert figures["Active learning spaces"] == "1"
    sex = {r.key: r for r in board.table("sex").rows}
    assert sex["F"].learners == 2
    assert sex["F"].population == 80
    assert sex["F"].rate == 2.5
    assert sex["M"].rate == 2.86  # 2 / 70
    area = {r.key: r for r in board.table("area").rows}
    assert area[world["chieng_coi"].pk].rate == 3.0
    assert area[world["to_hieu"].pk].rate == 2.0
    # Tô Hiệu (2.0%) and women (2.5%) fall below the city (2.67%); ranked by the gap
    # No population by ethnicity or age here, so only sex and remote/central can be ranked.
    assert [(r.group, r.gap, r.parity) for r in board.ranking] == [
        ("Central areas", 0.67, 0.75),  # Tô Hiệu: 1 / 50 = 2.0%; 2.0 / 2.67 = 0.75
        ("Female", 0.17, 0.94),  # 2 / 80 = 2.5%
    ]
    parity = {label: value for label, value, _note in board.parity}
    assert parity["Female / male"] == "0.88"  # 2.5 / 2.86 (2.5 / 2.857 = 0.875)


def test_public_sees_every_small_count_hidden_with_its_complement(city, world, people):
    board = dashboard(city=city, user=people["viewer"], period_code="2025", staff=False, today=TODAY)
    assert not board.exact
    sex = board.table("sex")
    assert all(r.text("learners") == "<5" for r in sex.rows)
    assert sex.total.text("learners") == "<5"  # the total itself is 4
    assert "<svg" in sex.svg


def test_judges_never_see_exact_figures(city, world, people):
    board = dashboard(city=city, user=people["judge"], period_code="2025", staff=True, today=TODAY)
    assert not board.exact


def test_drill_down_to_a_ward_lists_hamlets_and_spaces(city, world, people):
    board = dashboard(
        city=city,
        user=people["viewer"],
        period_code="2025",
        area_id=world["chieng_coi"].pk,
        staff=True,
        today=TODAY,
    )
    area = {r.key: r.learners for r in board.table("area").rows}
    assert area[world["me_ban"].pk] == 2
    spaces = {r.label: (r.learners, r.population) for r in board.spaces.rows}
    assert spaces["Nhà trí tuệ Mé Ban"] == (3, 3)  # A, B and D live in Chiềng Cơi; S1, S2, S3 held there
    assert [c[0] for c in board.crumbs][-1] == "Phường Chiềng Cơi"
