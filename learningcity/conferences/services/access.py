"""Who may do what with an event: the organising city's administrators run it (the organisers); the stewards
they name for it, and they themselves, check people in."""

from __future__ import annotations

from django.utils.translation import gettext as _

from learningcity.core.errors import DomainError
from learningcity.core.permissions import is_city_admin

from ..models import Event, Steward


def can_manage(user, event: Event) -> bool:
    return bool(user and user.is_authenticated and is_city_admin(user, event.city_id))


def is_steward(user, event: Event) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and Steward.objects.filter(event=event, user=user).exists()
    )


def can_check_in(user, event: Event) -> bool:
    return can_manage(user, event) or is_steward(user, event)


def require_manager(user, event: Event) -> None:
    if not can_manage(user, event):
        raise DomainError(
            _("Only the organising city's administrators may change this event."), code="forbidden"
        )


def require_steward(user, event: Event) -> None:
    if not can_check_in(user, event):
        raise DomainError(
            _("Only the event's stewards and its organisers may check people in."), code="forbidden"
        )


def require_signed_in(user) -> None:
    if user is None or not user.is_authenticated:
        raise DomainError(_("Log in first."), code="forbidden")
