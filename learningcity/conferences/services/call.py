"""The call for contributions. Its review is the competitions engine's: the call is a competition of the
organising city (one category per kind of contribution, the rubric as its criteria), so blind review,
conflicts, balanced assignment, normalisation and the jury's pages are those of competitions, reached only
through competitions' services and selectors. This module adds what a conference needs on top: the
organiser's questions, decisions with e-mails, talks with speakers, and publishing a practice to the network."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from learningcity.competitions.models import FileKind
from learningcity.competitions.services import competitions as competition_services
from learningcity.competitions.services import submissions as submission_services
from learningcity.core import audit
from learningcity.core.errors import DomainError
from learningcity.core.models import City
from learningcity.core.text import normalize

from ..models import Contribution, ContributionKind, Decision, Event, Session, SessionKind, Speaker
from .access import require_manager
from .schedule import session_save, speaker_add

KIND_CODES: dict[str, str] = {
    ContributionKind.PRACTICE: "GP",
    ContributionKind.PAPER: "PA",
    ContributionKind.POSTER: "PO",
}
KIND_NAMES_VI: dict[str, str] = {
    ContributionKind.PRACTICE: "Thực hành tốt",
    ContributionKind.PAPER: "Bài tham luận",
    ContributionKind.POSTER: "Áp phích",
}


def call_open(
    *,
    actor,
    event: Event,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    judging_ends_at: dt.datetime,
    kinds: list[str],
    criteria: list[tuple[str, str, float]],
    questions: list[str] = (),  # type: ignore[assignment]
    reviews_per_entry: int = 2,
) -> Event:
    """Open the call: a competition with a category per kind and the rubric; the questions stay here."""
    require_manager(actor, event)
    if event.competition_id:
        raise DomainError(_("This event already has a call for contributions."))
    kinds = [k for k in kinds if k in ContributionKind.values]
    if not kinds:
        raise DomainError(_("Choose what the call asks for."), field="kinds")
    if not criteria:
        raise DomainError(_("The review needs at least one criterion."), field="criteria")
    questions = [normalize(q)[:300] for q in questions if normalize(q)]
    with transaction.atomic():
        competition = competition_services.competition_create(
            actor=actor,
            city=event.city,
            slug=f"{event.slug}-call"[:80],
            code=(slugify(event.slug).replace("-", "")[:6] or "CALL").upper(),
            title_vi=f"Kêu gọi đóng góp: {event.title_vi}",
            title_en=f"Call for contributions: {event.title_en or event.title_vi}",
            announced_at=opens_at,
            opens_at=opens_at,
            closes_at=closes_at,
            judging_ends_at=judging_ends_at,
            residents_only=False,
            allow_teams=True,
            max_entries_per_person=3,
            reviews_per_entry=reviews_per_entry,
            normalise_scores=True,
            gallery_enabled=False,
            peoples_choice=False,
        )
        for kind in kinds:
            competition_services.category_create(
                actor=actor,
                competition=competition,
                code=KIND_CODES[kind],
                name_vi=KIND_NAMES_VI[kind],
                name_en=str(ContributionKind(kind).label),
                allowed_kinds=[FileKind.PDF, FileKind.TEXT, FileKind.IMAGE],
                files_required=False,
            )
        for name_vi, name_en, weight in criteria:
            competition_services.criterion_create(
                actor=actor, competition=competition, name_vi=name_vi, name_en=name_en, weight=weight
            )
        before = audit.snapshot(event)
        event.competition = competition
        event.call_questions = questions
        event.save(update_fields=["competition", "call_questions", "updated_at"])
        audit.record_update(actor=actor, obj=event, before=before)
    return event


def contribution_submit(
    *,
    actor,
    event: Event,
    kind: str,
    title: str,
    abstract: str = "",
    authors: str = "",
    answers: dict[str, str] | None = None,
    files=(),
    from_city: City | None = None,
    now: dt.datetime | None = None,
) -> Contribution:
    """A contribution to the call: an entry of the call's competition (files checked and cleaned there)."""
    competition = event.competition
    if competition is None:
        raise DomainError(_("This event has no call for contributions."))
    category = competition.categories.filter(code=KIND_CODES.get(kind, "?")).first()
    if category is None:
        raise DomainError(_("The call does not ask for this kind of contribution."), field="kind")
    answers = answers or {}
    cleaned = {}
    for question in event.call_questions:
        value = normalize(answers.get(question, ""))
        if not value:
            raise DomainError(_("Answer every question: %(q)s") % {"q": question}, field="answers")
        cleaned[question] = value[:4000]
    with transaction.atomic():
        entry = submission_services.entry_submit(
            actor=actor,
            competition=competition,
            category=category,
            title=title,
            description=abstract,
            team_members=authors,
            files=files,
            now=now,
        )
        contribution = Contribution.objects.create(
            city_id=event.city_id, event=event, entry=entry, kind=kind, answers=cleaned, from_city=from_city
        )
        audit.record_create(actor=actor, obj=contribution)
    return contribution


def _tell(contribution: Contribution, subject: str, body: str) -> None:
    user = submission_services.entrant_user_for(contribution.entry)
    email = user.email if user is not None else ""
    if email:
        transaction.on_commit(lambda: send_mail(subject, body, None, [email]))


def contribution_decide(
    *, actor, contribution: Contribution, accept: bool, session: Session | None = None, now=None
) -> Contribution:
    """Accept (the contribution becomes a talk: a new unscheduled session, or a speaker in the session given)
    or decline; the contributor is told by e-mail."""
    event = contribution.event
    require_manager(actor, event)
    if contribution.decision != Decision.PENDING:
        raise DomainError(_("This contribution was already decided."))
    if session is not None and session.event_id != event.pk:
        raise DomainError(_("Choose a session of this event."), field="session")
    entry = contribution.entry
    with transaction.atomic():
        before = audit.snapshot(contribution)
        contribution.decision = Decision.ACCEPTED if accept else Decision.REJECTED
        contribution.decided_at = now or timezone.now()
        if accept:
            user = submission_services.entrant_user_for(entry)
            speaker = Speaker.objects.create(
                city_id=event.city_id,
                event=event,
                user=user,
                name=entry.entrant_name[:200],
                organisation=(contribution.from_city.name if contribution.from_city else "")[:200],
            )
            if session is None:
                session = session_save(
                    actor=actor,
                    event=event,
                    title=entry.title,
                    abstract=entry.description,
                    kind=SessionKind.PARALLEL,
                    speakers=[speaker],
                )
            else:
                speaker_add(actor=actor, session=session, speaker=speaker)
            contribution.session = session
        contribution.save()
        audit.record_update(actor=actor, obj=contribution, before=before)
        if accept:
            _tell(
                contribution,
                _("Your contribution is accepted: %(e)s") % {"e": event.title},
                _("“%(t)s” is accepted and will be presented at %(e)s.")
                % {"t": entry.title, "e": event.title},
            )
        else:
            _tell(
                contribution,
                _("Your contribution: %(e)s") % {"e": event.title},
                _("Thank you for “%(t)s”. The committee could not include it in the programme.")
                % {"t": entry.title},
            )
    return contribution


def contribution_publish_practice(*, actor, contribution: Contribution, language: str = "en") -> int:
    """One step: an accepted good practice becomes a published practice of its city in the network's library
    (network's own service checks that the actor may edit that city's practices). Returns the practice id."""
    from learningcity.network.services.practices import practice_create

    if contribution.kind != ContributionKind.PRACTICE or contribution.decision != Decision.ACCEPTED:
        raise DomainError(_("Only an accepted good practice can be published to the library."))
    if contribution.practice_id:
        raise DomainError(_("This practice is already in the library."))
    if contribution.from_city is None:
        raise DomainError(_("Say which city the practice is from first."), field="from_city")
    entry = contribution.entry
    answers: dict[str, Any] = contribution.answers or {}
    base = slugify(entry.title)[:70] or "practice"
    with transaction.atomic():
        practice = practice_create(
            actor=actor,
            city=contribution.from_city,
            slug=f"{base}-{contribution.pk}",
            language=language,
            texts={
                "title": entry.title[:200],
                "summary": entry.description or entry.title,
                "results": "\n".join(f"{q}\n{a}" for q, a in answers.items()),
            },
            published=True,
        )
        before = audit.snapshot(contribution)
        contribution.practice_id = practice.pk
        contribution.save(update_fields=["practice_id", "updated_at"])
        audit.record_update(actor=actor, obj=contribution, before=before)
    return practice.pk
