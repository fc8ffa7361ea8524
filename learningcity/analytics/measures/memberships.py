# ruff: noqa: S608 - SQL built from constant table and column names and the ORM's own compiled queries
"""Members, retained members and the attendance rate of members (memberships active in the period)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import connection
from django.db.models import Count, F
from django.utils.translation import gettext as _

from learningcity.core.demography import AGE_BANDS

from .query import MeasureQuery, NoData, _check_dims, rollup
from .sessions import _session_qs, unit_figures
from .sql import _age_case, _disability, _month_exprs, _programme_sets, _summary_where


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


def _membership_groups(q: MeasureQuery, need: set[str], min_sessions: int, topics: bool) -> list[tuple]:
    """One GROUP BY in the database over the memberships active in the period, joined with their attendances in
    the period (the participation summary the triggers keep: one row per learner, programme and year with
    monthly counts; every period is whole months) and with the sessions each programme held: rows of (programme
    or None, kind, area, sex, age band, ethnicity, disability, members, retained members, attendances capped at
    the sessions held, attendances expected). Only the columns this table shows or filters on are grouped, so
    the rows returned follow the size of the answer (a kind table is 4 rows), not the number of memberships."""
    from learningcity.programmes.models import Membership

    from .. import triggers
    from ..models import Participation

    triggers.ensure_installed()
    rolled = _membership_groups_rolled(q, need, min_sessions)
    if rolled is not None:
        return rolled
    start, end = q.period.start, q.period.end
    ms = Membership.objects.for_city(q.city).filter(joined_on__lte=end).exclude(left_on__lt=start)
    for dim in ("kind", "topic"):
        if q.filters.get(dim):
            ms = ms.filter(programme_id__in=_programme_sets(q.city, dim).get(q.filters[dim], []))
    # Only the columns grouped below are selected, so the learners and programmes are joined only when needed.
    columns = {"m_programme": F("programme_id"), "m_learner": F("learner_id")}
    for dim, name, field in (
        ("kind", "m_kind", "programme__kind"),
        ("area", "m_area", "learner__area_id"),
        ("sex", "m_sex", "learner__sex"),
        ("age_band", "m_birth", "learner__birth_year"),
        ("ethnicity", "m_ethnicity", "learner__ethnicity"),
        ("disability", "m_disability", "learner__has_disability"),
    ):
        if dim in need:
            columns[name] = F(field)
    m_sql, m_params = ms.order_by().values(**columns).query.sql_with_params()
    h_sql, h_params = (
        _session_qs(MeasureQuery(city=q.city, period=q.period, _index=q.index), start, end)
        .order_by()
        .values(h_programme=F("programme_id"))
        .annotate(h_n=Count("id"))
        .query.sql_with_params()
    )
    a_expr, _n_expr, years = _month_exprs(q.period)
    summary = Participation._meta.db_table
    if len(years) == 1:  # the summary's key (learner, programme, year): at most one row per membership
        s_join = (
            f"LEFT JOIN {summary} p ON p.learner_id = m.m_learner AND p.programme_id = m.m_programme "
            f"AND p.year = {int(years[0])}"
        )
        came = f"COALESCE({a_expr}, 0)"
        s_params: list[Any] = []
    else:
        s_join = (
            f"LEFT JOIN (SELECT p.programme_id, p.learner_id, SUM({a_expr}) AS s_n FROM {summary} p "
            f"WHERE {_summary_where(q, years)} GROUP BY p.programme_id, p.learner_id) s "
            "ON s.programme_id = m.m_programme AND s.learner_id = m.m_learner"
        )
        came = "COALESCE(s.s_n, 0)"
        s_params = [q.city.pk]
    held = "COALESCE(h.h_n, 0)"
    cols, col_params = [], []
    for dim, expr in (
        ("programme", "m.m_programme"),
        ("kind", "m.m_kind"),
        ("area", "m.m_area"),
        ("sex", "m.m_sex"),
        ("age_band", _age_case("m").replace("m.birth_year", "m.m_birth")),
        ("ethnicity", "m.m_ethnicity"),
        ("disability", "m.m_disability"),
    ):
        if dim in need or (dim == "programme" and topics):
            cols.append(expr)
            if dim == "age_band":
                col_params += [q.period.age_year] * len(AGE_BANDS)
        else:
            cols.append("NULL")
    grouped = [str(i + 1) for i, c in enumerate(cols) if c != "NULL"]  # by position: no repeated parameters
    sql = (
        f"SELECT {', '.join(cols)}, COUNT(*), SUM(CASE WHEN {came} >= %s THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN {came} < {held} THEN {came} ELSE {held} END), SUM({held}) "
        f"FROM ({m_sql}) m {s_join} LEFT JOIN ({h_sql}) h ON h.h_programme = m.m_programme"
        + (f" GROUP BY {', '.join(grouped)}" if grouped else "")
    )
    params = [*col_params, min_sessions, *m_params, *s_params, *h_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row for row in cursor.fetchall() if row[7]]


def _membership_groups_rolled(q: MeasureQuery, need: set[str], min_sessions: int) -> list[tuple] | None:
    """The same rows, one per programme, from the member rollups (members.py) for a calendar year by nothing,
    programme kind or topic: read per programme, however many memberships it has. None when the query needs
    what they do not hold (a people breakdown or filter, an area, another period)."""
    if not need <= {"kind"} or q.area is not None or q.period.kind != "year":
        return None
    if any(value and dim not in ("kind", "topic") for dim, value in q.filters.items()):
        return None
    from .. import members
    from ..models import MemberCame, MemberJoin

    members.ensure_installed()
    year = q.period.start.year
    allowed: set[int] | None = None
    for dim in ("kind", "topic"):
        if q.filters.get(dim):
            ids = set(_programme_sets(q.city, dim, q.cache).get(q.filters[dim], []))
            allowed = ids if allowed is None else allowed & ids
    kind_of = {pk: kind for kind, ids in _programme_sets(q.city, "kind", q.cache).items() for pk in ids}
    # Sessions held per programme from the sessions rollup (a year is whole months), not counted from the sessions.
    units = unit_figures(q) or {}
    held = {unit_id: n for (unit, unit_id), (n, _dates) in units.items() if unit == "p"}
    came: dict[int, list[tuple[int, int]]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT programme_id, SUM(joined) - SUM(CASE WHEN year < %s THEN leaving ELSE 0 END) "
            f"FROM {MemberJoin._meta.db_table} WHERE city_id = %s AND year <= %s GROUP BY programme_id",
            [year, q.city.pk, year],
        )
        active = dict(cursor.fetchall())
        cursor.execute(
            f"SELECT programme_id, came, members FROM {MemberCame._meta.db_table} "
            "WHERE city_id = %s AND year = %s AND members <> 0",
            [q.city.pk, year],
        )
        for programme_id, times, n in cursor.fetchall():
            came[programme_id].append((times, n))
    rows = []
    for programme_id, n_members in active.items():
        if not n_members or (allowed is not None and programme_id not in allowed):
            continue
        h = held.get(programme_id, 0)
        buckets = came.get(programme_id, [])
        retained = n_members if min_sessions <= 0 else sum(n for times, n in buckets if times >= min_sessions)
        kind = kind_of.get(programme_id) if "kind" in need else None
        capped = sum(n * min(times, h) for times, n in buckets)
        rows.append(
            (programme_id, kind, None, None, None, None, None, n_members, retained, capped, n_members * h)
        )
    return rows


def _membership_table(q: MeasureQuery, by: list[str], min_sessions: int) -> dict[tuple, dict[str, float]]:  # noqa: C901 - one pass over the groups with their filters and breakdowns
    topic_of: dict[int, list[str]] = defaultdict(list)
    if "topic" in by:
        for name, ids in _programme_sets(q.city, "topic").items():
            for i in ids:
                topic_of[i].append(name)
    index, root = q.index, q.root
    # Only the dimensions this table shows or filters on are grouped in the database; the few groups are then
    # placed in their area (the city's area tree) and topics here, and summed into cells and margins.
    checks = [(d, v) for d, v in q.filters.items() if d not in ("kind", "topic", "area")]
    need = set(by) | {d for d, _v in checks}
    if q.area is not None or "remote" in need:
        need.add("area")
    groups = _membership_groups(q, need, min_sessions, "topic" in by)
    sums: dict[tuple, list[int]] = {}
    for prog, kind, area_id, sex, band, eth, dis, members, retained, came, expected in groups:
        values: dict[str, Any] = {"kind": kind}
        if "area" in need:
            bucket = index.bucket(area_id, root)
            if q.area is not None and bucket is None:
                continue
            values["area"] = bucket if bucket is not None else ""
        if "sex" in need:
            values["sex"] = sex or ""
        if "age_band" in need:
            values["age_band"] = band or ""
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
        for topic in topic_of.get(prog, []) if "topic" in by else [None]:
            values["topic"] = topic
            key = tuple(values[d] for d in by)
            acc = sums.get(key)
            if acc is None:
                acc = sums[key] = [0, 0, 0, 0]
            acc[0] += int(members)
            acc[1] += int(retained or 0)
            acc[2] += int(came or 0)
            acc[3] += int(expected or 0)
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
