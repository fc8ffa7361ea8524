"""Entries: submitted by residents with an account before the deadline, or entered by staff for paper entries.

Every file is checked by content (files.check_file); an edit before the deadline keeps the earlier version;
each entry gets a receipt number, shown at once and sent by email when the entrant has an address.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learningcity.core import audit
from learningcity.core.errors import DomainError
from learningcity.core.models import Area, User
from learningcity.core.text import fold, normalize

from ..models import Category, Competition, Entry, EntryFile, EntryStatus, EntryVersion, Phase
from .access import can_manage
from .files import CheckedFile, check_file

_RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_receipt(competition: Competition, category: Category) -> str:
    suffix = "".join(secrets.choice(_RECEIPT_ALPHABET) for _ in range(6))
    return f"{competition.code}-{category.code}-{suffix}"


def next_blind_code(category: Category) -> str:
    taken = Entry.objects.filter(competition_id=category.competition_id, category=category).count()
    return f"{category.code}-{taken + 1:03d}"


def _check_files(category: Category, uploads: Iterable[Any]) -> list[CheckedFile]:
    checked = [
        check_file(u, allowed_kinds=category.allowed_kinds, max_bytes=category.max_file_bytes)
        for u in uploads
    ]
    if len(checked) > category.max_files:
        raise DomainError(
            _("At most %(n)s files per entry in this category.") % {"n": category.max_files}, field="files"
        )
    return checked


def _team(text: str, competition: Competition) -> str:
    members = [normalize(line) for line in (text or "").splitlines() if line.strip()]
    if members and not competition.allow_teams:
        raise DomainError(_("This competition takes individual entries only."), field="team_members")
    if len(members) + 1 > competition.max_team_size:
        raise DomainError(
            _("A team may have at most %(n)s people, the entrant included.")
            % {"n": competition.max_team_size},
            field="team_members",
        )
    return "\n".join(members)


def _check_eligibility(
    competition: Competition, *, birth_year: int | None, residence: Area | None, at: dt.datetime
) -> None:
    if competition.residents_only:
        if residence is None:
            raise DomainError(
                _("Say where you live: this competition is for residents of the city."), field="residence"
            )
        if residence.city_id != competition.city_id:
            raise DomainError(_("This competition is for residents of the city."), field="residence")
    if competition.min_age is not None or competition.max_age is not None:
        if not birth_year:
            raise DomainError(
                _("Give the year of birth: this competition has age limits."), field="birth_year"
            )
        age = at.year - birth_year
        if competition.min_age is not None and age < competition.min_age:
            raise DomainError(
                _("Entrants must be at least %(n)s years old.") % {"n": competition.min_age},
                field="birth_year",
            )
        if competition.max_age is not None and age > competition.max_age:
            raise DomainError(
                _("Entrants must be at most %(n)s years old.") % {"n": competition.max_age},
                field="birth_year",
            )


def _save_files(entry: Entry, checked: list[CheckedFile], version: int) -> list[EntryFile]:
    saved = []
    for item in checked:
        token = uuid.uuid4().hex
        ef = EntryFile(
            city_id=entry.city_id,
            entry=entry,
            token=token,
            kind=item.kind,
            file_format=item.file_format,
            content_type=item.content_type,
            size=len(item.data),
            sha256=item.sha256,
            original_name=item.original_name,
            added_in_version=version,
        )
        ef.file.save(f"f.{item.file_format}", ContentFile(item.data), save=False)
        ef.save()
        saved.append(ef)
    return saved


def _require_paper_entry_allowed(
    actor, competition: Competition, *, received_at: dt.datetime, entrant_name: str
) -> None:
    if not can_manage(actor, competition.city_id):
        raise DomainError(_("Only staff may enter paper entries."), code="forbidden")
    if not entrant_name.strip():
        raise DomainError(_("Give the entrant's name."), field="entrant_name")
    if received_at > competition.closes_at or received_at < competition.opens_at:
        raise DomainError(
            _("This paper entry arrived outside the period for entries; it cannot be accepted."),
            field="received_at",
        )
    if competition.results_approved_at:
        raise DomainError(_("The results are approved; no more entries can be added."))


def _require_room_for_another(actor, competition: Competition, category: Category) -> None:
    """A resident has at most the competition's number of live entries per category."""
    mine = Entry.objects.filter(
        competition=competition, category=category, entrant=actor, status=EntryStatus.SUBMITTED
    ).count()
    if mine >= competition.max_entries_per_person:
        raise DomainError(
            _("You already have %(n)s entries in this category, the most allowed.")
            % {"n": competition.max_entries_per_person},
            field="category",
        )


def entry_submit(
    *,
    actor,
    competition: Competition,
    category: Category,
    title: str,
    description: str = "",
    team_members: str = "",
    files: Iterable[Any] = (),
    gallery_consent: bool = False,
    birth_year: int | None = None,
    residence: Area | None = None,
    entrant_name: str = "",
    entrant_contact: str = "",
    received_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> Entry:
    """A resident's own entry, or (with received_at) a paper entry typed in by staff."""
    now = now or timezone.now()
    if actor is None or not actor.is_authenticated:
        raise DomainError(_("Log in to submit an entry."), code="forbidden")
    paper = received_at is not None
    if received_at is not None:
        _require_paper_entry_allowed(actor, competition, received_at=received_at, entrant_name=entrant_name)
    elif competition.phase_at(now) != Phase.OPEN:
        if now >= competition.closes_at:
            raise DomainError(_("The deadline for entries has passed; late entries cannot be accepted."))
        raise DomainError(_("This competition is not open for entries yet."))
    if category.competition_id != competition.pk:
        raise DomainError(_("Choose a category of this competition."), field="category")
    title = normalize(title)
    if not title:
        raise DomainError(_("Give your entry a title."), field="title")
    at = received_at or now
    _check_eligibility(competition, birth_year=birth_year, residence=residence, at=at)
    team = _team(team_members, competition)
    if not paper:
        _require_room_for_another(actor, competition, category)
    checked = _check_files(category, files)
    if category.files_required and not checked:
        raise DomainError(_("Attach at least one file to your entry."), field="files")
    with transaction.atomic():
        Competition.objects.select_for_update().filter(pk=competition.pk).first()  # one numbering at a time
        name = normalize(entrant_name) if paper else (actor.full_name or actor.username)
        entry = Entry.objects.create(
            city_id=competition.city_id,
            competition=competition,
            category=category,
            entrant=None if paper else actor,
            entered_by=actor,
            entrant_name=name,
            entrant_contact=normalize(entrant_contact) or ("" if paper else actor.email),
            birth_year=birth_year,
            residence=residence,
            team_members=team,
            title=title,
            description=normalize(description),
            receipt=new_receipt(competition, category),
            blind_code=next_blind_code(category),
            gallery_consent=gallery_consent,
            submitted_at=at,
            search_text=fold(f"{title} {name} {team}")[:600],
        )
        _save_files(entry, checked, version=1)
        audit.record_create(actor=actor, obj=entry, note=entry.receipt)
        if entry.entrant_contact and "@" in entry.entrant_contact:
            from ..tasks import send_receipt

            entry_id = entry.pk
            transaction.on_commit(lambda: send_receipt.enqueue(entry_id))
    return entry


def can_edit(user, entry: Entry, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    if entry.status != EntryStatus.SUBMITTED:
        return False
    own = user.is_authenticated and entry.entrant_id == user.pk
    return own and entry.competition.phase_at(now) == Phase.OPEN


def entry_update(
    *,
    actor,
    entry: Entry,
    title: str,
    description: str = "",
    team_members: str = "",
    files: Iterable[Any] = (),
    gallery_consent: bool | None = None,
    now: dt.datetime | None = None,
) -> Entry:
    """Edit before the deadline: the previous version is kept; new files replace the current ones."""
    now = now or timezone.now()
    competition = entry.competition
    if not (actor.is_authenticated and entry.entrant_id == actor.pk):
        raise DomainError(_("Only the entrant may change this entry."), code="forbidden")
    if competition.phase_at(now) != Phase.OPEN:
        raise DomainError(_("The deadline for entries has passed; the entry can no longer be changed."))
    if entry.status != EntryStatus.SUBMITTED:
        raise DomainError(_("This entry was withdrawn."))
    title = normalize(title)
    if not title:
        raise DomainError(_("Give your entry a title."), field="title")
    team = _team(team_members, competition)
    checked = _check_files(entry.category, files)
    before = audit.snapshot(entry)
    with transaction.atomic():
        current = list(entry.files.filter(removed_in_version__isnull=True).values_list("id", flat=True))
        EntryVersion.objects.create(
            city_id=entry.city_id,
            entry=entry,
            number=entry.version,
            title=entry.title,
            description=entry.description,
            team_members=entry.team_members,
            category_id_then=entry.category_id,
            file_ids=current,
            created_at=now,
        )
        entry.version += 1
        entry.title = title
        entry.description = normalize(description)
        entry.team_members = team
        if gallery_consent is not None:
            entry.gallery_consent = gallery_consent
        entry.search_text = fold(f"{title} {entry.entrant_name} {team}")[:600]
        entry.save()
        if checked:
            entry.files.filter(pk__in=current).update(removed_in_version=entry.version)
            _save_files(entry, checked, version=entry.version)
        audit.record_update(actor=actor, obj=entry, before=before, note=f"version {entry.version}")
    return entry


def entry_withdraw(*, actor, entry: Entry, now: dt.datetime | None = None) -> Entry:
    now = now or timezone.now()
    own = actor.is_authenticated and entry.entrant_id == actor.pk
    if not own and not can_manage(actor, entry.city_id):
        raise DomainError(_("Only the entrant or staff may withdraw this entry."), code="forbidden")
    if own and entry.competition.phase_at(now) != Phase.OPEN:
        raise DomainError(_("The deadline has passed; ask the organisers to withdraw the entry."))
    before = audit.snapshot(entry)
    with transaction.atomic():
        entry.status = EntryStatus.WITHDRAWN
        entry.save(update_fields=["status", "updated_at"])
        entry.assignments.filter(submitted_at__isnull=True).delete()
        audit.record_update(actor=actor, obj=entry, before=before)
    return entry


def entrant_user_for(entry: Entry) -> User | None:
    return entry.entrant
