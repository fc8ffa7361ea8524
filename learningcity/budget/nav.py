from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from learningcity.core.permissions import is_city_admin


def public_links(city):
    return [(_("Budget"), reverse("budget:overview", kwargs={"city_slug": city.slug}))]


def staff_links(city, user):
    if not is_city_admin(user, city):
        return []
    return [(_("Budget lines"), reverse("budget:line_list", kwargs={"city_slug": city.slug}))]
