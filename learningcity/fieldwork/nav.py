from django.utils.translation import gettext_lazy as _

from learningcity.core.links import city_url
from learningcity.core.permissions import is_city_admin


def public_links(city):
    return []


def staff_links(city, user):
    links = [(_("Field app"), city_url("field_home", city.slug))]
    if is_city_admin(user, city):
        links.append((_("Field devices"), city_url("field_devices", city.slug)))
    return links
