"""A measure query (city, period, area, filters, a per-query cache), its breakdown check, the roll-up of rows into
cells and margins, and NoData."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations

from django.utils.translation import gettext as _

from learningcity.core.errors import DomainError
from learningcity.core.models import Area, City

from ..formulas import DIMENSIONS
from ..periods import Period
from .areas import AreaIndex

PEOPLE_DIMS = ("area", "sex", "age_band", "ethnicity", "disability", "remote")
PROGRAMME_DIMS = ("kind", "topic", "space")


class NoData(Exception):  # a result, not a failure
    """The figure cannot be computed honestly (no population, no such breakdown...): say so, show no number."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


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
    """Sum cube rows into every cell and every margin (None = all) of an n-dimensional table.

    The rows are first summed into their finest cells (a table has far fewer cells than rows), then each cell is
    spread into its margins. The values are counts (whole numbers as floats), so the order of the additions does
    not change a sum."""
    finest: dict[tuple, dict[str, float]] = {}
    for key, values in rows:
        acc = finest.get(key)
        if acc is None:
            acc = finest[key] = {}
        for name, v in values.items():
            acc[name] = acc.get(name, 0.0) + float(v or 0)
    if ndims == 0:
        out: dict[tuple, dict[str, float]] = {(): defaultdict(float)}
        for values in finest.values():
            acc = out[()]
            for name, v in values.items():
                acc[name] += v
        return out
    masks = [
        tuple(i in keep for i in range(ndims))
        for r in range(ndims + 1)
        for keep in map(set, combinations(range(ndims), r))
    ]
    out = {}
    for key, values in finest.items():
        for mask in masks:
            k = tuple(v if keep else None for v, keep in zip(key, mask, strict=True))
            acc = out.get(k)
            if acc is None:
                acc = out[k] = defaultdict(float)
            for name, v in values.items():
                acc[name] += v
    if not out:
        out[tuple([None] * ndims)] = defaultdict(float)
    return out
