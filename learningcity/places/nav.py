from django.utils.translation import gettext_lazy as _

from learningcity.core.links import city_url


def public_links(city):
    return [
        (_("Learning spaces"), city_url("places:space_list", city.slug)),
        (_("Map"), city_url("places:space_map", city.slug)),
    ]


def staff_links(city, user):
    return [
        (_("Manage spaces"), city_url("places:manage_list", city.slug)),
        (_("Coverage"), city_url("places:coverage", city.slug)),
    ]
