"""Members, retained members and the attendance rate of members (memberships active in the period)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import connection
from django.db.models import Count
from django.utils.translation import gettext as _

from .query import MeasureQuery, NoData, _check_dims, rollup
from .sessions import _session_qs
from .sql import _disability, _month_exprs, _programme_sets, _summary_where


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
    from .. import triggers
    from ..models import Participation

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
