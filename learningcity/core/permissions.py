"""Who may do what, per city and per object. Domain apps build their rules on these predicates.

The role matrix is written down in docs/roles.md and asserted in tests/test_role_matrix.py.
"""

from __future__ import annotations

import rules

from .fixed_query import FixedRows
from .models import Area, City, Role, RoleAssignment

_CACHE_ATTR = "_lc_role_cache"
# Read on every staff page and API call: compiled once per process (core.fixed_query).
_ROLES = FixedRows(
    lambda user_id, city_id: RoleAssignment.objects.filter(user_id=user_id, city_id=city_id).values_list(
        "role", "area__path"
    ),
    int,
    int,
    kept=True,
)


def _assignments(user, city_id: int) -> tuple[list[tuple[str, str | None]], frozenset[str]]:
    """(role, area path) pairs of the user in a city and the set of her roles there, cached on the user object for
    the request (a page asks some twenty times: its menus, its checks)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return [], frozenset()
    cache = getattr(user, _CACHE_ATTR, None)
    if cache is None:
        cache = {}
        setattr(user, _CACHE_ATTR, cache)
    found: tuple[list[tuple[str, str | None]], frozenset[str]] | None = cache.get(city_id)
    if found is None:
        pairs: list[tuple[str, str | None]] = _ROLES.tuples(int(user.pk), int(city_id))
        found = cache[city_id] = (pairs, frozenset(role for role, _ in pairs))
    return found


def clear_cache(user) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def roles_in(user, city: City | int) -> frozenset[str]:
    city_id = city if isinstance(city, int) else city.pk
    return _assignments(user, city_id)[1]


def is_network_admin(user) -> bool:
    return bool(
        user and user.is_authenticated and user.is_active and (user.is_network_admin or user.is_superuser)
    )


def has_role(user, city: City | int, *roles: str) -> bool:
    if is_network_admin(user):
        return True
    return not roles_in(user, city).isdisjoint(roles)


def is_city_admin(user, city: City | int) -> bool:
    return has_role(user, city, Role.CITY_ADMIN)


def is_staff_of(user, city: City | int) -> bool:
    """Any role in the city: may open the back office of that city."""
    return is_network_admin(user) or bool(roles_in(user, city))


def coordinated_area_paths(user, city: City | int) -> list[str]:
    city_id = city if isinstance(city, int) else city.pk
    return [path for role, path in _assignments(user, city_id)[0] if role == Role.AREA_COORDINATOR and path]


def can_manage_area(user, area: Area | None, city: City | int | None = None) -> bool:
    """City admins manage every area of their city; an area coordinator her area and everything under it."""
    if area is None:
        return city is not None and is_city_admin(user, city)
    if is_city_admin(user, area.city_id):
        return True
    return any(area.path.startswith(path) for path in coordinated_area_paths(user, area.city_id))


def can_view_sensitive(user, city: City | int) -> bool:
    """Ethnicity and disability of named people: city admins and area coordinators only."""
    return has_role(user, city, Role.CITY_ADMIN, Role.AREA_COORDINATOR)


def can_view_exact_figures(user, city: City | int) -> bool:
    """Unsuppressed statistics: any staff role except judges."""
    return has_role(user, city, Role.CITY_ADMIN, Role.AREA_COORDINATOR, Role.SPACE_COORDINATOR, Role.VIEWER)


@rules.predicate
def _is_city_admin(user, obj) -> bool:
    if obj is None:
        return False
    return is_city_admin(user, obj if isinstance(obj, City) else obj.city_id)


@rules.predicate
def _manages_area(user, obj) -> bool:
    return obj is not None and can_manage_area(user, obj)


rules.add_perm("core.administer_city", _is_city_admin)
rules.add_perm("core.view_audit", _is_city_admin)
rules.add_perm("core.manage_area", _manages_area)
