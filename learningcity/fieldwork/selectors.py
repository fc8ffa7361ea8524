"""Reads of the field app: devices, and the bundle a phone keeps (collected from the apps' `field_actions`)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db.models import Count, QuerySet
from django.utils import timezone

from learningcity.core.models import City
from learningcity.core.registry import app_modules

from .models import Device
from .services import action_handlers, keep_days


def device_list(*, city: City) -> QuerySet[Device]:
    return (
        Device.objects.for_city(city)
        .select_related("user", "signed_out_by")
        .annotate(applied_count=Count("applied"))
        .order_by("-registered_at")
    )


def device_get(*, city: City, key: str) -> Device | None:
    """The device of this city with this key (None for a malformed or unknown key, or another city's)."""
    try:
        parsed = uuid.UUID(str(key))
    except ValueError:
        return None
    return Device.objects.for_city(city).select_related("city").filter(key=parsed).first()


def bundle_for(*, city: City, user) -> dict:
    """What this person's phone may keep: each app's section (only what her role may see), when and how long."""
    sections = {}
    for module in app_modules("field_actions"):
        data = module.field_bundle(city=city, user=user)
        if data:
            sections[module.__name__.split(".")[-2]] = data
    now = timezone.now()
    return {
        "city": city.slug,
        "user": user.get_username(),
        "generated_at": now,
        "expires_at": now + dt.timedelta(days=keep_days()),
        "keep_days": keep_days(),
        "actions": sorted(action_handlers()),
        "sections": sections,
    }
