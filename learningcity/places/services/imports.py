"""Importing spaces from CSV or XLSX: all rows or none, matched on their code."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from learningcity.core.errors import ImportRejected, RowError
from learningcity.core.models import Area, City
from learningcity.core.tabular import as_dicts, read_table, require_columns

from ..models import LearningSpace, SpaceType
from ..rules import can_add_space, can_edit_space, manages_space_area
from .fields import MANAGER_FIELDS, clean_space_data
from .spaces import space_create, space_update

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


def _by_code(city: City) -> tuple[dict[str, LearningSpace], dict[str, SpaceType], dict[str, Area]]:
    """The city's coded spaces, its space types and its current areas, by code: read once, no query per row."""
    existing = {
        s.code: s for s in LearningSpace.objects.filter(city=city).exclude(code="").select_related("area")
    }
    types = {t.code: t for t in SpaceType.objects.filter(city=city)}
    areas = {a.code: a for a in Area.objects.filter(city=city, valid_to__isnull=True)}
    return existing, types, areas


def _changes(space: LearningSpace, clean: dict[str, Any]) -> dict[str, Any]:
    """The clean values that differ from the space's."""
    diff = {}
    for field, value in clean.items():
        current = _comparable(space, field)
        compare = value.pk if field in ("space_type", "area") else value
        if current != compare:
            diff[field] = value
    return diff


def _may_change(actor, space: LearningSpace, diff: dict[str, Any]) -> bool:
    """Space coordinators change their space; what only managers decide needs the space's area too."""
    if not can_edit_space(actor, space):
        return False
    return not (set(diff) & MANAGER_FIELDS and not manages_space_area(actor, space))


def _apply(actor, city: City, creates: list[dict], updates: list[tuple[LearningSpace, dict]]) -> None:
    with transaction.atomic():
        for clean in creates:
            space_create(actor=actor, city=city, check_permission=False, **clean)
        for space, diff in updates:
            space_update(actor=actor, space=space, note=_("import"), **diff)


def spaces_import(*, actor, city: City, stream, apply: bool) -> dict:
    """Import spaces from CSV or XLSX: all rows or none. Rows are matched on `code`: a new code creates a
    space, a known code updates it where values differ, so re-importing the same file changes nothing."""
    table = read_table(stream)
    headers = ["name_vi" if h == "name" else h for h in table.headers]
    table.headers = headers
    require_columns(table, REQUIRED_COLUMNS)
    columns = [h for h in headers if h in IMPORT_COLUMNS]
    existing, types, areas = _by_code(city)
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
        errors += [
            RowError(row_no, COLUMN_FOR_FIELD.get(field, field), message) for field, message in row_errors
        ]
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
        diff = _changes(space, clean)
        if not diff:
            unchanged += 1
            continue
        if not _may_change(actor, space, diff):
            errors.append(
                RowError(row_no, "code", _("You may not change the space %(code)s.") % {"code": code})
            )
            continue
        updates.append((space, diff))
    if errors:
        raise ImportRejected(errors)
    if apply:
        _apply(actor, city, creates, updates)
    return {"create": len(creates), "update": len(updates), "unchanged": unchanged}
