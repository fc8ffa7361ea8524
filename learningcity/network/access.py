"""Who may do what in a network. Built on core.permissions; the network role is its coordinators."""

from __future__ import annotations

from learningcity.core.models import City, Role
from learningcity.core.permissions import has_role, is_network_admin, roles_in

from .models import Network


def is_coordinator(user, network: Network) -> bool:
    """A coordinator of the network (or an administrator of the installation)."""
    if is_network_admin(user):
        return True
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return network.coordinators.filter(pk=user.pk).exists()


def member_city_ids(network: Network) -> set[int]:
    return set(network.memberships.filter(left_on__isnull=True).values_list("city_id", flat=True))


def speaking_city(user, network: Network) -> City | None:
    """The member city on whose behalf the person takes part in the network's discussions, or None."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    members = member_city_ids(network)
    for assignment in user.role_assignments.filter(city_id__in=members).select_related("city").order_by("pk"):
        return assignment.city
    if is_coordinator(user, network) and members:
        return City.objects.filter(pk__in=members).order_by("pk").first()
    return None


def can_read_dialogue(user, network: Network) -> bool:
    return (
        network.dialogue_public or speaking_city(user, network) is not None or is_coordinator(user, network)
    )


def can_edit_practices(user, city: City | int) -> bool:
    """City administrators and area coordinators write the city's practices and partnerships."""
    return has_role(user, city, Role.CITY_ADMIN, Role.AREA_COORDINATOR)


def can_share_indicators(user, city: City | int) -> bool:
    return has_role(user, city, Role.CITY_ADMIN)


def has_any_role(user, city: City | int) -> bool:
    return is_network_admin(user) or bool(roles_in(user, city))
