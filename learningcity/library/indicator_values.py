"""Registry hook (core.registry): the reading indicators the library computes from its counts, for analytics.

`indicator_value(city, code, year)` returns a `Computed` (value, source) or None (nothing to count that year: the
typed value is used then):
- LC.LIBRARY.LOANS_PER_1000: loans of the year (`LoanTally`, no person) per 1,000 residents of the year's
  population count (the year before when the year has none);
- LC.LIBRARY.ACTIVE_BORROWERS: cards whose last loan falls in the year; for the current year only, since the
  link between a reader and a returned loan is removed at return (a past year cannot be counted again), and
  only from 5 cards (the platform's small-cell rule: the value is public);
- LC.LIBRARY.MINORITY_SHARE: records in Thái or Mông among the catalogue's records at the end of the year.
The library does not import analytics: analytics finds this module through core.registry.app_modules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from learningcity.core.models import City
from learningcity.core.selectors import population_total

from .models import MINORITY_LANGUAGES, Borrower, LoanTally, Record

LOANS_PER_1000 = "LC.LIBRARY.LOANS_PER_1000"
ACTIVE_BORROWERS = "LC.LIBRARY.ACTIVE_BORROWERS"
MINORITY_SHARE = "LC.LIBRARY.MINORITY_SHARE"
CODES = (LOANS_PER_1000, ACTIVE_BORROWERS, MINORITY_SHARE)
SMALL_CELL = 5


@dataclass(frozen=True)
class Computed:
    value: Decimal
    source: str


def _loans_per_1000(city: City, year: int) -> Computed | None:
    loans = LoanTally.objects.filter(city=city, month__year=year).aggregate(n=Sum("loans"))["n"] or 0
    population, people_year = population_total(city=city, year=year), year
    if not population:
        population, people_year = population_total(city=city, year=year - 1), year - 1
    if not loans or not population:
        return None
    value = (Decimal(1000 * loans) / Decimal(population)).quantize(Decimal("0.1"))
    return Computed(
        value,
        _("%(loans)s loans at the city's bookcases in %(year)s; population %(people)s (%(people_year)s)")
        % {"loans": loans, "year": year, "people": population, "people_year": people_year},
    )


def _active_borrowers(city: City, year: int, today: dt.date) -> Computed | None:
    if year != today.year:
        return None
    n = Borrower.objects.for_city(city).filter(last_loan_on__year=year).count()
    if n < SMALL_CELL:
        return None
    return Computed(Decimal(n), _("library cards with a loan in %(year)s") % {"year": year})


def _minority_share(city: City, year: int) -> Computed | None:
    minority = Q()
    for code in sorted(MINORITY_LANGUAGES):
        minority |= Q(languages__contains=f",{code},")
    counts = (
        Record.objects.for_city(city)
        .filter(created_at__year__lte=year)
        .aggregate(n=Count("pk"), m=Count("pk", filter=minority))
    )
    if not counts["n"]:
        return None
    value = (Decimal(100 * counts["m"]) / Decimal(counts["n"])).quantize(Decimal("0.1"))
    return Computed(
        value,
        _("%(m)s of the %(n)s records of the catalogue are in Thái or Mông")
        % {"m": counts["m"], "n": counts["n"]},
    )


def indicator_value(city: City, code: str, year: int, today: dt.date | None = None) -> Computed | None:
    if code == LOANS_PER_1000:
        return _loans_per_1000(city, year)
    if code == ACTIVE_BORROWERS:
        return _active_borrowers(city, year, today or timezone.localdate())
    if code == MINORITY_SHARE:
        return _minority_share(city, year)
    return None
