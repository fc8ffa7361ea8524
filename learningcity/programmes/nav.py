from django.utils.translation import gettext_lazy as _

from learningcity.core.links import city_url

from .rules import can_manage_learners


def public_links(city):
    return [
        (_("Programmes"), city_url("programme_list", city.slug)),
        (_("Calendar"), city_url("city_calendar", city.slug)),
    ]


def staff_links(city, user):
    links = [(_("Manage programmes"), city_url("programme_manage_list", city.slug))]
    if can_manage_learners(user, city):
        links.append((_("Learners"), city_url("learner_list", city.slug)))
    return links
