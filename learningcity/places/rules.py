"""Who may do what with learning spaces (docs/roles.md): city administrators all spaces, area coordinators the
spaces in their area's subtree, space coordinators only the spaces that list them."""

from __future__ import annotations

import rules

from learningcity.core.models import Role
from learningcity.core.permissions import can_manage_area, has_role, is_city_admin, roles_in


def manages_space_area(user, space) -> bool:
    """City admin or area coordinator over the space's area: may change everything, incl. area and coordinators."""
    return can_manage_area(user, space.area)


def coordinates_space(user, space) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    if Role.SPACE_COORDINATOR not in roles_in(user, space.city_id):
        return False
    ids = getattr(space, "_coordinator_ids", None)
    if ids is None:
        ids = set(space.coordinators.values_list("pk", flat=True))
        space._coordinator_ids = ids
    return user.pk in ids


def can_edit_space(user, space) -> bool:
    return manages_space_area(user, space) or coordinates_space(user, space)


def can_add_space(user, city, area=None) -> bool:
    if area is None:
        return is_city_admin(user, city) or has_role(user, city, Role.AREA_COORDINATOR)
    return can_manage_area(user, area)


@rules.predicate
def _can_edit_space(user, space) -> bool:
    return space is not None and can_edit_space(user, space)


rules.add_perm("places.edit_space", _can_edit_space)
