from django.utils.translation import gettext_lazy as _

from learningcity.core.links import city_url
from learningcity.core.permissions import coordinated_area_paths, is_city_admin

from .access import can_edit_practices


def public_links(city):
    return [(_("Partnerships"), city_url("network_city_partnerships", city.slug))]


def staff_links(city, user):
    links = [(_("Good practice"), city_url("network_manage_practices", city.slug))]
    if is_city_admin(user, city) or coordinated_area_paths(user, city):
        links.append((_("People and roles"), city_url("network_people", city.slug)))
    if can_edit_practices(user, city):
        links.append((_("Shared indicators"), city_url("network_shared_indicators", city.slug)))
    return links
