"""Writes about people's accounts: roles and API tokens."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit
from ..errors import DomainError
from ..models import ApiToken, Area, City, Role, RoleAssignment, User
from ..permissions import clear_cache, is_city_admin


def role_assign(
    *, actor, user: User, city: City, role: str, area: Area | None = None, check_permission: bool = True
) -> RoleAssignment:
    if check_permission and not is_city_admin(actor, city):
        raise DomainError(_("Only a city administrator may give roles."), code="forbidden")
    if role not in Role.values:
        raise DomainError(_("Unknown role."), field="role")
    if role == Role.AREA_COORDINATOR and area is None:
        raise DomainError(_("An area coordinator needs an area."), field="area")
    if area is not None and area.city_id != city.pk:
        raise DomainError(_("The area belongs to another city."), field="area")
    with transaction.atomic():
        assignment, created = RoleAssignment.objects.get_or_create(user=user, city=city, role=role, area=area)
        if created:
            audit.record_create(actor=actor, obj=assignment)
    clear_cache(user)
    return assignment


def api_token_create(*, actor, user: User, city: City, name: str) -> tuple[ApiToken, str]:
    """A new token; the raw key is returned once and never stored."""
    if actor != user and not is_city_admin(actor, city):
        raise DomainError(_("You may only create tokens for yourself."), code="forbidden")
    raw = ApiToken.new_raw_key()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, city=city, name=name[:100], key_hash=ApiToken.hash(raw), prefix=raw[3:9]
        )
        audit.record_create(actor=actor, obj=token)
    return token, raw


def api_token_revoke(*, actor, token: ApiToken) -> None:
    if actor != token.user and not is_city_admin(actor, token.city):
        raise DomainError(_("You may not revoke this token."), code="forbidden")
    before = audit.snapshot(token)
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit.record_update(actor=actor, obj=token, before=before)
