"""The participation dashboard ("who is left behind"), computed on every request from the measures.

One read of the people cube kept by triggers (rollup.py) gives every people dimension; every table of the page is
rolled up from it in Python. Public pages go through one joint suppression of every count of people on the page
(tables that share a total are protected together, so no reader can subtract across them).

`dashboard()` runs the steps below in order: the people figures, their joint suppression, the key figures, the
people tables, the programme tables, the ranking, the parity indices, the map and the spaces of an area.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from learningcity.core import charts
from learningcity.core.models import Area, City
from learningcity.core.permissions import can_view_exact_figures
from learningcity.core.suppression import SUPPRESSED_LABEL, THRESHOLD, Line, suppress

from ..labels import Labeller, dimension_label
from ..measures import (
    SELF,
    MeasureQuery,
    NoData,
    cube_tables_with_pair,
    people_cube,
    people_table,
    population_table,
    session_table,
)
from ..periods import period_parse
from .board import Cell, Dashboard, Ranked, Table, _fmt, _rate

PEOPLE_BREAKDOWNS = ["area", "sex", "age_band", "ethnicity", "disability", "remote"]
PROGRAMME_BREAKDOWNS = ["kind", "topic"]
MIN_POPULATION_TO_RANK = 10

Tables = dict[tuple, dict[str, float]]


@dataclass
class People:
    """The people figures of the page: one-way tables by every people breakdown, the area × ethnicity table, and
    the population of each (None where the population has no such breakdown)."""

    cube: list
    tables: dict[str, Tables]
    cross: Tables
    pop: dict[str, dict[tuple, float] | None]
    pop_message: str

    @property
    def total(self) -> dict[str, float]:
        return self.tables["sex"].get((None,), {})

    @property
    def total_pop(self) -> float | None:
        return (self.pop["sex"] or {}).get((None,)) if self.pop["sex"] else None


@dataclass
class Page:
    """What every step of the dashboard shares: the query, exact or suppressed, the labels and links, the people
    figures and the keys the joint suppression hid."""

    q: MeasureQuery
    exact: bool
    label: Labeller
    link: Callable[[Any], str]
    people: People
    hidden: set

    def cell(self, dim: str, key, cell: dict, pop_value, hidden_key) -> Cell:
        """A cell of a people table: its count hidden with the joint suppression, its rate also on a population
        under the threshold."""
        learners = cell.get("learners", 0)
        suppressed = hidden_key in self.hidden
        if not self.exact and pop_value is not None and pop_value < THRESHOLD:
            suppressed_rate = True
        else:
            suppressed_rate = suppressed
        c = Cell(
            key=key,
            label=self.label(dim, key),
            learners=None if suppressed else learners,
            population=pop_value,
            rate=None if suppressed_rate else _rate(learners, pop_value),
            hours=None if suppressed else cell.get("hours", 0),
            suppressed=suppressed,
        )
        if dim == "area" and key not in (None, "", SELF):
            c.href = self.link(key)
        return c


def dashboard(
    *,
    city: City,
    user,
    period_code: str = "",
    area_id: int | None = None,
    staff: bool = False,
    today: dt.date | None = None,
    link=None,
) -> Dashboard:
    """Everything the participation dashboard shows, for a period and an area (None: the whole city).

    `staff=True` with `can_view_exact_figures` gives exact numbers; otherwise everything is suppressed.
    `link(area_id)` builds the drill-down URL of an area.
    """
    period = period_parse(period_code, today=today)
    exact = staff and can_view_exact_figures(user, city)
    area = Area.objects.for_city(city).get(pk=area_id) if area_id else None
    q = MeasureQuery(city=city, period=period, area=area, today=today)
    index = q.index
    root = q.root
    board = Dashboard(city=city, period=period, area=area, root=root, exact=exact)
    label = Labeller(city, index, root)
    board.crumbs = _crumbs(q)

    people = _people_figures(q)
    hidden = set() if exact else _joint_suppression(people)
    page = Page(q=q, exact=exact, label=label, link=link or (lambda pk: ""), people=people, hidden=hidden)

    board.city_rate = city_rate = _rate(people.total.get("learners", 0), people.total_pop)
    board.figures = _key_figures(page, city_rate)
    if people.pop_message:
        board.message = people.pop_message
    board.tables = _people_tables(page, city_rate) + _programme_tables(page)
    if city_rate:
        board.ranking, board.hidden_groups = _ranking(page, city_rate)
    # Parity indices (SDG 4.5.1)
    board.parity = _parity_rows(people.tables, people.pop, hidden, label)
    board.map_svg = _area_map(page, next(t for t in board.tables if t.name == "area"), city_rate)
    if area is not None:
        board.spaces = _spaces_table(q, exact, label)
    return board


def _crumbs(q: MeasureQuery) -> list[tuple[str, int | None]]:
    """The areas above the one shown, for the drill-down path."""
    if q.root is None:
        return []
    areas = (q.index.areas.get(pk) for pk in q.root.ancestor_ids())
    return [(a.name, a.pk) for a in areas if a is not None]


def _people_figures(q: MeasureQuery) -> People:
    """One read of the people cube rolled up into every people table, and the population of each breakdown."""
    cube = people_cube(q)
    tables, cross = cube_tables_with_pair(cube, PEOPLE_BREAKDOWNS, ("area", "ethnicity"))
    pop: dict[str, dict[tuple, float] | None] = {}
    pop_message = ""
    for d in [*PEOPLE_BREAKDOWNS, "cross"]:
        try:
            dims = ["area", "ethnicity"] if d == "cross" else [d]
            pop[d] = {k: v.get("population", 0) for k, v in population_table(q, dims).items()}
        except NoData as exc:
            pop[d] = None
            if d != "disability":
                pop_message = pop_message or exc.message
    return People(cube=cube, tables=tables, cross=cross, pop=pop, pop_message=pop_message)


def _joint_suppression(people: People) -> set:
    """One joint suppression of every count of people on the page: the keys to hide.

    Groups with residents but no one counted are observed zeros: counted (as 0) and suppressed like any count
    under the threshold; groups with no residents are structural zeros (docs/analytics.md, "Zeros")."""
    counts: dict[Any, float] = {("total",): people.total.get("learners", 0)}
    lines: list[Line] = []
    for d, table in people.tables.items():
        members = []
        for key, cell in table.items():
            if key[0] is not None:
                counts[(d, key[0])] = cell.get("learners", 0)
                members.append((d, key[0]))
        for key, value in (people.pop.get(d) or {}).items():
            if key[0] is not None and value and (d, key[0]) not in counts:
                counts[(d, key[0])] = 0
                members.append((d, key[0]))
        lines.append(Line(total=("total",), members=members))
    areas_seen, eth_seen = set(), set()
    cross_cells = {k: cell.get("learners", 0) for k, cell in people.cross.items()}
    for k, value in (people.pop.get("cross") or {}).items():
        if value and k not in cross_cells:
            cross_cells[k] = 0
    for (a, e), learners in cross_cells.items():
        if a is not None and e is not None:
            counts[("ae", a, e)] = learners
            areas_seen.add(a)
            eth_seen.add(e)
    for a in areas_seen:
        lines.append(
            Line(total=("area", a), members=[("ae", a, e) for e in eth_seen if ("ae", a, e) in counts])
        )
    for e in eth_seen:
        lines.append(
            Line(total=("ethnicity", e), members=[("ae", a, e) for a in areas_seen if ("ae", a, e) in counts])
        )
    return suppress(counts, lines).suppressed


def _key_figures(page: Page, city_rate: float | None) -> list[tuple[str, str]]:
    """The figures at the top of the page: learners, population, rate and hours, then sessions and activity."""
    total, total_pop = page.people.total, page.people.total_pop
    hidden_total = ("total",) in page.hidden
    figures = [
        (_("Learners reached"), SUPPRESSED_LABEL if hidden_total else _fmt(total.get("learners", 0))),
        (_("Population"), _fmt(total_pop) if total_pop is not None else _("no data")),
        (
            _("Participation rate"),
            "…" if hidden_total else (_fmt(city_rate, 1) + "%" if city_rate is not None else _("no data")),
        ),
        (_("Learning hours"), "…" if hidden_total else _fmt(total.get("hours", 0))),
    ]
    q = page.q
    try:
        sessions = session_table(q, [], "sessions").get((), {}).get("sessions", 0)
        active = session_table(q, [], "active_spaces").get((), {}).get("active_spaces", 0)
        clubs = session_table(q, [], "active_clubs").get((), {}).get("active_clubs", 0)
        figures += [
            (_("Sessions held"), _fmt(sessions)),
            (_("Active learning spaces"), _fmt(active)),
            (_("Active clubs"), _fmt(clubs)),
        ]
    except NoData:
        pass
    return figures


def _people_tables(page: Page, city_rate: float | None) -> list[Table]:
    """One table and bar chart per people breakdown: learners, population, rate and hours of each group (the
    groups with residents and no learner included), and the total."""
    people = page.people
    out = []
    for d in PEOPLE_BREAKDOWNS:
        table = people.tables[d]
        p = people.pop[d]
        rows = [
            page.cell(d, key[0], cell, p.get(key) if p is not None else None, (d, key[0]))
            for key, cell in sorted(table.items(), key=lambda kv: -(kv[1].get("learners", 0)))
            if key[0] is not None
        ]
        if p is not None:
            for key, value in p.items():
                if key[0] is not None and key not in table:
                    rows.append(page.cell(d, key[0], {}, value, (d, key[0])))
        total_cell = page.cell(d, None, people.total, people.total_pop, ("total",))
        title = _("Participation by %(dim)s") % {"dim": dimension_label(d).lower()}
        note = (
            "" if p is not None else _("No population figures by this breakdown: rates cannot be computed.")
        )
        out.append(
            Table(
                name=d,
                title=title,
                dim=d,
                rows=rows,
                total=total_cell,
                message=note,
                with_population=p is not None,
            )
        )
    for t in out:
        metric = "rate" if t.with_population else "learners"
        t.svg = charts.bar_chart(
            t.title,
            [charts.Bar(r.label, getattr(r, metric), r.text(metric)) for r in t.rows],
            reference=city_rate if metric == "rate" else None,
            reference_label=_("city") if metric == "rate" else "",
        )
    return out


def _one_line_hidden(table: Tables, exact: bool) -> set:
    """The cells to hide of a one-way table of learners suppressed on its own (one line: its cells and total)."""
    if exact:
        return set()
    counts = {k: v.get("learners", 0) for k, v in table.items()}
    return suppress(counts, [Line(total=(None,), members=[k for k in counts if k[0] is not None])]).suppressed


def _learners_table(name: str, title: str, dim: str, rows: list[Cell]) -> Table:
    """A table of learners without population, with its bar chart of learners."""
    t = Table(name=name, title=title, dim=dim, rows=rows, total=None, with_population=False)
    t.svg = charts.bar_chart(t.title, [charts.Bar(r.label, r.learners, r.text("learners")) for r in rows])
    return t


def _programme_tables(page: Page) -> list[Table]:
    """Programme kind and topic: learners counted distinctly within each, suppressed table by table."""
    out = []
    for d in PROGRAMME_BREAKDOWNS:
        table = people_table(page.q, [d], cube=page.people.cube)
        prog_hidden = _one_line_hidden(table, page.exact)
        rows = [
            Cell(
                key=k[0],
                label=page.label(d, k[0]),
                learners=None if k in prog_hidden else v.get("learners", 0),
                population=None,
                rate=None,
                hours=None if k in prog_hidden else v.get("hours", 0),
                suppressed=k in prog_hidden,
            )
            for k, v in sorted(table.items(), key=lambda kv: -kv[1].get("learners", 0))
            if k[0] is not None
        ]
        title = _("Learners by %(dim)s") % {"dim": dimension_label(d).lower()}
        out.append(_learners_table(d, title, d, rows))
    return out


def _ranking(page: Page, city_rate: float) -> tuple[list[Ranked], list[str]]:
    """Who is left behind: groups ranked by how far their rate falls below the city's, and the groups left out
    because their count is hidden."""
    people, label, link = page.people, page.label, page.link
    candidates: list[tuple[str, str, Any, dict, float | None, Any, str]] = []
    for d in ("sex", "age_band", "ethnicity", "remote"):
        p = people.pop[d] or {}
        for key, value in p.items():
            if key[0] is None or not key[0]:
                continue
            candidates.append(
                (
                    dimension_label(d),
                    label(d, key[0]),
                    (d, key[0]),
                    people.tables[d].get(key, {}),
                    value,
                    None,
                    "",
                )
            )
    pc = people.pop["cross"] or {}
    for (a, e), value in pc.items():
        if a is None or e is None or not e:
            continue
        candidates.append(
            (
                label("area", a),
                label("ethnicity", e),
                ("ae", a, e),
                people.cross.get((a, e), {}),
                value,
                a,
                link(a) if a not in ("", SELF) else "",
            )
        )
    ranking: list[Ranked] = []
    hidden_groups: list[str] = []
    for where, group, hkey, cell, population, _a, href in candidates:
        if population is None or population < MIN_POPULATION_TO_RANK:
            continue
        learners = cell.get("learners", 0)
        if hkey in page.hidden:
            hidden_groups.append(f"{where}: {group}")
            continue
        rate = _rate(learners, population)
        if rate is None or rate >= city_rate:
            continue
        ranking.append(
            Ranked(
                label=where,
                group=group,
                rate=rate,
                gap=round(city_rate - rate, 2),
                parity=round(rate / city_rate, 2),
                href=href,
                learners=_fmt(learners),
                population=_fmt(population),
            )
        )
    ranking.sort(key=lambda r: (-r.gap, r.label, r.group))
    return ranking, hidden_groups


def _area_map(page: Page, area_table: Table, city_rate: float | None) -> str:
    """Map of the areas one level down, coloured by their rate against the city's."""
    points = []
    for r in area_table.rows:
        a = page.q.index.areas.get(r.key) if isinstance(r.key, int) else None
        if a is not None and a.lat is not None and a.lon is not None:
            points.append(charts.MapPoint(r.label, a.lat, a.lon, r.rate, r.text("rate"), r.href))
    return charts.area_map(_("Participation rate by area"), points, reference=city_rate)


def _parity_rows(tables_raw, pop, hidden, label) -> list[tuple[str, str, str]]:
    out = []

    def rate_of(d, code):
        p = pop.get(d)
        if p is None or (d, code) in hidden:
            return None
        population = p.get((code,))
        if not population:
            return None
        return tables_raw[d].get((code,), {}).get("learners", 0) / population * 100

    def index_text(a, b):
        if a is None or b is None:
            return "…", _("hidden or no data")
        if b == 0:
            return "–", _("no data: the reference rate is zero")
        return _fmt(a / b, 2), ""

    f, m = rate_of("sex", "F"), rate_of("sex", "M")
    out.append((_("Female / male"), *index_text(f, m)))
    pr, pc = rate_of("remote", "remote"), rate_of("remote", "central")
    out.append((_("Remote / central areas"), *index_text(pr, pc)))
    if pop.get("ethnicity"):
        eth_pop = {k[0]: v for k, v in pop["ethnicity"].items() if k[0]}
        if eth_pop:
            majority = max(eth_pop, key=lambda k: eth_pop[k])
            ref = rate_of("ethnicity", majority)
            for code in sorted(eth_pop, key=lambda c: -eth_pop[c]):
                if code == majority:
                    continue
                out.append(
                    (
                        _("%(group)s / %(majority)s")
                        % {"group": label("ethnicity", code), "majority": label("ethnicity", majority)},
                        *index_text(rate_of("ethnicity", code), ref),
                    )
                )
    out.append(
        (_("With / without disability"), "–", _("no data: population figures have no disability breakdown"))
    )
    return out


def _spaces_table(q: MeasureQuery, exact: bool, label) -> Table:
    """The learning spaces of the area shown: learners, sessions held and hours of each."""
    table = people_table(q, ["space"])
    sessions = session_table(q, ["space"], "sessions")
    hidden = _one_line_hidden(table, exact)
    rows = []
    for key in sorted(set(table) | set(sessions), key=lambda k: -(table.get(k, {}).get("learners", 0))):
        if key[0] is None:
            continue
        cell = table.get(key, {})
        sup = key in hidden
        rows.append(
            Cell(
                key=key[0],
                label=label("space", key[0]),
                learners=None if sup else cell.get("learners", 0),
                population=sessions.get(key, {}).get("sessions", 0),
                rate=None,
                hours=None if sup else cell.get("hours", 0),
                suppressed=sup,
            )
        )
    return _learners_table("spaces", _("Learning spaces in this area"), "space", rows)
