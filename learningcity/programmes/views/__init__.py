from .imports import import_batch, import_sheet
from .learners import (
    learner_detail,
    learner_edit,
    learner_erase,
    learner_export,
    learner_list,
    learner_merge,
    learner_new,
)
from .manage import (
    headcount,
    programme_manage,
    programme_manage_list,
    programme_new,
    roster,
    roster_add_learner,
    roster_mark,
    session_edit,
)
from .memberships import membership_end_page, programme_members
from .public import calendar_page, city_ics, programme_detail, programme_ics, programme_list, space_ics

__all__ = [
    "calendar_page",
    "city_ics",
    "headcount",
    "import_batch",
    "import_sheet",
    "learner_detail",
    "learner_edit",
    "learner_erase",
    "learner_export",
    "learner_list",
    "learner_merge",
    "learner_new",
    "membership_end_page",
    "programme_detail",
    "programme_ics",
    "programme_list",
    "programme_manage",
    "programme_manage_list",
    "programme_members",
    "programme_new",
    "roster",
    "roster_add_learner",
    "roster_mark",
    "session_edit",
    "space_ics",
]
