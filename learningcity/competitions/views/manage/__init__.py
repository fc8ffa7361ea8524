"""Staff pages of competitions, by purpose: set-up (competitions), entries and paper entries (entries), judges'
assignments and conflicts (jury), the jury meeting, approval, publication and certificates (results). City
administrators only: they alone see entrants' names. The URL configuration reads every view from here."""

from .competitions import manage_competition, manage_edit, manage_list, manage_new
from .entries import manage_entries, manage_entry, manage_paper_entry
from .jury import manage_assign, manage_conflicts
from .results import manage_certificates, manage_meeting

__all__ = [
    "manage_assign",
    "manage_certificates",
    "manage_competition",
    "manage_conflicts",
    "manage_edit",
    "manage_entries",
    "manage_entry",
    "manage_list",
    "manage_meeting",
    "manage_new",
    "manage_paper_entry",
]
