from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .services.access import can_manage, is_judge


def public_links(city):
    return [(_("Competitions"), reverse("competition_list", kwargs={"city_slug": city.slug}))]


def staff_links(city, user):
    links = []
    if is_judge(user, city):
        links.append((_("Judging"), reverse("judge_home", kwargs={"city_slug": city.slug})))
    if can_manage(user, city):
        links.append(
            (_("Manage competitions"), reverse("manage_competitions", kwargs={"city_slug": city.slug}))
        )
    return links
