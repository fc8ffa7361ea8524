"""Errors that carry a message for the person who caused them (already translated)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_noop


class DomainError(Exception):
    """A rule of the domain refused the request; the message is shown to the user as is."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class PermissionDeniedError(DomainError):
    def __init__(self, message: str):
        super().__init__(message, code="forbidden")


@dataclass
class RowError:
    """One problem in an imported file: which row (1 = the header), which column, and why."""

    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportRejected(Exception):
    errors: list[RowError] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(f"row {e.row}, {e.column}: {e.message}" for e in self.errors[:5])


# Messages config/api.py translates at run time; marked here so the core's catalogue carries them
# (config/ is not an app, so makemessages never reads it).
API_MESSAGES = (
    gettext_noop("Not found."),
    gettext_noop("The file was not imported."),
    gettext_noop("Authentication required: send a valid token."),
    gettext_noop("A number is out of range."),
    gettext_noop("These values are not valid: %(fields)s. Correct them and send the request again."),
    gettext_noop("The request is not valid. Correct it and send it again."),
)
