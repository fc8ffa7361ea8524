from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .links import city_url
from .permissions import is_city_admin


def public_links(city):
    return [(_("Home"), city_url("city_home", city.slug))]


def staff_links(city, user):
    links = [
        (_("Back office"), city_url("manage_home", city.slug)),
        (_("Areas"), city_url("area_list", city.slug)),
    ]
    if is_city_admin(user, city):
        links.append((_("Audit trail"), city_url("audit_list", city.slug)))
        links.append((pgettext_lazy("page", "API tokens"), city_url("token_list", city.slug)))
    return links
