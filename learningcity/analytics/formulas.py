"""The vocabulary of indicator formulas: which measures and breakdowns exist, and how a formula is checked.

A formula is data (JSON in the catalogue):
- {"type": "count", "numerator": {"measure": "learners", "filters": {"age_band": "15-24"}}}
- {"type": "ratio", "numerator": {...}, "denominator": {...}, "scale": 100, "period": "rolling12"}
- {"type": "parity", "dimension": "sex", "group": "F", "reference": "M", "rate": {"numerator": ..., "denominator": ...}}
  ("reference": "majority" compares every group with the group that has the largest population)
- {"type": "manual"}: values are reported by the city with evidence.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from learningcity.core.errors import DomainError

# Measures computed from attendance (programmes) or population (core).
MEASURES: dict[str, object] = {
    "learners": gettext_lazy("Learners reached"),
    "population": gettext_lazy("Population"),
    "sessions": gettext_lazy("Sessions held"),
    "attendances": gettext_lazy("Attendances"),
    "expected_attendances": gettext_lazy("Expected attendances (members x sessions)"),
    "hours": gettext_lazy("Learning hours"),
    "member_attendances": gettext_lazy("Attendances of members"),
    "members": gettext_lazy("Members"),
    "retained_members": gettext_lazy("Members who came to N sessions or more"),
    "active_spaces": gettext_lazy("Active learning spaces"),
    "currently_active_spaces": gettext_lazy("Spaces active in the last 90 days"),
    "active_clubs": gettext_lazy("Active clubs"),
    "currently_active_clubs": gettext_lazy("Clubs active in the last 90 days"),
}

# Breakdowns. Population has only area, sex, age band and ethnicity (and remote, through the area).
DIMENSIONS: dict[str, object] = {
    "area": gettext_lazy("Area"),
    "sex": gettext_lazy("Sex"),
    "age_band": gettext_lazy("Age band"),
    "ethnicity": gettext_lazy("Ethnic group"),
    "disability": gettext_lazy("Disability"),
    "remote": gettext_lazy("Remote or central"),
    "kind": gettext_lazy("Programme kind"),
    "topic": gettext_lazy("Topic"),
    "space": gettext_lazy("Learning space"),
}
POPULATION_DIMENSIONS = {"area", "sex", "age_band", "ethnicity", "remote"}
# Measures about people: each person has one value per dimension, so cells add up to the total.
PEOPLE_MEASURES = {"learners", "population", "members", "retained_members"}
FORMULA_TYPES = {"count", "ratio", "parity", "manual"}


def _check_term(term, where: str) -> list[str]:
    problems = []
    if not isinstance(term, dict) or "measure" not in term:
        return [_("%(where)s: a term needs a measure.") % {"where": where}]
    if term["measure"] not in MEASURES:
        problems.append(
            _("%(where)s: unknown measure “%(measure)s”.") % {"where": where, "measure": term["measure"]}
        )
    for dim in term.get("filters") or {}:
        if dim not in DIMENSIONS:
            problems.append(_("%(where)s: unknown breakdown “%(dim)s”.") % {"where": where, "dim": dim})
    return problems


def formula_problems(formula) -> list[str]:
    """Every problem of a formula, as messages for people (empty when it is sound)."""
    if not isinstance(formula, dict):
        return [_("The formula must be an object.")]
    kind = formula.get("type")
    if kind not in FORMULA_TYPES:
        return [_("Unknown formula type “%(type)s”.") % {"type": kind}]
    problems: list[str] = []
    if kind == "count":
        problems += _check_term(formula.get("numerator"), _("numerator"))
    elif kind == "ratio":
        problems += _check_term(formula.get("numerator"), _("numerator"))
        problems += _check_term(formula.get("denominator"), _("denominator"))
    elif kind == "parity":
        rate = formula.get("rate") or {}
        problems += _check_term(rate.get("numerator"), _("numerator"))
        problems += _check_term(rate.get("denominator"), _("denominator"))
        if formula.get("dimension") not in DIMENSIONS:
            problems.append(_("A parity index needs a known breakdown."))
    if formula.get("period") not in (None, "rolling12", "year"):
        problems.append(_("Unknown period rule “%(p)s”.") % {"p": formula.get("period")})
    return problems


def check_formula(formula) -> None:
    problems = formula_problems(formula)
    if problems:
        raise DomainError("; ".join(problems), field="formula")
