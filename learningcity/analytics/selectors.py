"""Reads of the analytics app: the dashboards ("who is left behind"), frameworks, indicators, reported values.

The dashboard is computed on every request (measures.py): one read of the people cube kept by triggers
(rollup.py) gives every people dimension; every table of the page is rolled up from it in Python.
Public pages go through one joint suppression of every count of people on the page (tables that share a
total are protected together, so no reader can subtract across them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from learningcity.core.models import Area, City
from learningcity.core.permissions import can_view_exact_figures

from . import charts
from .labels import Labeller, dimension_label
from .measures import (
    SELF,
    MeasureQuery,
    NoData,
    cube_table,
    cube_tables_one_way,
    people_cube,
    people_table,
    population_table,
    session_table,
)
from .models import CatalogueVersion, Framework, FrameworkNode, Indicator, IndicatorTarget, ManualValue
from .periods import Period, period_parse
from .suppression import SUPPRESSED_LABEL, THRESHOLD, Line, suppress

PEOPLE_BREAKDOWNS = ["area", "sex", "age_band", "ethnicity", "disability", "remote"]
PROGRAMME_BREAKDOWNS = ["kind", "topic"]
MIN_POPULATION_TO_RANK = 10


def ensure_catalogue() -> None:
    """The shipped catalogue is loaded on first use (and by `manage.py analytics_catalogue` after changes)."""
    if not CatalogueVersion.objects.exists():
        from .services.catalogue import catalogue_load

        catalogue_load()


def framework_list() -> list[Framework]:
    ensure_catalogue()
    return list(
        Framework.objects.prefetch_related(
            Prefetch(
                "nodes", queryset=FrameworkNode.objects.prefetch_related("indicators").order_by("position")
            )
        )
    )


def framework_tree(framework: Framework) -> list[dict[str, Any]]:
    """The framework's elements as nested dicts (uses the prefetched nodes: no query per node)."""
    nodes = list(framework.nodes.all())
    children: dict[int | None, list[FrameworkNode]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)

    def build(parent_id):
        return [
            {
                "code": n.code,
                "kind": n.kind,
                "name": n.name,
                "indicators": [i.code for i in n.indicators.all() if i.is_active],
                "children": build(n.pk),
            }
            for n in children.get(parent_id, [])
        ]

    return build(None)


def indicator_list(*, city: City) -> QuerySet[Indicator]:
    ensure_catalogue()
    return (
        Indicator.objects.filter(is_active=True)
        .prefetch_related(
            Prefetch("nodes", queryset=FrameworkNode.objects.select_related("framework")),
            Prefetch(
                "targets",
                queryset=IndicatorTarget.objects.filter(city__isnull=True)
                | IndicatorTarget.objects.filter(city=city),
            ),
        )
        .order_by("position", "code")
    )


def indicator_get(*, code: str) -> Indicator:
    ensure_catalogue()
    return Indicator.objects.get(code=code, is_active=True)


def manual_value_list(*, city: City, exact: bool) -> QuerySet[ManualValue]:
    qs = ManualValue.objects.for_city(city).select_related("indicator", "area", "entered_by", "approved_by")
    if not exact:
        qs = qs.filter(status="approved")
    return qs.order_by("indicator__position", "-year")


# ---------------------------------------------------------------------------------------------- dashboard
@dataclass
class Cell:
    key: Any
    label: str
    learners: float | None
    population: float | None
    rate: float | None
    hours: float | None
    suppressed: bool
    href: str = ""

    def text(self, what: str) -> str:
        value = getattr(self, what)
        if what == "learners" and self.suppressed:
            return SUPPRESSED_LABEL
        if what == "rate":
            if value is None:
                return (
                    "–" if self.population is None or (not self.suppressed and not self.population) else "…"
                )
            return _fmt(value, 1) + "%"
        if value is None:
            return "…" if self.suppressed else "–"
        return _fmt(value)

    @property
    def learners_text(self) -> str:
        return self.text("learners")

    @property
    def population_text(self) -> str:
        return self.text("population")

    @property
    def rate_text(self) -> str:
        return self.text("rate")

    @property
    def hours_text(self) -> str:
        return self.text("hours")


@dataclass
class Table:
    name: str
    title: str
    dim: str
    rows: list[Cell]
    total: Cell | None
    svg: str = ""
    message: str = ""
    with_population: bool = True

    @property
    def dim_label(self) -> str:
        return dimension_label(self.dim)


@dataclass
class Ranked:
    label: str
    group: str
    rate: float
    gap: float
    parity: float
    href: str = ""
    learners: str = ""
    population: str = ""


@dataclass
class Dashboard:
    city: City
    period: Period
    area: Area | None
    root: Area | None
    exact: bool
    crumbs: list[tuple[str, int | None]] = field(default_factory=list)
    figures: list[tuple[str, str]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    ranking: list[Ranked] = field(default_factory=list)
    hidden_groups: list[str] = field(default_factory=list)
    parity: list[tuple[str, str, str]] = field(default_factory=list)
    map_svg: str = ""
    spaces: Table | None = None
    message: str = ""
    city_rate: float | None = None

    def table(self, name: str) -> Table | None:
        return next((t for t in self.tables if t.name == name), None) or (
            self.spaces if self.spaces and self.spaces.name == name else None
        )


def _rate(learners, population) -> float | None:
    if population is None or not population or learners is None:
        return None
    return round(learners / population * 100, 2)


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
    link = link or (lambda pk: "")
    label = Labeller(city, index, root)
    if root is not None:
        for pk in root.ancestor_ids():
            a = index.areas.get(pk)
            if a is not None:
                board.crumbs.append((a.name, pk))

    cube = people_cube(q)
    tables_raw: dict[str, dict[tuple, dict[str, float]]] = cube_tables_one_way(cube, PEOPLE_BREAKDOWNS)
    cross = cube_table(cube, ["area", "ethnicity"])
    pop: dict[str, dict[tuple, float] | None] = {}
    pop_message = ""
    for d in PEOPLE_BREAKDOWNS + ["cross"]:
        try:
            dims = ["area", "ethnicity"] if d == "cross" else [d]
            pop[d] = {k: v.get("population", 0) for k, v in population_table(q, dims).items()}
        except NoData as exc:
            pop[d] = None
            if d != "disability":
                pop_message = pop_message or exc.message
    total = tables_raw["sex"].get((None,), {})
    total_learners = total.get("learners", 0)
    total_pop = (pop["sex"] or {}).get((None,)) if pop["sex"] else None

    # One joint suppression of every count of people on the page.
    hidden: set = set()
    if not exact:
        counts: dict[Any, float] = {("total",): total_learners}
        lines: list[Line] = []
        # Groups with residents but no one counted are observed zeros: counted (as 0) and suppressed like any
        # count under the threshold; groups with no residents are structural zeros (docs/analytics.md, "Zeros").
        for d, table in tables_raw.items():
            members = []
            for key, cell in table.items():
                if key[0] is not None:
                    counts[(d, key[0])] = cell.get("learners", 0)
                    members.append((d, key[0]))
            for key, value in (pop.get(d) or {}).items():
                if key[0] is not None and value and (d, key[0]) not in counts:
                    counts[(d, key[0])] = 0
                    members.append((d, key[0]))
            lines.append(Line(total=("total",), members=members))
        areas_seen, eth_seen = set(), set()
        cross_cells = {k: cell.get("learners", 0) for k, cell in cross.items()}
        for k, value in (pop.get("cross") or {}).items():
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
                Line(
                    total=("ethnicity", e),
                    members=[("ae", a, e) for a in areas_seen if ("ae", a, e) in counts],
                )
            )
        hidden = suppress(counts, lines).suppressed

    def make_cell(dim: str, key, cell: dict, pop_value, hidden_key) -> Cell:
        learners = cell.get("learners", 0)
        suppressed = hidden_key in hidden
        if not exact and pop_value is not None and pop_value < THRESHOLD:
            suppressed_rate = True
        else:
            suppressed_rate = suppressed
        c = Cell(
            key=key,
            label=label(dim, key),
            learners=None if suppressed else learners,
            population=pop_value,
            rate=None if suppressed_rate else _rate(learners, pop_value),
            hours=None if suppressed else cell.get("hours", 0),
            suppressed=suppressed,
        )
        if dim == "area" and key not in (None, "", SELF):
            c.href = link(key)
        return c

    city_rate = _rate(total_learners, total_pop)
    board.city_rate = city_rate
    hidden_total = ("total",) in hidden
    board.figures = [
        (_("Learners reached"), SUPPRESSED_LABEL if hidden_total else _fmt(total_learners)),
        (_("Population"), _fmt(total_pop) if total_pop is not None else _("no data")),
        (
            _("Participation rate"),
            "…" if hidden_total else (_fmt(city_rate, 1) + "%" if city_rate is not None else _("no data")),
        ),
        (_("Learning hours"), "…" if hidden_total else _fmt(total.get("hours", 0))),
    ]
    try:
        sessions = session_table(q, [], "sessions").get((), {}).get("sessions", 0)
        active = session_table(q, [], "active_spaces").get((), {}).get("active_spaces", 0)
        clubs = session_table(q, [], "active_clubs").get((), {}).get("active_clubs", 0)
        board.figures += [
            (_("Sessions held"), _fmt(sessions)),
            (_("Active learning spaces"), _fmt(active)),
            (_("Active clubs"), _fmt(clubs)),
        ]
    except NoData:
        pass
    if pop_message:
        board.message = pop_message

    for d in PEOPLE_BREAKDOWNS:
        table = tables_raw[d]
        p = pop[d]
        rows = [
            make_cell(d, key[0], cell, p.get(key) if p is not None else None, (d, key[0]))
            for key, cell in sorted(table.items(), key=lambda kv: -(kv[1].get("learners", 0)))
            if key[0] is not None
        ]
        if p is not None:
            for key, value in p.items():
                if key[0] is not None and key not in table:
                    rows.append(make_cell(d, key[0], {}, value, (d, key[0])))
        total_cell = make_cell(d, None, total, total_pop, ("total",))
        title = _("Participation by %(dim)s") % {"dim": dimension_label(d).lower()}
        note = (
            "" if p is not None else _("No population figures by this breakdown: rates cannot be computed.")
        )
        board.tables.append(
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
    for t in board.tables:
        metric = "rate" if t.with_population else "learners"
        t.svg = charts.bar_chart(
            t.title,
            [charts.Bar(r.label, getattr(r, metric), r.text(metric)) for r in t.rows],
            reference=city_rate if metric == "rate" else None,
            reference_label=_("city") if metric == "rate" else "",
        )

    # Programme kind and topic: learners counted distinctly within each.
    for d in PROGRAMME_BREAKDOWNS:
        table = people_table(q, [d], cube=cube)
        counts = {k: v.get("learners", 0) for k, v in table.items()}
        prog_hidden = (
            set()
            if exact
            else suppress(
                counts, [Line(total=(None,), members=[k for k in counts if k[0] is not None])]
            ).suppressed
        )
        rows = [
            Cell(
                key=k[0],
                label=label(d, k[0]),
                learners=None if k in prog_hidden else v.get("learners", 0),
                population=None,
                rate=None,
                hours=None if k in prog_hidden else v.get("hours", 0),
                suppressed=k in prog_hidden,
            )
            for k, v in sorted(table.items(), key=lambda kv: -kv[1].get("learners", 0))
            if k[0] is not None
        ]
        t = Table(
            name=d,
            title=_("Learners by %(dim)s") % {"dim": dimension_label(d).lower()},
            dim=d,
            rows=rows,
            total=None,
            with_population=False,
        )
        t.svg = charts.bar_chart(t.title, [charts.Bar(r.label, r.learners, r.text("learners")) for r in rows])
        board.tables.append(t)

    # Who is left behind: groups ranked by how far their rate falls below the city's.
    if city_rate:
        candidates: list[tuple[str, str, Any, dict, float | None, Any, str]] = []
        for d in ("sex", "age_band", "ethnicity", "remote"):
            p = pop[d] or {}
            for key, value in p.items():
                if key[0] is None or not key[0]:
                    continue
                candidates.append(
                    (
                        dimension_label(d),
                        label(d, key[0]),
                        (d, key[0]),
                        tables_raw[d].get(key, {}),
                        value,
                        None,
                        "",
                    )
                )
        pc = pop["cross"] or {}
        for (a, e), value in pc.items():
            if a is None or e is None or not e:
                continue
            candidates.append(
                (
                    label("area", a),
                    label("ethnicity", e),
                    ("ae", a, e),
                    cross.get((a, e), {}),
                    value,
                    a,
                    link(a) if a not in ("", SELF) else "",
                )
            )
        for where, group, hkey, cell, population, _a, href in candidates:
            if population is None or population < MIN_POPULATION_TO_RANK:
                continue
            learners = cell.get("learners", 0)
            if hkey in hidden:
                board.hidden_groups.append(f"{where}: {group}")
                continue
            rate = _rate(learners, population)
            if rate is None or rate >= city_rate:
                continue
            board.ranking.append(
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
        board.ranking.sort(key=lambda r: (-r.gap, r.label, r.group))

    # Parity indices (SDG 4.5.1)
    board.parity = _parity_rows(tables_raw, pop, hidden, label)

    # Map of the areas one level down
    area_table = next(t for t in board.tables if t.name == "area")
    points = []
    for r in area_table.rows:
        a = index.areas.get(r.key) if isinstance(r.key, int) else None
        if a is not None and a.lat is not None and a.lon is not None:
            points.append(charts.MapPoint(r.label, a.lat, a.lon, r.rate, r.text("rate"), r.href))
    board.map_svg = charts.area_map(_("Participation rate by area"), points, reference=city_rate)

    # The learning spaces of this area
    if area is not None:
        board.spaces = _spaces_table(q, exact, label)
    return board


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
    table = people_table(q, ["space"])
    sessions = session_table(q, ["space"], "sessions")
    counts = {k: v.get("learners", 0) for k, v in table.items()}
    hidden = (
        set()
        if exact
        else suppress(
            counts, [Line(total=(None,), members=[k for k in counts if k[0] is not None])]
        ).suppressed
    )
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
    t = Table(
        name="spaces",
        title=_("Learning spaces in this area"),
        dim="space",
        rows=rows,
        total=None,
        with_population=False,
    )
    t.svg = charts.bar_chart(t.title, [charts.Bar(r.label, r.learners, r.text("learners")) for r in rows])
    return t


def _fmt(value, decimals: int | None = None) -> str:
    """A number as people of the active language write it (Vietnamese: 1.234.567,8)."""
    if value is None:
        return "–"
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 1
    return number_format(round(float(value), decimals), decimals, force_grouping=True)


def table_rows(table: Table) -> tuple[list[str], list[list]]:
    """Headers and rows of a dashboard table for export (the same values the page shows)."""
    if table.name == "spaces":
        headers = [_("Learning space"), _("Learners"), _("Sessions held"), _("Learning hours")]
        rows = [[r.label, r.text("learners"), r.population, r.text("hours")] for r in table.rows]
        return headers, rows
    headers = [
        dimension_label(table.dim),
        _("Learners"),
        _("Population"),
        _("Participation rate (%)"),
        _("Learning hours"),
    ]
    rows = [
        [r.label, r.text("learners"), r.population, "" if r.rate is None else r.rate, r.text("hours")]
        for r in table.rows + ([table.total] if table.total else [])
    ]
    return headers, rows


def ranking_rows(board: Dashboard) -> tuple[list[str], list[list]]:
    headers = [
        _("Where / breakdown"),
        _("Group"),
        _("Learners"),
        _("Population"),
        _("Participation rate (%)"),
        _("Gap to the city (points)"),
        _("Parity index"),
    ]
    return headers, [
        [r.label, r.group, r.learners, r.population, r.rate, r.gap, r.parity] for r in board.ranking
    ]
