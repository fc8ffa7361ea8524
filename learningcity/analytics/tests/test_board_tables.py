"""The dashboard's fast paths give what the general ones give: the one-pass people tables, the roll-up that sums
cells before margins, and the numbers written without Django's general number formatting."""

import random
from collections import defaultdict
from itertools import combinations

import pytest
from django.utils import translation
from django.utils.formats import number_format

from learningcity.analytics.measures import (
    CUBE_DIMS,
    cube_table,
    cube_tables_one_way,
    cube_tables_with_pair,
    rollup,
)
from learningcity.analytics.selectors.board import _fmt

PEOPLE = ["area", "sex", "age_band", "ethnicity", "disability", "remote"]


def _cube(rng: random.Random, size: int) -> list[tuple[tuple, tuple]]:
    values = {
        "area": [11, 12, 13, "self", ""],
        "sex": ["F", "M", ""],
        "age_band": ["15-24", "25-54", "55+", ""],
        "ethnicity": ["01", "03", "08", ""],
        "disability": ["yes", "no", ""],
        "remote": ["remote", "central"],
    }
    return [
        (
            tuple(rng.choice(values[d]) if d in values else None for d in CUBE_DIMS),
            (float(rng.randint(0, 40)), float(rng.randint(0, 400)), float(rng.randint(0, 9000))),
        )
        for _ in range(size)
    ]


@pytest.mark.parametrize("size", [0, 1, 7, 500])
def test_one_pass_tables_equal_the_separate_tables_cell_for_cell_and_in_order(size):
    cube = _cube(random.Random(size), size)
    tables, cross = cube_tables_with_pair(cube, PEOPLE, ("area", "ethnicity"))
    one_way = cube_tables_one_way(cube, PEOPLE)
    assert {d: list(t.items()) for d, t in tables.items()} == {d: list(t.items()) for d, t in one_way.items()}
    assert list(cross.items()) == list(cube_table(cube, ["area", "ethnicity"]).items())


def _rollup_by_rows(rows, ndims):
    """The roll-up as it was: every row into every margin."""
    out: dict = {}
    subsets = [set(c) for r in range(ndims + 1) for c in combinations(range(ndims), r)]
    for key, values in rows:
        for keep in subsets:
            k = tuple(key[i] if i in keep else None for i in range(ndims))
            acc = out.setdefault(k, defaultdict(float))
            for name, v in values.items():
                acc[name] += float(v or 0)
    if not out:
        out[tuple([None] * ndims)] = defaultdict(float)
    return out


@pytest.mark.parametrize("ndims", [0, 1, 2, 3])
def test_rollup_sums_cells_then_margins_as_row_by_row(ndims):
    rng = random.Random(ndims)
    for size in (0, 1, 300):
        rows = [
            (
                tuple(rng.choice(["a", "b", "", 7]) for _ in range(ndims)),
                {"population": rng.randint(0, 5000), **({"other": None} if rng.random() < 0.2 else {})},
            )
            for _ in range(size)
        ]
        assert list(rollup(rows, ndims).items()) == list(_rollup_by_rows(rows, ndims).items())


@pytest.mark.parametrize("language", ["vi", "en"])
def test_numbers_are_written_as_django_writes_them(language):
    rng = random.Random(5)
    values = [
        0,
        1,
        -1,
        999,
        1000,
        1234567,
        -1234567.25,
        0.05,
        0.049,
        12.25,
        99.95,
        1e14,
        123456789012345.6,
        2e15,
    ]
    values += [rng.uniform(-1e7, 1e7) for _ in range(300)] + [rng.randint(0, 10**9) for _ in range(100)]
    with translation.override(language):
        for value in values:
            for decimals in (None, 0, 1, 2):
                d = decimals if decimals is not None else (0 if float(value).is_integer() else 1)
                expected = number_format(round(float(value), d), d, force_grouping=True)
                assert _fmt(value, decimals) == expected, (value, decimals)
        assert _fmt(None) == "–"


LOOPS = (
    "{% load dashboard_rows %}"
    '{% for r in t.rows %}<tr><th scope="row">{% if r.href %}<a href="{{ r.href }}">{{ r.label }}</a>{% else %}'
    '{{ r.label }}{% endif %}</th><td class="num">{{ r.learners_text }}</td>{% if t.with_population %}'
    '<td class="num">{{ r.population_text }}</td><td class="num">{{ r.rate_text }}</td>{% endif %}'
    '<td class="num">{{ r.hours_text }}</td></tr>{% endfor %}|{% table_rows t %}'
)
RANKING = (
    "{% load dashboard_rows %}"
    '{% for r in board.ranking %}<tr><td>{% if r.href %}<a href="{{ r.href }}">{{ r.label }}</a>{% else %}'
    '{{ r.label }}{% endif %}</td><td>{{ r.group }}</td><td class="num">{{ r.learners }}</td>'
    '<td class="num">{{ r.population }}</td><td class="num">{{ r.rate|floatformat:1 }}%</td>'
    '<td class="num">{{ r.gap|floatformat:2 }}</td><td class="num">{{ r.parity|floatformat:2 }}</td></tr>'
    "{% endfor %}|{% ranking_rows board.ranking %}"
)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("staff", [True, False])
def test_the_rows_tags_write_what_the_template_loops_wrote(city, world, people, language, staff):
    from django.template import Context, Template

    from learningcity.analytics.selectors import dashboard

    with translation.override(language):
        for area in (None, world["chieng_coi"].pk):
            board = dashboard(
                city=city,
                user=people["viewer"],
                period_code="2025",
                area_id=area,
                staff=staff,
                link=lambda pk: f"/x/?a={pk}&b=<1>",
            )
            for t in board.tables:
                loop, tag = Template(LOOPS).render(Context({"t": t})).split("|")
                assert tag == loop
                assert "<tr>" in loop
            loop, tag = Template(RANKING).render(Context({"board": board})).split("|")
            assert tag == loop
