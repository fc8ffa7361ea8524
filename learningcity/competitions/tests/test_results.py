import pytest
from django.core.cache import cache

from learningcity.core.errors import DomainError

from ..models import Assignment, Result, TiePolicy, Vote
from ..services.assignment import assignments_auto
from ..services.certificates import certificates_pdf
from ..services.results import (
    judge_stats,
    rank_entries,
    result_adjust,
    results_approve,
    results_compute,
    results_publish,
    vote_cast,
)
from ..services.scoring import scores_save
from ..services.submissions import entry_submit
from .factories import setup_competition, text_file


def test_z_scores_stop_a_harsh_judge_from_sinking_an_entry():
    # Judge 1 is harsh (scores 20-40), judge 2 generous (70-90). Entry A got the harsh judge's best score.
    reviews = [(1, 1, 40.0), (2, 1, 20.0), (3, 1, 30.0), (2, 2, 90.0), (3, 2, 70.0), (4, 2, 80.0)]
    raw = rank_entries(reviews, normalise=False)
    z = rank_entries(reviews, normalise=True)
    assert raw[0].entry_id == 4  # generous judge's middle score wins on raw averages
    assert z[0].entry_id == 1  # the harsh judge's best entry wins once judges are normalised
    stats = judge_stats(reviews)
    assert stats[1][0] == pytest.approx(30.0)


def test_ties_share_the_rank_and_are_flagged():
    reviews = [(1, 1, 80.0), (2, 1, 80.0), (3, 1, 60.0)]
    ranked = rank_entries(reviews, normalise=False, tie_policy=TiePolicy.SHARED)
    assert [(r.entry_id, r.rank, r.tied) for r in ranked] == [(1, 1, True), (2, 1, True), (3, 3, False)]


def test_raw_average_breaks_ties_of_normalised_scores():
    # Both judges give each entry the same z-score, but the raw averages differ.
    reviews = [(1, 1, 90.0), (2, 1, 50.0), (1, 2, 50.0), (2, 2, 10.0), (1, 3, 60.0), (2, 3, 60.0)]
    ranked = rank_entries(reviews, normalise=True, tie_policy=TiePolicy.RAW_THEN_SHARED)
    assert not any(r.tied for r in ranked)


@pytest.fixture
def scored(city, people):
    competition, poems, _arts, _panel = setup_competition(
        city, judges=3, winners_per_category=1, peoples_choice=True
    )
    entries = [
        entry_submit(
            actor=people["resident"],
            competition=competition,
            category=poems,
            title=f"Bài {i}",
            files=[text_file()],
            gallery_consent=True,
        )
        for i in range(3)
    ]
    assignments_auto(actor=people["city_admin"], competition=competition)
    content, artistry = competition.criteria.all()
    for a in Assignment.objects.select_related("entry"):
        value = {entries[0].pk: 9, entries[1].pk: 9, entries[2].pk: 4}[a.entry_id]
        scores_save(actor=a.judge, assignment=a, values={content.pk: value, artistry.pk: value})
    return competition, entries


@pytest.mark.django_db
def test_staff_compute_settle_ties_approve_then_publish(scored, people):
    competition, _entries = scored
    admin = people["city_admin"]
    with pytest.raises(DomainError, match="approved before"):
        results_publish(actor=admin, competition=competition)
    results_compute(actor=admin, competition=competition)
    tied = list(Result.objects.filter(rank=1))
    assert len(tied) == 2
    assert all(r.tied for r in tied)
    with pytest.raises(DomainError, match="tied"):
        results_approve(actor=admin, competition=competition)
    with pytest.raises(DomainError, match="why"):
        result_adjust(actor=admin, result=tied[1], rank=2, note=" ")
    result_adjust(actor=admin, result=tied[1], rank=2, note="Hội đồng bỏ phiếu 3-2")
    assert not Result.objects.filter(tied=True).exists()
    with pytest.raises(DomainError, match="administrators"):
        results_approve(actor=people["judge"], competition=competition)
    results_approve(actor=admin, competition=competition)
    results_publish(actor=admin, competition=competition)
    competition.refresh_from_db()
    assert competition.results_published_at is not None
    pdf = certificates_pdf(
        competition=competition, entries=list(competition.entries.select_related("category", "result"))
    )
    assert pdf.startswith(b"%PDF")
    assert pdf.count(b"/Type /Page\n") == 3
    assert b"NotoSans" in pdf  # the vendored font with Vietnamese glyphs is embedded


@pytest.mark.django_db
def test_peoples_choice_one_vote_per_account_and_rate_limited(scored, people):
    cache.clear()
    _competition, entries = scored
    vote_cast(actor=people["viewer"], entry=entries[0])
    with pytest.raises(DomainError, match="already voted"):
        vote_cast(actor=people["viewer"], entry=entries[1])
    for _ in range(4):
        with pytest.raises(DomainError):
            vote_cast(actor=people["viewer"], entry=entries[1])
    with pytest.raises(DomainError, match="Too many"):
        vote_cast(actor=people["viewer"], entry=entries[1])
    assert Vote.objects.count() == 1
    assert not Result.objects.exists()  # votes never touch the jury's results


@pytest.mark.django_db
def test_the_receipt_is_sent_by_email(city, people, mailoutbox):
    from ..tasks import send_receipt

    competition, poems, _arts, _panel = setup_competition(city)
    entry = entry_submit(
        actor=people["resident"], competition=competition, category=poems, title="Bài", files=[text_file()]
    )
    assert send_receipt.call(entry.pk) is True
    assert len(mailoutbox) == 1
    assert entry.receipt in mailoutbox[0].subject + mailoutbox[0].body
