"""Networks and their members, and the hooks other apps offer (profile facts, funding)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.db.models import Count, Q, QuerySet

from learningcity.core.models import City
from learningcity.core.registry import app_modules
from learningcity.core.text import sort_key

from ..models import (
    Membership,
    Network,
    RemoteCity,
)

PAGE_SIZE = 20
FACET_SIZE = 25
# Vietnamese sort keys of names, kept between requests: a pure function of the text, and a network lists the
# same 300 city names on every page (core.text.sort_key costs about 0.1 ms a name).
name_key = lru_cache(maxsize=16384)(sort_key)
PER_CAPITA_UNITS = {"count", "hours"}  # normalised per 1,000 inhabitants; rates and indices are already


# ------------------------------------------------------------------------------------------------ networks
def network_list() -> QuerySet[Network]:
    return Network.objects.annotate(
        member_count=Count(
            "memberships", filter=Q(memberships__left_on__isnull=True, memberships__city__is_public=True)
        )
    ).order_by("slug")


def network_get(*, slug: str) -> Network:
    return Network.objects.get(slug=slug)


def member_list(*, network: Network) -> list[Membership]:
    rows = list(
        Membership.objects.filter(network=network, left_on__isnull=True, city__is_public=True).select_related(
            "city"
        )
    )
    return sorted(rows, key=lambda m: name_key(m.city.name))


def member_get(*, network: Network, city_slug: str) -> Membership:
    return Membership.objects.select_related("city").get(
        network=network, city__slug=city_slug, city__is_public=True, left_on__isnull=True
    )


def map_points(members: list[Membership]) -> list[dict[str, Any]]:
    return [
        {"lat": m.city.center_lat, "lon": m.city.center_lon, "name": m.city.name}
        for m in members
        if m.city.center_lat is not None and m.city.center_lon is not None
    ]


def networks_of(*, city: City) -> list[Network]:
    return list(
        Network.objects.filter(memberships__city=city, memberships__left_on__isnull=True).order_by("slug")
    )


def remote_cities(*, network: Network) -> list[RemoteCity]:
    return list(network.remote_cities.order_by("name", "slug"))


# ------------------------------------------------------------------------------------------------- hooks
def profile_facts(city: City) -> list[tuple[str, str]]:
    """The city's GNLC profile facts from the apps that offer them (reporting's `city_profile.profile_facts`)."""
    facts: list[tuple[str, str]] = []
    for module in app_modules("city_profile"):
        facts += list(module.profile_facts(city))
    return facts


def funding_of(city: City, kind: str, ids: list[int]) -> dict[int, Any]:
    """Costs from the budget's lines where linked (budget's `funding.funding_for`); {} when no app offers them."""
    found: dict[int, Any] = {}
    for module in app_modules("funding"):
        found.update(module.funding_for(city, kind, ids))
    return found
