from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from learningcity.core.permissions import coordinated_area_paths, is_city_admin

from .access import can_edit_practices


def public_links(city):
    return [(_("Partnerships"), reverse("network_city_partnerships", kwargs={"city_slug": city.slug}))]


def staff_links(city, user):
    links = [(_("Good practice"), reverse("network_manage_practices", kwargs={"city_slug": city.slug}))]
    if is_city_admin(user, city) or coordinated_area_paths(user, city):
        links.append((_("People and roles"), reverse("network_people", kwargs={"city_slug": city.slug})))
    if can_edit_practices(user, city):
        links.append(
            (_("Shared indicators"), reverse("network_shared_indicators", kwargs={"city_slug": city.slug}))
        )
    return links
