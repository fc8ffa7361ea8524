import datetime as dt
from typing import Annotated

from ninja import Field, Schema
from pydantic import WithJsonSchema


class SpaceRef(Schema):
    id: int
    name: str


class ProgrammeOut(Schema):
    id: int
    code: str
    kind: str
    title: str
    title_vi: str
    title_en: str
    title_blt: str
    description: str
    organiser: str
    partners: str
    partner_country: str
    spaces: list[SpaceRef]
    area_id: int | None
    topics: list[str]
    target_groups: list[str]
    kflc_blocks: list[str]
    sdg_targets: list[str]
    starts_on: dt.date | None
    ends_on: dt.date | None
    status: str
    calendar_url: str


# A session's time is the city's local wall-clock time, with no offset: RFC 3339's "partial-time", not "time"
# (which requires an offset, so validators rightly refused "20:30:00" against it).
LocalTime = Annotated[
    dt.time,
    WithJsonSchema({"type": "string", "format": "partial-time", "examples": ["08:00:00"]}),
]


class SessionOut(Schema):
    id: int
    programme_id: int
    programme: str
    date: dt.date
    start_time: LocalTime
    end_time: LocalTime
    space: SpaceRef | None
    facilitator: str
    capacity: int | None
    status: str
    note: str


class LearnerOut(Schema):
    id: int
    code: str
    full_name: str
    sex: str
    birth_year: int | None
    area_id: int | None
    languages: str
    # Only for roles that may see them (city admins; area coordinators in their area): otherwise null.
    ethnicity: str | None = None
    has_disability: bool | None = None
    disability_answers: dict[str, int] | None = None


SENSITIVE_IN = (
    "Only for a role that may see it for this home area (city administrators; area coordinators for people "
    "living in their subtree); anyone else gets 403 unless it is left at its default."
)


class LearnerIn(Schema):
    full_name: str
    sex: str = ""
    birth_year: int | None = None
    ethnicity: str = Field("99", description="Code or name; 99 = not stated. " + SENSITIVE_IN)
    area_id: int | None = None
    languages: str = ""
    disability_answers: dict[str, int] = Field(
        {}, description="Washington Group answers (1-4). " + SENSITIVE_IN
    )
    consent_purposes: list[str] = []  # noqa: RUF012 - pydantic copies a default per instance
    consent_method: str = ""


class AttendanceOut(Schema):
    session_id: int
    learner_id: int
    learner_code: str
    date: dt.date


class AttendanceIn(Schema):
    learner_id: int
    present: bool = True


class AttendanceSetIn(Schema):
    learner_ids: list[int]


class AttendanceResult(Schema):
    session_id: int
    present: int
