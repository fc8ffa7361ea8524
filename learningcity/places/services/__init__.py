"""Writes to the atlas, one module per subject: spaces (and space types), what their fields may hold, opening-hours
exceptions, photos, and the import. Every write is permission-checked, transactional and audit-logged; the status
history is kept on every status change. Callers import from here (`places.services.space_create`)."""

from .fields import EDITABLE_FIELDS, MANAGER_FIELDS, TEXT_FIELDS, clean_space_data
from .hours import exception_add, exception_delete
from .imports import COLUMN_FOR_FIELD, IMPORT_COLUMNS, REQUIRED_COLUMNS, spaces_import
from .photos import MAX_PHOTOS, photo_add, photo_delete
from .spaces import (
    search_text_for,
    space_codes,
    space_coordinators_set,
    space_create,
    space_delete,
    space_type_create,
    space_update,
)

__all__ = [
    "COLUMN_FOR_FIELD",
    "EDITABLE_FIELDS",
    "IMPORT_COLUMNS",
    "MANAGER_FIELDS",
    "MAX_PHOTOS",
    "REQUIRED_COLUMNS",
    "TEXT_FIELDS",
    "clean_space_data",
    "exception_add",
    "exception_delete",
    "photo_add",
    "photo_delete",
    "search_text_for",
    "space_codes",
    "space_coordinators_set",
    "space_create",
    "space_delete",
    "space_type_create",
    "space_update",
    "spaces_import",
]
