"""Ranking with optional z-score normalisation, explicit ties, the jury's approval, publication, and the
public's separate "people's choice" votes."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learningcity.core import audit, ratelimit
from learningcity.core.bulk import insert_rows
from learningcity.core.errors import DomainError

from ..models import Assignment, Competition, Entry, EntryStatus, Phase, Result, TiePolicy, Vote
from .access import require_manager


@dataclass
class Ranked:
    entry_id: int
    rank: int
    tied: bool
    raw_mean: float
    normalised: float | None
    reviews: int


def judge_stats(reviews: Iterable[tuple[int, int, float]]) -> dict[int, tuple[float, float]]:
    """Each judge's mean and standard deviation over all her submitted totals."""
    sums: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for _entry, judge, total in reviews:
        acc = sums[judge]
        acc[0] += 1
        acc[1] += total
        acc[2] += total * total
    stats = {}
    for judge, (n, s, s2) in sums.items():
        mean = s / n
        var = max(s2 / n - mean * mean, 0.0)
        stats[judge] = (mean, math.sqrt(var))
    return stats


def rank_entries(
    reviews: list[tuple[int, int, float]],
    *,
    normalise: bool,
    tie_policy: str = TiePolicy.RAW_THEN_SHARED,
    stats: dict[int, tuple[float, float]] | None = None,
) -> list[Ranked]:
    """reviews: (entry_id, judge_id, total 0-100). Highest first; entries equal on the ranking key share a rank
    (1, 1, 3: standard competition ranking) and are flagged as tied."""
    if normalise and stats is None:
        stats = judge_stats(reviews)
    raw: dict[int, list[float]] = defaultdict(lambda: [0.0, 0])
    zsum: dict[int, float] = defaultdict(float)
    for entry, judge, total in reviews:
        acc = raw[entry]
        acc[0] += total
        acc[1] += 1
        if normalise:
            assert stats is not None
            mean, sd = stats[judge]
            zsum[entry] += (total - mean) / sd if sd > 1e-9 else 0.0
    rows = []
    for entry, (s, n) in raw.items():
        raw_mean = round(s / n, 4)
        norm = round(zsum[entry] / n, 6) if normalise else None
        rows.append((entry, raw_mean, norm, int(n)))

    def key(row):
        primary = row[2] if normalise else row[1]
        if tie_policy == TiePolicy.RAW_THEN_SHARED and normalise:
            return (primary, row[1])
        return (primary,)

    rows.sort(key=lambda r: (tuple(-x for x in key(r)), r[0]))
    ranked: list[Ranked] = []
    previous = None
    rank = 0
    for position, row in enumerate(rows, start=1):
        k = key(row)
        if k != previous:
            rank = position
            previous = k
        ranked.append(
            Ranked(entry_id=row[0], rank=rank, tied=False, raw_mean=row[1], normalised=row[2], reviews=row[3])
        )
    counts: dict[int, int] = defaultdict(int)
    for r in ranked:
        counts[r.rank] += 1
    for r in ranked:
        r.tied = counts[r.rank] > 1
    return ranked


def _submitted_reviews(competition: Competition) -> list[tuple[int, int, int, float]]:
    """(entry, category, judge, total) of every submitted review of an active entry: two plain queries, joined
    here (a join in SQL can get a poor plan on freshly loaded tables)."""
    category_of = dict(
        Entry.objects.filter(competition=competition, status=EntryStatus.SUBMITTED).values_list(
            "id", "category_id"
        )
    )
    rows = Assignment.objects.filter(competition=competition, submitted_at__isnull=False).values_list(
        "entry_id", "judge_id", "total"
    )
    return [(e, category_of[e], j, t or 0.0) for e, j, t in rows if e in category_of]


def results_compute(*, actor, competition: Competition) -> int:
    """Rank every category from the submitted scores; replaces a previous draft (never approved results)."""
    require_manager(actor, competition.city_id)
    if competition.results_approved_at:
        raise DomainError(_("The results are already approved; withdraw the approval to compute them again."))
    rows = _submitted_reviews(competition)
    if not rows:
        raise DomainError(_("No judge has submitted scores yet."))
    stats = judge_stats((e, j, t) for e, _c, j, t in rows) if competition.normalise_scores else None
    per_category: dict[int, list[tuple[int, int, float]]] = defaultdict(list)
    for entry, category, judge, total in rows:
        per_category[category].append((entry, judge, total))
    results = []
    for category, reviews in per_category.items():
        for r in rank_entries(
            reviews, normalise=competition.normalise_scores, tie_policy=competition.tie_policy, stats=stats
        ):
            results.append(
                (
                    competition.city_id,
                    competition.pk,
                    category,
                    r.entry_id,
                    r.rank,
                    r.tied,
                    r.raw_mean,
                    r.normalised,
                    r.reviews,
                    "",
                    "",
                )
            )
    with transaction.atomic():
        Result.objects.filter(competition=competition).delete()
        insert_rows(
            Result,
            [
                "city_id",
                "competition_id",
                "category_id",
                "entry_id",
                "rank",
                "tied",
                "raw_mean",
                "normalised",
                "reviews",
                "prize",
                "note",
            ],
            results,
        )
        competition.results_computed_at = timezone.now()
        competition.save(update_fields=["results_computed_at", "updated_at"])
        audit.record(
            actor=actor, action="update", obj=competition, note=f"results computed: {len(results)} entries"
        )
    return len(results)


def result_adjust(*, actor, result: Result, rank: int, note: str) -> Result:
    """The jury meeting settles a tie or corrects a rank by hand, always with a written reason."""
    require_manager(actor, result.city_id)
    if result.competition.results_approved_at:
        raise DomainError(_("The results are approved; ranks can no longer change."))
    if rank < 1:
        raise DomainError(_("A rank starts at 1."), field="rank")
    if not note.strip():
        raise DomainError(_("Write down why the jury changed this rank."), field="note")
    before = audit.snapshot(result)
    with transaction.atomic():
        result.rank = rank
        result.note = note.strip()[:300]
        result.save(update_fields=["rank", "note"])
        # Recompute the tie flags of the category.
        ranks = defaultdict(list)
        for r in Result.objects.filter(category_id=result.category_id):
            ranks[r.rank].append(r)
        for group in ranks.values():
            for r in group:
                if r.tied != (len(group) > 1):
                    r.tied = len(group) > 1
                    r.save(update_fields=["tied"])
        audit.record_update(actor=actor, obj=result, before=before)
    return result


def unresolved_ties(competition: Competition) -> list[Result]:
    """Tied results within the prize positions: the jury must settle or accept them explicitly."""
    return list(
        Result.objects.filter(
            competition=competition, tied=True, rank__lte=competition.winners_per_category
        ).select_related("entry", "category")
    )


def results_approve(*, actor, competition: Competition, accept_ties: bool = False) -> Competition:
    require_manager(actor, competition.city_id)
    if not competition.results_computed_at or not Result.objects.filter(competition=competition).exists():
        raise DomainError(_("Compute the results before approving them."))
    if unresolved_ties(competition) and not accept_ties:
        raise DomainError(
            _(
                "Some prize positions are tied. Settle the ties or confirm that the tied entries share the prize."
            ),
            field="accept_ties",
        )
    before = audit.snapshot(competition)
    with transaction.atomic():
        competition.results_approved_at = timezone.now()
        competition.results_approved_by = actor
        competition.save(update_fields=["results_approved_at", "results_approved_by", "updated_at"])
        audit.record_update(actor=actor, obj=competition, before=before, note="results approved")
    return competition


def results_unapprove(*, actor, competition: Competition) -> Competition:
    require_manager(actor, competition.city_id)
    if competition.results_published_at:
        raise DomainError(_("Published results cannot be withdrawn here."))
    before = audit.snapshot(competition)
    with transaction.atomic():
        competition.results_approved_at = None
        competition.results_approved_by = None
        competition.save(update_fields=["results_approved_at", "results_approved_by", "updated_at"])
        audit.record_update(actor=actor, obj=competition, before=before, note="approval withdrawn")
    return competition


def results_publish(*, actor, competition: Competition, now: dt.datetime | None = None) -> Competition:
    require_manager(actor, competition.city_id)
    if not competition.results_approved_at:
        raise DomainError(_("The results must be approved before they are published."))
    before = audit.snapshot(competition)
    with transaction.atomic():
        competition.results_published_at = now or timezone.now()
        competition.save(update_fields=["results_published_at", "updated_at"])
        audit.record_update(actor=actor, obj=competition, before=before, note="results published")
    return competition


def vote_cast(*, actor, entry: Entry, now: dt.datetime | None = None) -> Vote:
    """People's choice: one vote per account and category, limited in rate, kept apart from the jury."""
    now = now or timezone.now()
    if actor is None or not actor.is_authenticated:
        raise DomainError(_("Log in to vote."), code="forbidden")
    competition = entry.competition
    if not competition.peoples_choice:
        raise DomainError(_("This competition has no people's choice vote."))
    if competition.phase_at(now) in (Phase.ANNOUNCED, Phase.CLOSED):
        raise DomainError(_("Voting is not open."))
    if not entry.gallery_consent or entry.status != EntryStatus.SUBMITTED:
        raise DomainError(_("This entry is not in the public gallery."))
    ratelimit.hit("vote", f"user:{actor.pk}")  # shared by every process (core.ratelimit); RateLimited over it
    if Vote.objects.filter(category_id=entry.category_id, voter=actor).exists():
        raise DomainError(_("You have already voted in this category: one vote per person."))
    with transaction.atomic():
        vote = Vote.objects.create(
            city_id=entry.city_id, category_id=entry.category_id, entry=entry, voter=actor
        )
        audit.record_create(actor=actor, obj=vote)
    return vote
