"""What a city shares with its networks: the indicators it opts in to, and their yearly values.

The values are computed by analytics (its indicators over the rollups, suppressed as for the public) and kept in
`SharedValue`, one row per city, indicator and year, so the network's comparison reads a few hundred small rows
instead of evaluating 300 cities' formulas per request. The city refreshes them when it shares an indicator, on a
schedule (tasks.py) or from its page; each row says when it was computed and from where.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learningcity.core import audit
from learningcity.core.errors import DomainError
from learningcity.core.indicators import IndicatorRef, indicator_results
from learningcity.core.models import City
from learningcity.core.selectors import population_total

from ..access import can_share_indicators
from ..models import SharedIndicator, SharedValue

YEARS_BACK = 3


def definition_of(indicator: IndicatorRef) -> str:
    """A fingerprint of what the indicator measures: same formula, unit and period kind, same fingerprint."""
    raw = json.dumps({"f": indicator.formula, "u": indicator.unit}, sort_keys=True)
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def _indicator(code: str) -> IndicatorRef:
    analytics = indicator_results()
    try:
        return analytics.indicator_get(code=code)
    except analytics.IndicatorNotFound:
        raise DomainError(
            _("There is no indicator “%(code)s”.") % {"code": code[:40]}, field="indicator"
        ) from None


def indicator_share(*, actor, city: City, code: str, refresh: bool = True) -> SharedIndicator:
    if actor is not None and not can_share_indicators(actor, city):
        raise DomainError(_("Only a city administrator may share indicators."), code="forbidden")
    indicator = _indicator(code)
    with transaction.atomic():
        shared, created = SharedIndicator.objects.get_or_create(
            city=city,
            indicator_code=indicator.code,
            defaults={"shared_by": actor if getattr(actor, "pk", None) else None},
        )
        if created:
            audit.record_create(actor=actor, obj=shared)
    if refresh:
        shared_values_refresh(city=city, codes=[indicator.code])
    return shared


def indicator_unshare(*, actor, city: City, code: str) -> None:
    if actor is not None and not can_share_indicators(actor, city):
        raise DomainError(_("Only a city administrator may share indicators."), code="forbidden")
    with transaction.atomic():
        for shared in SharedIndicator.objects.filter(city=city, indicator_code=code):
            audit.record_delete(actor=actor, obj=shared)
            shared.delete()
        SharedValue.objects.filter(city=city, indicator_code=code).delete()


def _total(indicator: IndicatorRef, city: City, year: int):
    return indicator_results().indicator_total(city=city, indicator=indicator, year=year)


def _dec(value, places: str) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal(places))


def shared_values_refresh(
    *, city: City, codes: list[str] | None = None, years: list[int] | None = None
) -> int:
    """Recompute the city's shared values (the public, suppressed figures) for the last few years."""
    wanted = SharedIndicator.objects.filter(city=city)
    if codes is not None:
        wanted = wanted.filter(indicator_code__in=codes)
    this_year = dt.date.today().year
    years = years or list(range(this_year - YEARS_BACK + 1, this_year + 1))
    now = timezone.now()
    written = 0
    rows = []
    for shared in wanted:
        indicator = _indicator(shared.indicator_code)
        definition = definition_of(indicator)
        for year in years:
            row = _total(indicator, city, year)
            if row is None:
                continue
            rows.append(
                SharedValue(
                    city=city,
                    indicator_code=indicator.code,
                    year=year,
                    value=_dec(row.value, "0.0001"),
                    numerator=_dec(row.numerator, "0.01"),
                    denominator=_dec(row.denominator, "0.01"),
                    population=population_total(city=city, year=year),
                    suppressed=row.suppressed or row.value is None,
                    unit=indicator.unit,
                    definition=definition,
                    source="",
                    computed_at=now,
                )
            )
    with transaction.atomic():
        for value in rows:
            SharedValue.objects.update_or_create(
                city=value.city,
                indicator_code=value.indicator_code,
                year=value.year,
                defaults={
                    f: getattr(value, f)
                    for f in (
                        "value",
                        "numerator",
                        "denominator",
                        "population",
                        "suppressed",
                        "unit",
                        "definition",
                        "source",
                        "computed_at",
                    )
                },
            )
            written += 1
    return written
