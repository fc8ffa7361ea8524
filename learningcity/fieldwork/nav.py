from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from learningcity.core.permissions import is_city_admin


def public_links(city):
    return []


def staff_links(city, user):
    links = [(_("Field app"), reverse("field_home", kwargs={"city_slug": city.slug}))]
    if is_city_admin(user, city):
        links.append((_("Field devices"), reverse("field_devices", kwargs={"city_slug": city.slug})))
    return links
