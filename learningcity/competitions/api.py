"""Competitions API: public lists and published results; blind judging for judges (token or session)."""

from django.http import Http404
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router

from learningcity.core.api_auth import api_city_get, token_or_session
from learningcity.core.errors import PermissionDeniedError
from learningcity.core.private_files import private_file_response
from learningcity.core.schemas import ErrorOut
from learningcity.core.tenancy import city_get

from . import selectors
from .models import Assignment, EntryFile
from .schemas import (
    BlindAssignmentOut,
    BlindEntryOut,
    CompetitionOut,
    ConflictIn,
    MessageOut,
    ResultsOut,
    ScoresIn,
)
from .services.access import is_judge
from .services.assignment import conflict_declare
from .services.certificates import prize_label
from .services.scoring import assignment_for, scores_save

router = Router(tags=["competitions"])


def _category_out(c) -> dict:
    return {
        "id": c.pk,
        "code": c.code,
        "name": c.name,
        "name_vi": c.name_vi,
        "name_en": c.name_en,
        "allowed_kinds": c.allowed_kinds,
        "max_file_bytes": c.max_file_bytes,
        "max_files": c.max_files,
    }


@router.get("/cities/{slug}/competitions", response=list[CompetitionOut], summary="The city's competitions")
def competitions(request, slug: str):
    city = city_get(slug)
    return [
        {
            "slug": c.slug,
            "title": c.title,
            "title_vi": c.title_vi,
            "title_en": c.title_en,
            "description": c.description,
            "phase": c.phase,
            "announced_at": c.announced_at,
            "opens_at": c.opens_at,
            "closes_at": c.closes_at,
            "judging_ends_at": c.judging_ends_at,
            "results_published": c.results_published_at is not None,
            "residents_only": c.residents_only,
            "min_age": c.min_age,
            "max_age": c.max_age,
            "allow_teams": c.allow_teams,
            "categories": [_category_out(cat) for cat in c.categories.all()],
            "submission_count": c.submission_count,
            "url": reverse("competition_detail", kwargs={"city_slug": city.slug, "slug": c.slug}),
        }
        for c in selectors.competition_list(city=city)
    ]


@router.get(
    "/cities/{slug}/competitions/{competition_slug}/results",
    response={200: ResultsOut, 404: ErrorOut},
    summary="Published results of a competition, per category",
)
def results(request, slug: str, competition_slug: str):
    city = city_get(slug)
    competition = selectors.competition_get(city=city, slug=competition_slug)
    groups = selectors.published_results(competition)
    return {
        "competition": competition.slug,
        "published_at": competition.results_published_at,
        "normalised": competition.normalise_scores,
        "categories": [
            {
                "category": _category_out(g["category"]),
                "results": [
                    {
                        "rank": r.rank,
                        "tied": r.tied,
                        "code": r.entry.blind_code,
                        "title": r.entry.title,
                        "entrant": r.entry.entrant_name if _named(r, competition) else "",
                        "team": r.entry.team_list() if _named(r, competition) else [],
                        "prize": r.prize or prize_label(r.rank, competition.winners_per_category),
                        "raw_mean": r.raw_mean,
                        "normalised": r.normalised,
                        "reviews": r.reviews,
                        "note": r.note,
                    }
                    for r in g["rows"]
                ],
            }
            for g in groups
        ],
    }


def _named(result, competition) -> bool:
    """Published results name the prize-winners and those who agreed to the gallery; others stay a code."""
    return result.rank <= competition.winners_per_category or result.entry.gallery_consent


def _judge_city(request, slug: str):
    city = api_city_get(request, slug)
    if not is_judge(request.user, city):
        raise PermissionDeniedError(_("Only judges of this city may review entries."))
    return city


def _assignment_out(a) -> dict:
    return {
        "id": a.pk,
        "competition": a.competition.slug,
        "code": a.entry.blind_code,
        "category": a.entry.category.name,
        "title": a.entry.title,
        "submitted": a.submitted_at is not None,
        "total": a.total,
    }


@router.get(
    "/cities/{slug}/judging/assignments",
    response={200: list[BlindAssignmentOut], 403: ErrorOut},
    auth=token_or_session,
    summary="The entries assigned to me (judges; blind)",
)
def judging_assignments(request, slug: str):
    city = _judge_city(request, slug)
    return [_assignment_out(a) for a in selectors.assignments_for_judge(judge=request.user, city=city)]


def _own_assignment(request, city, assignment_id: int) -> Assignment:
    pk = selectors.as_id(assignment_id)
    if pk is None:
        raise PermissionDeniedError(_("This entry is not assigned to you."))
    found = (
        Assignment.objects.filter(city=city, pk=pk)
        .select_related("entry", "entry__category", "entry__competition", "competition")
        .first()
    )
    if found is None or found.judge_id != request.user.pk:
        raise PermissionDeniedError(_("This entry is not assigned to you."))
    return assignment_for(judge=request.user, entry=found.entry)


def _blind_entry_out(slug: str, a: Assignment) -> dict:
    entry = a.entry
    blind = selectors.blind_entry(entry)
    out = _assignment_out(a)
    out.update(
        description=blind.description,
        files=[
            {
                "kind": f.kind,
                "format": f.file_format,
                "size": f.size,
                "label": f.label,
                "url": reverse(
                    "api:judging_file", kwargs={"slug": slug, "assignment_id": a.pk, "token": f.token}
                ),
            }
            for f in blind.files
        ],
        criteria=[
            {
                "id": c.pk,
                "name": c.name,
                "weight": float(c.weight),
                "min_score": c.min_score,
                "max_score": c.max_score,
            }
            for c in a.competition.criteria.all()
        ],
        scores=[
            {"criterion_id": s.criterion_id, "value": float(s.value), "comment": s.comment}
            for s in a.scores.all()
        ],
        comment=a.comment,
    )
    return out


@router.get(
    "/cities/{slug}/judging/assignments/{assignment_id}",
    response={200: BlindEntryOut, 403: ErrorOut},
    auth=token_or_session,
    summary="One assigned entry, blind, with the rubric and my scores",
)
def judging_assignment(request, slug: str, assignment_id: int):
    city = _judge_city(request, slug)
    return _blind_entry_out(slug, _own_assignment(request, city, assignment_id))


@router.post(
    "/cities/{slug}/judging/assignments/{assignment_id}/scores",
    response={200: BlindEntryOut, 400: ErrorOut, 403: ErrorOut},
    auth=token_or_session,
    summary="Score an assigned entry on the rubric (all or nothing)",
)
def judging_score(request, slug: str, assignment_id: int, payload: ScoresIn):
    city = _judge_city(request, slug)
    assignment = _own_assignment(request, city, assignment_id)
    scores_save(
        actor=request.user,
        assignment=assignment,
        values={s.criterion_id: s.value for s in payload.scores},
        comments={s.criterion_id: s.comment for s in payload.scores},
        comment=payload.comment,
        submit=payload.submit,
    )
    return _blind_entry_out(slug, _own_assignment(request, city, assignment_id))


@router.post(
    "/cities/{slug}/judging/assignments/{assignment_id}/conflict",
    response={200: MessageOut, 400: ErrorOut, 403: ErrorOut},
    auth=token_or_session,
    summary="Declare a conflict of interest with an assigned entry",
)
def judging_conflict(request, slug: str, assignment_id: int, payload: ConflictIn):
    city = _judge_city(request, slug)
    assignment = _own_assignment(request, city, assignment_id)
    conflict_declare(actor=request.user, entry=assignment.entry, reason=payload.reason)
    return {"detail": _("Conflict of interest recorded; the entry was taken off your list.")}


@router.get(
    "/cities/{slug}/judging/assignments/{assignment_id}/files/{token}",
    auth=token_or_session,
    response={403: ErrorOut, 404: ErrorOut},
    openapi_extra={
        "responses": {
            200: {
                "description": "The file, cleaned of metadata, under an anonymous name",
                "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
    url_name="judging_file",
    summary="A file of an assigned entry (cleaned of metadata, anonymous name)",
)
def judging_file(request, slug: str, assignment_id: int, token: str):
    city = _judge_city(request, slug)
    assignment = _own_assignment(request, city, assignment_id)
    found = EntryFile.objects.filter(
        entry=assignment.entry, token=token, removed_in_version__isnull=True
    ).first()
    if found is None:
        raise Http404(_("No such file."))
    return file_response(found, label=f"{assignment.entry.blind_code}.{found.file_format}")


def file_response(found: EntryFile, *, label: str) -> HttpResponseBase:
    """An entry's file after the caller's check: inline (the gallery shows images), under its anonymous label;
    X-Accel-Redirect in production (learningcity.core.private_files), never from /media/."""
    return private_file_response(
        found.file, filename=label, content_type=found.content_type, attachment=False
    )
