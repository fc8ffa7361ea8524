"""Reads of the core: cities, areas, audit trail, key figures."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet

from .models import Area, AuditEntry, City, PopulationCount
from .permissions import coordinated_area_paths, is_city_admin
from .text import fold, sort_key


def city_list() -> list[City]:
    return sorted(City.objects.filter(is_public=True), key=lambda c: sort_key(c.name))


def area_list(
    *, city: City, level: str | None = None, current_only: bool = False, q: str = ""
) -> QuerySet[Area]:
    qs = (
        Area.objects.for_city(city)
        .select_related("parent")
        .prefetch_related(Prefetch("successors", queryset=Area.objects.only("id", "code", "city_id")))
    )
    if level:
        qs = qs.filter(level=level)
    if current_only:
        qs = qs.filter(valid_to__isnull=True)
    if q:
        qs = qs.filter(search_text__contains=fold(q))
    return qs.order_by("path")


def area_get(*, city: City, pk: int) -> Area:
    return Area.objects.for_city(city).get(pk=pk)


def area_current_successors(area: Area) -> list[Area]:
    """Where an old unit's people live now: follow successors until current units (handles chains)."""
    seen: set[int] = set()
    frontier = [area]
    result: list[Area] = []
    while frontier:
        node = frontier.pop()
        if node.pk in seen:
            continue
        seen.add(node.pk)
        if node.valid_to is None:
            result.append(node)
        else:
            frontier.extend(node.successors.all())
    return result


def areas_managed_by(*, user, city: City) -> QuerySet[Area]:
    """The areas a user may manage: all for a city admin, her subtree for an area coordinator."""
    qs = Area.objects.for_city(city)
    if is_city_admin(user, city):
        return qs
    paths = coordinated_area_paths(user, city)
    if not paths:
        return qs.none()
    from django.db.models import Q

    cond = Q()
    for path in paths:
        cond |= Q(path__startswith=path)
    return qs.filter(cond)


def population_total(*, city: City, year: int, area: Area | None = None) -> int | None:
    """The total population of the city (or an area and everything under it) in a year, from totals rows."""
    qs = PopulationCount.objects.for_city(city).filter(year=year, sex="", age_band="", ethnicity="")
    if area is not None:
        qs = qs.filter(area__path__startswith=area.path)
    values = list(qs.values_list("area__path", "count"))
    if not values:
        return None
    # Count each area once: drop rows whose ancestor also has a total (avoid double counting levels).
    paths = {p for p, _ in values}
    return sum(c for p, c in values if not any(p != q and p.startswith(q) for q in paths))


def audit_list(
    *,
    city: City,
    actor_id: int | None = None,
    object_type: str = "",
    action: str = "",
    since: dt.date | None = None,
    q: str = "",
) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.for_city(city).select_related("actor")
    if actor_id:
        qs = qs.filter(actor_id=actor_id)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if action:
        qs = qs.filter(action=action)
    if since:
        qs = qs.filter(created_at__date__gte=since)
    if q:
        qs = qs.filter(object_repr__icontains=q)
    return qs


def user_can_view_audit(user, city: City) -> bool:
    return is_city_admin(user, city)
