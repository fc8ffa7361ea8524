"""Reads of the competitions app, scoped to a city. What judges read is blind: no names, teams or file names."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from learningcity.core.models import City

from .models import (
    Assignment,
    Category,
    Competition,
    Conflict,
    Entry,
    EntryFile,
    EntryStatus,
    JuryMember,
    Result,
    Vote,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _Counted(TypedDict):
    submission_count: int


def competition_list(*, city: City) -> QuerySet[WithAnnotations[Competition, _Counted]]:
    """Competitions with their categories and the number of active entries, in three queries."""
    return (
        Competition.objects.for_city(city)
        .annotate(submission_count=Count("entries", filter=Q(entries__status=EntryStatus.SUBMITTED)))
        .prefetch_related(Prefetch("categories", queryset=Category.objects.order_by("position", "id")))
        .order_by("-opens_at", "id")
    )


def competition_get(*, city: City, slug: str) -> Competition:
    competition = Competition.objects.for_city(city).filter(slug=slug).select_related("city").first()
    if competition is None:
        raise Http404(_("There is no competition called “%(slug)s”.") % {"slug": slug[:80]})
    return competition


def categories_with_counts(competition: Competition) -> list[Category]:
    return list(
        competition.categories.annotate(
            entry_count=Count("entries", filter=Q(entries__status=EntryStatus.SUBMITTED))
        ).order_by("position", "id")
    )


def entries_of(user, competition: Competition) -> QuerySet[Entry]:
    if not user.is_authenticated:
        return Entry.objects.none()
    return (
        Entry.objects.filter(competition=competition, entrant=user)
        .select_related("category")
        .order_by("-submitted_at")
    )


def entry_for_entrant(*, user, competition: Competition, receipt: str) -> Entry:
    entry = (
        Entry.objects.filter(competition=competition, receipt=receipt, entrant=user)
        .select_related("category", "competition", "residence")
        .first()
        if user.is_authenticated
        else None
    )
    if entry is None:
        raise Http404(_("No such entry."))
    return entry


def current_files(entry: Entry) -> list[EntryFile]:
    return [f for f in entry.files.all() if f.removed_in_version is None]


def entry_list_for_staff(
    *, competition: Competition, q: str = "", category_id: int | None = None
) -> QuerySet[Entry]:
    from learningcity.core.text import fold

    qs = (
        Entry.objects.filter(competition=competition)
        .select_related("category", "entered_by")
        .annotate(
            judge_count=Count("assignments", distinct=True),
            done_count=Count("assignments", filter=Q(assignments__submitted_at__isnull=False), distinct=True),
        )
        .order_by("category__position", "blind_code")
    )
    if q:
        qs = qs.filter(
            Q(search_text__contains=fold(q)) | Q(receipt__iexact=q.strip()) | Q(blind_code__iexact=q.strip())
        )
    if category_id:
        qs = qs.filter(category_id=category_id)
    return qs


@dataclass
class JudgeProgress:
    judge: Any
    assigned: int
    done: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.assigned) if self.assigned else 0


def progress_per_judge(competition: Competition) -> list[JudgeProgress]:
    from learningcity.core.models import User
    from learningcity.core.text import sort_key

    counts = (
        Assignment.objects.filter(competition=competition)
        .values("judge_id")
        .annotate(assigned=Count("id"), done=Count("id", filter=Q(submitted_at__isnull=False)))
    )
    by_judge: dict[int, dict[str, int]] = {
        row["judge_id"]: {"assigned": row["assigned"], "done": row["done"]} for row in counts
    }
    jury_ids = set(
        JuryMember.objects.filter(category__competition=competition).values_list("judge_id", flat=True)
    ) | set(by_judge)
    judges = User.objects.filter(pk__in=jury_ids)
    rows = [
        JudgeProgress(
            judge=j,
            assigned=by_judge.get(j.pk, {}).get("assigned", 0),
            done=by_judge.get(j.pk, {}).get("done", 0),
        )
        for j in judges
    ]
    return sorted(rows, key=lambda r: sort_key(str(r.judge)))


def assignments_for_judge(
    *, judge, city: City, competition: Competition | None = None
) -> QuerySet[Assignment]:
    """A judge's own assignments, blind: only what the entry is, never who made it."""
    qs = (
        Assignment.objects.filter(city=city, judge=judge, entry__status=EntryStatus.SUBMITTED)
        .select_related("entry", "entry__category", "competition")
        .only(
            "id",
            "submitted_at",
            "total",
            "comment",
            "competition_id",
            "entry_id",
            "competition__slug",
            "competition__title_vi",
            "competition__title_en",
            "competition__judging_ends_at",
            "competition__results_approved_at",
            "entry__blind_code",
            "entry__title",
            "entry__category_id",
            "entry__category__name_vi",
            "entry__category__name_en",
            "entry__category__code",
        )
        .order_by("competition_id", "entry__blind_code")
    )
    if competition is not None:
        qs = qs.filter(competition=competition)
    return qs


@dataclass
class BlindFile:
    token: str
    kind: str
    file_format: str
    size: int
    label: str


@dataclass
class BlindEntry:
    """Everything a judge may see of an entry."""

    id: int
    code: str
    category: str
    title: str
    description: str
    files: list[BlindFile]


def blind_entry(entry: Entry) -> BlindEntry:
    files = [
        BlindFile(
            token=f.token,
            kind=f.kind,
            file_format=f.file_format,
            size=f.size,
            label=f"{entry.blind_code}-{n}.{f.file_format}",
        )
        for n, f in enumerate(current_files(entry), start=1)
    ]
    return BlindEntry(
        id=entry.pk,
        code=entry.blind_code,
        category=entry.category.name,
        title=entry.title,
        description=entry.description,
        files=files,
    )


def conflicts_of_judge(*, judge, city: City) -> QuerySet[Conflict]:
    return Conflict.objects.filter(city=city, judge=judge).select_related("entry", "competition")


def conflict_list(competition: Competition) -> QuerySet[Conflict]:
    return Conflict.objects.filter(competition=competition).select_related("judge", "entry", "created_by")


def meeting_rows(competition: Competition) -> list[dict[str, Any]]:
    """The jury meeting: per category, the ranking with each judge's total and comment, side by side."""
    results = list(
        Result.objects.filter(competition=competition)
        .select_related("entry", "category")
        .order_by("category__position", "rank", "entry__blind_code")
    )
    reviews: dict[int, list[Assignment]] = defaultdict(list)
    for a in (
        Assignment.objects.filter(competition=competition, submitted_at__isnull=False)
        .select_related("judge")
        .order_by("judge__username")
    ):
        reviews[a.entry_id].append(a)
    votes = dict(
        Vote.objects.filter(entry__competition=competition)
        .values("entry_id")
        .annotate(n=Count("id"))
        .values_list("entry_id", "n")
    )
    groups: dict[int, dict[str, Any]] = {}
    for r in results:
        group = groups.setdefault(r.category_id, {"category": r.category, "rows": []})
        group["rows"].append(
            {"result": r, "reviews": reviews.get(r.entry_id, []), "votes": votes.get(r.entry_id, 0)}
        )
    return list(groups.values())


def published_results(competition: Competition) -> list[dict[str, Any]]:
    if not competition.results_published_at:
        raise Http404(_("The results of this competition are not published yet."))
    groups: dict[int, dict[str, Any]] = {}
    for r in (
        Result.objects.filter(competition=competition)
        .select_related("entry", "category")
        .order_by("category__position", "rank", "entry__blind_code")
    ):
        groups.setdefault(r.category_id, {"category": r.category, "rows": []})["rows"].append(r)
    return list(groups.values())


def gallery_entries(competition: Competition, category_id: int | None = None) -> QuerySet[Entry]:
    qs = (
        Entry.objects.filter(competition=competition, gallery_consent=True, status=EntryStatus.SUBMITTED)
        .select_related("category")
        .prefetch_related(
            Prefetch("files", queryset=EntryFile.objects.filter(removed_in_version__isnull=True))
        )
        .annotate(vote_count=Count("votes", distinct=True))
        .order_by("category__position", "blind_code")
    )
    if category_id:
        qs = qs.filter(category_id=category_id)
    return qs


def my_votes(user, competition: Competition) -> dict[int, int]:
    if not user.is_authenticated:
        return {}
    return dict(
        Vote.objects.filter(voter=user, category__competition=competition).values_list(
            "category_id", "entry_id"
        )
    )


def as_id(value) -> int | None:
    """A database id from a URL or a form, or None for anything else (letters, negatives, 30-digit numbers)."""
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


# The staff pages' reads (views/manage/): judges, juries, one record of a competition by id or code.


def _by_id(qs: QuerySet, value):
    """The row of `qs` with the id in `value` (from a URL or a form), or None (no such row, or not an id)."""
    pk = as_id(value)
    return None if pk is None else qs.filter(pk=pk).first()


def judge_list(*, city: City) -> QuerySet:
    """The city's judges (people with the judge role), by name."""
    from learningcity.core.models import Role, User

    return (
        User.objects.filter(role_assignments__city=city, role_assignments__role=Role.JUDGE)
        .distinct()
        .order_by("full_name", "username")
    )


def jury_list(competition: Competition) -> QuerySet[JuryMember]:
    return JuryMember.objects.filter(category__competition=competition).select_related("judge", "category")


def criterion_list(competition: Competition) -> QuerySet:
    return competition.criteria.all()


def assignment_get(*, competition: Competition, assignment_id) -> Assignment:
    assignment = _by_id(Assignment.objects.filter(competition=competition), assignment_id)
    if assignment is None:
        raise Http404(_("No such assignment."))
    return assignment


def assignments_by_entry(entries) -> dict[int, list[Assignment]]:
    """The judges assigned to each of these entries (one query), by entry id."""
    assigned: dict[int, list[Assignment]] = {}
    for a in Assignment.objects.filter(entry__in=[e.pk for e in entries]).select_related("judge"):
        assigned.setdefault(a.entry_id, []).append(a)
    return assigned


def conflict_get(*, competition: Competition, conflict_id) -> Conflict:
    conflict = _by_id(Conflict.objects.filter(competition=competition), conflict_id)
    if conflict is None:
        raise Http404(_("No such conflict."))
    return conflict


def entry_by_code(*, competition: Competition, code: str, receipt: bool = False) -> Entry | None:
    """The entry with this blind code (or, with `receipt`, this receipt number), or None."""
    entry = Entry.objects.filter(competition=competition, blind_code=code).first()
    if entry is None and receipt:
        entry = Entry.objects.filter(competition=competition, receipt=code).first()
    return entry


def entrant_by_username(username: str):
    """The account with this user name, or None."""
    from learningcity.core.models import User

    return User.objects.filter(username=username).first()


def entry_get_for_staff(*, competition: Competition, entry_id) -> Entry:
    entry = _by_id(
        Entry.objects.filter(competition=competition).select_related(
            "category", "residence", "entered_by", "entrant"
        ),
        entry_id,
    )
    if entry is None:
        raise Http404(_("No such entry."))
    return entry


def entry_record_for_staff(entry: Entry) -> dict[str, list]:
    """One entry as staff see it: every file (with its original name) and version, the reviews, conflicts."""
    return {
        "files": list(entry.files.order_by("added_in_version", "id")),
        "versions": list(entry.versions.all()),
        "assignments": list(entry.assignments.select_related("judge").prefetch_related("scores")),
        "conflicts": list(entry.conflicts.select_related("judge")),
    }


def result_get(*, competition: Competition, result_id) -> Result | None:
    return _by_id(Result.objects.filter(competition=competition), result_id)


def certificate_entries(*, competition: Competition, entry_id=None, winners: bool = False) -> list[Entry]:
    """The entries to print certificates for: one entry, the prize-winners, or every submitted entry."""
    entries = (
        Entry.objects.filter(competition=competition, status=EntryStatus.SUBMITTED)
        .select_related("category", "result")
        .order_by("category__position", "blind_code")
    )
    if entry_id:
        pk = as_id(entry_id)
        entries = entries.none() if pk is None else entries.filter(pk=pk)
    elif winners:
        entries = entries.filter(result__rank__lte=competition.winners_per_category)
    return list(entries)


# The judging and public pages' reads.


def assignment_find(*, city: City, assignment_id) -> Assignment | None:
    """An assignment of the city by id, with its entry and competition (whose it is, the caller checks)."""
    return _by_id(
        Assignment.objects.filter(city=city).select_related(
            "entry", "entry__category", "entry__competition", "competition"
        ),
        assignment_id,
    )


def entry_find(*, city: City, entry_id) -> Entry | None:
    return _by_id(Entry.objects.filter(city=city), entry_id)


def entry_in_competition(*, competition: Competition, entry_id) -> Entry | None:
    return _by_id(Entry.objects.filter(competition=competition).select_related("competition"), entry_id)


def entry_file_current(*, entry: Entry, token: str) -> EntryFile | None:
    """A file of the entry's current version by its token, or None."""
    return EntryFile.objects.filter(entry=entry, token=token, removed_in_version__isnull=True).first()


def entry_file_find(*, city: City, competition: Competition, token: str) -> EntryFile | None:
    """A file of any version of an entry of the competition by its token, with its entry, or None."""
    return (
        EntryFile.objects.filter(city=city, entry__competition=competition, token=token)
        .select_related("entry")
        .first()
    )
