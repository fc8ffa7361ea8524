from django.utils.translation import gettext_lazy as _

from learningcity.core.links import city_url

from .services.access import can_manage, is_judge


def public_links(city):
    return [(_("Competitions"), city_url("competition_list", city.slug))]


def staff_links(city, user):
    links = []
    if is_judge(user, city):
        links.append((_("Judging"), city_url("judge_home", city.slug)))
    if can_manage(user, city):
        links.append((_("Manage competitions"), city_url("manage_competitions", city.slug)))
    return links
