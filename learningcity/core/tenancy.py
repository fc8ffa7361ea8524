"""Finding the city a request is about. Every view and API operation starts here."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from .models import City


def city_get(slug: str) -> City:
    """The public city with this slug, or a 404 in the visitor's language."""
    try:
        return City.objects.get(slug=slug, is_public=True)
    except City.DoesNotExist:
        raise Http404(_("There is no learning city called “%(slug)s”.") % {"slug": slug[:60]}) from None


def city_get_for_staff(slug: str) -> City:
    return get_object_or_404(City, slug=slug)
