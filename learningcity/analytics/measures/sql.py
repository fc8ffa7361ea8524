"""The SQL pieces every row source shares: filters on attendance, learners and the summary, the month sums of a
period, the age band of a birth year, the programmes of a kind or topic, the people cube's columns."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from learningcity.core.demography import AGE_BANDS
from learningcity.core.models import City

from ..periods import Period
from .query import MeasureQuery


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
