from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def public_links(city):
    return [
        (_("Learning spaces"), reverse("places:space_list", kwargs={"city_slug": city.slug})),
        (_("Map"), reverse("places:space_map", kwargs={"city_slug": city.slug})),
    ]


def staff_links(city, user):
    return [
        (_("Manage spaces"), reverse("places:manage_list", kwargs={"city_slug": city.slug})),
        (_("Coverage"), reverse("places:coverage", kwargs={"city_slug": city.slug})),
    ]
