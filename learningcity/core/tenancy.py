"""Finding the city a request is about. Every view and API operation starts here."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from .fixed_query import FixedQuery
from .models import City

# Every request about a city starts here: compiled once per process, not per request (core.fixed_query).
_PUBLIC_CITY = FixedQuery(lambda slug: City.objects.filter(slug=slug, is_public=True), str, kept=True)


def city_get(slug: str) -> City:
    """The public city with this slug, or a 404 in the visitor's language."""
    city = _PUBLIC_CITY.first(str(slug))
    if city is None:
        raise Http404(_("There is no learning city called “%(slug)s”.") % {"slug": slug[:60]})
    return city


def city_get_for_staff(slug: str) -> City:
    return get_object_or_404(City, slug=slug)
