"""Judges' scores: on the rubric's criteria, within each criterion's range, only on entries assigned to them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learningcity.core import audit
from learningcity.core.errors import DomainError

from ..models import Assignment, Conflict, Criterion, Entry, EntryStatus, Score
from .access import require_judge


def weighted_total(values: Mapping[int, Decimal | float], criteria: list[Criterion]) -> float:
    """The weighted score on 0-100: each criterion rescaled to 0-1 by its range, then weighted."""
    weight_sum = sum(float(c.weight) for c in criteria)
    total = 0.0
    for c in criteria:
        share = (float(values[c.pk]) - c.min_score) / (c.max_score - c.min_score)
        total += float(c.weight) * share
    return round(100 * total / weight_sum, 4) if weight_sum else 0.0


def assignment_for(*, judge, entry: Entry) -> Assignment:
    """The judge's own assignment for this entry, or a refusal (a conflict blocks even opening it)."""
    require_judge(judge, entry.city_id)
    if Conflict.objects.filter(judge=judge, entry=entry).exists():
        raise DomainError(
            _("You declared a conflict of interest with this entry; you cannot open it."), code="forbidden"
        )
    assignment = Assignment.objects.filter(entry=entry, judge=judge).first()
    if assignment is None:
        raise DomainError(_("This entry is not assigned to you."), code="forbidden")
    return assignment


def _require_scorable(actor, assignment: Assignment, now: dt.datetime) -> None:
    """The judge may (still) score this entry: hers, no conflict, not withdrawn, judging open."""
    require_judge(actor, assignment.city_id)
    if assignment.judge_id != actor.pk:
        raise DomainError(_("This entry is not assigned to you."), code="forbidden")
    entry = assignment.entry
    if Conflict.objects.filter(judge=actor, entry=entry).exists():
        raise DomainError(
            _("You declared a conflict of interest with this entry; you cannot open it."), code="forbidden"
        )
    competition = entry.competition
    if entry.status != EntryStatus.SUBMITTED:
        raise DomainError(_("This entry was withdrawn."))
    if competition.results_approved_at:
        raise DomainError(_("The results are approved; scores can no longer change."))
    if now >= competition.judging_ends_at:
        raise DomainError(_("Judging has ended; scores can no longer change."))


def _clean_scores(values: dict[int, Any], criteria: list[Criterion]) -> dict[int, Decimal]:
    """The given scores as decimals by criterion id, each within its criterion's range; blanks left out."""
    by_id = {c.pk: c for c in criteria}
    clean: dict[int, Decimal] = {}
    for key, raw in values.items():
        criterion = by_id.get(int(key))
        if criterion is None:
            raise DomainError(_("This criterion is not part of the competition's rubric."), field="scores")
        if raw is None or raw == "":
            continue
        try:
            value = Decimal(str(raw).strip().replace(",", "."))  # "8,5" is how Vietnamese write 8.5
        except (InvalidOperation, ValueError):
            raise DomainError(
                _("“%(criterion)s”: the score must be a number.") % {"criterion": criterion.name},
                field=f"criterion_{criterion.pk}",
            ) from None
        if not value.is_finite() or value < criterion.min_score or value > criterion.max_score:
            raise DomainError(
                _("“%(criterion)s”: the score must be between %(min)s and %(max)s.")
                % {"criterion": criterion.name, "min": criterion.min_score, "max": criterion.max_score},
                field=f"criterion_{criterion.pk}",
            )
        clean[criterion.pk] = value.quantize(Decimal("0.01"))
    return clean


def scores_save(
    *,
    actor,
    assignment: Assignment,
    values: dict[int, Any],
    comments: dict[int, str] | None = None,
    comment: str = "",
    submit: bool = True,
    now: dt.datetime | None = None,
) -> Assignment:
    """Save a judge's scores (all or nothing). Submitting needs every criterion scored."""
    now = now or timezone.now()
    _require_scorable(actor, assignment, now)
    criteria = list(assignment.entry.competition.criteria.all())
    comments = comments or {}
    clean = _clean_scores(values, criteria)
    if submit:
        missing = [c.name for c in criteria if c.pk not in clean]
        if missing:
            raise DomainError(
                _("Score every criterion before submitting: %(names)s.") % {"names": ", ".join(missing)},
                field="scores",
            )
    before = audit.snapshot(assignment)
    with transaction.atomic():
        existing = {s.criterion_id: s for s in assignment.scores.all()}
        for criterion_id, value in clean.items():
            note = (comments.get(criterion_id) or "").strip()[:2000]
            score = existing.get(criterion_id)
            if score is None:
                Score.objects.create(
                    city_id=assignment.city_id,
                    assignment=assignment,
                    criterion_id=criterion_id,
                    value=value,
                    comment=note,
                )
            elif score.value != value or score.comment != note:
                score.value, score.comment = value, note
                score.save(update_fields=["value", "comment"])
        assignment.comment = comment.strip()[:4000]
        if submit:
            assignment.total = weighted_total(clean, criteria)
            assignment.submitted_at = now
        assignment.save(update_fields=["comment", "total", "submitted_at"])
        audit.record_update(actor=actor, obj=assignment, before=before, note="scores")
    return assignment
