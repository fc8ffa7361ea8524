from django.utils.translation import gettext_lazy as _

from learningcity.core.links import city_url
from learningcity.core.permissions import is_city_admin


def public_links(city):
    return [(_("Budget"), city_url("budget:overview", city.slug))]


def staff_links(city, user):
    if not is_city_admin(user, city):
        return []
    return [(_("Budget lines"), city_url("budget:line_list", city.slug))]
