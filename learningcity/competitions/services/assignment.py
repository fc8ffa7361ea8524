"""Conflicts of interest and the balanced assignment of entries to judges.

`plan_assignments` is the algorithm, free of the database: every entry gets at least k judges of its
category's jury, never a judge with a conflict, and the judges' loads stay as even as the conflicts allow (the
most constrained entries are served first, each by the least-loaded judges, through a heap with lazy updates).
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learningcity.core import audit
from learningcity.core.bulk import db_datetime, insert_rows
from learningcity.core.errors import DomainError
from learningcity.core.models import User

from ..models import Assignment, Competition, Conflict, ConflictSource, Entry, EntryStatus, JuryMember
from .access import can_manage, require_judge, require_manager


@dataclass
class Plan:
    pairs: list[tuple[int, int]] = field(default_factory=list)  # (entry_id, judge_id) to add
    short: dict[int, int] = field(default_factory=dict)  # entry_id -> judges still missing
    loads: dict[int, int] = field(default_factory=dict)


def _least_loaded(
    heap: list[tuple[int, int, int]], load: Mapping[int, int], need: int, *, excluded: set[int]
) -> list[int]:
    """Up to `need` judges off the heap, least loaded first, none of them excluded; the heap keeps the others.

    Heap items are (load, order, judge), all distinct, so the order of pushes never changes the order of pops."""
    chosen: list[int] = []
    skipped: list[tuple[int, int, int]] = []
    while heap and len(chosen) < need:
        item = heapq.heappop(heap)
        item_load, order, judge = item
        if item_load != load[judge]:  # stale: the judge took work in another category
            heapq.heappush(heap, (load[judge], order, judge))
            continue
        if judge in excluded:
            skipped.append(item)
            continue
        chosen.append(judge)
    for item in skipped:
        heapq.heappush(heap, item)
    return chosen


def plan_assignments(
    *,
    entries: Iterable[tuple[int, int]],
    juries: Mapping[int, list[int]],
    conflicts: set[tuple[int, int]],
    existing: Mapping[int, set[int]] | None = None,
    k: int,
) -> Plan:
    """entries: (entry_id, category_id); juries: category_id -> judge ids; conflicts: (judge_id, entry_id)."""
    existing = existing or {}
    load: dict[int, int] = defaultdict(int)
    for judges in existing.values():
        for judge in judges:
            load[judge] += 1
    conflicts_of: dict[int, set[int]] = defaultdict(set)
    for judge, entry in conflicts:
        conflicts_of[entry].add(judge)
    by_category: dict[int, list[int]] = defaultdict(list)
    for entry_id, category_id in entries:
        by_category[category_id].append(entry_id)
    plan = Plan()
    counter = 0
    for category_id, entry_ids in by_category.items():
        jury = juries.get(category_id, [])
        jury_set = set(jury)
        heap: list[tuple[int, int, int]] = []
        for judge in jury:
            heap.append((load[judge], counter, judge))
            counter += 1
        heapq.heapify(heap)

        # Most constrained first: fewest judges free of conflicts.
        freedom = {
            e: len(jury_set - conflicts_of[e]) if e in conflicts_of else len(jury_set) for e in entry_ids
        }
        for entry_id in sorted(entry_ids, key=freedom.__getitem__):
            have = existing.get(entry_id, set())
            need = k - len(have)
            if need <= 0:
                continue
            chosen = _least_loaded(heap, load, need, excluded=conflicts_of.get(entry_id, set()) | have)
            for judge in chosen:
                load[judge] += 1
                counter += 1
                heapq.heappush(heap, (load[judge], counter, judge))
                plan.pairs.append((entry_id, judge))
            if len(chosen) < need:
                plan.short[entry_id] = need - len(chosen)
    plan.loads = dict(load)
    return plan


def assignments_auto(*, actor, competition: Competition) -> Plan:
    """Top up every active entry to the competition's judges per entry; existing (manual) assignments stay."""
    require_manager(actor, competition.city_id)
    if competition.results_approved_at:
        raise DomainError(_("The results are approved; assignments can no longer change."))
    entries = list(
        Entry.objects.filter(competition=competition, status=EntryStatus.SUBMITTED).values_list(
            "id", "category_id"
        )
    )
    juries: dict[int, list[int]] = defaultdict(list)
    for category_id, judge_id in JuryMember.objects.filter(category__competition=competition).values_list(
        "category_id", "judge_id"
    ):
        juries[category_id].append(judge_id)
    conflicts = set(Conflict.objects.filter(competition=competition).values_list("judge_id", "entry_id"))
    existing: dict[int, set[int]] = defaultdict(set)
    for entry_id, judge_id in Assignment.objects.filter(competition=competition).values_list(
        "entry_id", "judge_id"
    ):
        existing[entry_id].add(judge_id)
    plan = plan_assignments(
        entries=entries,
        juries=juries,
        conflicts=conflicts,
        existing=existing,
        k=competition.reviews_per_entry,
    )
    created = db_datetime(timezone.now())
    city_id, competition_id = competition.city_id, competition.pk
    with transaction.atomic():
        insert_rows(
            Assignment,
            ["city_id", "competition_id", "entry_id", "judge_id", "manual", "comment", "created_at"],
            ((city_id, competition_id, e, j, False, "", created) for e, j in plan.pairs),
        )
        audit.record(
            actor=actor,
            action="create",
            obj=competition,
            note=f"automatic assignment: {len(plan.pairs)} added, {len(plan.short)} entries short",
        )
    return plan


def _conflicted(judge_id: int, entry: Entry) -> bool:
    return Conflict.objects.filter(judge_id=judge_id, entry=entry).exists()


def assignment_add(*, actor, entry: Entry, judge: User) -> Assignment:
    require_manager(actor, entry.city_id)
    if not JuryMember.objects.filter(category_id=entry.category_id, judge=judge).exists():
        raise DomainError(_("This judge is not on the jury of the entry's category."), field="judge")
    if _conflicted(judge.pk, entry):
        raise DomainError(_("This judge has a conflict of interest with the entry."), field="judge")
    if Assignment.objects.filter(entry=entry, judge=judge).exists():
        raise DomainError(_("This judge already reviews the entry."), field="judge")
    with transaction.atomic():
        assignment = Assignment.objects.create(
            city_id=entry.city_id, competition_id=entry.competition_id, entry=entry, judge=judge, manual=True
        )
        audit.record_create(actor=actor, obj=assignment)
    return assignment


def assignment_remove(*, actor, assignment: Assignment) -> None:
    require_manager(actor, assignment.city_id)
    if assignment.submitted_at:
        raise DomainError(_("This judge has already scored the entry; the review cannot be removed."))
    with transaction.atomic():
        audit.record_delete(actor=actor, obj=assignment)
        assignment.delete()


def conflict_declare(*, actor, entry: Entry, reason: str = "") -> Conflict:
    """A judge says she knows the entrant: she will neither be assigned the entry nor be able to open it."""
    require_judge(actor, entry.city_id)
    if not JuryMember.objects.filter(category_id=entry.category_id, judge=actor).exists():
        raise DomainError(_("You are not on the jury of this category."), code="forbidden")
    return _conflict_create(
        actor=actor, judge=actor, entry=entry, reason=reason, source=ConflictSource.DECLARED
    )


def conflict_set(
    *,
    actor,
    competition: Competition,
    judge: User,
    entry: Entry | None = None,
    entrant: User | None = None,
    reason: str = "",
) -> list[Conflict]:
    """Staff record a conflict with one entry, or with every entry of one entrant."""
    require_manager(actor, competition.city_id)
    if entry is None and entrant is None:
        raise DomainError(_("Choose an entry or an entrant."), field="entry")
    entries = (
        [entry] if entry is not None else list(Entry.objects.filter(competition=competition, entrant=entrant))
    )
    if any(e.competition_id != competition.pk for e in entries):
        raise DomainError(_("The entry belongs to another competition."), field="entry")
    return [
        _conflict_create(actor=actor, judge=judge, entry=e, reason=reason, source=ConflictSource.STAFF)
        for e in entries
    ]


def _conflict_create(*, actor, judge: User, entry: Entry, reason: str, source: str) -> Conflict:
    if entry.competition.results_approved_at:
        raise DomainError(_("The results are approved; conflicts can no longer change."))
    with transaction.atomic():
        conflict, created = Conflict.objects.get_or_create(
            judge=judge,
            entry=entry,
            defaults={
                "city_id": entry.city_id,
                "competition_id": entry.competition_id,
                "source": source,
                "reason": reason[:300],
                "created_by": actor,
            },
        )
        if created:
            audit.record_create(actor=actor, obj=conflict)
        # A conflict undoes the review, scores included: they must not count.
        for assignment in Assignment.objects.filter(entry=entry, judge=judge):
            audit.record_delete(actor=actor, obj=assignment, note="conflict of interest")
            assignment.delete()
    return conflict


def conflict_remove(*, actor, conflict: Conflict) -> None:
    if not can_manage(actor, conflict.city_id):
        raise DomainError(_("Only staff may lift a conflict of interest."), code="forbidden")
    with transaction.atomic():
        audit.record_delete(actor=actor, obj=conflict)
        conflict.delete()
