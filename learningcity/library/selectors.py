"""Reads of the library: catalogue search with facets, a record and where its copies are, a bookcase's desk,
a reader's own loans and holds, borrowers for the lending page."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from learningcity.core.models import City
from learningcity.core.text import fold
from learningcity.places.models import LearningSpace
from learningcity.places.selectors import haversine_km, spaces_editable_by
from learningcity.programmes.selectors import learner_list

from .models import (
    Audience,
    BookDrive,
    Borrower,
    Copy,
    CopyEvent,
    CopyStatus,
    Format,
    Hold,
    HoldStatus,
    IntakeItem,
    Language,
    Loan,
    Record,
    RecordWord,
)
from .rules import can_catalogue

BOOKCASE_TYPES = ("house-of-wisdom", "compassionate-library")
_WORD = re.compile(r"\w+")
ACTIVE_HOLDS = (HoldStatus.WAITING, HoldStatus.IN_TRANSIT, HoldStatus.READY)


@dataclass
class RecordFilters:
    q: str = ""
    language: str = ""
    audience: str = ""
    format: str = ""
    subject: str = ""
    bookcase: int | None = None
    available: bool = False


@dataclass
class SearchResult:
    records: list[Record]
    total: int
    capped: bool = False  # more than COUNT_CAP matches
    sampled: bool = False  # facets count the first FACET_SAMPLE matches only
    facets: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)


def query_words(q: str) -> list[str]:
    return [w[:40] for w in _WORD.findall(fold(q))][:8]


def _available_q() -> Exists:
    return Exists(Copy.objects.filter(record=OuterRef("pk"), status=CopyStatus.AVAILABLE))


COUNT_CAP = 1_000  # totals are exact up to it; above it the page says "more than 1,000"
FACET_SAMPLE = 500  # facets count the first matches (all of them up to this many)


def _word_conditions(q: str) -> list[Q]:
    """Every word must match: whole words, the last one also as a prefix (a word being typed)."""
    words = query_words(q)
    return [
        Q(word__gte=w, word__lt=w + "\U0010ffff") if i == len(words) - 1 else Q(word=w)
        for i, w in enumerate(words)
    ]


def fts_match(q: str) -> str:
    """The FTS5 query of the words (SQLite): every word, the last one also as a prefix."""
    words = query_words(q)
    return " ".join(f'"{w}"*' if i == len(words) - 1 else f'"{w}"' for i, w in enumerate(words))


def _fts_ids_sql(city: City, q: str) -> tuple[str, list[Any]]:
    return (
        "SELECT r.id FROM library_record_fts f JOIN library_record r ON r.id = f.rowid"
        " WHERE library_record_fts MATCH %s AND r.city_id = %s ORDER BY f.rowid",
        [fts_match(q), city.pk],
    )


def word_ids(*, city: City, q: str, limit: int) -> list[int] | None:
    """The ids of the first `limit` records holding every word, ascending (None: no words). SQLite: its FTS5
    index (migration 0002, kept by triggers); PostgreSQL: the first word's range on the covering (city, word,
    record) index drives and the other words are IN lists read from the same index."""
    if not query_words(q):
        return None
    if connection.vendor == "sqlite":
        sql, params = _fts_ids_sql(city, q)
        with connection.cursor() as cursor:
            cursor.execute(f"{sql} LIMIT %s", [*params, limit])
            return [row[0] for row in cursor.fetchall()]
    conditions = _word_conditions(q)
    qs = RecordWord.objects.filter(Q(city=city) & conditions[0])
    for cond in conditions[1:]:
        qs = qs.filter(record_id__in=RecordWord.objects.filter(Q(city=city) & cond).values("record_id"))
    return list(qs.values_list("record_id", flat=True).distinct().order_by("record_id")[:limit])


def record_queryset(*, city: City, filters: RecordFilters) -> QuerySet[Record]:
    qs = Record.objects.for_city(city)
    if query_words(filters.q) and connection.vendor == "sqlite":
        sql, params = _fts_ids_sql(city, filters.q)
        qs = qs.filter(pk__in=RawSQL(sql, params))  # noqa: S611 - fixed SQL, the words are bound parameters
    else:
        for cond in _word_conditions(filters.q):
            qs = qs.filter(pk__in=RecordWord.objects.filter(Q(city=city) & cond).values("record_id"))
    return _other_filters(qs, filters)


def _other_filters(qs: QuerySet[Record], filters: RecordFilters) -> QuerySet[Record]:
    if filters.language:
        qs = qs.filter(languages__contains=f",{filters.language},")
    if filters.audience:
        qs = qs.filter(audience=filters.audience)
    if filters.format:
        qs = qs.filter(format=filters.format)
    if filters.subject:
        qs = qs.filter(search_text__contains=fold(filters.subject))
    if filters.bookcase:
        qs = qs.filter(Exists(Copy.objects.filter(record=OuterRef("pk"), current_id=filters.bookcase)))
    if filters.available:
        qs = qs.filter(_available_q())
    return qs


def _matching_ids(city: City, filters: RecordFilters, want: int) -> list[int]:
    """The first `want` matching ids in catalogue order, in one query."""
    others = replace(filters, q="") != RecordFilters()
    ids = None if others else word_ids(city=city, q=filters.q, limit=want)
    if ids is None:
        qs = record_queryset(city=city, filters=filters).order_by("pk")
        return list(qs.values_list("pk", flat=True)[:want])
    return ids


def record_search(
    *, city: City, filters: RecordFilters, offset: int = 0, limit: int = 20, facets: bool = True
) -> SearchResult:
    """A page of matching records in catalogue order; their total, exact up to COUNT_CAP (`capped` beyond: no
    search counts its way through the whole catalogue), and the facets of the first FACET_SAMPLE matches."""
    first = _matching_ids(city, filters, max(COUNT_CAP + 1, offset + limit))
    if offset + limit > len(first) and len(first) > COUNT_CAP:
        qs = record_queryset(city=city, filters=filters).order_by("pk")
        page_ids = list(qs.values_list("pk", flat=True)[offset : offset + limit])
    else:
        page_ids = first[offset : offset + limit]
    by_id = {r.pk: r for r in Record.objects.filter(pk__in=page_ids)}
    records = [by_id[i] for i in page_ids if i in by_id]
    capped = len(first) > COUNT_CAP
    result = SearchResult(records=records, total=min(len(first), COUNT_CAP), capped=capped)
    if facets:
        result.facets = _facets(city, first[:FACET_SAMPLE])
        result.sampled = len(first) > FACET_SAMPLE
    return result


_LANGUAGE_CODES = frozenset(Language.values)


def _facets(city: City, ids: list[int]) -> dict[str, list[tuple[str, str, int]]]:
    """Facets of the given records, counted in Python from two narrow reads (their coded fields, their copies'
    shelf and status) and the names of the top bookcases: cheaper than one aggregate per facet."""
    languages: Counter[str] = Counter()
    audiences: Counter[str] = Counter()
    formats: Counter[str] = Counter()
    subjects: Counter[str] = Counter()
    subject_ids = set(ids[:300])
    in_ids = (
        ", ".join(str(int(i)) for i in ids) or "NULL"
    )  # ints read from the database: no per-value binding
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, languages, audience, format, subjects FROM library_record WHERE id IN ({in_ids})"  # noqa: S608
        )
        fields = cursor.fetchall()
        # The city's records only (the ids), so no city condition: the (record, status, current) index covers it.
        cursor.execute(
            f"SELECT record_id, current_id, status FROM library_copy WHERE record_id IN ({in_ids})"  # noqa: S608
        )
        copies = cursor.fetchall()
    for pk, langs, audience, fmt, text in fields:
        languages.update({c for c in langs.split(",") if c in _LANGUAGE_CODES})
        audiences[audience] += 1
        formats[fmt] += 1
        if pk in subject_ids:
            subjects.update({x.strip() for x in text.split(";") if x.strip()})
    available: set[int] = set()
    by_shelf: dict[int, set[int]] = {}
    for record_id, current_id, status in copies:
        by_shelf.setdefault(current_id, set()).add(record_id)
        if status == CopyStatus.AVAILABLE:
            available.add(record_id)
    top = sorted(by_shelf.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:15]
    names = dict(LearningSpace.objects.filter(pk__in=[pk for pk, _r in top]).values_list("pk", "name_vi"))
    return {
        "language": [(c, str(label), languages[c]) for c, label in Language.choices if languages[c]],
        "audience": [(c, str(label), audiences[c]) for c, label in Audience.choices if audiences[c]],
        "format": [(c, str(label), formats[c]) for c, label in Format.choices if formats[c]],
        "available": [("1", _("On a shelf now"), len(available))],
        "bookcase": [(str(pk), names.get(pk, ""), len(records)) for pk, records in top],
        "subject": [(x, x, n) for x, n in sorted(subjects.items(), key=lambda kv: (-kv[1], kv[0]))[:10]],
    }


def record_get(*, city: City, record_id: int) -> Record:
    record = Record.objects.for_city(city).filter(pk=record_id).first()
    if record is None:
        raise Http404(_("No such record in this catalogue."))
    return record


def record_get_or_none(*, city: City, record_id: int) -> Record | None:
    return Record.objects.for_city(city).filter(pk=record_id).first()


def record_any_city(*, record_id: int) -> Record | None:
    """A record of any city of the installation (copy cataloguing), or None."""
    return Record.objects.select_related("city").filter(pk=record_id).first()


@dataclass
class Holding:
    space: LearningSpace
    copies: int
    available: int
    distance_km: float | None = None


def holdings(*, record: Record, near: tuple[float, float] | None = None) -> list[Holding]:
    """Which bookcases hold the record, how many copies are free there; nearest first when `near` is given."""
    held = set(Hold.objects.filter(record=record, status__in=ACTIVE_HOLDS).values_list("copy_id", flat=True))
    by_space: dict[int, Holding] = {}
    copies = Copy.objects.filter(record=record).exclude(status=CopyStatus.WITHDRAWN).select_related("current")
    for copy in copies:
        h = by_space.setdefault(copy.current_id, Holding(copy.current, 0, 0))
        h.copies += 1
        if copy.status == CopyStatus.AVAILABLE and copy.pk not in held:
            h.available += 1
    rows = list(by_space.values())
    if near is not None:
        for h in rows:
            if h.space.lat is not None and h.space.lon is not None:
                h.distance_km = haversine_km(near[0], near[1], h.space.lat, h.space.lon)
        rows.sort(key=lambda h: (h.available == 0, h.distance_km is None, h.distance_km or 0, h.space.pk))
    else:
        rows.sort(key=lambda h: (-h.available, h.space.name_vi))
    return rows


def nearest_on_shelf(
    *, records: list[Record], near: tuple[float, float]
) -> dict[int, tuple[LearningSpace, float]]:
    """For each record of a page, the nearest bookcase with a copy on the shelf (one query)."""
    found: dict[int, tuple[LearningSpace, float]] = {}
    copies = (
        Copy.objects.filter(record__in=records, status=CopyStatus.AVAILABLE, current__lat__isnull=False)
        .select_related("current")
        .only(
            "record_id",
            "current__lat",
            "current__lon",
            "current__name_vi",
            "current__name_en",
            "current__city_id",
        )
    )
    for copy in copies:
        lat, lon = copy.current.lat, copy.current.lon
        if lat is None or lon is None:
            continue
        km = haversine_km(near[0], near[1], lat, lon)
        if copy.record_id not in found or km < found[copy.record_id][1]:
            found[copy.record_id] = (copy.current, km)
    return found


def copies_of(*, record: Record) -> QuerySet[Copy]:
    return (
        Copy.objects.filter(record=record).select_related("home", "current", "transit_to").order_by("barcode")
    )


def copy_get(*, city: City, copy_id: int) -> Copy:
    copy = Copy.objects.for_city(city).select_related("record", "home", "current").filter(pk=copy_id).first()
    if copy is None:
        raise Http404(_("No such copy."))
    return copy


def copy_history(*, copy: Copy) -> QuerySet[CopyEvent]:
    return CopyEvent.objects.filter(copy=copy).select_related("space").order_by("-at", "-pk")[:50]


# ---------------------------------------------------------------------------------------------- bookcases
def bookcases(*, city: City) -> QuerySet[LearningSpace]:
    """The city's Houses of Wisdom and Compassionate Libraries, and any other space that holds copies."""
    holding = Copy.objects.filter(current=OuterRef("pk"))
    return (
        LearningSpace.objects.for_city(city)
        .filter(Q(space_type__code__in=BOOKCASE_TYPES) | Exists(holding))
        .order_by("name_vi", "pk")
    )


def lending_spaces(*, user, city: City) -> QuerySet[LearningSpace]:
    """The bookcases where this person may lend."""
    if can_catalogue(user, city):
        return bookcases(city=city)
    return bookcases(city=city).filter(pk__in=spaces_editable_by(user=user, city=city).values("pk"))


def bookcase_get(*, city: City, space_id: int) -> LearningSpace:
    space = LearningSpace.objects.for_city(city).select_related("space_type").filter(pk=space_id).first()
    if space is None:
        raise Http404(_("No such bookcase."))
    return space


def desk(*, space: LearningSpace, today: dt.date | None = None) -> dict[str, Any]:
    """What the volunteer of a bookcase needs: overdue loans, copies to send, holds waiting for collection."""
    today = today or timezone.localdate()
    overdue = (
        Loan.objects.filter(space=space, returned_at__isnull=True, due_on__lt=today)
        .select_related("copy__record", "borrower__learner")
        .order_by("due_on", "pk")[:200]
    )
    to_send = (
        Copy.objects.filter(current=space, status=CopyStatus.IN_TRANSIT)
        .exclude(transit_to=space)
        .select_related("record", "transit_to")
        .order_by("barcode")[:200]
    )
    ready = (
        Hold.objects.filter(pickup=space, status=HoldStatus.READY)
        .select_related("record", "copy", "borrower__learner")
        .order_by("ready_at", "pk")[:200]
    )
    coming = (
        Hold.objects.filter(pickup=space, status=HoldStatus.IN_TRANSIT)
        .select_related("record", "copy", "copy__current")
        .order_by("created_at", "pk")[:200]
    )
    on_loan = Loan.objects.filter(space=space, returned_at__isnull=True).count()
    on_shelf = Copy.objects.filter(current=space, status=CopyStatus.AVAILABLE).count()
    return {
        "overdue": list(overdue),
        "to_send": list(to_send),
        "ready": list(ready),
        "coming": list(coming),
        "on_loan": on_loan,
        "on_shelf": on_shelf,
    }


# ---------------------------------------------------------------------------------------------- borrowers
def borrower_find(*, city: City, q: str, limit: int = 10) -> list[Borrower]:
    """By card code (exact), else by name (folded, through programmes' learners)."""
    q = (q or "").strip()
    if not q:
        return []
    exact = list(Borrower.objects.for_city(city).filter(card_code=q.upper()).select_related("learner"))
    if exact:
        return exact
    learners = learner_list(city=city, q=q).values("pk")
    return list(
        Borrower.objects.for_city(city)
        .filter(learner__in=learners)
        .select_related("learner", "learner__area")
        .order_by("learner__search_text", "pk")[:limit]
    )


def borrower_get(*, city: City, borrower_id: int) -> Borrower:
    b = Borrower.objects.for_city(city).select_related("learner", "user").filter(pk=borrower_id).first()
    if b is None:
        raise Http404(_("No such borrower."))
    return b


def borrower_of_user(*, city: City, user) -> Borrower | None:
    if user is None or not user.is_authenticated:
        return None
    return Borrower.objects.for_city(city).filter(user=user).select_related("learner").first()


def my_library(*, borrower: Borrower) -> dict[str, Any]:
    loans = (
        Loan.objects.filter(borrower=borrower)
        .select_related("copy__record", "space")
        .order_by("returned_at", "-lent_at")[:100]
    )
    holds = (
        Hold.objects.filter(borrower=borrower, status__in=ACTIVE_HOLDS)
        .select_related("record", "pickup", "copy")
        .order_by("-created_at")
    )
    return {"loans": list(loans), "holds": list(holds)}


def hold_get(*, city: City, hold_id: int) -> Hold:
    hold = (
        Hold.objects.for_city(city)
        .select_related("borrower", "pickup", "copy", "record")
        .filter(pk=hold_id)
        .first()
    )
    if hold is None:
        raise Http404(_("No such reservation."))
    return hold


def catalogue_counts(*, city: City) -> dict[str, int]:
    records = Record.objects.for_city(city)
    return {
        "records": records.count(),
        "copies": Copy.objects.for_city(city).exclude(status=CopyStatus.WITHDRAWN).count(),
        "minority": records.filter(Q(languages__contains=",tai,") | Q(languages__contains=",hmn,")).count(),
        "on_loan": Copy.objects.for_city(city).filter(status=CopyStatus.ON_LOAN).count(),
    }


# ---------------------------------------------------------------------------------------- intake, labels
def intake_queue(*, city: City, space_id: int | None = None) -> list[IntakeItem]:
    qs = IntakeItem.objects.for_city(city).filter(copy__isnull=True).select_related("space", "donation")
    if space_id:
        qs = qs.filter(space_id=space_id)
    return list(qs.order_by("created_at", "pk")[:100])


def intake_get(*, city: City, item_id: int) -> IntakeItem:
    item = IntakeItem.objects.for_city(city).select_related("space").filter(pk=item_id).first()
    if item is None:
        raise Http404(_("No such donated book."))
    return item


def records_elsewhere(*, city: City, q: str, limit: int = 30) -> list[Record]:
    """Records of the other cities of the installation matching the words (copy cataloguing)."""
    qs = Record.objects.exclude(city=city).select_related("city")
    words = query_words(q)
    if words and connection.vendor == "sqlite":
        match = " ".join(f'"{w}"*' for w in words)
        sql = "SELECT rowid FROM library_record_fts WHERE library_record_fts MATCH %s"
        qs = qs.filter(pk__in=RawSQL(sql, [match]))  # noqa: S611 - fixed SQL, the words are bound parameters
        return list(qs.order_by("search_text", "pk")[:limit])
    for word in words:
        ids = RecordWord.objects.exclude(city=city).filter(word__gte=word, word__lt=word + "\U0010ffff")
        qs = qs.filter(pk__in=ids.values("record_id"))
    return list(qs.order_by("search_text", "pk")[:limit])


def copies_for_labels(*, city: City, copy_ids: list[int], record_id: int | None) -> list[Copy]:
    qs = Copy.objects.for_city(city).select_related("record")
    if record_id:
        qs = qs.filter(record_id=record_id)
    elif copy_ids:
        qs = qs.filter(pk__in=copy_ids)
    else:
        qs = qs.filter(status=CopyStatus.CATALOGUING)
    return list(qs.order_by("barcode")[:240])


def drives(*, city: City) -> QuerySet[BookDrive]:
    return BookDrive.objects.for_city(city).order_by("-starts_on", "pk")


def drive_summaries(*, city: City) -> QuerySet[BookDrive]:
    """The city's book drives, newest first, each with its donations, books given, books catalogued since and the
    bookcases that received them (counts only: donors are not listed)."""
    return drives(city=city).annotate(
        n_donations=Count("donations", distinct=True),
        n_books=Count("donations__items", distinct=True),
        n_catalogued=Count("donations__items", filter=Q(donations__items__copy__isnull=False), distinct=True),
        n_bookcases=Count("donations__space", distinct=True),
    )


def learner_by_code(*, city: City, code: str):
    """A person of the city by her learner code (through programmes' selectors)."""
    code = (code or "").strip()
    return learner_list(city=city, q=code).filter(code__iexact=code).first() if code else None


def may_lend_at(user, space) -> bool:
    from .rules import can_lend_at

    return can_lend_at(user, space)
