from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import rules


def public_links(city):
    return [(_("Learning city profile"), reverse("reporting:profile", kwargs={"city_slug": city.slug}))]


def staff_links(city, user):
    if not rules.can_read(user, city):
        return []
    return [(_("Reports"), reverse("reporting:report_list", kwargs={"city_slug": city.slug}))]
