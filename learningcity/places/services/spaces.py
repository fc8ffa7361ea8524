"""Writes to learning spaces: create, change (the status history kept on every status change), coordinators,
delete, and the city's space types."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from learningcity.core import audit
from learningcity.core.errors import DomainError
from learningcity.core.models import Area, City, Role, RoleAssignment, User
from learningcity.core.permissions import can_manage_area
from learningcity.core.text import fold, normalize

from .. import hours as hours_mod
from ..models import LearningSpace, OpeningPeriod, SpaceStatusChange, SpaceType, text_to_codes
from ..rules import can_add_space, can_edit_space, manages_space_area
from .fields import MANAGER_FIELDS, _raise_first, clean_space_data


def search_text_for(space: LearningSpace) -> str:
    area = space.area
    names = [area.name_vi, area.name_en, area.code]
    ancestors = Area.objects.filter(pk__in=area.ancestor_ids()[1:]).exclude(pk=area.pk)
    for anc in ancestors.only("name_vi", "name_en"):
        names += [anc.name_vi, anc.name_en]
    parts = [space.name_vi, space.name_en, space.code, space.address, space.space_type.name_vi]
    parts += [space.space_type.name_en, *names]
    return fold(" ".join(p for p in parts if p))[:600]


def _sync_periods(space: LearningSpace) -> None:
    OpeningPeriod.objects.filter(space=space).delete()
    week = hours_mod.parse(space.hours)
    OpeningPeriod.objects.bulk_create(
        OpeningPeriod(city_id=space.city_id, space=space, weekday=day, opens=o, closes=c)
        for day, ranges in enumerate(week)
        for o, c in ranges
    )


def _record_status(space: LearningSpace, before: str, actor, note: str = "") -> None:
    SpaceStatusChange.objects.create(
        city_id=space.city_id,
        space=space,
        status_from=before,
        status_to=space.status,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        note=note[:200],
    )


def _check_coordinators(city: City, users) -> list[User]:
    users = list(users)
    with_role = set(
        RoleAssignment.objects.filter(
            city=city, role=Role.SPACE_COORDINATOR, user__in=[u.pk for u in users]
        ).values_list("user_id", flat=True)
    )
    for user in users:
        if user.pk not in with_role:
            raise DomainError(
                _("%(name)s does not have the space coordinator role in this city.") % {"name": str(user)},
                field="coordinators",
            )
    return users


def space_create(
    *, actor, city: City, coordinators=(), check_permission: bool = True, **data
) -> LearningSpace:
    for required in ("name_vi", "space_type", "area"):
        data.setdefault(required, "")
    clean, errors = clean_space_data(city, data)
    _raise_first(errors)
    if check_permission and not can_add_space(actor, city, clean["area"]):
        raise DomainError(_("You may not add spaces in this area."), code="forbidden")
    if clean.get("code") and LearningSpace.objects.filter(city=city, code=clean["code"]).exists():
        raise DomainError(
            _("A space with code %(code)s already exists.") % {"code": clean["code"]}, field="code"
        )
    users = _check_coordinators(city, coordinators)
    with transaction.atomic():
        space = LearningSpace(city=city, **clean)
        space.search_text = search_text_for(space)
        space.save()
        _sync_periods(space)
        if users:
            space.coordinators.set(users)
        _record_status(space, "", actor, note=_("created"))
        audit.record_create(actor=actor, obj=space)
    return space


def space_update(*, actor, space: LearningSpace, note: str = "", **changes) -> LearningSpace:
    """Change a space. Space coordinators may change its description, hours, facilities and contacts; the
    area, code, type, status and visibility are for city administrators and area coordinators."""
    if not can_edit_space(actor, space):
        raise DomainError(_("You may not change this space."), code="forbidden")
    clean, errors = clean_space_data(space.city, changes)
    _raise_first(errors)
    clean = {k: v for k, v in clean.items() if getattr(space, k) != v}
    if not clean:
        return space
    if set(clean) & MANAGER_FIELDS and not manages_space_area(actor, space):
        raise DomainError(
            _("Only the area's coordinator or a city administrator may change: %(f)s.")
            % {"f": ", ".join(sorted(set(clean) & MANAGER_FIELDS))},
            code="forbidden",
        )
    if "area" in clean and not can_manage_area(actor, clean["area"]):
        raise DomainError(_("You may not move spaces into that area."), code="forbidden")
    if (
        clean.get("code")
        and LearningSpace.objects.filter(city=space.city, code=clean["code"]).exclude(pk=space.pk).exists()
    ):
        raise DomainError(
            _("A space with code %(code)s already exists.") % {"code": clean["code"]}, field="code"
        )
    before = audit.snapshot(space)
    old_status = space.status
    with transaction.atomic():
        for key, value in clean.items():
            setattr(space, key, value)
        space.search_text = search_text_for(space)
        space.save()
        if "hours" in clean:
            _sync_periods(space)
        if "status" in clean:
            _record_status(space, old_status, actor, note=note)
        audit.record_update(actor=actor, obj=space, before=before, note=note)
    return space


def space_coordinators_set(*, actor, space: LearningSpace, users) -> None:
    if not manages_space_area(actor, space):
        raise DomainError(
            _("Only the area's coordinator or a city administrator may name coordinators."), code="forbidden"
        )
    users = _check_coordinators(space.city, users)
    before = sorted(space.coordinators.values_list("pk", flat=True))
    after = sorted(u.pk for u in users)
    if before == after:
        return
    with transaction.atomic():
        space.coordinators.set(users)
        space._coordinator_ids = set(after)  # type: ignore[attr-defined]
        audit.record(
            actor=actor,
            action="update",
            obj=space,
            changes={"coordinators": [before, after]},
        )


def space_delete(*, actor, space: LearningSpace) -> None:
    if not manages_space_area(actor, space):
        raise DomainError(_("You may not delete this space."), code="forbidden")
    with transaction.atomic():
        audit.record_delete(actor=actor, obj=space)
        space.delete()


def space_type_create(
    *, actor, city: City, code: str, name_vi: str, name_en: str = "", colour: str = ""
) -> SpaceType:
    from learningcity.core.permissions import is_city_admin

    if actor is not None and not is_city_admin(actor, city):
        raise DomainError(_("Only a city administrator may add space types."), code="forbidden")
    with transaction.atomic():
        obj = SpaceType.objects.create(
            city=city,
            code=code,
            name_vi=normalize(name_vi),
            name_en=normalize(name_en),
            colour=colour or "#0b5d7a",
        )
        audit.record_create(actor=actor, obj=obj)
    return obj


def space_codes(space: LearningSpace) -> dict[str, list[str]]:
    return {
        "facilities": text_to_codes(space.facilities),
        "accessibility": text_to_codes(space.accessibility),
        "languages": text_to_codes(space.languages),
    }
