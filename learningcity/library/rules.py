"""Who may do what in the library (docs/roles.toml): the city library's librarians and city administrators
catalogue for every bookcase; a bookcase's space coordinators (and those who manage its area) lend there."""

from __future__ import annotations

from learningcity.core.models import Role
from learningcity.core.permissions import has_role
from learningcity.places.rules import can_edit_space


def can_catalogue(user, city) -> bool:
    return has_role(user, city, Role.LIBRARIAN, Role.CITY_ADMIN)


def can_lend_at(user, space) -> bool:
    """The bookcase's volunteers (space coordinators), its area's coordinators, librarians and administrators."""
    if space is None:
        return False
    return can_catalogue(user, space.city_id) or can_edit_space(user, space)


def can_lend_somewhere(user, city) -> bool:
    return has_role(
        user, city, Role.LIBRARIAN, Role.CITY_ADMIN, Role.AREA_COORDINATOR, Role.SPACE_COORDINATOR
    )


def can_see_circulation(user, city) -> bool:
    """Lending figures (exact, unsuppressed): staff of the city except judges."""
    return has_role(
        user,
        city,
        Role.LIBRARIAN,
        Role.CITY_ADMIN,
        Role.AREA_COORDINATOR,
        Role.SPACE_COORDINATOR,
        Role.VIEWER,
    )
