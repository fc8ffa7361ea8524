from django.utils.translation import gettext as _

from learningcity.core.links import city_url
from learningcity.core.models import Role
from learningcity.core.permissions import has_role, is_staff_of


def public_links(city):
    return [
        (_("Who is left behind"), city_url("analytics_dashboard", city.slug)),
        (_("Indicators"), city_url("analytics_indicators", city.slug)),
    ]


def staff_links(city, user):
    if not is_staff_of(user, city):
        return []
    links = [(_("Participation (exact)"), city_url("analytics_dashboard_staff", city.slug))]
    if has_role(user, city, Role.CITY_ADMIN, Role.AREA_COORDINATOR):
        links += [
            (_("Population"), city_url("analytics_population", city.slug)),
            (_("Reported values"), city_url("analytics_manual_values", city.slug)),
        ]
    return links
