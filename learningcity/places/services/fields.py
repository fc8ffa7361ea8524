"""What a space's fields may hold: checked and normalised once for the edit pages, the API and the import."""

from __future__ import annotations

import datetime as dt
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
