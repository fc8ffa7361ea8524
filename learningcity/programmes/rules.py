"""Who may do what with programmes, sessions and learners (built on core.permissions)."""

from __future__ import annotations

import rules

from learningcity.core.models import Role
from learningcity.core.permissions import (
    coordinated_area_paths,
    has_role,
    is_city_admin,
    is_network_admin,
)


def _programme_area_paths(programme) -> list[str]:
    paths = [s.area.path for s in programme.spaces.all() if s.area_id and s.area]
    if programme.area_id and programme.area:
        paths.append(programme.area.path)
    return paths


def can_manage_programme(user, programme) -> bool:
    """City admins; leaders of the programme; coordinators of one of its spaces; area coordinators above it."""
    if user is None or not user.is_authenticated:
        return False
    if is_city_admin(user, programme.city_id):
        return True
    if programme.leaders.filter(pk=user.pk).exists():
        return True
    if (
        has_role(user, programme.city_id, Role.SPACE_COORDINATOR)
        and programme.spaces.filter(coordinators=user).exists()
    ):
        return True
    coordinated = coordinated_area_paths(user, programme.city_id)
    return any(p.startswith(c) for p in _programme_area_paths(programme) for c in coordinated)


def can_add_programme(user, city) -> bool:
    return has_role(user, city, Role.CITY_ADMIN, Role.AREA_COORDINATOR, Role.SPACE_COORDINATOR)


def can_manage_learners(user, city) -> bool:
    """Add, edit and list learners: people who run activities (not judges, not viewers)."""
    if user is None or not user.is_authenticated:
        return False
    if has_role(user, city, Role.CITY_ADMIN, Role.AREA_COORDINATOR, Role.SPACE_COORDINATOR):
        return True
    city_id = city if isinstance(city, int) else city.pk
    return user.led_programmes.filter(city_id=city_id).exists()


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
    """Where a person may correct learners and set their home area.

    None: anywhere in the city. City admins; and roles that see no ethnicity or disability at all (space
    coordinators, programme leaders), so moving a person shows them nothing. Otherwise the area paths of an area
    coordinator: she corrects only people whose home area lies in her subtree and moves them only inside it, so
    she can never bring someone into sight of their ethnicity and disability.
    """
    city_id = city if isinstance(city, int) else city.pk
    if is_network_admin(user) or is_city_admin(user, city_id):
        return None
    if (
        has_role(user, city_id, Role.SPACE_COORDINATOR)
        or user.led_programmes.filter(city_id=city_id).exists()
    ):
        return None
    return coordinated_area_paths(user, city_id)


def can_edit_learner(user, learner) -> bool:
    """May correct this person's record (the service also refuses a move that would reveal sensitive fields)."""
    if not can_manage_learners(user, learner.city_id):
        return False
    scope = learner_edit_scope(user, learner.city_id)
    return scope is None or _inside(learner.area.path if learner.area_id else "", scope)


def can_erase_learners(user, city) -> bool:
    return is_city_admin(user, city)


@rules.predicate
def _manages_programme(user, programme) -> bool:
    return programme is not None and can_manage_programme(user, programme)


rules.add_perm("programmes.manage_programme", _manages_programme)
