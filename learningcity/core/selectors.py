"""Reads of the core: cities, areas, audit trail, key figures."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet

from .models import ApiToken, Area, AuditEntry, City, PopulationCount, User
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


def _population_rows(*, city: City, year: int) -> list[tuple[str, int]]:
    qs = PopulationCount.objects.for_city(city).filter(year=year, sex="", age_band="", ethnicity="")
    return list(qs.values_list("area__path", "count"))


def _total_under(rows: list[tuple[str, int]], path: str) -> int | None:
    """Sum the totals at and under `path`, each person once: a row whose ancestor also has a total is dropped."""
    values = [(p, c) for p, c in rows if p.startswith(path)]
    if not values:
        return None
    paths = {p for p, _ in values}
    return sum(c for p, c in values if not any(p != q and p.startswith(q) for q in paths))


def population_total(*, city: City, year: int, area: Area | None = None) -> int | None:
    """The total population of the city (or an area and everything under it) in a year, from totals rows."""
    return _total_under(_population_rows(city=city, year=year), area.path if area is not None else "")


def population_totals(*, city: City, year: int, areas: list[Area]) -> dict[int, int | None]:
    """`population_total` for many areas with one query: {area id: total or None (no data)}."""
    rows = _population_rows(city=city, year=year)
    return {area.pk: _total_under(rows, area.path) for area in areas}


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


def api_token_list(*, city: City) -> QuerySet[ApiToken]:
    """The city's API tokens, newest first, with their owners (never another city's)."""
    return ApiToken.objects.for_city(city).select_related("user").order_by("-created_at", "-pk")


def token_owner_choices(*, city: City, actor) -> QuerySet[User]:
    """Whom a token may be made for: the city's staff (anyone with a role in it), and the actor herself."""
    from django.db.models import Q

    return (
        User.objects.filter(Q(role_assignments__city=city) | Q(pk=actor.pk), is_active=True)
        .distinct()
        .order_by("full_name", "username")
    )
