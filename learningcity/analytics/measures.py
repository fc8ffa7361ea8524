# ruff: noqa: S608 - SQL here interpolates only model table names, fixed fragments and int-cast ids; values are parameters
"""The measures, computed from the live tables at the moment they are asked for (no batch rebuild).

People measures read tables kept in the writing transaction by database triggers: the people cube
(PeopleYear, rollup.py) for a year, quarter or month, the programme rollups for kinds and topics, the
participation summary (triggers.py) for what the cube cannot answer, attendance for spaces. Each is read once per
query object into a small "cube" by every people dimension, then rolled up in Python into any breakdown. Nothing
is cached between requests: a new attendance row shows in every figure on the next request.

Cells are keyed by tuples of breakdown values in the order asked; None in a position means "all" (a total over
that dimension), so one table holds its cells and all its margins.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from django.db import connection
from django.db.models import Count, F, Sum
from django.utils.translation import gettext as _

from learningcity.core.demography import AGE_BANDS
from learningcity.core.errors import DomainError
from learningcity.core.models import Area, City, PopulationCount

from .formulas import DIMENSIONS, MEASURES
from .periods import Period

PEOPLE_DIMS = ("area", "sex", "age_band", "ethnicity", "disability", "remote")
PROGRAMME_DIMS = ("kind", "topic", "space")
SELF = "self"  # bucket of people who live in the chosen area itself, not in one of its smaller units


class NoData(Exception):  # noqa: N818 - a result, not a failure
    """The figure cannot be computed honestly (no population, no such breakdown...): say so, show no number."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------------------------------------------- areas
@dataclass
class AreaIndex:
    """Every area of a city with its current path (old units follow their successors to today's units)."""

    city: City
    paths: dict[int, str] = field(default_factory=dict)  # current path of each area (legacy: its successor's)
    remote: dict[int, bool] = field(default_factory=dict)
    areas: dict[int, Area] = field(default_factory=dict)

    @classmethod
    def load(cls, city: City) -> AreaIndex:
        index = cls(city=city)
        areas = {
            a.pk: a
            for a in Area.objects.for_city(city).only(
                "id",
                "path",
                "valid_to",
                "is_remote",
                "parent_id",
                "name_vi",
                "name_en",
                "code",
                "level",
                "lat",
                "lon",
                "city_id",
                "depth",
            )
        }
        index.areas = areas
        succ: dict[int, list[int]] = defaultdict(list)
        through = Area.successors.through
        for src, dst in through.objects.filter(from_area__city=city).values_list(
            "from_area_id", "to_area_id"
        ):
            succ[src].append(dst)
        for pk, area in areas.items():
            node, seen = area, set()
            while node.valid_to is not None and succ.get(node.pk) and node.pk not in seen:
                seen.add(node.pk)
                node = areas[min(succ[node.pk])]
            index.paths[pk] = node.path
        remote_paths = [a.path for a in areas.values() if a.is_remote and a.valid_to is None]
        for pk, path in index.paths.items():
            index.remote[pk] = any(path.startswith(rp) for rp in remote_paths)
        return index

    def root(self, area: Area | None) -> Area | None:
        """The area a view starts from: the one asked for, or the city's single top area."""
        if area is not None:
            return area
        tops = [a for a in self.areas.values() if a.parent_id is None and a.valid_to is None]
        return tops[0] if len(tops) == 1 else None

    def bucket(self, area_id: int | None, root: Area | None) -> Any:
        """The child of `root` the area lies in (its id), SELF when it is the root itself, None if outside."""
        if area_id is None:
            return None
        path = self.paths.get(area_id)
        if path is None:
            return None
        prefix = root.path if root is not None else "/"
        if not path.startswith(prefix):
            return None
        rest = path[len(prefix) :].strip("/")
        if not rest:
            return SELF
        return int(rest.split("/")[0])

    def inside(self, area_id: int | None, root: Area | None) -> bool:
        if root is None:
            return area_id is not None and area_id in self.paths
        return self.bucket(area_id, root) is not None


# ---------------------------------------------------------------------------------------------------- query
@dataclass
class MeasureQuery:
    city: City
    period: Period
    area: Area | None = None  # None: the whole city
    filters: dict[str, str] = field(default_factory=dict)  # dimension -> value
    today: dt.date | None = None
    _index: AreaIndex | None = None
    cache: dict = field(default_factory=dict)

    @property
    def index(self) -> AreaIndex:
        if self._index is None:
            self._index = AreaIndex.load(self.city)
        return self._index

    @property
    def root(self) -> Area | None:
        return self.index.root(self.area)


def _check_dims(by: Iterable[str]) -> list[str]:
    by = [b for b in by if b]
    for dim in by:
        if dim not in DIMENSIONS:
            raise DomainError(_("Unknown breakdown “%(dim)s”.") % {"dim": dim[:40]}, field="by")
    if len(set(by)) != len(by):
        raise DomainError(_("A breakdown is repeated."), field="by")
    if len([b for b in by if b in PROGRAMME_DIMS]) > 1:
        raise DomainError(_("Combine at most one of programme kind, topic and space."), field="by")
    if len(by) > 3:
        raise DomainError(_("At most three breakdowns at a time."), field="by")
    return by


def rollup(rows: Iterable[tuple[tuple, dict[str, float]]], ndims: int) -> dict[tuple, dict[str, float]]:
    """Sum cube rows into every cell and every margin (None = all) of an n-dimensional table."""
    out: dict[tuple, dict[str, float]] = {}
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


# ------------------------------------------------------------------------------------------ people: learners
def _age_case(alias: str) -> str:
    parts = [f"WHEN %s - {alias}.birth_year < 0 THEN ''"]
    for code, _low, high in AGE_BANDS:
        if high is not None:
            parts.append(f"WHEN %s - {alias}.birth_year <= {int(high)} THEN '{code}'")
    last = AGE_BANDS[-1][0]
    return f"CASE WHEN {alias}.birth_year IS NULL THEN '' " + " ".join(parts) + f" ELSE '{last}' END"


def _disability(value) -> str:
    if value is None:
        return ""
    return "yes" if value else "no"


def _programme_sets(city: City, dim: str, cache: dict | None = None) -> dict[str, list[int]]:
    """Programme ids per kind or per topic (a programme may have several topics); read once per `cache`."""
    from learningcity.programmes.models import Programme

    if cache is not None and ("programme-sets", dim) in cache:
        return cache[("programme-sets", dim)]
    kinds: dict[str, list[int]] = defaultdict(list)
    topics: dict[str, list[int]] = defaultdict(list)
    for pk, kind, codes in Programme.objects.for_city(city).values_list("id", "kind", "topics"):
        kinds[kind].append(pk)
        for code in (codes or "").strip("|").split("|"):
            if code:
                topics[code].append(pk)
    if cache is not None:  # one read gives both
        cache[("programme-sets", "kind")] = dict(kinds)
        cache[("programme-sets", "topic")] = dict(topics)
    return dict(kinds if dim == "kind" else topics)


def _attendance_filters(q: MeasureQuery) -> tuple[str, list]:
    """SQL conditions on attendance (alias a) and learner (alias l) for the query's filters."""
    sql: list[str] = []
    params: list[Any] = []
    f = q.filters
    for dim in ("kind", "topic"):
        if f.get(dim):
            ids = _programme_sets(q.city, dim).get(f[dim], [])
            if not ids:
                sql.append("1 = 0")
            else:
                sql.append("a.programme_id IN (" + ",".join(str(int(i)) for i in ids) + ")")
    if f.get("space"):
        sql.append("a.space_id = %s")
        params.append(int(f["space"]))
    return " AND ".join(sql), params


def _learner_filters(q: MeasureQuery) -> tuple[str, list]:
    sql: list[str] = []
    params: list[Any] = []
    f = q.filters
    if "sex" in f:
        sql.append("l.sex = %s")
        params.append(f["sex"])
    if "ethnicity" in f:
        sql.append("l.ethnicity = %s")
        params.append(f["ethnicity"])
    if "disability" in f:
        sql.append(
            {"yes": "l.has_disability = %s", "no": "l.has_disability = %s"}.get(
                f["disability"], "l.has_disability IS NULL"
            )
        )
        if f["disability"] in ("yes", "no"):
            params.append(f["disability"] == "yes")
    if "age_band" in f:
        sql.append(f"({_age_case('l')}) = %s")
        params += [q.period.age_year] * (len(AGE_BANDS)) + [f["age_band"]]
    return " AND ".join(sql), params


def _tables():
    from learningcity.programmes.models import Attendance, Headcount, Learner

    return Attendance._meta.db_table, Learner._meta.db_table, Headcount


def _month_exprs(period: Period, alias: str = "p") -> tuple[str, str, list[int]]:
    """SQL sums of the summary's month columns inside the period: (attendances, minutes, years)."""
    months: dict[int, list[int]] = defaultdict(list)
    day = period.start.replace(day=1)
    while day <= period.end:
        months[day.year].append(day.month)
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    parts_a, parts_n = [], []
    for year, ms in months.items():
        a = " + ".join(f"{alias}.a{m:02d}" for m in ms)
        n = " + ".join(f"{alias}.n{m:02d}" for m in ms)
        parts_a.append(f"WHEN {alias}.year = {int(year)} THEN {a}")
        parts_n.append(f"WHEN {alias}.year = {int(year)} THEN {n}")
    return (
        "CASE " + " ".join(parts_a) + " ELSE 0 END",
        "CASE " + " ".join(parts_n) + " ELSE 0 END",
        sorted(months),
    )


def _summary_filters(q: MeasureQuery) -> tuple[str, list]:
    sql = []
    for dim in ("kind", "topic"):
        if q.filters.get(dim):
            ids = _programme_sets(q.city, dim).get(q.filters[dim], [])
            sql.append("p.programme_id IN (" + ",".join(str(int(i)) for i in ids) + ")" if ids else "1 = 0")
    return " AND ".join(sql), []


def _summary_where(q: MeasureQuery, years: list[int]) -> str:
    """The WHERE of a read of a summary or programme rollup (alias p) for this query's city, the period's years
    and its kind / topic filter; one parameter: the city's id."""
    s_where, _s = _summary_filters(q)
    return f"p.city_id = %s AND p.year IN ({','.join(str(int(y)) for y in years)})" + (
        f" AND {s_where}" if s_where else ""
    )


def _cube_columns(period: Period) -> tuple[int, str, list[str]] | None:
    """The people cube's columns for a period inside one calendar year: (year, distinct learners column, month
    numbers); None for a period the cube cannot count distinctly (rolling 12 months span two years)."""
    if period.start.year != period.end.year:
        return None
    if period.kind == "year":
        return period.start.year, "learners", [f"{m:02d}" for m in range(1, 13)]
    if period.kind == "quarter":
        first = period.start.month
        return period.start.year, f"q{(first - 1) // 3 + 1}", [f"{m:02d}" for m in range(first, first + 3)]
    if period.kind == "month":
        return period.start.year, f"l{period.start.month:02d}", [f"{period.start.month:02d}"]
    return None


def _people_rows_cube(q: MeasureQuery) -> list[tuple] | None:
    """(None, area_id, sex, age band, ethnicity, disability, learners, attendances, minutes) rows from the people
    cube kept by rollup.py: a few thousand cells instead of a GROUP BY over every learner. None when the query
    needs more than the cube holds (a programme filter, a period across two years)."""
    columns = _cube_columns(q.period)
    if columns is None or any(q.filters.get(d) for d in PROGRAMME_DIMS):
        return None
    from . import rollup, triggers
    from .models import PeopleYear

    triggers.ensure_installed()
    rollup.ensure_installed()
    year, learners, months = columns
    where = ["city_id = %s", "year = %s", f"{learners} > 0"]
    params: list[Any] = [q.city.pk, year]
    for dim in ("sex", "ethnicity", "age_band"):
        if dim in q.filters:
            where.append(f"{dim} = %s")
            params.append(q.filters[dim])
    if "disability" in q.filters:
        where.append("disability = %s")
        params.append(q.filters["disability"] if q.filters["disability"] in ("yes", "no") else "")
    sql = (
        f"SELECT area_id, sex, age_band, ethnicity, disability, {learners}, "
        f"{' + '.join('a' + m for m in months)}, {' + '.join('n' + m for m in months)} "
        f"FROM {PeopleYear._meta.db_table} WHERE {' AND '.join(where)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(None, area or None, *rest) for area, *rest in cursor.fetchall()]


def _people_rows_learner_years(q: MeasureQuery) -> list[tuple] | None:
    """The same rows for any other month-aligned period (rolling 12 months span two years) from LearnerYear, which
    carries each learner's dimensions: one GROUP BY per learner over it, no join. None with a programme filter."""
    if any(q.filters.get(d) for d in PROGRAMME_DIMS):
        return None
    from . import rollup, triggers
    from .models import LearnerYear

    triggers.ensure_installed()
    rollup.ensure_installed()
    age = _age_case("l")
    age_params = [q.period.age_year] * len(AGE_BANDS)
    a_expr, n_expr, years = _month_exprs(q.period, "r")
    l_where, l_params = _learner_filters(q)
    dims = "r.learner_id, r.area_id, r.sex, r.birth_year, r.ethnicity, r.has_disability"
    sql = (
        f"SELECT NULL, l.area_id, l.sex, {age}, l.ethnicity, l.has_disability, COUNT(*), SUM(l.n), SUM(l.m) "
        f"FROM (SELECT {dims}, SUM({a_expr}) AS n, SUM({n_expr}) AS m FROM {LearnerYear._meta.db_table} r "
        f"WHERE r.city_id = %s AND r.year IN ({','.join(str(int(y)) for y in years)}) GROUP BY {dims}) l "
        "WHERE l.n > 0"
        + (f" AND {l_where}" if l_where else "")
        + f" GROUP BY l.area_id, l.sex, {age}, l.ethnicity, l.has_disability"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*age_params, q.city.pk, *l_params, *age_params])
        return [tuple(r) for r in cursor.fetchall()]


def _people_rows(q: MeasureQuery, group: str | None, people: bool = True) -> list[tuple]:
    if group == "space" or q.filters.get("space"):
        return _people_rows_live(q, group)
    if group is None:
        rows = _people_rows_cube(q)
        if rows is None:
            rows = _people_rows_learner_years(q)
        if rows is not None:
            return rows
    from . import triggers
    from .models import Participation

    triggers.ensure_installed()
    _att, learner, _hc = _tables()
    summary = Participation._meta.db_table
    age = _age_case("l")
    age_params = [q.period.age_year] * len(AGE_BANDS)
    a_expr, n_expr, years = _month_exprs(q.period)
    s_where, _s = _summary_filters(q)
    l_where, l_params = _learner_filters(q)
    base = _summary_where(q, years)
    people_cols = f"l.area_id, l.sex, {age}, l.ethnicity, l.has_disability"
    if group is None:
        sql = (
            f"SELECT NULL, {people_cols}, COUNT(*), SUM(x.n), SUM(x.m) FROM (SELECT p.learner_id, SUM({a_expr}) AS n, "
            f"SUM({n_expr}) AS m FROM {summary} p WHERE {base} GROUP BY p.learner_id) x "
            f"JOIN {learner} l ON l.id = x.learner_id WHERE x.n > 0"
            + (f" AND {l_where}" if l_where else "")
            + f" GROUP BY l.area_id, l.sex, {age}, l.ethnicity, l.has_disability"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*age_params, q.city.pk, *l_params, *age_params])
            return [tuple(r) for r in cursor.fetchall()]
    sets = _programme_sets(q.city, group, q.cache)
    if not people and not l_where:
        # Only the kind / topic itself: one read of the programme rollups, shared by the kind and topic tables
        # of a page; learners are counted distinctly per kind or topic.
        key = ("programme-learners", base)
        per_programme = q.cache.get(key)
        if per_programme is None:
            per_programme = q.cache[key] = _programme_learners(q, s_where)
        return _programme_rows(per_programme, sets)
    names_of: dict[int, list[str]] = defaultdict(list)
    for name, ids in sets.items():
        for i in ids:
            names_of[i].append(name)
    cache_key = ("summary-pairs", base, l_where, tuple(l_params))
    pairs = q.cache.get(cache_key)
    if pairs is None:
        sql = (
            f"SELECT x.learner_id, x.programme_id, x.n, x.m, {people_cols} FROM (SELECT p.learner_id, p.programme_id, "
            f"SUM({a_expr}) AS n, SUM({n_expr}) AS m FROM {summary} p WHERE {base} "
            f"GROUP BY p.learner_id, p.programme_id) x JOIN {learner} l ON l.id = x.learner_id WHERE x.n > 0"
            + (f" AND {l_where}" if l_where else "")
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*age_params, q.city.pk, *l_params])
            pairs = cursor.fetchall()
        q.cache[cache_key] = pairs
    return _pairs_to_rows(pairs, names_of)


def _programme_learners(q: MeasureQuery, s_where: str) -> dict[int, tuple[list, Any, Any]]:
    """Per programme: the ids of its learners in the period, its attendances and its minutes, from the
    programme rollups kept by rollup.py (ProgrammeLearner's month bits, ProgrammeYear's monthly sums)."""
    from . import rollup, triggers
    from .models import ProgrammeLearner, ProgrammeYear

    triggers.ensure_installed()
    rollup.ensure_installed()
    months: dict[int, int] = defaultdict(int)
    day = q.period.start.replace(day=1)
    while day <= q.period.end:
        months[day.year] |= 1 << (day.month - 1)
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    active = " OR ".join(
        f"(p.year = {int(y)} AND (p.months & {int(bits)}) <> 0)" for y, bits in months.items()
    )
    extra = f" AND {s_where}" if s_where else ""
    # PostgreSQL hands an array over as a list of ints; SQLite has no arrays: ids joined by commas, split below.
    postgres = connection.vendor == "postgresql"
    agg = "array_agg(p.learner_id)" if postgres else "group_concat(p.learner_id)"
    a_expr, n_expr, years = _month_exprs(q.period)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT p.programme_id, {agg} FROM {ProgrammeLearner._meta.db_table} p "
            f"WHERE p.city_id = %s AND ({active}){extra} GROUP BY p.programme_id",
            [q.city.pk],
        )
        learners = dict(cursor.fetchall())
        cursor.execute(
            f"SELECT p.programme_id, SUM({a_expr}), SUM({n_expr}) FROM {ProgrammeYear._meta.db_table} p "
            f"WHERE {_summary_where(q, years)} GROUP BY p.programme_id",
            [q.city.pk],
        )
        sums = {pid: (n_a or 0, n_m or 0) for pid, n_a, n_m in cursor.fetchall()}
    return {
        pid: (ids if postgres else ids.split(","), *sums.get(pid, (0, 0))) for pid, ids in learners.items()
    }


def _programme_rows(
    per_programme: dict[int, tuple[list[str], int, int]], sets: dict[str, list[int]]
) -> list[tuple]:
    """Rows by kind or topic from each programme's (learner ids, attendances, minutes): learners counted
    distinctly within each kind or topic by a set union of its programmes' learners."""
    out = []
    for name, ids in sets.items():
        found = [per_programme[i] for i in ids if i in per_programme]
        if not found:
            continue
        learners = set().union(*(f[0] for f in found))
        out.append(
            (name, None, "", "", "", None, len(learners), sum(f[1] for f in found), sum(f[2] for f in found))
        )
    return out


def _pairs_to_rows(pairs, names_of) -> list[tuple]:
    acc: dict[tuple, list] = {}
    for learner_id, programme_id, n, m, *people_values in pairs:
        for name in names_of.get(programme_id, ()):
            key = (name, *people_values)
            cell = acc.get(key)
            if cell is None:
                cell = acc[key] = [set(), 0, 0]
            cell[0].add(learner_id)
            cell[1] += n
            cell[2] += m or 0
    return [(*key, len(cell[0]), cell[1], cell[2]) for key, cell in acc.items()]


def _people_rows_live(q: MeasureQuery, group: str | None) -> list[tuple]:
    """(group value, area_id, sex, age band, ethnicity, disability, learners, attendances, minutes) rows.

    `group` is None (no programme breakdown), "space" or "kind"/"topic" (then learners are counted distinctly
    within each kind or topic)."""
    att, learner, _hc = _tables()
    age = _age_case("l")
    age_params = [q.period.age_year] * len(AGE_BANDS)
    att_where, att_params = _attendance_filters(q)
    l_where, l_params = _learner_filters(q)
    base = "a.city_id = %s AND a.date >= %s AND a.date <= %s" + (f" AND {att_where}" if att_where else "")
    base_params = [q.city.pk, q.period.start, q.period.end, *att_params]
    people = f"COALESCE(l.area_id, x.area_id), l.sex, {age}, l.ethnicity, l.has_disability"
    if group in (None, "space"):
        inner_group = "a.learner_id" + (", a.space_id" if group == "space" else "")
        # Only table names from the models, fixed SQL and int-cast ids are interpolated; values are parameters.
        sql = (
            f"SELECT {'x.space_id' if group == 'space' else 'NULL'}, {people}, COUNT(*), SUM(x.n), SUM(x.m) "
            f"FROM (SELECT a.learner_id, {'a.space_id, ' if group == 'space' else ''}MAX(a.area_id) AS area_id, "
            f"COUNT(*) AS n, SUM(a.minutes) AS m FROM {att} a WHERE {base} GROUP BY {inner_group}) x "
            f"JOIN {learner} l ON l.id = x.learner_id"
            + (f" WHERE {l_where}" if l_where else "")
            + f" GROUP BY {'x.space_id, ' if group == 'space' else ''}COALESCE(l.area_id, x.area_id), l.sex, {age}, "
            "l.ethnicity, l.has_disability"
        )
        params = [*age_params, *base_params, *l_params, *age_params]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [tuple(r) for r in cursor.fetchall()]
    # kind / topic: one pass over (learner, programme) pairs, learners counted distinctly per kind or topic.
    names_of: dict[int, list[str]] = defaultdict(list)
    for name, ids in _programme_sets(q.city, group).items():
        for i in ids:
            names_of[i].append(name)
    cache_key = ("pairs", att_where, tuple(att_params), l_where, tuple(l_params))
    pairs = q.cache.get(cache_key)
    if pairs is None:
        sql = (
            f"SELECT x.learner_id, x.programme_id, x.n, x.m, COALESCE(l.area_id, x.area_id), l.sex, {age}, "
            "l.ethnicity, l.has_disability "
            f"FROM (SELECT a.learner_id, a.programme_id, MAX(a.area_id) AS area_id, COUNT(*) AS n, "
            f"SUM(a.minutes) AS m FROM {att} a WHERE {base} GROUP BY a.learner_id, a.programme_id) x "
            f"JOIN {learner} l ON l.id = x.learner_id" + (f" WHERE {l_where}" if l_where else "")
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*age_params, *base_params, *l_params])
            pairs = cursor.fetchall()
        q.cache[cache_key] = pairs
    return _pairs_to_rows(pairs, names_of)


def _headcount_rows_shared(q: MeasureQuery, group: str | None) -> list[tuple]:
    """Headcount rows without a programme filter, read once per query object (by programme) and then grouped by
    nothing, kind or topic: one query for every table of a page."""
    _att, _l, Headcount = _tables()
    rows = q.cache.get("headcounts")
    if rows is None:
        qs = Headcount.objects.filter(city=q.city, date__gte=q.period.start, date__lte=q.period.end)
        for dim in ("sex", "ethnicity", "age_band"):
            if dim in q.filters:
                qs = qs.filter(**{dim: q.filters[dim]})
        rows = q.cache["headcounts"] = list(
            qs.values_list("programme_id", "space__area_id", "sex", "age_band", "ethnicity")
            .annotate(n=Sum("count"), m=Sum(F("count") * F("minutes")))
            .order_by()
        )
    if not rows:
        return []
    names_of: dict[int, list[Any]] = defaultdict(list)
    if group is not None:
        for name, ids in _programme_sets(q.city, group, q.cache).items():
            for i in ids:
                names_of[i].append(name)
    acc: dict[tuple, list] = {}
    for programme_id, area_id, sex, band, eth, n, m in rows:
        for key in names_of.get(programme_id, ()) if group is not None else (None,):
            cell = acc.setdefault((key, area_id, sex, band, eth), [0, 0])
            cell[0] += n or 0
            cell[1] += m or 0
    return [(*key[:5], None, 0, n, m) for key, (n, m) in acc.items()]


def _headcount_rows(q: MeasureQuery, group: str | None) -> list[tuple]:
    """People counted without names: they add to attendances and hours (never to distinct learners)."""
    _att, _l, Headcount = _tables()
    f = q.filters
    if "disability" in f:
        return []
    if group in (None, "kind", "topic") and not any(f.get(d) for d in ("kind", "topic", "space")):
        return _headcount_rows_shared(q, group)
    qs = Headcount.objects.filter(city=q.city, date__gte=q.period.start, date__lte=q.period.end)
    for dim in ("sex", "ethnicity", "age_band"):
        if dim in f:
            qs = qs.filter(**{dim: f[dim]})
    for dim in ("kind", "topic"):
        if f.get(dim):
            qs = qs.filter(programme_id__in=_programme_sets(q.city, dim).get(f[dim], []))
    if f.get("space"):
        qs = qs.filter(space_id=int(f["space"]))
    group_field = {"space": "space_id", "kind": "programme__kind"}.get(group or "")
    fields = ["space__area_id", "sex", "age_band", "ethnicity"]
    if group == "topic":
        fields.append("programme_id")
    elif group_field:
        fields.append(group_field)
    out = []
    sets = _programme_sets(q.city, "topic") if group == "topic" else {}
    topic_of: dict[int, list[str]] = defaultdict(list)
    for name, ids in sets.items():
        for i in ids:
            topic_of[i].append(name)
    for r in qs.values(*fields).annotate(n=Sum("count"), m=Sum(F("count") * F("minutes"))).order_by():
        keys = (
            topic_of.get(r["programme_id"], [])
            if group == "topic"
            else [r.get(group_field)]
            if group_field
            else [None]
        )
        for key in keys:
            out.append(
                (
                    key,
                    r["space__area_id"],
                    r["sex"],
                    r["age_band"],
                    r["ethnicity"],
                    None,
                    0,
                    r["n"] or 0,
                    r["m"] or 0,
                )
            )
    return out


CUBE_DIMS = ("area", "sex", "age_band", "ethnicity", "disability", "remote", "kind", "topic", "space")
_POS = {d: i for i, d in enumerate(CUBE_DIMS)}
_DISABILITY = {None: "", True: "yes", False: "no", "yes": "yes", "no": "no"}  # 1 and 0 equal True and False


def people_cube(q: MeasureQuery, group: str | None = None, people: bool = True) -> list[tuple[tuple, tuple]]:
    """The raw cube: one entry per combination of people dimensions (and of `group`, a programme dimension),
    as (values in CUBE_DIMS order, (learners, attendances, minutes)). One GROUP BY over the period's
    participation summary; built once per query object and group (every table of a page shares it)."""
    key = ("cube", group, people)
    cached = q.cache.get(key)
    if cached is not None:
        return cached
    rows = _people_rows(q, group, people) + _headcount_rows(q, group)
    index, root = q.index, q.root
    remote_filter = q.filters.get("remote")
    inside_only = q.area is not None
    # Area id -> (bucket, remote): a city has few areas, so each is worked out once.
    places: dict[Any, tuple[Any, str] | None] = {None: ("", "")}
    cube: list[tuple[tuple, tuple]] = []
    append = cube.append
    for gkey, area_id, sex, band, eth, dis, learners, atts, minutes in rows:
        if area_id in places:
            place = places[area_id]
        else:
            bucket = index.bucket(area_id, root)
            if inside_only and bucket is None:
                place = None
            else:
                remote = "remote" if index.remote.get(area_id) else "central"
                place = (
                    None
                    if remote_filter and remote != remote_filter
                    else (
                        bucket if bucket is not None else "",
                        remote,
                    )
                )
            places[area_id] = place
        if place is None or (area_id is None and (inside_only or remote_filter)):
            continue
        append(
            (
                (
                    place[0],
                    sex or "",
                    band or "",
                    eth or "",
                    _DISABILITY.get(dis, ""),
                    place[1],
                    gkey,
                    gkey,
                    gkey if gkey is not None else "",
                ),
                (float(learners or 0), float(atts or 0), float(minutes or 0)),
            )
        )
    q.cache[key] = cube
    return cube


def _cell(acc) -> dict[str, float]:
    return {
        "learners": acc[0],
        "attendances": acc[1],
        "minutes": acc[2],
        "hours": round(acc[2] / 60, 1),
    }


def cube_table(cube, by: list[str]) -> dict[tuple, dict[str, float]]:
    """Cells and margins (None = all) of the cube by `by`."""
    pos = [_POS[d] for d in by]
    n = len(pos)
    subsets = [set(c) for r in range(n + 1) for c in combinations(range(n), r)]
    masks = [tuple(i in keep for i in range(n)) for keep in subsets]
    sums: dict[tuple, list] = {}
    # First sum the cube into the finest cells, then spread each cell into its margins.
    for values, m in cube:
        k = tuple(values[p] for p in pos)
        acc = sums.get(k)
        if acc is None:
            sums[k] = [m[0], m[1], m[2]]
        else:
            acc[0] += m[0]
            acc[1] += m[1]
            acc[2] += m[2]
    out: dict[tuple, list] = {}
    for k, m in sums.items():
        for mask in masks:
            kk = tuple(v if keep else None for v, keep in zip(k, mask, strict=True))
            acc = out.get(kk)
            if acc is None:
                out[kk] = [m[0], m[1], m[2]]
            else:
                acc[0] += m[0]
                acc[1] += m[1]
                acc[2] += m[2]
    if not out:
        out[tuple([None] * n)] = [0.0, 0.0, 0.0]
    return {k: _cell(acc) for k, acc in out.items()}


def cube_tables_one_way(cube, dims: list[str]) -> dict[str, dict[tuple, dict[str, float]]]:
    """Every one-way table (with its total) from one pass over the cube: what the dashboard needs."""
    pos = [(d, _POS[d]) for d in dims]
    sums: dict[str, dict[Any, list]] = {d: {} for d in dims}
    total = [0.0, 0.0, 0.0]
    for values, m in cube:
        learners, atts, minutes = m
        total[0] += learners
        total[1] += atts
        total[2] += minutes
        for d, p in pos:
            table = sums[d]
            acc = table.get(values[p])
            if acc is None:
                table[values[p]] = [learners, atts, minutes]
            else:
                acc[0] += learners
                acc[1] += atts
                acc[2] += minutes
    out: dict[str, dict[tuple, dict[str, float]]] = {}
    for d in dims:
        cells = {(v,): _cell(acc) for v, acc in sums[d].items()}
        cells[(None,)] = _cell(total)
        out[d] = cells
    return out


def people_table(q: MeasureQuery, by: list[str], cube=None) -> dict[tuple, dict[str, float]]:
    """Learners, attendances and hours by any breakdown (cells and margins)."""
    by = _check_dims(by)
    group = next((b for b in by if b in PROGRAMME_DIMS), None)
    needs_people = any(d in PEOPLE_DIMS for d in by) or "remote" in q.filters or q.area is not None
    source = cube if cube is not None and group is None else people_cube(q, group, needs_people)
    table = cube_table(source, by)
    if group is not None:
        # A person may come to several kinds, topics or spaces: totals over them are counted distinctly.
        gi = by.index(group)
        rest = [d for d in by if d != group]
        base = people_table(q, rest, cube=cube)
        for key in list(table):
            if key[gi] is None:
                table[key] = base.get(key[:gi] + key[gi + 1 :], defaultdict(float))
    return table


# ---------------------------------------------------------------------------------------------- population
POP_DIMS = ("sex", "age_band", "ethnicity")


def population_table(q: MeasureQuery, by: list[str]) -> dict[tuple, dict[str, float]]:
    """Population of the period's year by area, sex, age band, ethnicity (cells and margins).

    For each area the most aggregated stored rows that carry the needed dimensions are used; an area whose
    ancestor (inside the view) has such rows is not counted again. Raises NoData when the year has none.
    """
    by = _check_dims(by)
    for dim in by:
        if dim not in ("area", "remote", *POP_DIMS):
            raise NoData(
                _("Population figures have no breakdown by %(dim)s.") % {"dim": str(DIMENSIONS[dim]).lower()}
            )
    for dim in q.filters:
        if dim not in ("area", "remote", *POP_DIMS):
            raise NoData(
                _("Population figures have no breakdown by %(dim)s.") % {"dim": str(DIMENSIONS[dim]).lower()}
            )
    year = q.period.population_year
    rows = q.cache.get(("population", year))
    if rows is None:
        rows = q.cache[("population", year)] = list(
            PopulationCount.objects.for_city(q.city)
            .filter(year=year)
            .values_list("area_id", "sex", "age_band", "ethnicity", "count")
        )
    if not rows:
        raise NoData(_("There are no population figures for %(year)s.") % {"year": year})
    needed = {d for d in by if d in POP_DIMS} | {d for d in q.filters if d in POP_DIMS}
    by_area: dict[int, dict[frozenset, list[tuple]]] = defaultdict(lambda: defaultdict(list))
    for area_id, sex, band, eth, count in rows:
        sig = frozenset(d for d, v in zip(POP_DIMS, (sex, band, eth), strict=True) if v)
        by_area[area_id][sig].append((sex, band, eth, count))
    index, root = q.index, q.root
    chosen: dict[int, list[tuple]] = {}
    for area_id, sigs in by_area.items():
        usable = [s for s in sigs if needed <= s]
        if not usable:
            continue
        best = min(usable, key=len)
        chosen[area_id] = sigs[best]
    if q.area is not None:
        chosen = {a: r for a, r in chosen.items() if index.inside(a, root)}
    if not chosen:
        raise NoData(_("There are no population figures for %(year)s with this breakdown.") % {"year": year})
    # Drop areas whose ancestor (inside the view, below the root when breaking down by area) has figures.
    paths = {a: index.areas[a].path for a in chosen if a in index.areas}
    floor = root.path if (root is not None and "area" in by) else ""
    kept = []
    for a, path in paths.items():
        ancestors = [p for b, p in paths.items() if b != a and path.startswith(p) and len(p) > len(floor)]
        if not ancestors:
            kept.append(a)
    remote_filter = q.filters.get("remote")
    cube = []
    for a in kept:
        bucket = index.bucket(a, root)
        remote = "remote" if index.remote.get(a) else "central"
        if remote_filter and remote != remote_filter:
            continue
        for sex, band, eth, count in chosen[a]:
            values = {
                "area": bucket if bucket is not None else "",
                "sex": sex,
                "age_band": band,
                "ethnicity": eth,
                "remote": remote,
            }
            if any(values[d] != v for d, v in q.filters.items() if d in values and d != "area"):
                continue
            cube.append((tuple(values[d] for d in by), {"population": count}))
    if "area" in by:
        cube = _self_remainder(cube, by.index("area"))
    return rollup(cube, len(by))


def _self_remainder(cube: list, ai: int) -> list:
    """The chosen area's own figures include its smaller units: keep only the remainder in its SELF cell."""
    children: dict[tuple, float] = defaultdict(float)
    for key, values in cube:
        if key[ai] != SELF:
            children[key[:ai] + key[ai + 1 :]] += values["population"]
    if not any(key[ai] == SELF for key, _v in cube):
        return cube
    out = []
    for key, values in cube:
        if key[ai] == SELF:
            rest = key[:ai] + key[ai + 1 :]
            remainder = max(0.0, values["population"] - children.get(rest, 0))
            children[rest] = max(0.0, children.get(rest, 0) - values["population"])
            out.append((key, {"population": remainder}))
        else:
            out.append((key, values))
    return out


# ------------------------------------------------------------------------------------ sessions and spaces
def _session_qs(q: MeasureQuery, start: dt.date, end: dt.date):
    from learningcity.programmes.models import Session

    qs = Session.objects.for_city(q.city).held().filter(date__gte=start, date__lte=end)
    for dim in ("kind", "topic"):
        if q.filters.get(dim):
            qs = qs.filter(programme_id__in=_programme_sets(q.city, dim).get(q.filters[dim], []))
    if q.filters.get("space"):
        qs = qs.filter(space_id=int(q.filters["space"]))
    for dim in q.filters:
        if dim not in ("kind", "topic", "space", "area", "remote"):
            raise NoData(_("Sessions have no breakdown by %(dim)s.") % {"dim": str(DIMENSIONS[dim]).lower()})
    return qs


def session_table(q: MeasureQuery, by: list[str], measure: str) -> dict[tuple, dict[str, float]]:
    """Sessions held, and spaces / clubs active (3+ activities on 3 separate dates in the period) or currently
    active (one activity in the last 90 days), by area, kind, topic or space."""
    by = _check_dims(by)
    for dim in by:
        if dim not in ("area", "remote", *PROGRAMME_DIMS):
            raise NoData(_("Sessions have no breakdown by %(dim)s.") % {"dim": str(DIMENSIONS[dim]).lower()})
    start, end = q.period.start, q.period.end
    if measure.startswith("currently_active"):
        end = q.today or dt.date.today()
        start = end - dt.timedelta(days=90)
    qs = _session_qs(q, start, end)
    unit = "space_id" if "spaces" in measure else "programme_id"
    topic_of: dict[int, list[str]] = defaultdict(list)
    if "topic" in by:
        for name, ids in _programme_sets(q.city, "topic").items():
            for i in ids:
                topic_of[i].append(name)
    cache_key = ("sessions", start, end, tuple(sorted(q.filters.items())))
    rows = q.cache.get(cache_key)
    if rows is None:
        rows = q.cache[cache_key] = _session_rows(q, qs)
    index, root = q.index, q.root
    remote_filter = q.filters.get("remote")
    # Per unit (space or club): its sessions and dates, to apply the activity rule.
    per_unit: dict[Any, dict[str, Any]] = {}
    cube = []
    for r in rows:
        area_id = r["space__area_id"] or r["programme__area_id"]
        bucket = index.bucket(area_id, root)
        if q.area is not None and bucket is None:
            continue
        remote = "" if area_id is None else ("remote" if index.remote.get(area_id) else "central")
        if remote_filter and remote != remote_filter:
            continue
        groups = topic_of.get(r["programme_id"], []) if "topic" in by else [None]
        for topic in groups:
            values = {
                "area": bucket if bucket is not None else "",
                "remote": remote,
                "kind": r["programme__kind"],
                "topic": topic,
                "space": r["space_id"] or "",
            }
            key = tuple(values[d] for d in by)
            if measure == "sessions":
                cube.append((key, {"sessions": r["n"]}))
                continue
            unit_id = r[unit]
            if unit_id is None:
                continue
            if measure.endswith("clubs") and r["programme__kind"] != "club":
                continue
            acc = per_unit.setdefault((key, unit_id), {"n": 0, "dates": 0})
            acc["n"] += r["n"]
            acc["dates"] += r["dates"]  # a unit in one key: distinct dates per (programme, space) row
    if measure != "sessions":
        dates_key = ("unit-dates", unit, start, end, tuple(sorted(q.filters.items())))
        if dates_key not in q.cache:
            q.cache[dates_key] = _unit_dates(qs, unit, rows) if per_unit else {}
        dates = q.cache[dates_key]
        for (key, unit_id), acc in per_unit.items():
            ok = (
                acc["n"] >= 1
                if measure.startswith("currently")
                else (acc["n"] >= 3 and dates.get(unit_id, 0) >= 3)
            )
            cube.append((key, {measure: 1 if ok else 0}))
    return rollup(cube, len(by))


def _session_rows(q: MeasureQuery, qs) -> list[dict[str, Any]]:
    """Sessions held and their distinct dates per (programme, space); the programme's kind and area and the
    space's area come from two small lookups instead of a join over every session."""
    from learningcity.places.models import LearningSpace
    from learningcity.programmes.models import Programme

    grouped = list(
        qs.values_list("programme_id", "space_id")
        .annotate(n=Count("id"), dates=Count("date", distinct=True))
        .order_by()
    )
    if not grouped:
        return []
    programmes = {
        pk: (kind, area_id)
        for pk, kind, area_id in Programme.objects.for_city(q.city).values_list("id", "kind", "area_id")
    }
    spaces = dict(LearningSpace.objects.for_city(q.city).values_list("id", "area_id"))
    rows = []
    for programme_id, space_id, n, dates in grouped:
        kind, area_id = programmes.get(programme_id, ("", None))
        rows.append(
            {
                "programme_id": programme_id,
                "programme__kind": kind,
                "programme__area_id": area_id,
                "space_id": space_id,
                "space__area_id": spaces.get(space_id),
                "n": n,
                "dates": dates,
            }
        )
    return rows


def _unit_dates(qs, unit: str, rows: list[dict[str, Any]]) -> dict[int, int]:
    """Distinct dates of each unit (space or programme): a unit with one (programme, space) row has that row's;
    only units spread over several rows are counted again."""
    spread = Counter(r[unit] for r in rows if r[unit] is not None)
    out = {r[unit]: r["dates"] for r in rows if r[unit] is not None and spread[r[unit]] == 1}
    several = [u for u, n in spread.items() if n > 1]
    if several:
        out.update(
            {
                r[unit]: r["d"]
                for r in qs.filter(**{f"{unit}__in": several})
                .values(unit)
                .annotate(d=Count("date", distinct=True))
                .order_by()
            }
        )
    return out


# ---------------------------------------------------------------------------------------------- members
def membership_table(q: MeasureQuery, by: list[str], min_sessions: int = 3) -> dict[tuple, dict[str, float]]:
    """Members (memberships active in the period), those who came to `min_sessions` or more of the programme's
    sessions in the period (retention), their attendances and the attendances expected (members x sessions
    held), by people dimensions, area, kind or topic. Computed once per query, breakdown and threshold."""
    by = _check_dims(by)
    if "space" in by:
        raise NoData(_("Memberships have no breakdown by learning space."))
    cache_key = ("memberships", tuple(by), min_sessions)
    if cache_key not in q.cache:
        q.cache[cache_key] = _membership_table(q, by, min_sessions)
    return q.cache[cache_key]


def _attendances_per_membership(q: MeasureQuery) -> dict[tuple[int, int], int]:
    """(programme, learner) -> attendances in the period, read from the participation summary the triggers keep
    (one row per learner, programme and year with monthly counts; every period is whole months), not from the
    attendance rows themselves: a year of a large city is a million attendance rows and about a tenth as many
    summary rows."""
    from . import triggers
    from .models import Participation

    triggers.ensure_installed()
    a_expr, _n_expr, years = _month_exprs(q.period)
    sql = (
        f"SELECT p.programme_id, p.learner_id, SUM({a_expr}) FROM {Participation._meta.db_table} p "  # noqa: S608
        f"WHERE {_summary_where(q, years)} GROUP BY p.programme_id, p.learner_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [q.city.pk])
        return {(p, lr): int(n) for p, lr, n in cursor.fetchall() if n}


def _membership_table(q: MeasureQuery, by: list[str], min_sessions: int) -> dict[tuple, dict[str, float]]:
    from learningcity.programmes.models import Membership

    start, end = q.period.start, q.period.end
    ms = Membership.objects.for_city(q.city).filter(joined_on__lte=end).exclude(left_on__lt=start)
    for dim in ("kind", "topic"):
        if q.filters.get(dim):
            ms = ms.filter(programme_id__in=_programme_sets(q.city, dim).get(q.filters[dim], []))
    members = list(
        ms.values_list(
            "programme_id",
            "learner_id",
            "learner__area_id",
            "learner__sex",
            "learner__birth_year",
            "learner__ethnicity",
            "learner__has_disability",
            "programme__kind",
        )
    )
    if not members:
        return rollup([], len(by))
    held = dict(
        _session_qs(MeasureQuery(city=q.city, period=q.period, _index=q.index), start, end)
        .values_list("programme_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    came = _attendances_per_membership(q)
    from learningcity.core.demography import age_band

    topic_of: dict[int, list[str]] = defaultdict(list)
    for name, ids in _programme_sets(q.city, "topic").items():
        for i in ids:
            topic_of[i].append(name)
    index, root = q.index, q.root
    # Only the dimensions this table shows or filters on are worked out for each membership, and memberships of
    # one cell are summed before the margins: a large city has tens of thousands of memberships and few cells.
    checks = [(d, v) for d, v in q.filters.items() if d not in ("kind", "topic", "area")]
    need = set(by) | {d for d, _v in checks}
    age_year = q.period.age_year
    sums: dict[tuple, list[int]] = {}
    for prog, learner, area_id, sex, birth_year, eth, dis, kind in members:
        values: dict[str, Any] = {"kind": kind}
        if q.area is not None or "area" in need:
            bucket = index.bucket(area_id, root)
            if q.area is not None and bucket is None:
                continue
            values["area"] = bucket if bucket is not None else ""
        if "sex" in need:
            values["sex"] = sex or ""
        if "age_band" in need:
            values["age_band"] = age_band(birth_year, age_year)
        if "ethnicity" in need:
            values["ethnicity"] = eth or ""
        if "disability" in need:
            values["disability"] = _disability(dis)
        if "remote" in need:
            values["remote"] = (
                "" if area_id is None else ("remote" if index.remote.get(area_id) else "central")
            )
        if any(values.get(d, v) != v for d, v in checks):
            continue
        n = came.get((prog, learner), 0)
        sessions = held.get(prog, 0)
        for topic in topic_of.get(prog, []) if "topic" in by else [None]:
            values["topic"] = topic
            key = tuple(values[d] for d in by)
            acc = sums.get(key)
            if acc is None:
                acc = sums[key] = [0, 0, 0, 0]
            acc[0] += 1
            acc[1] += n >= min_sessions
            acc[2] += min(n, sessions)
            acc[3] += sessions
    cube: list[tuple[tuple, dict[str, float]]] = [
        (
            key,
            {
                "members": acc[0],
                "retained_members": acc[1],
                "member_attendances": acc[2],
                "expected_attendances": acc[3],
            },
        )
        for key, acc in sums.items()
    ]
    return rollup(cube, len(by))


# ---------------------------------------------------------------------------------------------- dispatch
def measure_table(q: MeasureQuery, measure: str, by: list[str], **options) -> dict[tuple, float]:
    """One measure by a breakdown: {cell key: value}. Raises NoData or DomainError with a message."""
    if measure not in MEASURES:
        raise NoData(_("Unknown measure “%(measure)s”.") % {"measure": measure[:40]})
    if measure in ("learners", "attendances", "hours"):
        table = people_table(q, by)
        return {k: v.get(measure, 0) for k, v in table.items()}
    if measure == "population":
        return {k: v.get("population", 0) for k, v in population_table(q, by).items()}
    if measure in (
        "sessions",
        "active_spaces",
        "currently_active_spaces",
        "active_clubs",
        "currently_active_clubs",
    ):
        return {k: v.get(measure, 0) for k, v in session_table(q, by, measure).items()}
    if measure in ("members", "retained_members", "expected_attendances", "member_attendances"):
        table = membership_table(q, by, int(options.get("min_sessions", 3)))
        return {k: v.get(measure, 0) for k, v in table.items()}
    raise NoData(_("Unknown measure “%(measure)s”.") % {"measure": measure})
