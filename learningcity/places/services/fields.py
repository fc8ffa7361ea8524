"""What a space's fields may hold: checked and normalised once for the edit pages, the API and the import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _

from learningcity.core.errors import DomainError
from learningcity.core.models import Area, City
from learningcity.core.text import fold, normalize

from .. import hours as hours_mod
from ..models import Accessibility, Facility, SpaceLanguage, SpaceStatus, SpaceType, codes_to_text

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


def _space_type(city: City, value: Any) -> SpaceType:
    if isinstance(value, SpaceType):
        if value.city_id != city.pk:
            raise DomainError(_("This type belongs to another city."), field="space_type")
        return value
    found = SpaceType.objects.filter(city=city).filter(
        **({"pk": value} if isinstance(value, int) else {"code": normalize(str(value or ""))})
    )
    obj = found.first()
    if obj is None:
        raise DomainError(_("Unknown space type “%(type)s”.") % {"type": str(value)[:40]}, field="space_type")
    return obj


def _area(city: City, value: Any) -> Area:
    if isinstance(value, Area):
        obj = value if value.city_id == city.pk else None
    else:
        qs = Area.objects.filter(city=city, valid_to__isnull=True)
        obj = (qs.filter(pk=value) if isinstance(value, int) else qs.filter(code=normalize(value))).first()
    if obj is None:
        raise DomainError(_("Unknown area “%(area)s”.") % {"area": str(value)[:40]}, field="area")
    if obj.valid_to is not None:
        raise DomainError(_("This area no longer exists since the reform."), field="area")
    return obj


def _point(city: City, lat: Any, lon: Any) -> tuple[float | None, float | None]:
    try:
        lat = None if lat in (None, "") else float(str(lat).replace(",", "."))
        lon = None if lon in (None, "") else float(str(lon).replace(",", "."))
    except ValueError:
        raise DomainError(_("Latitude and longitude must be numbers."), field="lat") from None
    if (lat is None) != (lon is None):
        raise DomainError(_("Give both latitude and longitude, or neither."), field="lat")
    if lat is not None and lon is not None and not city.contains_point(lat, lon):
        raise DomainError(_("The point lies outside the city's province."), field="lat")
    return lat, lon


def _capacity(city: City, value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        capacity: int | None = int(str(value))
    except ValueError:
        capacity = None
    if capacity is None or not 0 <= capacity <= 1_000_000:
        raise DomainError(_("The capacity must be a whole number of people."), field="capacity")
    return capacity


def _founded_on(city: City, value: Any) -> dt.date | None:
    if isinstance(value, dt.date) or value in (None, ""):
        return value or None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise DomainError(_("The founding date must look like 2024-03-15."), field="founded_on") from None


def _status(city: City, value: Any) -> str:
    if value not in SpaceStatus.values:
        raise DomainError(
            _("The status must be one of: %(s)s.") % {"s": ", ".join(SpaceStatus.values)}, field="status"
        )
    return value


# The checks of the other fields, in the order their messages are given: (city, given value) -> clean value.
_CHECKS_BEFORE_POINT: dict[str, Callable[[City, Any], Any]] = {"space_type": _space_type, "area": _area}
_CHECKS_AFTER_POINT: dict[str, Callable[[City, Any], Any]] = {
    "hours": lambda city, value: hours_mod.normalize_hours(normalize(value or "")),
    "facilities": lambda city, value: _codes(value, Facility, "facilities", _("facility")),
    "accessibility": lambda city, value: _codes(
        value, Accessibility, "accessibility", _("accessibility feature")
    ),
    "languages": lambda city, value: _codes(value, SpaceLanguage, "languages", _("language")),
    "capacity": _capacity,
    "founded_on": _founded_on,
    "status": _status,
    "is_public": lambda city, value: bool(value),
}


def _text_errors(clean: dict[str, Any]) -> list[tuple[str, str]]:
    errors = []
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
    return errors


def clean_space_data(city: City, data: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Check and normalise the given fields. Returns (clean values, [(field, message), ...])."""
    clean: dict[str, Any] = {}
    errors: list[tuple[str, str]] = []

    def attempt(checks: dict[str, Callable[[City, Any], Any]]) -> None:
        for field, check in checks.items():
            if field in data:
                try:
                    clean[field] = check(city, data[field])
                except DomainError as exc:
                    errors.append((exc.field or field, exc.message))

    unknown = set(data) - EDITABLE_FIELDS
    if unknown:
        errors.append(("", _("These fields cannot be changed: %(f)s") % {"f": ", ".join(sorted(unknown))}))
    for field in TEXT_FIELDS:
        if field in data:
            clean[field] = normalize(data[field] or "")
    errors += _text_errors(clean)
    attempt(_CHECKS_BEFORE_POINT)
    if "lat" in data or "lon" in data:
        try:
            clean["lat"], clean["lon"] = _point(city, data.get("lat"), data.get("lon"))
        except DomainError as exc:
            errors.append(("lat", exc.message))
    attempt(_CHECKS_AFTER_POINT)
    return clean, errors


def _raise_first(errors: list[tuple[str, str]]) -> None:
    if errors:
        field, message = errors[0]
        raise DomainError(message, field=field or None)
