"""Sessions held, and learning spaces and clubs active or currently active, by area, kind, topic or space."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _

from ..formulas import DIMENSIONS
from .query import PROGRAMME_DIMS, MeasureQuery, NoData, _check_dims, rollup
from .sql import _programme_sets


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


def session_table(q: MeasureQuery, by: list[str], measure: str) -> dict[tuple, dict[str, float]]:  # noqa: C901 - three measures (held, active, currently active) over one query
    """Sessions held, and spaces / clubs active (3+ activities on 3 separate dates in the period) or currently
    active (one activity in the last 90 days), by area, kind, topic or space."""
    by = _check_dims(by)
    for dim in by:
        if dim not in ("area", "remote", *PROGRAMME_DIMS):
            raise NoData(_("Sessions have no breakdown by %(dim)s.") % {"dim": str(DIMENSIONS[dim]).lower()})
    start, end = q.period.start, q.period.end
    if (
        not by
        and not q.filters
        and q.area is None
        and measure in ("sessions", "active_spaces", "active_clubs")
    ):
        rolled = _rolled_figure(q, measure)
        if rolled is not None:
            return rolled
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


def _whole_months(start: dt.date, end: dt.date) -> dict[int, list[int]] | None:
    """The months of the years from `start` to `end` when both bound whole months, else None."""
    if start.day != 1 or (end + dt.timedelta(days=1)).day != 1:
        return None
    months: dict[int, list[int]] = defaultdict(list)
    day = start
    while day <= end:
        months[day.year].append(day.month)
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return months


def _rolled_figure(q: MeasureQuery, measure: str) -> dict[tuple, dict[str, float]] | None:
    """Sessions held, active spaces or active clubs of the whole city for a period of whole months, from the
    sessions rollup kept by dashboard_rollups.py: one row per programme or space and year (None: another period)."""
    units = unit_figures(q)
    if units is None:
        return None
    unit_kind = "s" if measure == "active_spaces" else "p"
    wanted = (
        set(_programme_sets(q.city, "kind", q.cache).get("club", [])) if measure == "active_clubs" else None
    )
    # Only units with a session in the period, as the sessions themselves would give (no row: no figure).
    found = [
        (n, dates)
        for (unit, unit_id), (n, dates) in units.items()
        if unit == unit_kind and n > 0 and (wanted is None or unit_id in wanted)
    ]
    if measure == "sessions":
        values = [n for n, _d in found]
    else:
        values = [1 if n >= 3 and dates >= 3 else 0 for n, dates in found]
    return rollup([((), {measure: v}) for v in values], 0)


def unit_figures(q: MeasureQuery) -> dict[tuple[str, int], tuple[int, int]] | None:
    """(unit, id) -> (sessions held, distinct dates) of every programme (`p`) and space (`s`) of the city in the
    query's period, read from the sessions rollup (one row per unit and year, however many sessions), kept in the
    query's cache; None when the period is not made of whole months (the rollup cannot answer it)."""
    months = _whole_months(q.period.start, q.period.end)
    if months is None:
        return None
    key = ("session-units", tuple((y, tuple(ms)) for y, ms in months.items()))
    units = q.cache.get(key)
    if units is None:
        units = q.cache[key] = _unit_figures(q, months)
    return units


def _unit_figures(q: MeasureQuery, months: dict[int, list[int]]) -> dict[tuple[str, int], tuple[int, int]]:
    """(unit, id) -> (sessions held, distinct dates) in the months, from SessionYear."""
    from django.db import connection

    from .. import dashboard_rollups
    from ..models import SessionYear

    dashboard_rollups.ensure_installed()
    held = " ".join(
        f"WHEN year = {int(y)} THEN {' + '.join(f's{m:02d}' for m in ms)}" for y, ms in months.items()
    )
    dates = " ".join(
        f"WHEN year = {int(y)} THEN {' + '.join(f'd{m:02d}' for m in ms)}" for y, ms in months.items()
    )
    years = ",".join(str(int(y)) for y in months)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT unit, unit_id, SUM(CASE {held} ELSE 0 END), SUM(CASE {dates} ELSE 0 END) "  # noqa: S608 - int-cast years, fixed columns
            f"FROM {SessionYear._meta.db_table} WHERE city_id = %s AND year IN ({years}) GROUP BY unit, unit_id",
            [q.city.pk],
        )
        return {(unit, unit_id): (n or 0, d or 0) for unit, unit_id, n, d in cursor.fetchall()}


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
