"""The GNLC city profile as shown and exported: each field with its data year and where it came from (entered,
or filled from the platform's own data where the city left it empty)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learningcity.core.models import Area, City
from learningcity.core.selectors import population_total
from learningcity.places.selectors import population_years

from .models import GnlcProfile

CHALLENGES = [
    ("funding", gettext_lazy("Financial resources")),
    ("commitment", gettext_lazy("Political commitment")),
    ("stakeholders", gettext_lazy("Engaging stakeholders")),
    ("monitoring", gettext_lazy("Monitoring and evaluation")),
    ("inclusion", gettext_lazy("Reaching disadvantaged groups")),
    ("technology", gettext_lazy("Learning technologies and connectivity")),
    ("capacity", gettext_lazy("Capacity of staff and volunteers")),
]


@dataclass
class Fact:
    key: str
    label: str
    value: Any
    year: int | None = None
    from_platform: bool = False

    @property
    def is_number(self) -> bool:
        return self.key not in ("mayor", "contact")

    @property
    def text(self) -> str:
        if self.value in (None, ""):
            return "\u2013"
        value = intcomma(self.value) if isinstance(self.value, int | Decimal) else str(self.value)
        if self.year:
            value = f"{value} ({self.year})"
        if self.from_platform:
            value = _("%(value)s, from the platform's data") % {"value": value}
        return value


def profile_get(city: City) -> GnlcProfile:
    """The stored profile, or an empty one (not saved) for a city that has none yet."""
    return GnlcProfile.objects.filter(city=city).first() or GnlcProfile(city=city)


def _platform_population(city: City) -> tuple[int | None, int | None]:
    years = population_years(city=city)
    if not years:
        return None, None
    return population_total(city=city, year=years[0]), years[0]


def _platform_area(city: City) -> Decimal | None:
    total = (
        Area.objects.for_city(city)
        .filter(parent__isnull=True, valid_to__isnull=True)
        .aggregate(s=Sum("area_km2"))["s"]
    )
    return Decimal(str(round(total, 2))) if total else None


def facts(city: City, profile: GnlcProfile | None = None) -> list[Fact]:
    p = profile or profile_get(city)
    population, pop_year, pop_platform = p.population, p.population_year, False
    if population is None:
        population, pop_year = _platform_population(city)
        pop_platform = population is not None
    area, area_platform = p.area_km2, False
    if area is None:
        area = _platform_area(city)
        area_platform = area is not None
    joined = str(city.gnlc_member_since.year) if city.gnlc_member_since else None  # a year, never "2.024"
    return [
        Fact("population", _("Population"), population, pop_year, pop_platform),
        Fact("area_km2", _("Area (km²)"), area, p.area_year, area_platform),
        Fact("gdp_city_usd", _("GDP per capita of the city (USD)"), p.gdp_city_usd, p.gdp_city_year),
        Fact(
            "gdp_country_usd", _("GDP per capita of the country (USD)"), p.gdp_country_usd, p.gdp_country_year
        ),
        Fact("schooling_men", _("Average years of schooling, men"), p.schooling_men, p.schooling_year),
        Fact("schooling_women", _("Average years of schooling, women"), p.schooling_women, p.schooling_year),
        Fact("joined", _("Member of the GNLC since"), joined),
        Fact("mayor", _("Mayor"), p.mayor),
        Fact("contact", _("Contact"), ", ".join(x for x in (p.contact_name, p.contact_email) if x)),
    ]


def profile_facts(city: City) -> list[tuple[str, str]]:
    """(label, value) of the public facts: the `city_profile.py` hook and the report's network section."""
    return [(f.label, f.text) for f in facts(city) if f.value not in (None, "")]


def challenge_rows(profile: GnlcProfile) -> list[tuple[str, str, int | None]]:
    return [(key, str(label), (profile.challenges or {}).get(key)) for key, label in CHALLENGES]
