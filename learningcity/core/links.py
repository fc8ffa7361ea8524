"""Links to a city's pages that every page shows (the menus): reversed once per process, not on every request.

`reverse()` walks the URL patterns each time (about 15 µs); a page's menus name some 20 of them, on every page of
a signed-in person (issue 17: a staff page's cost). A link depends only on the URL name, the city's slug and the
script prefix and the URL configuration (fixed for a process, part of the key all the same)."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


@lru_cache(maxsize=4096)
def _city_url(prefix: str, urlconf: str, name: str, slug: str) -> str:
    return reverse(name, kwargs={"city_slug": slug})


def city_url(name: str, slug: str) -> str:
    """reverse(name, kwargs={"city_slug": slug}), remembered per process (and per URL configuration)."""
    return _city_url(get_script_prefix(), str(get_urlconf() or settings.ROOT_URLCONF), name, slug)
