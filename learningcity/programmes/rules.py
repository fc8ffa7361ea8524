"""Who may do what with programmes, sessions and learners (built on core.permissions)."""

from __future__ import annotations

import rules
from django.utils.translation import gettext as _

from learningcity.core.models import Role
from learningcity.core.permissions import (
    coordinated_area_paths,
    has_role,
    is_city_admin,
    is_network_admin,
)

# The roles that run activities: they manage programmes and the people who take part. Programme leadership is
# no role: a leader acts only while she holds one of these, and only within its scope (docs/roles.md).
ORGANISER_ROLES = (Role.CITY_ADMIN, Role.AREA_COORDINATOR, Role.SPACE_COORDINATOR)


def _programme_area_paths(programme) -> list[str]:
    paths = [s.area.path for s in programme.spaces.all() if s.area_id and s.area]
    if programme.area_id and programme.area:
        paths.append(programme.area.path)
    return paths


def _in_role_scope(user, programme) -> bool:
    """Is the programme placed where the person's role reaches: one of her spaces, or her area's subtree?"""
    if (
        has_role(user, programme.city_id, Role.SPACE_COORDINATOR)
        and programme.spaces.filter(coordinators=user).exists()
    ):
        return True
    coordinated = coordinated_area_paths(user, programme.city_id)
    return any(p.startswith(c) for p in _programme_area_paths(programme) for c in coordinated)


def _is_placeless(programme) -> bool:
    return programme.area_id is None and not programme.spaces.exists()


def can_manage_programme(user, programme) -> bool:
    """The one rule for acting on a programme, its sessions, members and attendance, on every path.

    City admins; coordinators whose role reaches one of its places (a space that lists her, a place in her area's
    subtree); and its leaders while they hold an organiser role, for a programme with no place at all (online,
    city-wide). Losing the role ends all of it at once.
    """
    if user is None or not user.is_authenticated:
        return False
    if is_city_admin(user, programme.city_id):
        return True
    if not has_role(user, programme.city_id, Role.AREA_COORDINATOR, Role.SPACE_COORDINATOR):
        return False
    if _in_role_scope(user, programme):
        return True
    return _is_placeless(programme) and programme.leaders.filter(pk=user.pk).exists()


def can_add_programme(user, city) -> bool:
    return has_role(user, city, *ORGANISER_ROLES)


def programme_place_refusal(user, city, *, spaces, area) -> str | None:
    """Why this person may not place a programme at these spaces and area (None: she may).

    Everyone but a city admin places a programme inside her own scope, and somewhere: a space coordinator at
    spaces that list her, an area coordinator at spaces or an area in her subtree.
    """
    if is_city_admin(user, city):
        return None
    city_id = city if isinstance(city, int) else city.pk
    paths = coordinated_area_paths(user, city_id)
    own_space = has_role(user, city_id, Role.SPACE_COORDINATOR)
    spaces = list(spaces or [])
    for space in spaces:
        inside = (own_space and space.coordinators.filter(pk=user.pk).exists()) or _inside(
            space.area.path if space.area_id else "", paths
        )
        if not inside:
            return _("%(space)s is outside the spaces and areas you coordinate.") % {"space": space.name}
    if area is not None:
        allowed = _inside(area.path, paths) or any(s.area_id == area.pk for s in spaces)
        if not allowed:
            return _("%(area)s is outside the areas you coordinate.") % {"area": area.name}
    if not spaces and area is None:
        return _("Place the programme at a space you coordinate or in your area.")
    return None


def can_manage_learners(user, city) -> bool:
    """Add, edit and list learners: people who run activities (not judges, not viewers, not a bare leader)."""
    if user is None or not user.is_authenticated:
        return False
    return has_role(user, city, *ORGANISER_ROLES)


def can_view_learner_sensitive(user, learner) -> bool:
    """Ethnicity and disability of a named person: city admins, and area coordinators for their subtree."""
    if is_network_admin(user) or is_city_admin(user, learner.city_id):
        return True
    paths = coordinated_area_paths(user, learner.city_id)
    return bool(paths) and learner.area_id is not None and any(learner.area.path.startswith(p) for p in paths)


def sensitive_checker(user, city):
    """A fast per-learner check for lists: returns f(area_path) -> bool."""
    if is_network_admin(user) or is_city_admin(user, city):
        return lambda path: True
    paths = coordinated_area_paths(user, city)
    return lambda path: bool(path) and any(path.startswith(p) for p in paths)


def _inside(path: str, scope: list[str]) -> bool:
    return bool(path) and any(path.startswith(p) for p in scope)


def learner_edit_scope(user, city) -> list[str] | None:
    """Where a person may correct learners, record their consent, export them and set their home area.

    None: anywhere in the city. City admins; and space coordinators, who see no ethnicity or disability at all,
    so moving a person shows them nothing. Otherwise the area paths of an area coordinator (empty for anyone
    else): she acts only on people whose home area lies in her subtree and moves them only inside it, so she
    can never bring someone into sight of their ethnicity and disability. Leading a programme widens nothing.
    """
    city_id = city if isinstance(city, int) else city.pk
    if is_network_admin(user) or is_city_admin(user, city_id):
        return None
    if has_role(user, city_id, Role.SPACE_COORDINATOR):
        return None
    return coordinated_area_paths(user, city_id)


def can_edit_learner(user, learner) -> bool:
    """The one rule for acting on a person's record: correct it, record or withdraw consent, export it.

    (The service also refuses a move that would reveal sensitive fields.)"""
    if not can_manage_learners(user, learner.city_id):
        return False
    scope = learner_edit_scope(user, learner.city_id)
    return scope is None or _inside(learner.area.path if learner.area_id else "", scope)


def can_view_learner(user, learner) -> bool:
    """A person's page: whoever may act on her record, and the organisers of a programme she takes part in."""
    if can_edit_learner(user, learner):
        return True
    if not can_manage_learners(user, learner.city_id):
        return False
    from .selectors import programmes_managed_by  # the same rule as can_manage_programme, as one query

    managed = programmes_managed_by(user=user, city=learner.city)
    return managed.filter(memberships__learner=learner).exists()


def can_erase_learners(user, city) -> bool:
    return is_city_admin(user, city)


@rules.predicate
def _manages_programme(user, programme) -> bool:
    return programme is not None and can_manage_programme(user, programme)


rules.add_perm("programmes.manage_programme", _manages_programme)
