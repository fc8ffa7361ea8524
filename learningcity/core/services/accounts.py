"""Writes about people's accounts: roles and API tokens."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit
from ..errors import DomainError
from ..models import ApiToken, Area, City, Role, RoleAssignment, TokenScope, User
from ..permissions import clear_cache, is_city_admin, is_staff_of
from ..text import normalize


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


def api_token_create(
    *,
    actor,
    user: User,
    city: City,
    name: str,
    scope: str = TokenScope.WRITE,
    expires_at: datetime.datetime | None = None,
) -> tuple[ApiToken, str]:
    """A new token; the raw key is returned once and never stored (nor written to the audit trail).

    Anyone may make one for herself; a city administrator also for a person who holds a role in her city."""
    if actor != user:
        if not is_city_admin(actor, city):
            raise DomainError(_("You may only create tokens for yourself."), code="forbidden")
        if not is_staff_of(user, city):
            raise DomainError(
                _("A token can only be made for someone with a role in this city."), field="user"
            )
    if scope not in TokenScope.values:
        raise DomainError(_("Choose read only or read and write."), field="scope")
    if expires_at is not None and expires_at <= timezone.now():
        raise DomainError(_("The expiry date must be in the future."), field="expires_at")
    name = normalize(name or "").strip()[:100]
    if not name:
        raise DomainError(_("Give the token a name that says where it is used."), field="name")
    raw = ApiToken.new_raw_key()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            city=city,
            name=name,
            key_hash=ApiToken.hash(raw),
            prefix=raw[3:9],
            scope=scope,
            expires_at=expires_at,
        )
        audit.record_create(actor=actor, obj=token)
    return token, raw


def api_token_revoke(*, actor, token: ApiToken, city: City | None = None) -> None:
    """Stop a token at once. With `city`, a token of another city is not found (the back office's pages)."""
    if city is not None and token.city_id != city.pk:
        raise ApiToken.DoesNotExist
    if actor != token.user and not is_city_admin(actor, token.city_id):
        raise DomainError(_("You may not revoke this token."), code="forbidden")
    if token.revoked_at is not None:
        return
    before = audit.snapshot(token)
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit.record_update(actor=actor, obj=token, before=before)
