"""Cataloguing: records (with ISBN checked by python-stdnum), their search words, copies and copy cataloguing."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import isbn as stdisbn
from stdnum.exceptions import ValidationError as StdnumError

from learningcity.core import audit
from learningcity.core.bulk import insert_rows
from learningcity.core.errors import DomainError
from learningcity.core.models import City
from learningcity.core.text import fold, normalize

from ..models import (
    Audience,
    Copy,
    CopyEvent,
    CopyStatus,
    Format,
    Language,
    Record,
    RecordWord,
    record_words_in_table,
)
from ..rules import can_catalogue

RECORD_TEXT_FIELDS = (
    "title",
    "subtitle",
    "title_romanised",
    "authors",
    "publisher",
    "edition",
    "subjects",
    "classification",
)
_WORD = re.compile(r"\w+")


def isbn_clean(value: str, *, field: str = "isbn") -> str:
    """An ISBN-10 or -13 (hyphens and spaces allowed) as compact ISBN-13; "" stays "". Refused with the reason."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return stdisbn.to_isbn13(stdisbn.validate(value))
    except StdnumError as exc:
        reasons = {
            "InvalidChecksum": _("the check digit is wrong"),
            "InvalidLength": _("it must have 10 or 13 digits"),
            "InvalidFormat": _("it may hold only digits, hyphens and a final X"),
            "InvalidComponent": _("it does not start with 978 or 979"),
        }
        reason = reasons.get(type(exc).__name__, _("it is not valid"))
        raise DomainError(
            _("ISBN %(isbn)s is not valid: %(reason)s.") % {"isbn": value[:20], "reason": reason}, field=field
        ) from None


def isbn_display(compact: str) -> str:
    """978-604-1-23456-7: hyphenated by the ISBN agency's ranges (both Vietnamese prefixes)."""
    if not compact:
        return ""
    try:
        return stdisbn.format(compact)
    except StdnumError:
        return compact


def words_of(*texts: str) -> set[str]:
    found: set[str] = set()
    for text in texts:
        found.update(w[:40] for w in _WORD.findall(fold(text)))
    return found


def search_text_of(r: Record | dict) -> str:
    get = r.get if isinstance(r, dict) else lambda k, d="": getattr(r, k, d)
    parts = [
        get("title", ""),
        get("subtitle", ""),
        get("title_romanised", ""),
        get("authors", ""),
        get("subjects", ""),
    ]
    return fold(" ".join(p for p in parts if p))[:1000]


def match_key_of(title: str, authors: str) -> str:
    return match_key_folded(fold(title), fold((authors or "").split(";")[0]))


def match_key_folded(title: str, first_author: str) -> str:
    """match_key_of from the title and the first author, already folded."""
    return f"{' '.join(_WORD.findall(title))}|{' '.join(_WORD.findall(first_author))}"[:300]


def clean_record_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Normalised (NFC, repaired mark order) and checked fields of a record; refused with the field named."""
    data = dict(fields)
    for name in RECORD_TEXT_FIELDS:
        if name in data:
            data[name] = normalize(data[name] or "")
    if "title" in data and not data["title"]:
        raise DomainError(_("A record needs a title."), field="title")
    if "isbn" in data:
        data["isbn"] = isbn_clean(data["isbn"] or "")
    if "languages" in data:
        codes = data["languages"]
        codes = [c for c in (codes.split(",") if isinstance(codes, str) else codes) if c]
        unknown = [c for c in codes if c not in Language.values]
        if unknown:
            raise DomainError(_("Unknown language code: %(code)s.") % {"code": unknown[0]}, field="languages")
        data["languages"] = f",{','.join(dict.fromkeys(codes))}," if codes else ""
    if data.get("audience") and data["audience"] not in Audience.values:
        raise DomainError(_("Unknown audience."), field="audience")
    if data.get("format") and data["format"] not in Format.values:
        raise DomainError(_("Unknown format."), field="format")
    year = data.get("year")
    if year is not None and not (1400 <= int(year) <= timezone.now().year + 1):
        raise DomainError(_("The year must be between 1400 and next year."), field="year")
    return data


def _check(actor, city: City | int) -> None:
    if not can_catalogue(actor, city):
        raise DomainError(_("Only the city library's staff may catalogue."), code="forbidden")


def _index(records: Iterable[Record]) -> None:
    if not record_words_in_table():
        return  # SQLite: the FTS5 triggers index the record's search text and ISBN
    records = list(records)
    RecordWord.objects.filter(record__in=[r.pk for r in records]).delete()
    rows = [
        (r.city_id, word, r.pk)
        for r in records
        for word in words_of(r.title, r.subtitle, r.title_romanised, r.authors, r.subjects, r.isbn)
    ]
    insert_rows(RecordWord, ["city_id", "word", "record_id"], rows)


def records_index(records: Iterable[Record]) -> None:
    """(Re)write the search words of these records (imports call it once for all their records)."""
    _index(records)


@transaction.atomic
def record_create(*, actor, city: City, **fields) -> Record:
    _check(actor, city)
    data = clean_record_fields(fields)
    record = Record(city=city, **data)
    record.search_text = search_text_of(record)
    record.match_key = match_key_of(record.title, record.authors)
    record.save()
    _index([record])
    audit.record_create(actor=actor, obj=record)
    return record


@transaction.atomic
def record_update(*, actor, record: Record, **changes) -> Record:
    _check(actor, record.city_id)
    data = clean_record_fields(changes)
    before = audit.snapshot(record)
    for name, value in data.items():
        setattr(record, name, value)
    record.search_text = search_text_of(record)
    record.match_key = match_key_of(record.title, record.authors)
    record.save()
    _index([record])
    audit.record_update(actor=actor, obj=record, before=before)
    return record


@transaction.atomic
def record_copy_from(*, actor, city: City, source: Record) -> Record:
    """Copy cataloguing: another city's record of this installation, added to this city's catalogue once."""
    _check(actor, city)
    if source.city_id == city.pk:
        raise DomainError(_("This record is already in your catalogue."))
    existing = Record.objects.for_city(city).filter(copied_from=source).first()
    if existing is None and source.isbn:
        existing = Record.objects.for_city(city).filter(isbn=source.isbn).first()
    if existing is not None:
        return existing
    fields = {
        name: getattr(source, name)
        for name in (*RECORD_TEXT_FIELDS, "year", "languages", "audience", "format", "isbn")
    }
    record = Record(city=city, copied_from=source, **fields)
    record.search_text, record.match_key = source.search_text, source.match_key
    record.save()
    _index([record])
    audit.record_create(
        actor=actor, obj=record, note=f"copied from record {source.pk} of city {source.city_id}"
    )
    return record


def actor_name(actor) -> str:
    return str(actor)[:200] if actor is not None and getattr(actor, "is_authenticated", False) else "system"


def copy_event(copy: Copy, kind: str, *, actor, space=None, at=None) -> None:
    CopyEvent.objects.create(
        city_id=copy.city_id,
        copy=copy,
        kind=kind,
        space=space,
        status=copy.status,
        at=at or timezone.now(),
        actor_name=actor_name(actor),
    )


@transaction.atomic
def copy_add(
    *, actor, record: Record, barcode: str, home, status: str = CopyStatus.AVAILABLE, note: str = ""
) -> Copy:
    _check(actor, record.city_id)
    barcode = (barcode or "").strip().upper()
    if not re.fullmatch(r"[A-Z0-9-]{3,32}", barcode):
        raise DomainError(_("A barcode has 3 to 32 letters, digits or hyphens."), field="barcode")
    if home.city_id != record.city_id:
        raise DomainError(_("Choose a bookcase of this city."), field="home")
    if Copy.objects.filter(city_id=record.city_id, barcode=barcode).exists():
        raise DomainError(
            _("Barcode %(code)s is already on another copy.") % {"code": barcode}, field="barcode"
        )
    copy = Copy.objects.create(
        city_id=record.city_id,
        record=record,
        barcode=barcode,
        home=home,
        current=home,
        status=status,
        note=note,
    )
    copy_event(copy, CopyEvent.Kind.CATALOGUED, actor=actor, space=home)
    audit.record_create(actor=actor, obj=copy)
    return copy


@transaction.atomic
def copy_set_status(*, actor, copy: Copy, status: str) -> Copy:
    """Lost, withdrawn, back to the shelf, being catalogued: not on loan or in transit (lending does those)."""
    _check(actor, copy.city_id)
    allowed = {CopyStatus.AVAILABLE, CopyStatus.LOST, CopyStatus.WITHDRAWN, CopyStatus.CATALOGUING}
    if status not in allowed:
        raise DomainError(_("Choose available, lost, withdrawn or being catalogued."), field="status")
    if copy.status == CopyStatus.ON_LOAN and status != CopyStatus.LOST:
        raise DomainError(_("This copy is on loan: take it back first."), field="status")
    before = audit.snapshot(copy)
    if copy.status == CopyStatus.ON_LOAN:
        from .circulation import close_open_loan

        close_open_loan(copy)
    copy.status = status
    copy.transit_to = None
    copy.save(update_fields=["status", "transit_to", "updated_at"])
    copy_event(copy, CopyEvent.Kind.STATUS, actor=actor, space=copy.current)
    audit.record_update(actor=actor, obj=copy, before=before)
    return copy
