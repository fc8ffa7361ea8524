"""The city administrator's own targets per indicator and year, beside the national ones."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from learningcity.core import audit
from learningcity.core.errors import DomainError, PermissionDeniedError
from learningcity.core.models import City
from learningcity.core.permissions import is_city_admin

from ..models import Indicator, IndicatorTarget


def city_target_set(
    *, actor, city: City, indicator: Indicator, year: int, value: Decimal | None, note: str = ""
) -> IndicatorTarget | None:
    """Set the city's target for a year; an empty value removes it."""
    if not is_city_admin(actor, city):
        raise PermissionDeniedError(_("Only the city administrator sets the city's targets."))
    if not 2000 <= year <= 2100:
        raise DomainError(_("The year must be a number such as 2025."), field="year")
    if (
        value is not None
        and indicator.unit == Indicator.Unit.PERCENT
        and not Decimal(0) <= value <= Decimal(100)
    ):
        raise DomainError(_("A percentage must lie between 0 and 100."), field="value")
    with transaction.atomic():
        target = IndicatorTarget.objects.filter(indicator=indicator, city=city, year=year).first()
        if value is None:
            if target is not None:
                audit.record_delete(actor=actor, obj=target)
                target.delete()
            return None
        if target is None:
            target = IndicatorTarget.objects.create(
                indicator=indicator, city=city, year=year, value=value, note=note
            )
            audit.record_create(actor=actor, obj=target)
            return target
        before = audit.snapshot(target)
        target.value, target.note = value, note
        target.save()
        audit.record_update(actor=actor, obj=target, before=before)
    return target
