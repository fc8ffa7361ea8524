"""The field app's part of the demo city: the Mé Ban coordinator's phone, prepared, and a lost phone of the
Tô Hiệu coordinator, signed out by the city administrator (its data erased at its next contact)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from .models import Device

ORDER = 80


def load(ctx) -> None:
    users = ctx.users
    now = timezone.now()
    phones = []
    if "space.meban" in users:
        phones.append(
            Device(
                city=ctx.city,
                user=users["space.meban"],
                label="Android 13; Redmi 12C",
                last_seen_at=now - dt.timedelta(hours=3),
                bundle_at=now - dt.timedelta(hours=3),
            )
        )
    if "coord.tohieu" in users and "admin" in users:
        phones.append(
            Device(
                city=ctx.city,
                user=users["coord.tohieu"],
                label="Android 11; Samsung A12",
                last_seen_at=now - dt.timedelta(days=6),
                bundle_at=now - dt.timedelta(days=6),
                signed_out_at=now - dt.timedelta(days=1),
                signed_out_by=users["admin"],
            )
        )
    Device.objects.bulk_create(phones)
    ctx.log(f"fieldwork: {len(phones)} field devices")
