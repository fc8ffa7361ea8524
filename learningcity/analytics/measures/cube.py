"""The people cube: one entry per combination of people dimensions (and a programme dimension), built once per
query from the row sources, and rolled up in Python into any table with its margins."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from operator import itemgetter
from typing import Any

from .query import PEOPLE_DIMS, PROGRAMME_DIMS, MeasureQuery, _check_dims
from .rows import _headcount_rows, _people_rows

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
        k = tuple([values[p] for p in pos])
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


def _summed(finest: dict[tuple, list], key_of: itemgetter) -> dict[Any, list]:
    """The finest cells summed by `key_of` (an itemgetter: one value, or a tuple of several)."""
    sums: dict[Any, list] = {}
    for k, m in finest.items():
        key = key_of(k)
        acc = sums.get(key)
        if acc is None:
            sums[key] = [m[0], m[1], m[2]]
        else:
            acc[0] += m[0]
            acc[1] += m[1]
            acc[2] += m[2]
    return sums


def cube_tables_with_pair(
    cube, dims: list[str], pair: tuple[str, str]
) -> tuple[dict[str, dict[tuple, dict[str, float]]], dict[tuple, dict[str, float]]]:
    """Every one-way table of `dims` and the two-way table of `pair` (two of `dims`) with its margins, from one
    pass over the cube: equal to `cube_tables_one_way(cube, dims)` and `cube_table(cube, list(pair))`, cell for
    cell and in the same order (the counts are whole numbers, so the order of the additions does not matter)."""
    pos = [_POS[d] for d in dims]
    # The cube summed into its finest cells by `dims` (first seen first, as the cube's own order).
    finest: dict[tuple, list] = {}
    total = [0.0, 0.0, 0.0]
    prefix = len(pos) if pos == list(range(len(pos))) else 0  # the people dimensions lead the cube's values
    for values, m in cube:
        total[0] += m[0]
        total[1] += m[1]
        total[2] += m[2]
        k = values[:prefix] if prefix else tuple([values[p] for p in pos])
        acc = finest.get(k)
        if acc is None:
            finest[k] = [m[0], m[1], m[2]]
        else:
            acc[0] += m[0]
            acc[1] += m[1]
            acc[2] += m[2]
    tables: dict[str, dict[tuple, dict[str, float]]] = {}
    for i, d in enumerate(dims):
        cells = {(v,): _cell(acc) for v, acc in _summed(finest, itemgetter(i)).items()}
        cells[(None,)] = _cell(total)
        tables[d] = cells
    # The two-way table's cells and margins in cube_table's order: for each cell first seen, its margins
    # (all, first only, second only) and then the cell.
    one_a, one_b = tables[pair[0]], tables[pair[1]]
    cross: dict[tuple, dict[str, float]] = {}
    for (a, b), acc in _summed(finest, itemgetter(dims.index(pair[0]), dims.index(pair[1]))).items():
        if (None, None) not in cross:
            cross[(None, None)] = dict(one_a[(None,)])
        if (a, None) not in cross:
            cross[(a, None)] = dict(one_a[(a,)])
        if (None, b) not in cross:
            cross[(None, b)] = dict(one_b[(b,)])
        cross[(a, b)] = _cell(acc)
    if not cross:
        cross[(None, None)] = _cell([0.0, 0.0, 0.0])
    return tables, cross


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
        # The table without the group is the same for every group table of a query (kind, topic): once.
        base_key = ("people-table", tuple(rest), id(cube))
        held = q.cache.get(base_key)
        if held is None or held[0] is not cube:
            held = q.cache[base_key] = (cube, people_table(q, rest, cube=cube))
        base = held[1]
        for key in list(table):
            if key[gi] is None:
                table[key] = base.get(key[:gi] + key[gi + 1 :], defaultdict(float))
    return table
