"""Registry hook (core.registry): the public facts of the city's GNLC profile, for other apps' pages."""

from __future__ import annotations

from learningcity.core.models import City

from .profile import profile_facts as _facts


def profile_facts(city: City) -> list[tuple[str, str]]:
    """(label, value) pairs: population, area in km², GDP per capita, years of schooling, year joined, ..."""
    return _facts(city)
