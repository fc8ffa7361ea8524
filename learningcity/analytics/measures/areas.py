"""Every area of a city with its current path: which child of the chosen area a person's home lies in."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from learningcity.core.models import Area, City

SELF = "self"  # bucket of people who live in the chosen area itself, not in one of its smaller units


@dataclass
class AreaIndex:
    """Every area of a city with its current path (old units follow their successors to today's units)."""

    city: City
    paths: dict[int, str] = field(default_factory=dict)  # current path of each area (legacy: its successor's)
    remote: dict[int, bool] = field(default_factory=dict)
    areas: dict[int, Area] = field(default_factory=dict)
    _top: tuple[Area | None] | None = field(default=None, repr=False)

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
        if self._top is None:  # asked for on every table of a page: the city's areas looked through once
            tops = [a for a in self.areas.values() if a.parent_id is None and a.valid_to is None]
            self._top = (tops[0] if len(tops) == 1 else None,)
        return self._top[0]

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
