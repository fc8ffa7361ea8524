"""Writes to the atlas: spaces, their hours, exceptions, photos, coordinators, and imports. Every write is
permission-checked, transactional and audit-logged; the status history is kept on every status change."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from learningcity.core import audit
from learningcity.core.errors import DomainError, ImportRejected, RowError
from learningcity.core.models import Area, City, Role, RoleAssignment, User
from learningcity.core.permissions import can_manage_area
from learningcity.core.tabular import as_dicts, read_table, require_columns
from learningcity.core.text import fold, normalize
from learningcity.core.uploads import clean_image

from . import hours as hours_mod
from .models import (
    Accessibility,
    Facility,
    LearningSpace,
    OpeningException,
    OpeningPeriod,
    SpaceLanguage,
    SpacePhoto,
    SpaceStatus,
    SpaceStatusChange,
    SpaceType,
    codes_to_text,
    text_to_codes,
)
from .rules import can_add_space, can_edit_space, manages_space_area

TEXT_FIELDS = [
    "code",
    "name_vi",
    "name_en",
    "description_vi",
    "description_en",
    "address",
    "directions_vi",
    "directions_en",
    "contact_name",
    "contact_phone",
    "contact_email",
    "website",
]
# Fields only city administrators and area coordinators change; space coordinators edit the rest.
MANAGER_FIELDS = {"area", "code", "status", "is_public", "space_type"}
EDITABLE_FIELDS = set(TEXT_FIELDS) | {
    "space_type",
    "area",
    "lat",
    "lon",
    "hours",
    "facilities",
    "accessibility",
    "languages",
    "capacity",
    "founded_on",
    "status",
    "is_public",
}


def _codes(value, choices, field: str, label: str) -> str:
    if isinstance(value, str):
        items = [normalize(v) for v in value.replace(";", ",").replace("|", ",").split(",")]
    else:
        items = [normalize(str(v)) for v in (value or [])]
    items = [v for v in items if v]
    valid = {c: c for c in choices.values}
    for code, name in choices.choices:
        valid[fold(str(name))] = code
        valid[fold(code)] = code
    out = []
    for item in items:
        code = valid.get(item) or valid.get(fold(item))
        if code is None:
            raise DomainError(
                _("Unknown %(what)s “%(code)s”. Use one of: %(codes)s.")
                % {"what": label, "code": item[:40], "codes": ", ".join(choices.values)},
                field=field,
            )
        out.append(code)
    return codes_to_text(out)


def clean_space_data(city: City, data: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Check and normalise the given fields. Returns (clean values, [(field, message), ...])."""
    clean: dict[str, Any] = {}
    errors: list[tuple[str, str]] = []

    def attempt(field: str, func) -> None:
        try:
            clean[field] = func()
        except DomainError as exc:
            errors.append((exc.field or field, exc.message))

    unknown = set(data) - EDITABLE_FIELDS
    if unknown:
        errors.append(("", _("These fields cannot be changed: %(f)s") % {"f": ", ".join(sorted(unknown))}))
    for field in TEXT_FIELDS:
        if field in data:
            clean[field] = normalize(data[field] or "")
    if "name_vi" in clean and not clean["name_vi"]:
        errors.append(("name_vi", _("The space needs a Vietnamese name.")))
    if clean.get("contact_email"):
        try:
            validate_email(clean["contact_email"])
        except ValidationError:
            errors.append(("contact_email", _("Enter a valid email address.")))
    if clean.get("website"):
        try:
            URLValidator(schemes=["http", "https"])(clean["website"])
        except ValidationError:
            errors.append(("website", _("Enter a valid web address (https://...).")))
    if "space_type" in data:

        def _type():
            value = data["space_type"]
            if isinstance(value, SpaceType):
                if value.city_id != city.pk:
                    raise DomainError(_("This type belongs to another city."), field="space_type")
                return value
            found = SpaceType.objects.filter(city=city).filter(
                **({"pk": value} if isinstance(value, int) else {"code": normalize(str(value or ""))})
            )
            obj = found.first()
            if obj is None:
                raise DomainError(
                    _("Unknown space type “%(type)s”.") % {"type": str(value)[:40]}, field="space_type"
                )
            return obj

        attempt("space_type", _type)
    if "area" in data:

        def _area():
            value = data["area"]
            if isinstance(value, Area):
                obj = value if value.city_id == city.pk else None
            else:
                qs = Area.objects.filter(city=city, valid_to__isnull=True)
                obj = (
                    qs.filter(pk=value) if isinstance(value, int) else qs.filter(code=normalize(value))
                ).first()
            if obj is None:
                raise DomainError(_("Unknown area “%(area)s”.") % {"area": str(value)[:40]}, field="area")
            if obj.valid_to is not None:
                raise DomainError(_("This area no longer exists since the reform."), field="area")
            return obj

        attempt("area", _area)
    if "lat" in data or "lon" in data:
        lat, lon = data.get("lat"), data.get("lon")
        try:
            lat = None if lat in (None, "") else float(str(lat).replace(",", "."))
            lon = None if lon in (None, "") else float(str(lon).replace(",", "."))
        except ValueError:
            errors.append(("lat", _("Latitude and longitude must be numbers.")))
        else:
            if (lat is None) != (lon is None):
                errors.append(("lat", _("Give both latitude and longitude, or neither.")))
            elif lat is not None and lon is not None and not city.contains_point(lat, lon):
                errors.append(("lat", _("The point lies outside the city's province.")))
            else:
                clean["lat"], clean["lon"] = lat, lon
    if "hours" in data:
        attempt("hours", lambda: hours_mod.normalize_hours(normalize(data["hours"] or "")))
    if "facilities" in data:
        attempt("facilities", lambda: _codes(data["facilities"], Facility, "facilities", _("facility")))
    if "accessibility" in data:
        attempt(
            "accessibility",
            lambda: _codes(data["accessibility"], Accessibility, "accessibility", _("accessibility feature")),
        )
    if "languages" in data:
        attempt("languages", lambda: _codes(data["languages"], SpaceLanguage, "languages", _("language")))
    if "capacity" in data:
        value = data["capacity"]
        try:
            clean["capacity"] = None if value in (None, "") else int(str(value))
            if clean["capacity"] is not None and not 0 <= clean["capacity"] <= 1_000_000:
                raise ValueError
        except ValueError:
            errors.append(("capacity", _("The capacity must be a whole number of people.")))
    if "founded_on" in data:
        value = data["founded_on"]
        if isinstance(value, dt.date) or value in (None, ""):
            clean["founded_on"] = value or None
        else:
            try:
                clean["founded_on"] = dt.date.fromisoformat(str(value)[:10])
            except ValueError:
                errors.append(("founded_on", _("The founding date must look like 2024-03-15.")))
    if "status" in data:
        if data["status"] not in SpaceStatus.values:
            errors.append(
                ("status", _("The status must be one of: %(s)s.") % {"s": ", ".join(SpaceStatus.values)})
            )
        else:
            clean["status"] = data["status"]
    if "is_public" in data:
        clean["is_public"] = bool(data["is_public"])
    return clean, errors


def _raise_first(errors: list[tuple[str, str]]) -> None:
    if errors:
        field, message = errors[0]
        raise DomainError(message, field=field or None)


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


def exception_add(
    *,
    actor,
    space: LearningSpace,
    date_from: dt.date,
    date_to: dt.date | None = None,
    closed: bool = True,
    opens: dt.time | None = None,
    closes: dt.time | None = None,
    note: str = "",
) -> OpeningException:
    if not can_edit_space(actor, space):
        raise DomainError(_("You may not change this space."), code="forbidden")
    date_to = date_to or date_from
    if date_to < date_from:
        raise DomainError(_("The last day comes before the first."), field="date_to")
    if (date_to - date_from).days > 366:
        raise DomainError(_("An exception lasts at most a year."), field="date_to")
    if not closed:
        if opens is None or closes is None:
            raise DomainError(_("Give the special opening and closing times."), field="opens")
        if closes <= opens:
            raise DomainError(_("The closing time must come after the opening time."), field="closes")
    else:
        opens = closes = None
    with transaction.atomic():
        exc = OpeningException.objects.create(
            city_id=space.city_id,
            space=space,
            date_from=date_from,
            date_to=date_to,
            closed=closed,
            opens=opens,
            closes=closes,
            note=normalize(note)[:200],
        )
        audit.record_create(actor=actor, obj=exc, note=str(space)[:200])
    return exc


def exception_delete(*, actor, exception: OpeningException) -> None:
    if not can_edit_space(actor, exception.space):
        raise DomainError(_("You may not change this space."), code="forbidden")
    with transaction.atomic():
        audit.record_delete(actor=actor, obj=exception, note=str(exception.space)[:200])
        exception.delete()


MAX_PHOTOS = 12


def photo_add(*, actor, space: LearningSpace, upload, caption: str) -> SpacePhoto:
    if not can_edit_space(actor, space):
        raise DomainError(_("You may not change this space."), code="forbidden")
    caption = normalize(caption)
    if not caption:
        raise DomainError(_("Describe the photo for people who cannot see it."), field="caption")
    if space.photos.count() >= MAX_PHOTOS:
        raise DomainError(_("A space has at most %(n)s photos.") % {"n": MAX_PHOTOS}, field="photo")
    content = clean_image(upload)
    with transaction.atomic():
        photo = SpacePhoto(city_id=space.city_id, space=space, caption=caption[:200])
        photo.image.save(content.name or "photo.jpg", content, save=False)
        photo.save()
        audit.record_create(actor=actor, obj=photo, note=str(space)[:200])
    return photo


def photo_delete(*, actor, photo: SpacePhoto) -> None:
    if not can_edit_space(actor, photo.space):
        raise DomainError(_("You may not change this space."), code="forbidden")
    with transaction.atomic():
        audit.record_delete(actor=actor, obj=photo, note=str(photo.space)[:200])
        photo.image.delete(save=False)
        photo.delete()


# --- import -------------------------------------------------------------------------------------------------

# File column -> field of the space. The export writes the same columns, so an export re-imports unchanged.
IMPORT_COLUMNS = {
    "code": "code",
    "name_vi": "name_vi",
    "name_en": "name_en",
    "type": "space_type",
    "area": "area",
    "address": "address",
    "lat": "lat",
    "lon": "lon",
    "hours": "hours",
    "facilities": "facilities",
    "accessibility": "accessibility",
    "languages": "languages",
    "capacity": "capacity",
    "status": "status",
    "phone": "contact_phone",
    "email": "contact_email",
    "founded_on": "founded_on",
    "description_vi": "description_vi",
}
REQUIRED_COLUMNS = ["code", "name_vi", "type", "area"]
COLUMN_FOR_FIELD = {v: k for k, v in IMPORT_COLUMNS.items()}


def _comparable(space: LearningSpace, field: str):
    value = getattr(space, field if field not in ("space_type", "area") else f"{field}_id")
    return value


def spaces_import(*, actor, city: City, stream, apply: bool) -> dict:
    """Import spaces from CSV or XLSX: all rows or none. Rows are matched on `code`: a new code creates a
    space, a known code updates it where values differ, so re-importing the same file changes nothing."""
    table = read_table(stream)
    headers = ["name_vi" if h == "name" else h for h in table.headers]
    table.headers = headers
    require_columns(table, REQUIRED_COLUMNS)
    columns = [h for h in headers if h in IMPORT_COLUMNS]
    existing = {
        s.code: s for s in LearningSpace.objects.filter(city=city).exclude(code="").select_related("area")
    }
    types = {t.code: t for t in SpaceType.objects.filter(city=city)}
    areas = {a.code: a for a in Area.objects.filter(city=city, valid_to__isnull=True)}
    errors: list[RowError] = []
    creates: list[dict] = []
    updates: list[tuple[LearningSpace, dict]] = []
    unchanged = 0
    seen: dict[str, int] = {}
    for row_no, row in as_dicts(table):
        code = row.get("code", "")
        if not code:
            errors.append(RowError(row_no, "code", _("The code is empty.")))
            continue
        if code in seen:
            errors.append(
                RowError(
                    row_no,
                    "code",
                    _("The code %(code)s already appears in row %(row)s.")
                    % {"code": code, "row": seen[code]},
                )
            )
            continue
        seen[code] = row_no
        data: dict[str, Any] = {IMPORT_COLUMNS[c]: row.get(c, "") for c in columns}
        # Known codes resolved from two dictionaries (no query per row); unknown ones get the service's message.
        data["space_type"] = types.get(data["space_type"], data["space_type"])
        data["area"] = areas.get(data["area"], data["area"])
        clean, row_errors = clean_space_data(city, data)
        for field, message in row_errors:
            errors.append(RowError(row_no, COLUMN_FOR_FIELD.get(field, field), message))
        if row_errors:
            continue
        if not clean.get("name_vi"):
            errors.append(RowError(row_no, "name_vi", _("The space needs a Vietnamese name.")))
            continue
        space = existing.get(code)
        if space is None:
            if not can_add_space(actor, city, clean["area"]):
                errors.append(
                    RowError(
                        row_no,
                        "area",
                        _("You may not add spaces in %(area)s.") % {"area": clean["area"].name},
                    )
                )
                continue
            creates.append(clean)
            continue
        diff = {}
        for field, value in clean.items():
            current = _comparable(space, field)
            compare = value.pk if field in ("space_type", "area") else value
            if current != compare:
                diff[field] = value
        if not diff:
            unchanged += 1
            continue
        if not can_edit_space(actor, space) or (
            set(diff) & MANAGER_FIELDS and not manages_space_area(actor, space)
        ):
            errors.append(
                RowError(row_no, "code", _("You may not change the space %(code)s.") % {"code": code})
            )
            continue
        updates.append((space, diff))
    if errors:
        raise ImportRejected(errors)
    if apply:
        with transaction.atomic():
            for clean in creates:
                space_create(actor=actor, city=city, check_permission=False, **clean)
            for space, diff in updates:
                space_update(actor=actor, space=space, note=_("import"), **diff)
    return {"create": len(creates), "update": len(updates), "unchanged": unchanged}


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
