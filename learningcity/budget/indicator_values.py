"""Registry hook (core.registry): indicator values the budget computes from its lines, for analytics.

`indicator_value(city, code, year)` returns a `Computed` (value, source) for LC.BUDGET.EDU (the education share
of the executed budget, else the approved one; UIS SDG 1.a.2) and SDG11.4.1 (heritage spending per person in
thousand VND), or None where the year has no lines: the typed value is used then."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from learningcity.core.models import City

from . import selectors
from .models import Phase


@dataclass(frozen=True)
class Computed:
    value: Decimal
    source: str


CODES = ("LC.BUDGET.EDU", "SDG11.4.1")


def indicator_value(city: City, code: str, year: int) -> Computed | None:
    if code == "LC.BUDGET.EDU":
        shares = selectors.education_share(city=city, year=year)
        for phase in (Phase.EXECUTED, Phase.ADJUSTED, Phase.APPROVED):
            share = selectors.share_for(shares, phase)
            if share is not None and share.percent is not None:
                return Computed(share.percent, selectors.source_note(city=city, year=year, phase=phase))
        return None
    if code == "SDG11.4.1":
        heritage = selectors.heritage_spending(city=city, year=year)
        if heritage is None or heritage.per_capita is None:
            return None
        value = (heritage.per_capita / 1000).quantize(Decimal("0.001"))
        note = selectors.source_note(city=city, year=year, phase=Phase.EXECUTED)
        return Computed(
            value,
            _("%(note)s, over a population of %(people)s") % {"note": note, "people": heritage.population},
        )
    return None
