from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .permissions import is_city_admin


def public_links(city):
    return [(_("Home"), reverse("city_home", kwargs={"city_slug": city.slug}))]


def staff_links(city, user):
    links = [
        (_("Back office"), reverse("manage_home", kwargs={"city_slug": city.slug})),
        (_("Areas"), reverse("area_list", kwargs={"city_slug": city.slug})),
    ]
    if is_city_admin(user, city):
        links.append((_("Audit trail"), reverse("audit_list", kwargs={"city_slug": city.slug})))
        links.append(
            (pgettext_lazy("page", "API tokens"), reverse("token_list", kwargs={"city_slug": city.slug}))
        )
    return links
