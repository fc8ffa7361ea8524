import datetime as dt
from collections import Counter

import pytest

from learningcity.core.errors import DomainError
from learningcity.core.models import Role
from learningcity.core.tests.factories import user_with_role

from ..models import Assignment, Conflict, Score
from ..services.assignment import (
    assignment_add,
    assignment_remove,
    assignments_auto,
    conflict_declare,
    conflict_set,
    plan_assignments,
)
from ..services.scoring import assignment_for, scores_save
from ..services.submissions import entry_submit
from .factories import setup_competition, text_file


def test_plan_gives_every_entry_k_judges_even_loads_and_respects_conflicts():
    entries = [(e, 1 if e % 2 else 2) for e in range(1, 1001)]
    juries = {1: list(range(100, 110)), 2: list(range(100, 110))}
    conflicts = {(100 + e % 10, e) for e in range(1, 1001, 3)}
    plan = plan_assignments(entries=entries, juries=juries, conflicts=conflicts, k=3)
    per_entry = Counter(e for e, _j in plan.pairs)
    assert set(per_entry.values()) == {3}
    assert len(per_entry) == 1000
    assert not plan.short
    assert not conflicts & {(j, e) for e, j in plan.pairs}
    loads = Counter(j for _e, j in plan.pairs)
    assert max(loads.values()) - min(loads.values()) <= 1


def test_plan_reports_entries_it_cannot_cover():
    plan = plan_assignments(entries=[(1, 1)], juries={1: [10, 11]}, conflicts={(10, 1)}, k=2)
    assert plan.pairs == [(1, 11)]
    assert plan.short == {1: 1}


def test_plan_tops_up_existing_manual_assignments():
    plan = plan_assignments(
        entries=[(1, 1), (2, 1)], juries={1: [10, 11, 12]}, conflicts=set(), existing={1: {10}}, k=2
    )
    assert len([p for p in plan.pairs if p[0] == 1]) == 1
    assert (1, 10) not in plan.pairs


@pytest.fixture
def judged(city, people):
    competition, poems, _arts, panel = setup_competition(city, judges=3)
    entries = [
        entry_submit(
            actor=people["resident"],
            competition=competition,
            category=poems,
            title=f"Bài {i}",
            files=[text_file()],
        )
        for i in range(3)
    ]
    return competition, poems, panel, entries


@pytest.mark.django_db
def test_auto_assignment_skips_conflicts_and_keeps_manual_changes(judged, people):
    competition, _poems, panel, entries = judged
    conflict_set(
        actor=people["city_admin"],
        competition=competition,
        judge=panel[0],
        entrant=people["resident"],
        reason="mẹ",
    )
    with pytest.raises(DomainError, match="conflict"):
        assignment_add(actor=people["city_admin"], entry=entries[0], judge=panel[0])
    plan = assignments_auto(actor=people["city_admin"], competition=competition)
    assert len(plan.pairs) == 6
    assert not plan.short
    assert not Assignment.objects.filter(judge=panel[0]).exists()
    with pytest.raises(DomainError, match="administrators"):
        assignments_auto(actor=people["judge"], competition=competition)
    a = Assignment.objects.filter(entry=entries[0]).first()
    assignment_remove(actor=people["city_admin"], assignment=a)
    assert Assignment.objects.filter(entry=entries[0]).count() == 1


@pytest.mark.django_db
def test_scores_are_weighted_and_refused_outside_the_rubric(judged, people):
    competition, _poems, panel, _entries = judged
    assignments_auto(actor=people["city_admin"], competition=competition)
    a = Assignment.objects.filter(judge=panel[1]).first()
    content, artistry = competition.criteria.order_by("position")
    with pytest.raises(DomainError, match="between 0 and 10"):
        scores_save(actor=panel[1], assignment=a, values={content.pk: 11, artistry.pk: 5})
    with pytest.raises(DomainError, match="every criterion"):
        scores_save(actor=panel[1], assignment=a, values={content.pk: 5})
    assert not Score.objects.exists()
    scores_save(
        actor=panel[1], assignment=a, values={content.pk: 9, artistry.pk: 6}, comments={content.pk: "Hay"}
    )
    a.refresh_from_db()
    assert a.total == pytest.approx(100 * (2 * 0.9 + 1 * 0.6) / 3)
    assert a.scores.get(criterion=content).comment == "Hay"


@pytest.mark.django_db
def test_a_judge_cannot_score_an_entry_not_assigned_to_her(judged, people):
    competition, _poems, panel, entries = judged
    assignments_auto(actor=people["city_admin"], competition=competition)
    other = Assignment.objects.exclude(judge=panel[1]).first()
    content, artistry = competition.criteria.all()
    with pytest.raises(DomainError, match="not assigned to you"):
        scores_save(actor=panel[1], assignment=other, values={content.pk: 5, artistry.pk: 5})
    not_judge = user_with_role(competition.city, Role.VIEWER, username="v2")
    with pytest.raises(DomainError, match="Only judges"):
        assignment_for(judge=not_judge, entry=entries[0])
    assert not Score.objects.exists()


@pytest.mark.django_db
def test_a_declared_conflict_removes_the_review_and_blocks_opening(judged, people):
    competition, _poems, panel, _entries = judged
    assignments_auto(actor=people["city_admin"], competition=competition)
    a = Assignment.objects.filter(judge=panel[1]).first()
    conflict_declare(actor=panel[1], entry=a.entry, reason="Con tôi")
    assert Conflict.objects.get(judge=panel[1], entry=a.entry).source == "declared"
    assert not Assignment.objects.filter(pk=a.pk).exists()
    with pytest.raises(DomainError, match="conflict"):
        assignment_for(judge=panel[1], entry=a.entry)


@pytest.mark.django_db
def test_scores_after_judging_ends_are_refused(judged, people):
    competition, _poems, panel, _entries = judged
    assignments_auto(actor=people["city_admin"], competition=competition)
    a = Assignment.objects.filter(judge=panel[1]).first()
    content, artistry = competition.criteria.all()
    with pytest.raises(DomainError, match="ended"):
        scores_save(
            actor=panel[1],
            assignment=a,
            values={content.pk: 5, artistry.pk: 5},
            now=competition.judging_ends_at + dt.timedelta(seconds=1),
        )
