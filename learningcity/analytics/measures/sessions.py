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
