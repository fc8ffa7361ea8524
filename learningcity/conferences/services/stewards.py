"""Stewards of an event: the people an organiser names to check delegates in (at the door, at sessions and on
the offline phone app). A steward is one of the organising city's staff (the phone app registers a device only
for a person with a role in the city); naming and removing are audit-logged."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learningcity.core import audit
from learningcity.core.errors import DomainError
from learningcity.core.models import User
from learningcity.core.permissions import is_staff_of

from ..models import Event, Steward
from .access import require_manager


def steward_name(*, actor, event: Event, username: str, now: dt.datetime | None = None) -> Steward:
    require_manager(actor, event)
    username = (username or "").strip()
    user = User.objects.filter(username=username, is_active=True).first() if username else None
    if user is None:
        raise DomainError(
            _("There is no account called “%(name)s”.") % {"name": username[:150]}, field="username"
        )
    if not is_staff_of(user, event.city_id):
        raise DomainError(
            _("%(name)s has no role in the organising city: give her one first (the phone app needs it).")
            % {"name": user.get_username()},
            field="username",
        )
    with transaction.atomic():
        steward, created = Steward.objects.get_or_create(
            event=event,
            user=user,
            defaults={"city": event.city, "named_by": actor, "named_at": now or timezone.now()},
        )
        if not created:
            raise DomainError(
                _("%(name)s is already a steward of this event.") % {"name": user.get_username()},
                field="username",
            )
        audit.record_create(actor=actor, obj=steward, note=f"steward {user.get_username()}")
    return steward


def steward_remove(*, actor, steward: Steward) -> None:
    require_manager(actor, steward.event)
    with transaction.atomic():
        audit.record_delete(actor=actor, obj=steward, note=f"steward {steward.user.get_username()}")
        steward.delete()
