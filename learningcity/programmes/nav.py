from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .rules import can_manage_learners


def public_links(city):
    return [
        (_("Programmes"), reverse("programme_list", kwargs={"city_slug": city.slug})),
        (_("Calendar"), reverse("city_calendar", kwargs={"city_slug": city.slug})),
    ]


def staff_links(city, user):
    links = [(_("Manage programmes"), reverse("programme_manage_list", kwargs={"city_slug": city.slug}))]
    if can_manage_learners(user, city):
        links.append((_("Learners"), reverse("learner_list", kwargs={"city_slug": city.slug})))
    return links
