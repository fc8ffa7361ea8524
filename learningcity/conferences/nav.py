from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def public_links(city):
    return [(_("Events"), reverse("conference_list", kwargs={"city_slug": city.slug}))]


def staff_links(city, user):
    return []
