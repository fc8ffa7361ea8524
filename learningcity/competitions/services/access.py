"""Who may do what in a competition."""

from __future__ import annotations

from django.utils.translation import gettext as _

from learningcity.core.errors import DomainError
from learningcity.core.models import City, Role
from learningcity.core.permissions import is_city_admin, roles_in


def can_manage(user, city: City | int) -> bool:
    """Run competitions, see entrants' names, set conflicts, approve and publish: city administrators."""
    return is_city_admin(user, city)


def is_judge(user, city: City | int) -> bool:
    """Judges hold the judge role in the city itself (a network administrator is not a judge)."""
    return Role.JUDGE in roles_in(user, city)


def require_manager(user, city: City | int) -> None:
    if not can_manage(user, city):
        raise DomainError(_("Only the city's administrators may manage competitions."), code="forbidden")


def require_judge(user, city: City | int) -> None:
    if not is_judge(user, city):
        raise DomainError(_("Only judges of this city may review entries."), code="forbidden")
