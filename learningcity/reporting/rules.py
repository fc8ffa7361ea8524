"""Who may do what with reports: the city administrator drafts, sends and approves; the steering committee
(viewers and area coordinators too) reads and comments."""

from __future__ import annotations

from learningcity.core.models import City, Role
from learningcity.core.permissions import has_role, is_city_admin


def can_draft(user, city: City) -> bool:
    return is_city_admin(user, city)


def can_read(user, city: City) -> bool:
    return has_role(user, city, Role.CITY_ADMIN, Role.AREA_COORDINATOR, Role.VIEWER)


def can_comment(user, city: City) -> bool:
    return can_read(user, city)


def can_approve(user, city: City) -> bool:
    return is_city_admin(user, city)
