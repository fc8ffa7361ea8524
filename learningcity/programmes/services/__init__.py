"""Writes of the programmes app, one module per subject."""

from .attendance import attendance_mark, attendance_set, headcount_record, newcomer_add
from .learners import (
    consent_record,
    learner_create,
    learner_erase,
    learner_export,
    learner_merge,
    learner_update,
    membership_add,
    membership_end,
)
from .programmes import (
    programme_create,
    programme_update,
    schedule_create,
    session_cancel,
    session_create,
    session_update,
)

__all__ = [
    "attendance_mark",
    "attendance_set",
    "consent_record",
    "headcount_record",
    "learner_create",
    "learner_erase",
    "learner_export",
    "learner_merge",
    "learner_update",
    "membership_add",
    "membership_end",
    "newcomer_add",
    "programme_create",
    "programme_update",
    "schedule_create",
    "session_cancel",
    "session_create",
    "session_update",
]
