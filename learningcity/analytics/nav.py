from django.urls import reverse
from django.utils.translation import gettext as _

from learningcity.core.models import Role
from learningcity.core.permissions import has_role, is_staff_of


def public_links(city):
    return [
        (_("Who is left behind"), reverse("analytics_dashboard", kwargs={"city_slug": city.slug})),
        (_("Indicators"), reverse("analytics_indicators", kwargs={"city_slug": city.slug})),
    ]


def staff_links(city, user):
    if not is_staff_of(user, city):
        return []
    links = [
        (_("Participation (exact)"), reverse("analytics_dashboard_staff", kwargs={"city_slug": city.slug}))
    ]
    if has_role(user, city, Role.CITY_ADMIN, Role.AREA_COORDINATOR):
        links += [
            (_("Population"), reverse("analytics_population", kwargs={"city_slug": city.slug})),
            (_("Reported values"), reverse("analytics_manual_values", kwargs={"city_slug": city.slug})),
        ]
    return links
