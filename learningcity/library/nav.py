from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .rules import can_catalogue, can_lend_somewhere


def public_links(city):
    return [(_("Find a book"), reverse("library:search", kwargs={"city_slug": city.slug}))]


def staff_links(city, user):
    links = []
    if can_lend_somewhere(user, city):
        links.append((_("Lending"), reverse("library:desk_list", kwargs={"city_slug": city.slug})))
    if can_catalogue(user, city) or can_lend_somewhere(user, city):
        links.append((_("Library"), reverse("library:manage_home", kwargs={"city_slug": city.slug})))
    return links
