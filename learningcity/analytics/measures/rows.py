# ruff: noqa: S608 - SQL here interpolates only model table names, fixed fragments and int-cast ids; values are parameters
"""Row sources of the people cube: (group value, area id, sex, age band, ethnicity, disability, learners,
attendances, minutes) rows read from the people cube table, LearnerYear, the participation summary, the programme
rollups or attendance itself (spaces), whichever answers the query; and the anonymous headcounts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import connection
from django.db.models import F, Sum

from learningcity.core.demography import AGE_BANDS

from .query import PROGRAMME_DIMS, MeasureQuery
from .sql import (
    _age_case,
    _attendance_filters,
    _cube_columns,
    _learner_filters,
    _month_exprs,
    _programme_sets,
    _summary_filters,
    _summary_where,
    _tables,
)


def _people_rows_cube(q: MeasureQuery) -> list[tuple] | None:
    """(None, area_id, sex, age band, ethnicity, disability, learners, attendances, minutes) rows from the people
    cube kept by rollup.py: a few thousand cells instead of a GROUP BY over every learner. None when the query
    needs more than the cube holds (a programme filter, a period across two years)."""
    columns = _cube_columns(q.period)
    if columns is None or any(q.filters.get(d) for d in PROGRAMME_DIMS):
        return None
    from .. import rollup, triggers
    from ..models import PeopleYear

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
    from .. import rollup, triggers
    from ..models import LearnerYear

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
    from .. import triggers
    from ..models import Participation

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
        rolled = _group_rows_rolled(q, group, sets) if not s_where else None
        if rolled is not None:
            return rolled
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


def _group_rows_rolled(q: MeasureQuery, group: str, sets: dict[str, list[int]]) -> list[tuple] | None:
    """Rows by kind or topic for a year, quarter or month without a programme filter, from the rollups kept by
    dashboard_rollups.py: distinct learners per kind or topic from GroupYear (a dozen rows), attendances and minutes
    from ProgrammeYear (one row per programme). None when the period is not inside one year (rolling 12 months)."""
    columns = _cube_columns(q.period)
    if columns is None:
        return None
    from .. import dashboard_rollups, rollup, triggers
    from ..models import GroupYear, ProgrammeYear

    triggers.ensure_installed()
    rollup.ensure_installed()
    dashboard_rollups.ensure_installed()
    year, learners_col, months = columns
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT value, {learners_col} FROM {GroupYear._meta.db_table} WHERE city_id = %s AND year = %s "
            f"AND dim = %s AND {learners_col} > 0",
            [q.city.pk, year, "k" if group == "kind" else "t"],
        )
        learners = dict(cursor.fetchall())
        sums_key = ("programme-sums", year, tuple(months))
        sums = q.cache.get(sums_key)
        if sums is None:
            cursor.execute(
                f"SELECT programme_id, {' + '.join('a' + m for m in months)}, {' + '.join('n' + m for m in months)} "
                f"FROM {ProgrammeYear._meta.db_table} WHERE city_id = %s AND year = %s",
                [q.city.pk, year],
            )
            sums = q.cache[sums_key] = {pid: (n_a or 0, n_m or 0) for pid, n_a, n_m in cursor.fetchall()}
    out = []
    for name, ids in sets.items():
        if not learners.get(name):
            continue
        found = [sums[i] for i in ids if i in sums]
        out.append(
            (name, None, "", "", "", None, learners[name], sum(f[0] for f in found), sum(f[1] for f in found))
        )
    return out


def _programme_learners(q: MeasureQuery, s_where: str) -> dict[int, tuple[list, Any, Any]]:
    """Per programme: the ids of its learners in the period, its attendances and its minutes, from the
    programme rollups kept by rollup.py (ProgrammeLearner's month bits, ProgrammeYear's monthly sums)."""
    from .. import rollup, triggers
    from ..models import ProgrammeLearner, ProgrammeYear

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


def _headcount_rows(q: MeasureQuery, group: str | None) -> list[tuple]:  # noqa: C901 - one filter per dimension of the query
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
