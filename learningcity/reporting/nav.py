from django.utils.translation import gettext_lazy as _

from learningcity.core.links import city_url

from . import rules


def public_links(city):
    return [(_("Learning city profile"), city_url("reporting:profile", city.slug))]


def staff_links(city, user):
    if not rules.can_read(user, city):
        return []
    return [(_("Reports"), city_url("reporting:report_list", city.slug))]
