from django.utils.translation import gettext_lazy as _

from learningcity.core.links import city_url

from .rules import can_catalogue, can_lend_somewhere


def public_links(city):
    return [(_("Find a book"), city_url("library:search", city.slug))]


def staff_links(city, user):
    links = []
    if can_lend_somewhere(user, city):
        links.append((_("Lending"), city_url("library:desk_list", city.slug)))
    if can_catalogue(user, city) or can_lend_somewhere(user, city):
        links.append((_("Library"), city_url("library:manage_home", city.slug)))
    return links
