import datetime as dt

from ninja import Schema


class CategoryOut(Schema):
    id: int
    code: str
    name: str
    name_vi: str
    name_en: str
    allowed_kinds: list[str]
    max_file_bytes: int
    max_files: int


class CompetitionOut(Schema):
    slug: str
    title: str
    title_vi: str
    title_en: str
    description: str
    phase: str
    announced_at: dt.datetime
    opens_at: dt.datetime
    closes_at: dt.datetime
    judging_ends_at: dt.datetime
    results_published: bool
    residents_only: bool
    min_age: int | None
    max_age: int | None
    allow_teams: bool
    categories: list[CategoryOut]
    submission_count: int
    url: str


class ResultOut(Schema):
    rank: int
    tied: bool
    code: str
    title: str
    entrant: str
    team: list[str]
    prize: str
    raw_mean: float
    normalised: float | None
    reviews: int
    note: str


class CategoryResultsOut(Schema):
    category: CategoryOut
    results: list[ResultOut]


class ResultsOut(Schema):
    competition: str
    published_at: dt.datetime
    normalised: bool
    categories: list[CategoryResultsOut]


class BlindFileOut(Schema):
    kind: str
    format: str
    size: int
    label: str
    url: str


class CriterionOut(Schema):
    id: int
    name: str
    weight: float
    min_score: int
    max_score: int


class ScoreOut(Schema):
    criterion_id: int
    value: float
    comment: str


class BlindAssignmentOut(Schema):
    """What a judge sees: an anonymous code, never a name, a team or a file name."""

    id: int
    competition: str
    code: str
    category: str
    title: str
    submitted: bool
    total: float | None


class BlindEntryOut(BlindAssignmentOut):
    description: str
    files: list[BlindFileOut]
    criteria: list[CriterionOut]
    scores: list[ScoreOut]
    comment: str


class ScoreIn(Schema):
    criterion_id: int
    value: float | None = None
    comment: str = ""


class ScoresIn(Schema):
    scores: list[ScoreIn]
    comment: str = ""
    submit: bool = True


class ConflictIn(Schema):
    reason: str = ""


class MessageOut(Schema):
    detail: str
