"""What every staff page of competitions checks first."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from ...services.access import can_manage


def require_manager(request, city) -> None:
    if not can_manage(request.user, city):
        raise PermissionDenied(_("Only the city's administrators may manage competitions."))
