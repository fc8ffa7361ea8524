"""Population of the period's year by area, sex, age band and ethnicity (core.PopulationCount)."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _

from learningcity.core.models import PopulationCount

from ..formulas import DIMENSIONS
from .areas import SELF
from .query import MeasureQuery, NoData, _check_dims, rollup

POP_DIMS = ("sex", "age_band", "ethnicity")


def population_table(q: MeasureQuery, by: list[str]) -> dict[tuple, dict[str, float]]:  # noqa: C901 - picks the most aggregated stored rows per area and dimension
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
    by_area = q.cache.get(("population_by_area", year))
    if by_area is None:  # grouped once per query: a page asks for several breakdowns of the same year
        by_area = q.cache[("population_by_area", year)] = _by_area(rows)
    index, root = q.index, q.root
    floor = root.path if (root is not None and "area" in by) else ""
    kept_key = ("population_kept", year, frozenset(needed), floor)
    found = q.cache.get(kept_key)
    if found is None:  # the areas and rows chosen depend only on the dimensions needed: once per query
        found = q.cache[kept_key] = _chosen_rows(q, by_area, needed, floor)
    chosen, kept = found
    if not chosen:
        raise NoData(_("There are no population figures for %(year)s with this breakdown.") % {"year": year})
    remote_filter = q.filters.get("remote")
    # Positions in (area, sex, age band, ethnicity, remote) of the breakdown and of the filters to check.
    positions = [_POSITION[d] for d in by]
    checks = [(_POSITION[d], v) for d, v in q.filters.items() if d in _POSITION and d != "area"]
    cube: list[tuple[tuple, dict[str, float]]] = []
    append = cube.append
    for a in kept:
        bucket = index.bucket(a, root)
        remote = "remote" if index.remote.get(a) else "central"
        if remote_filter and remote != remote_filter:
            continue
        area_value = bucket if bucket is not None else ""
        for sex, band, eth, count in chosen[a]:
            values = (area_value, sex, band, eth, remote)
            if checks and any(values[i] != v for i, v in checks):
                continue
            append((tuple([values[i] for i in positions]), {"population": count}))
    if "area" in by:
        cube = _self_remainder(cube, by.index("area"))
    return rollup(cube, len(by))


_POSITION = {"area": 0, "sex": 1, "age_band": 2, "ethnicity": 3, "remote": 4}


def _chosen_rows(
    q: MeasureQuery, by_area: dict[int, dict[frozenset, list[tuple]]], needed: set[str], floor: str
) -> tuple[dict[int, list[tuple]], list[int]]:
    """The rows chosen for each area (its most aggregated stored rows that carry the needed dimensions) and the
    areas kept: those whose ancestor (inside the view, below `floor`) has no figures of its own."""
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
        return chosen, []
    # Drop areas whose ancestor (inside the view, below the root when breaking down by area) has figures.
    paths = {a: index.areas[a].path for a in chosen if a in index.areas}
    present = set(paths.values())
    kept = [a for a, path in paths.items() if not _has_ancestor_in(path, present, len(floor))]
    return chosen, kept


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


# The dimensions a stored row carries, by which of sex, age band and ethnicity it has (one frozenset each).
_SIGNATURES = {
    (sex, band, eth): frozenset(d for d, v in zip(POP_DIMS, (sex, band, eth), strict=True) if v)
    for sex in (False, True)
    for band in (False, True)
    for eth in (False, True)
}


def _by_area(rows: list[tuple]) -> dict[int, dict[frozenset, list[tuple]]]:
    """The stored rows of each area, grouped by the dimensions they carry (their signature)."""
    by_area: dict[int, dict[frozenset, list[tuple]]] = defaultdict(lambda: defaultdict(list))
    for area_id, sex, band, eth, count in rows:
        by_area[area_id][_SIGNATURES[(bool(sex), bool(band), bool(eth))]].append((sex, band, eth, count))
    return by_area


def _has_ancestor_in(path: str, present: set[str], floor: int) -> bool:
    """Whether a proper ancestor of the materialised path ("/1/5/17/"), longer than `floor`, is in `present`.

    The ancestors of a path are its prefixes that end at a slash: one set lookup each, instead of comparing every
    pair of areas (the city's areas squared, on every population breakdown of a page)."""
    end = path.find("/", 1)
    while 0 < end < len(path) - 1:
        prefix = path[: end + 1]
        if len(prefix) > floor and prefix in present:
            return True
        end = path.find("/", end + 1)
    return False
