from django.utils.translation import gettext_lazy as _

from learningcity.core.links import city_url


def public_links(city):
    return [(_("Events"), city_url("conference_list", city.slug))]


def staff_links(city, user):
    return []
