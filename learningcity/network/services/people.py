"""People and roles in the product: invitations by e-mail that expire and work once, taking roles back, and an
area coordinator naming the space coordinators of her area. Every change lands in the audit trail."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learningcity.core import audit
from learningcity.core.errors import DomainError
from learningcity.core.models import Area, City, Role, RoleAssignment, User
from learningcity.core.permissions import can_manage_area, clear_cache, is_city_admin
from learningcity.core.services.accounts import role_assign
from learningcity.core.text import normalize
from learningcity.places.models import LearningSpace
from learningcity.places.services import space_coordinators_set

from ..models import Invitation

INVITATION_DAYS = 7


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _check_giver(actor, city: City, role: str, area: Area | None, space: LearningSpace | None) -> None:
    """City administrators give any role of their city; an area coordinator gives the space coordinator role
    for a space of her area. Anyone else, or outside one's city or area, is refused."""
    if role not in Role.values:
        raise DomainError(_("Unknown role."), field="role")
    if area is not None and area.city_id != city.pk:
        raise DomainError(_("The area belongs to another city."), field="area")
    if space is not None and space.city_id != city.pk:
        raise DomainError(_("The space belongs to another city."), field="space")
    if role == Role.AREA_COORDINATOR and area is None:
        raise DomainError(_("An area coordinator needs an area."), field="area")
    if is_city_admin(actor, city):
        return
    if role == Role.SPACE_COORDINATOR and space is not None and can_manage_area(actor, space.area):
        return
    raise DomainError(
        _("You may not give this role here: it is outside your city or your area."), code="forbidden"
    )


def invitation_create(
    *,
    actor,
    city: City,
    email: str,
    role: str,
    area: Area | None = None,
    space: LearningSpace | None = None,
    days: int = INVITATION_DAYS,
) -> tuple[Invitation, str]:
    """An invitation and its raw token (only its hash is stored): the caller e-mails the link."""
    _check_giver(actor, city, role, area, space)
    email = normalize(email).lower()
    if "@" not in email or len(email) > 254:
        raise DomainError(_("Enter a valid e-mail address."), field="email")
    if not 1 <= days <= 30:
        raise DomainError(_("An invitation lasts from 1 to 30 days."), field="days")
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            city=city,
            email=email,
            role=role,
            area=area,
            space_id=space.pk if space else None,
            token_hash=token_hash(raw),
            expires_at=timezone.now() + dt.timedelta(days=days),
            invited_by=actor,
        )
        audit.record_create(actor=actor, obj=invitation)
    return invitation, raw


def invitation_for_token(*, city: City, raw: str) -> Invitation:
    """The invitation of a link, refused with a clear message when used, revoked or expired."""
    invitation = Invitation.objects.filter(city=city, token_hash=token_hash(raw or "")).first()
    if invitation is None:
        raise DomainError(_("This invitation link is not valid."), code="forbidden")
    if invitation.accepted_at is not None:
        raise DomainError(_("This invitation has already been used."), code="forbidden")
    if invitation.revoked_at is not None:
        raise DomainError(_("This invitation was withdrawn."), code="forbidden")
    if invitation.expires_at <= timezone.now():
        raise DomainError(_("This invitation has expired: ask for a new one."), code="forbidden")
    return invitation


def _new_account(email: str, username: str, full_name: str, password: str) -> User:
    username = normalize(username)
    if not username or len(username) > 150:
        raise DomainError(_("Choose a user name."), field="username")
    model = get_user_model()
    if model.objects.filter(username__iexact=username).exists():
        raise DomainError(_("This user name is taken."), field="username")
    user = model(username=username, email=email, full_name=normalize(full_name)[:200])
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password") from None
    user.set_password(password)
    user.save()
    return user


def invitation_accept(
    *,
    raw: str,
    city: City,
    user: User | None = None,
    username: str = "",
    full_name: str = "",
    password: str = "",
) -> RoleAssignment:
    """Accept an invitation once, before it expires: as the person logged in, or with a new account."""
    with transaction.atomic():
        invitation = invitation_for_token(city=city, raw=raw)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise DomainError(_("This invitation has already been used."), code="forbidden")
        if user is None or not user.is_authenticated:
            user = _new_account(invitation.email, username, full_name, password)
            audit.record_create(actor=user, obj=user, note=_("account made from an invitation"))
        space = (
            LearningSpace.objects.filter(city=city, pk=invitation.space_id).first()
            if invitation.space_id
            else None
        )
        giver = invitation.invited_by
        _check_giver(giver, city, invitation.role, invitation.area, space)  # the giver may have lost her role
        assignment = role_assign(
            actor=giver,
            user=user,
            city=city,
            role=invitation.role,
            area=invitation.area,
            check_permission=False,
        )
        if space is not None:
            space_coordinators_set(actor=giver, space=space, users=[*space.coordinators.all(), user])
        before = audit.snapshot(invitation)
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
        audit.record_update(actor=user, obj=invitation, before=before, note=_("invitation accepted"))
    clear_cache(user)
    return assignment


def invitation_revoke(*, actor, invitation: Invitation) -> None:
    if not is_city_admin(actor, invitation.city_id) and invitation.invited_by_id != getattr(
        actor, "pk", None
    ):
        raise DomainError(_("You may not withdraw this invitation."), code="forbidden")
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        return
    before = audit.snapshot(invitation)
    with transaction.atomic():
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at", "updated_at"])
        audit.record_update(actor=actor, obj=invitation, before=before)


def role_revoke(*, actor, assignment: RoleAssignment) -> None:
    """Take a role back. City administrators only; nobody removes the city's last administrator."""
    city = assignment.city
    if not is_city_admin(actor, city):
        raise DomainError(_("Only a city administrator may take roles back."), code="forbidden")
    if (
        assignment.role == Role.CITY_ADMIN
        and RoleAssignment.objects.filter(city=city, role=Role.CITY_ADMIN).count() <= 1
    ):
        raise DomainError(_("The city needs at least one administrator."), field="role")
    with transaction.atomic():
        if assignment.role == Role.SPACE_COORDINATOR:
            for space in LearningSpace.objects.filter(city=city, coordinators=assignment.user_id):
                space.coordinators.remove(assignment.user_id)
                audit.record(
                    actor=actor,
                    action="update",
                    obj=space,
                    changes={"coordinators": [assignment.user_id, None]},
                )
        audit.record_delete(actor=actor, obj=assignment)
        assignment.delete()
    clear_cache(assignment.user)


def space_coordinators_name(*, actor, space: LearningSpace, users: list[User]) -> None:
    """An area coordinator (or a city administrator) names the coordinators of a space of her area among the
    city's people: those without the space coordinator role get it (audited), then the space lists them."""
    if not can_manage_area(actor, space.area):
        raise DomainError(
            _("You may not give this role here: it is outside your city or your area."), code="forbidden"
        )
    with transaction.atomic():
        for user in users:
            if not RoleAssignment.objects.filter(user=user, city=space.city).exists():
                raise DomainError(
                    _("%(name)s has no role in this city: invite her first.") % {"name": str(user)},
                    field="users",
                )
            role_assign(
                actor=actor, user=user, city=space.city, role=Role.SPACE_COORDINATOR, check_permission=False
            )
        space_coordinators_set(actor=actor, space=space, users=users)
