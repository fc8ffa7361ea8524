"""Writes of the library, one module per subject: the catalogue, lending, MARC files, donations."""

from .catalogue import (
    copy_add,
    copy_set_status,
    isbn_clean,
    record_copy_from,
    record_create,
    record_update,
    records_index,
)
from .circulation import (
    borrower_register,
    borrower_update,
    hold_cancel,
    hold_place,
    loan_lend,
    loan_renew,
    loan_return,
    rules_set,
)

__all__ = [
    "borrower_register",
    "borrower_update",
    "copy_add",
    "copy_set_status",
    "hold_cancel",
    "hold_place",
    "isbn_clean",
    "loan_lend",
    "loan_renew",
    "loan_return",
    "record_copy_from",
    "record_create",
    "record_update",
    "records_index",
    "rules_set",
]
