"""The sections of each kind of report, as data: the Award's eight criteria (which follow the Key Features of
Learning Cities) for the biennial report, the targets of Decision 1373/QĐ-TTg for the national one. The exact
questions of the GNLC survey are not public: the prompts here are editable wording, not UNESCO's text."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import ReportKind


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: object  # lazy text
    prompt: object
    features: str  # Key Features of Learning Cities it answers
    word_limit: int = 500


BIENNIAL = [
    SectionSpec(
        "plan",
        _("Advancement of the learning-city plan"),
        _("What did the city plan, and how far has it come since joining?"),
        "FC1",
        500,
    ),
    SectionSpec(
        "coordination",
        _("Stakeholder coordination and partnerships"),
        _("Who works together, and how are they coordinated?"),
        "FC2",
        500,
    ),
    SectionSpec(
        "resources",
        _("Mobilising and using resources"),
        _("What does the city spend on learning, from which sources, and what does it buy?"),
        "FC3",
        400,
    ),
    SectionSpec(
        "monitoring",
        _("Monitoring and evaluation"),
        _("What does the city measure, how often, and what did it change because of it?"),
        "FC1 FC2",
        400,
    ),
    SectionSpec(
        "learning_for_all",
        _("Learning accessible to all"),
        _("Who takes part, and who is left behind?"),
        "BB1 BB2 BB3",
        500,
    ),
    SectionSpec(
        "culture",
        _("A culture of lifelong learning"),
        _("How does learning show in the city's daily life and celebrations?"),
        "BB6 WB2",
        400,
    ),
    SectionSpec(
        "innovation",
        _("Innovative practices"),
        _("What did the city try that others can learn from?"),
        "BB4 BB5",
        400,
    ),
    SectionSpec(
        "network",
        _("Contributions to the GNLC"),
        _("What did the city give to and take from the network?"),
        "WB1 WB3",
        300,
    ),
]

NATIONAL = [
    SectionSpec(
        "targets",
        _("Targets of Decision 1373/QĐ-TTg"),
        _("Where does the province stand against the national targets?"),
        "FC1",
        600,
    ),
    SectionSpec(
        "learning_for_all",
        _("Learning accessible to all"),
        _("Who takes part, and who is left behind?"),
        "BB1 BB2 BB3",
        500,
    ),
    SectionSpec(
        "resources",
        _("Mobilising and using resources"),
        _("What does the province spend on learning?"),
        "FC3",
        400,
    ),
]

SPECS: dict[str, list[SectionSpec]] = {ReportKind.BIENNIAL: BIENNIAL, ReportKind.NATIONAL: NATIONAL}


def spec_for(kind: str, key: str) -> SectionSpec | None:
    return next((s for s in SPECS.get(kind, []) if s.key == key), None)


AWARD_CRITERIA = [s.key for s in BIENNIAL]
