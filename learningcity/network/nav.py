from django.utils.translation import gettext_lazy as _

from learningcity.core.links import city_url
from learningcity.core.models import Role
from learningcity.core.permissions import has_role

from .access import can_edit_practices


def public_links(city):
    return [(_("Partnerships"), city_url("network_city_partnerships", city.slug))]


def staff_links(city, user):
    links = [(_("Good practice"), city_url("network_manage_practices", city.slug))]
    if has_role(user, city, Role.CITY_ADMIN, Role.AREA_COORDINATOR):  # an area coordinator always has an area
        links.append((_("People and roles"), city_url("network_people", city.slug)))
    if can_edit_practices(user, city):
        links.append((_("Shared indicators"), city_url("network_shared_indicators", city.slug)))
    return links
