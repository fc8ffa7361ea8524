import datetime as dt

import pytest
from django.utils import timezone

from learningcity.core.errors import DomainError
from learningcity.core.models import AuditEntry

from ..models import Entry, EntryFile, EntryVersion
from ..services.submissions import entry_submit, entry_update
from .factories import jpeg_with_gps, mp3_with_tags, setup_competition, text_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def comp(city, people):
    return setup_competition(city)


def test_resident_submits_a_poem_with_audio_and_gets_a_receipt(comp, people):
    competition, poems, _arts, _ = comp
    entry = entry_submit(
        actor=people["resident"],
        competition=competition,
        category=poems,
        title="Sơn La mùa hoa ban",
        files=[text_file(), mp3_with_tags()],
        team_members="Lò Văn A\n\n",
    )
    assert entry.receipt.startswith("SL24-THO-")
    assert len(entry.receipt) == 15
    assert entry.blind_code == "THO-001"
    assert entry.entrant == people["resident"]
    assert sorted(entry.files.values_list("kind", flat=True)) == ["audio", "text"]
    assert entry.team_list() == ["Lò Văn A"]
    assert AuditEntry.objects.filter(object_type="competitions.entry", action="create").count() == 1
    second = entry_submit(actor=people["resident"], competition=competition, category=poems, title="Bài hai")
    assert second.blind_code == "THO-002"
    assert second.receipt != entry.receipt


def test_late_entries_are_refused_and_nothing_changes(comp, people):
    competition, poems, *_ = comp
    with pytest.raises(DomainError, match="deadline"):
        entry_submit(
            actor=people["resident"],
            competition=competition,
            category=poems,
            title="Muộn",
            files=[text_file()],
            now=competition.closes_at + dt.timedelta(seconds=1),
        )
    assert not Entry.objects.exists()
    assert not EntryFile.objects.exists()


def test_a_bad_file_refuses_the_whole_entry(comp, people):
    competition, _poems, arts, _ = comp
    with pytest.raises(DomainError, match="not an accepted type"):
        entry_submit(
            actor=people["resident"],
            competition=competition,
            category=arts,
            title="Tranh",
            files=[jpeg_with_gps(), text_file()],
        )
    assert not Entry.objects.exists()
    assert not EntryFile.objects.exists()


def test_edit_before_deadline_keeps_the_earlier_version(comp, people):
    competition, poems, *_ = comp
    entry = entry_submit(
        actor=people["resident"],
        competition=competition,
        category=poems,
        title="Bản nháp",
        files=[text_file()],
    )
    first_file = entry.files.get()
    entry_update(
        actor=people["resident"], entry=entry, title="Bản cuối", files=[text_file(body="Bài thơ mới")]
    )
    entry.refresh_from_db()
    assert entry.version == 2
    assert entry.title == "Bản cuối"
    old = EntryVersion.objects.get(entry=entry)
    assert old.number == 1
    assert old.title == "Bản nháp"
    assert old.file_ids == [first_file.pk]
    first_file.refresh_from_db()
    assert first_file.removed_in_version == 2  # kept, no longer current
    assert entry.files.filter(removed_in_version__isnull=True).count() == 1


def test_edit_after_deadline_or_by_someone_else_is_refused(comp, people):
    competition, poems, *_ = comp
    entry = entry_submit(
        actor=people["resident"], competition=competition, category=poems, title="Bài", files=[text_file()]
    )
    with pytest.raises(DomainError):
        entry_update(actor=people["viewer"], entry=entry, title="Sửa")
    with pytest.raises(DomainError, match="deadline"):
        entry_update(actor=people["resident"], entry=entry, title="Sửa", now=competition.closes_at)
    entry.refresh_from_db()
    assert entry.title == "Bài"
    assert entry.version == 1


def test_eligibility_residence_age_and_teams(city, areas, people):
    competition, poems, *_ = setup_competition(
        city, residents_only=True, min_age=10, max_age=30, allow_teams=False
    )
    base = {"actor": people["resident"], "competition": competition, "category": poems, "title": "Bài"}
    with pytest.raises(DomainError, match="residents"):
        entry_submit(**base, birth_year=2005)
    with pytest.raises(DomainError, match="at least 10"):
        entry_submit(**base, birth_year=timezone.now().year - 5, residence=areas["me_ban"])
    with pytest.raises(DomainError, match="individual"):
        entry_submit(**base, birth_year=2005, residence=areas["me_ban"], team_members="Bạn")
    assert entry_submit(**base, birth_year=2005, residence=areas["me_ban"]).pk


def test_staff_record_paper_entries_received_before_the_deadline(comp, people):
    competition, poems, *_ = comp
    entry = entry_submit(
        actor=people["city_admin"],
        competition=competition,
        category=poems,
        title="Bài thơ viết tay",
        entrant_name="Cầm Thị Hoa",
        received_at=competition.closes_at - dt.timedelta(days=1),
    )
    assert entry.entrant is None
    assert entry.entrant_name == "Cầm Thị Hoa"
    with pytest.raises(DomainError, match="Only staff"):
        entry_submit(
            actor=people["viewer"],
            competition=competition,
            category=poems,
            title="x",
            entrant_name="y",
            received_at=competition.closes_at,
        )
    with pytest.raises(DomainError, match="outside"):
        entry_submit(
            actor=people["city_admin"],
            competition=competition,
            category=poems,
            title="x",
            entrant_name="y",
            received_at=competition.closes_at + dt.timedelta(days=1),
        )
