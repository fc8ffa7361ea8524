"""MARC 21 in and out, with pymarc: binary `.mrc` (MARC-8 or UTF-8) and MARCXML.

Import: the file is read by marc_records (each record on its own, a broken one named by number, field and reason,
every text repaired to NFC). Duplicates, in the file or in the catalogue, are matched on ISBN or on the folded
title + first author and not doubled. Nothing is written unless every record is good; then the records, their
search words and the copies of Koha's 952 item fields (barcode, bookcase code) are written in bulk.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import pymarc
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pymarc import Field, Indicators, Subfield

from learningcity.core import audit
from learningcity.core.bulk import db_datetime, insert_rows
from learningcity.core.errors import DomainError, ImportRejected, RowError
from learningcity.core.models import AuditEntry, City
from learningcity.places.models import LearningSpace

from ..models import (
    Audience,
    Copy,
    CopyEvent,
    CopyStatus,
    Format,
    Record,
    RecordWord,
    record_words_in_table,
)
from ..rules import can_catalogue
from .marc_records import RECORD_COLUMNS, Parsed, read_marc, record_row

__all__ = ["RECORD_COLUMNS", "MarcResult", "Parsed", "marc_export", "marc_import", "read_marc", "record_row"]

MAX_ERRORS = 200
BATCH = 2000  # PostgreSQL: records per round of COPY, all in the import's one transaction
CHUNK = 100  # SQLite: records per transaction: what a loan at a bookcase may wait for
SQLITE_YIELD = 0.005  # seconds the import leaves SQLite's write lock free between chunks


@dataclass
class MarcResult:
    new: int = 0
    duplicates: int = 0
    copies: int = 0
    total: int = 0
    sample: list[dict[str, Any]] = field(default_factory=list)


# ------------------------------------------------------------------------------------------------- import
def _check_items(parsed: list[Parsed], city: City, errors: list[RowError]) -> dict[str, int]:
    codes = {code for p in parsed for _, code in p.items}
    spaces = dict(LearningSpace.objects.for_city(city).filter(code__in=codes).values_list("code", "pk"))
    barcodes = [b for p in parsed for b, _ in p.items]
    taken = set(Copy.objects.for_city(city).filter(barcode__in=barcodes).values_list("barcode", flat=True))
    seen: set[str] = set()
    for p in parsed:
        for barcode, code in p.items:
            if code not in spaces:
                errors.append(
                    RowError(p.number, "952", _("no bookcase has the code “%(code)s”") % {"code": code[:40]})
                )
            if barcode in taken or barcode in seen:
                errors.append(
                    RowError(p.number, "952", _("barcode %(code)s is already used") % {"code": barcode[:32]})
                )
            seen.add(barcode)
    return spaces


def marc_import(*, actor, city: City, stream: IO[bytes], apply: bool) -> MarcResult:
    """Check (apply=False) or import a MARC file: all or nothing (ImportRejected lists every bad record)."""
    if not can_catalogue(actor, city):
        raise DomainError(_("Only the city library's staff may import records."), code="forbidden")
    parsed, errors = read_marc(stream)
    spaces = _check_items(parsed, city, errors)
    if errors:
        raise ImportRejected(errors[:MAX_ERRORS])
    by_isbn = dict(
        Record.objects.for_city(city)
        .exclude(isbn="")
        .filter(isbn__in=[p.fields["isbn"] for p in parsed if p.fields["isbn"]])
        .values_list("isbn", "pk")
    )
    keys = [p.match_key() for p in parsed]
    by_key = dict(Record.objects.for_city(city).filter(match_key__in=keys).values_list("match_key", "pk"))
    result = MarcResult(total=len(parsed))
    targets: list[tuple[Parsed, int | str, bool]] = []  # the record: an id, or the match key of a new one
    new_keys: dict[str, str] = {}  # isbn or match key of a record new in this file -> its match key
    for p, key in zip(parsed, keys, strict=True):
        isbn = p.fields["isbn"]
        existing: int | str | None = (by_isbn.get(isbn) if isbn else None) or by_key.get(key)
        existing = existing or (new_keys.get(isbn) if isbn else None) or new_keys.get(key)
        if existing is not None:
            result.duplicates += 1
            targets.append((p, existing, False))
            continue
        targets.append((p, key, True))
        new_keys[key] = key
        if isbn:
            new_keys[isbn] = key
        result.new += 1
    result.copies = sum(len(p.items) for p in parsed)
    result.sample = [
        {"number": p.number, **{k: p.fields[k] for k in ("title", "authors", "isbn", "year")}}
        for p, _key, is_new in targets[:200]
        if is_new
    ][:15]
    if apply:
        _write(actor, city, targets, spaces, result)
    return result


def _reserve_ids(model, n: int) -> list[int]:
    """n primary keys for rows written with raw inserts, inside the caller's transaction (SQLite: the write lock is
    already held, transaction_mode IMMEDIATE; PostgreSQL: taken from the table's sequence)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, n]
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + n))


@dataclass
class _Written:
    records: list[int] = field(default_factory=list)
    copies: list[int] = field(default_factory=list)


def _write_chunk(
    actor_name: str, city: City, chunk, targets_by_key: dict[str, int], spaces, written: _Written
) -> None:
    """One chunk of the import in its own transaction (a savepoint inside the import's one transaction on
    PostgreSQL).

    Everything but the inserts (folding the search words, building the rows) is done before the transaction, so
    the write lock (SQLite has one writer) is held only for the inserts and a waiting loan gets in between."""
    now = db_datetime(timezone.now())
    new = [(p, key) for p, key, is_new in chunk if is_new]
    rows: list[tuple] = []
    words: list[tuple[str, int]] = []  # (word, index of the new record in this chunk)
    for n, (p, key) in enumerate(new):
        p.index()
        rows.append(record_row(0, city.pk, p.fields, p.search_text, key, now)[1:])
        words.extend((w, n) for w in p.words)
    with transaction.atomic():
        ids = _reserve_ids(Record, len(new)) if new else []
        insert_rows(Record, RECORD_COLUMNS, [(pk, *row) for pk, row in zip(ids, rows, strict=True)])
        if record_words_in_table():
            insert_rows(
                RecordWord, ["city_id", "word", "record_id"], [(city.pk, w, ids[n]) for w, n in words]
            )
        for (_p, key), pk in zip(new, ids, strict=True):
            targets_by_key[key] = pk
        items = [
            (key if isinstance(key, int) else targets_by_key[key], barcode, spaces[code])
            for p, key, _new in chunk
            for barcode, code in p.items
        ]
        copy_ids = _reserve_ids(Copy, len(items)) if items else []
        insert_rows(
            Copy,
            [
                "id",
                "city_id",
                "record_id",
                "barcode",
                "home_id",
                "current_id",
                "status",
                "note",
                "created_at",
                "updated_at",
            ],
            [
                (pk, city.pk, rid, barcode, sid, sid, CopyStatus.AVAILABLE, "", now, now)
                for pk, (rid, barcode, sid) in zip(copy_ids, items, strict=True)
            ],
        )
        insert_rows(
            CopyEvent,
            ["city_id", "copy_id", "kind", "space_id", "status", "at", "actor_name"],
            [
                (city.pk, pk, CopyEvent.Kind.CATALOGUED, sid, CopyStatus.AVAILABLE, now, actor_name)
                for pk, (_rid, _barcode, sid) in zip(copy_ids, items, strict=True)
            ],
        )
    written.records.extend(ids)
    written.copies.extend(copy_ids)


def _undo(written: _Written) -> None:
    """All or nothing: what the chunks before a failure wrote is taken out again."""
    with transaction.atomic():
        for i in range(0, len(written.copies), 5000):
            part = written.copies[i : i + 5000]
            CopyEvent.objects.filter(copy_id__in=part).delete()
            Copy.objects.filter(pk__in=part).delete()
        for i in range(0, len(written.records), 5000):
            part = written.records[i : i + 5000]
            RecordWord.objects.filter(record_id__in=part).delete()
            Record.objects.filter(pk__in=part).delete()


def _write(actor, city: City, targets, spaces: dict[str, int], result: MarcResult) -> None:
    """Records, search words, copies and their first history line, raw inserts, all or nothing.

    PostgreSQL locks rows, not the database: the import's inserts never hold up a loan, so the whole import is one
    transaction (in rounds of BATCH records) and all or nothing by itself. SQLite has one writer: the import writes
    in short transactions of CHUNK records, leaves the lock free between them and deletes what it wrote when a
    later one fails."""
    actor_name = str(actor)[:200] if actor is not None else "system"
    written = _Written()
    by_key: dict[str, int] = {}
    if connection.vendor != "sqlite":
        with transaction.atomic():
            for i in range(0, len(targets), BATCH):
                _write_chunk(actor_name, city, targets[i : i + BATCH], by_key, spaces, written)
            _audit(actor, city, result, written)
        return
    try:
        _write_sqlite_chunks(actor_name, city, targets, by_key, spaces, written)
    except BaseException:
        _undo(written)
        raise
    with transaction.atomic():
        _audit(actor, city, result, written)


def _write_sqlite_chunks(actor_name: str, city: City, targets, by_key, spaces, written: _Written) -> None:
    """Chunks of CHUNK records, each its own short transaction."""
    for i in range(0, len(targets), CHUNK):
        _write_chunk(actor_name, city, targets[i : i + CHUNK], by_key, spaces, written)
        # One writer: leave the lock free a moment, so a loan waiting in SQLite's busy handler (which sleeps 1, 2,
        # 5, 10 ms... between tries) finds it free instead of the next chunk holding it.
        time.sleep(SQLITE_YIELD)


def _audit(actor, city: City, result: MarcResult, written: _Written) -> None:
    """One audit line for the whole import."""
    audit.record(
        actor=actor,
        action=AuditEntry.Action.IMPORT,
        obj=city,
        changes={
            "records_new": [0, result.new],
            "duplicates": [0, result.duplicates],
            "copies": [0, len(written.copies)],
        },
        note="MARC import",
    )


# ------------------------------------------------------------------------------------------------- export
def _marc_record(r: Record, items: list[tuple[str, str]]) -> pymarc.Record:
    kind = {Format.AUDIO: "nim", Format.PERIODICAL: "nas"}.get(r.format, "nam")  # type: ignore[call-overload]
    record = pymarc.Record(force_utf8=True, leader=f"00000{kind} a2200000 a 4500")
    langs = r.language_codes or ["und"]
    audience = {Audience.CHILDREN: "j", Audience.YOUTH: "d"}.get(r.audience, "e")  # type: ignore[call-overload]
    year = str(r.year) if r.year else "    "
    f008 = f"{r.created_at:%y%m%d}s{year}    vm     {audience}{' ' * 12}{langs[0][:3]} d"
    record.add_field(Field(tag="001", data=f"LC{r.pk}"))
    record.add_field(Field(tag="008", data=f008))
    if r.isbn:
        record.add_field(Field(tag="020", indicators=Indicators(" ", " "), subfields=[Subfield("a", r.isbn)]))
    if len(langs) > 1:
        record.add_field(
            Field(tag="041", indicators=Indicators("0", " "), subfields=[Subfield("a", c) for c in langs])
        )
    if r.classification:
        record.add_field(
            Field(tag="082", indicators=Indicators("0", "4"), subfields=[Subfield("a", r.classification)])
        )
    authors = r.author_list
    if authors:
        record.add_field(
            Field(tag="100", indicators=Indicators("1", " "), subfields=[Subfield("a", authors[0])])
        )
    title = [Subfield("a", r.title)] + ([Subfield("b", r.subtitle)] if r.subtitle else [])
    record.add_field(Field(tag="245", indicators=Indicators("1" if authors else "0", "0"), subfields=title))
    if r.title_romanised:
        record.add_field(
            Field(tag="246", indicators=Indicators("1", " "), subfields=[Subfield("a", r.title_romanised)])
        )
    if r.edition:
        record.add_field(
            Field(tag="250", indicators=Indicators(" ", " "), subfields=[Subfield("a", r.edition)])
        )
    pub = ([Subfield("b", r.publisher)] if r.publisher else []) + (
        [Subfield("c", str(r.year))] if r.year else []
    )
    if pub:
        record.add_field(Field(tag="264", indicators=Indicators(" ", "1"), subfields=pub))
    for subject in r.subject_list:
        record.add_field(
            Field(tag="650", indicators=Indicators(" ", "4"), subfields=[Subfield("a", subject)])
        )
    for author in authors[1:]:
        record.add_field(Field(tag="700", indicators=Indicators("1", " "), subfields=[Subfield("a", author)]))
    for barcode, code in items:
        record.add_field(
            Field(
                tag="952",
                indicators=Indicators(" ", " "),
                subfields=[Subfield("a", code), Subfield("b", code), Subfield("p", barcode)],
            )
        )
    return record


def _records_with_items(city: City, batch: int = 2000) -> Iterator[tuple[Record, list[tuple[str, str]]]]:
    last = 0
    while True:
        records = list(Record.objects.for_city(city).filter(pk__gt=last).order_by("pk")[:batch])
        if not records:
            return
        items: dict[int, list[tuple[str, str]]] = {}
        for record_id, barcode, code in (
            Copy.objects.filter(record__in=records)
            .exclude(status=CopyStatus.WITHDRAWN)
            .order_by("barcode")
            .values_list("record_id", "barcode", "home__code")
        ):
            items.setdefault(record_id, []).append((barcode, code or ""))
        for r in records:
            yield r, items.get(r.pk, [])
        last = records[-1].pk


def marc_export(*, city: City, fmt: str) -> Iterator[bytes]:
    """The city's catalogue with its copies (952) as binary MARC 21 (UTF-8) or MARCXML, streamed."""
    if fmt == "xml":
        yield b'<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="http://www.loc.gov/MARC21/slim">\n'
        for r, items in _records_with_items(city):
            yield pymarc.record_to_xml(_marc_record(r, items)) + b"\n"
        yield b"</collection>\n"
        return
    for r, items in _records_with_items(city):
        yield _marc_record(r, items).as_marc()
