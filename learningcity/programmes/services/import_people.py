"""The person of a sheet row given by name: checked, matched against probable duplicates, or added.

A row without a learner code names a person (name, birth year, area, sex, ethnicity, languages). A person already
added by this sheet is reused; a probable duplicate (same folded name, birth year and area) waits for the
importer's decision; anyone else is added, unless the row is refused (each refusal names its row and column).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from learningcity.core.demography import ETHNICITY_NOT_STATED, ethnicity_code
from learningcity.core.errors import DomainError
from learningcity.core.text import fold

from ..models import Learner
from .learners import check_birth_year, new_learner_code

SEX_VALUES = {
    "": "",
    "f": "F",
    "female": "F",
    "nu": "F",
    "m": "M",
    "male": "M",
    "nam": "M",
    "x": "X",
    "other": "X",
    "khac": "X",
}


def _checked_fields(look, values, cell, row, error, guard):
    """(name, birth year, area id, sex, ethnicity) of a row, or None after naming each refused cell."""
    name = cell(values, "name")
    if not name:
        error(row, "name", _("A learner code or a name is required."))
        return None
    ok = True
    year_raw = cell(values, "birth_year")
    year: int | None = None
    if year_raw:
        try:
            year = int(float(year_raw))
            check_birth_year(year)
        except (ValueError, DomainError):
            error(row, "birth_year", _("The year of birth “%(value)s” is impossible.") % {"value": year_raw})
            ok = False
    area_raw = cell(values, "area")
    area_id = look.area(area_raw)
    if area_id is False:
        error(row, "area", _("Unknown area “%(value)s”.") % {"value": area_raw})
        ok = False
    sex = SEX_VALUES.get(fold(cell(values, "sex")))
    if sex is None:
        error(row, "sex", _("Unknown sex “%(value)s” (use F, M or X).") % {"value": cell(values, "sex")})
        ok = False
    ethnicity = ethnicity_code(cell(values, "ethnicity"))
    if ethnicity is None:
        error(row, "ethnicity", _("Unknown ethnicity “%(value)s”.") % {"value": cell(values, "ethnicity")})
        ok = False
    elif guard is not None and ethnicity != ETHNICITY_NOT_STATED and area_id is not False:
        # Who may not see a person's ethnicity may not record it either (refused, not dropped: a dropped value
        # would look saved). Blank and "not stated" pass.
        refusal = guard(look.area_path.get(area_id, "") if area_id else "")
        if refusal:
            error(row, "ethnicity", refusal)
            ok = False
    return (name, year, area_id, sex, ethnicity) if ok else None


def person_by_name(
    look, values, cell, row, error, decisions, dry_run, result, new_people, actor, city, guard=None
):
    checked = _checked_fields(look, values, cell, row, error, guard)
    if checked is None:
        return None
    name, year, area_id, sex, ethnicity = checked
    folded = fold(name)
    key = (folded, year, area_id or None)
    if key in new_people:
        return new_people[key], area_id or None
    candidates = look.people().get(key, [])
    if candidates:
        decision = decisions.get(str(row))
        if decision in (None, ""):
            result.to_confirm.append(
                {
                    "row": row,
                    "name": name,
                    "birth_year": year,
                    "area_id": area_id or None,
                    "candidates": [
                        {"id": pk, "code": code}
                        for pk, code in Learner.objects.filter(pk__in=candidates).values_list("pk", "code")
                    ],
                }
            )
            if dry_run:
                new_people[key] = candidates[0]
                return candidates[0], area_id or None
            return None
        if decision != "new":
            try:
                chosen = int(decision)
            except (TypeError, ValueError):
                chosen = -1
            if chosen not in candidates:
                error(row, "name", _("The chosen learner is not one of the probable matches."))
                return None
            result.learners_matched += 1
            new_people[key] = chosen
            return chosen, area_id or None
    learner = Learner(
        city=city,
        code=new_learner_code(),
        full_name=name,
        search_text=folded,
        sex=sex or "",
        birth_year=year,
        ethnicity=ethnicity or "99",
        area_id=area_id or None,
        languages=cell(values, "languages")[:100],
    )
    while learner.code in look.learners:
        learner.code = new_learner_code()
    learner.save()
    look.learners[learner.code] = (learner.pk, learner.area_id)
    look.created(learner.pk)
    new_people[key] = learner.pk
    result.learners_created += 1
    return learner.pk, area_id or None
