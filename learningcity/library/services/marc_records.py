"""MARC 21 records read into the catalogue's fields, and a record's row for raw inserts.

Every record of a file is read on its own (a binary file is cut at the record terminator), so a broken record is
named (its number, the field, the reason) and the others are still checked; a record marked MARC-8 whose bytes are
valid UTF-8 is read as UTF-8 (a common mislabelling); directory lengths are checked against the field terminators
(pymarc does not); every text is repaired to NFC with the Vietnamese mark order (core.text.normalize). No database
access here: the import (services.marc) checks, dedupes and writes what this module reads.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import pymarc
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pymarc import Field
from stdnum import ean

from learningcity.core.errors import DomainError, RowError
from learningcity.core.text import fold, normalize

from ..models import Audience, Format, Language
from .catalogue import isbn_clean, match_key_folded

RECORD_COLUMNS = [
    "id",
    "city_id",
    "title",
    "subtitle",
    "title_romanised",
    "authors",
    "publisher",
    "year",
    "edition",
    "languages",
    "subjects",
    "classification",
    "audience",
    "format",
    "isbn",
    "search_text",
    "match_key",
    "created_at",
    "updated_at",
]


def record_row(pk: int, city_id: int, f: dict[str, Any], search_text: str, match_key: str, now) -> tuple:
    """A record's row in RECORD_COLUMNS order, for raw inserts (the import, and the benchmark's catalogue)."""
    languages = f",{','.join(f['languages'])}," if f["languages"] else ""
    return (
        pk,
        city_id,
        f["title"],
        f.get("subtitle", ""),
        f.get("title_romanised", ""),
        f.get("authors", ""),
        f.get("publisher", ""),
        f.get("year"),
        f.get("edition", ""),
        languages,
        f.get("subjects", ""),
        f.get("classification", ""),
        f.get("audience", ""),
        f.get("format", ""),
        f.get("isbn", ""),
        search_text,
        match_key,
        now,
        now,
    )


_LANGUAGES = frozenset(Language.values)
_COMBINING = re.compile("[\u0300-\u036f]")
_WORDS = re.compile(r"\w+")
_YEAR = re.compile(r"(1[4-9]\d\d|20\d\d)")
_TRAILING = " /:;,=."
_READ_ERRORS = {
    "RecordLengthInvalid": gettext_lazy("the record length in the leader does not match the record"),
    "TruncatedRecord": gettext_lazy("the record is cut short"),
    "EndOfRecordNotFound": gettext_lazy("the record has no end mark"),
    "RecordLeaderInvalid": gettext_lazy("the leader is not valid"),
    "BaseAddressInvalid": gettext_lazy("the base address in the leader is wrong"),
    "BaseAddressNotFound": gettext_lazy("the base address in the leader is missing"),
    "RecordDirectoryInvalid": gettext_lazy("the directory lengths or positions are wrong"),
    "NoFieldsFound": gettext_lazy("the record has no fields"),
    "FieldNotFound": gettext_lazy("a field named in the directory is missing"),
    "BadLeaderValue": gettext_lazy("the leader holds a wrong value"),
}


@dataclass
class Parsed:
    """A checked record, ready to be written."""

    number: int
    fields: dict[str, Any]
    items: list[tuple[str, str]] = field(default_factory=list)  # (barcode, bookcase code)
    search_text: str = ""
    words: set[str] = field(default_factory=set)
    _folded: dict[str, str] = field(default_factory=dict)

    def _fold(self, name: str) -> str:
        if name not in self._folded:
            self._folded[name] = fold(self.fields[name])
        return self._folded[name]

    def match_key(self) -> str:
        """catalogue.match_key_of, with the title and authors folded once for it and for index()."""
        authors = self.fields["authors"]
        first = self._fold("authors") if ";" not in authors else fold(authors.split(";")[0])
        return match_key_folded(self._fold("title"), first)

    def index(self) -> None:
        """The folded search text and words (as catalogue.search_text_of / words_of): each part folded once (the
        parts folded one by one and joined by a space are the joined parts folded: fold ends in a split/join)."""
        f = self.fields
        parts = (self._fold(n) for n in ("title", "subtitle", "title_romanised", "authors", "subjects"))
        folded = " ".join(x for x in parts if x)
        self.search_text = folded[:1000]
        self.words = {w[:40] for w in _WORDS.findall(folded)} | ({f["isbn"]} if f["isbn"] else set())


# ------------------------------------------------------------------------------------------------ reading
def _looks_utf8(chunk: bytes) -> bool:
    if len(chunk) > 9 and chunk[9:10] == b"a":
        return True
    try:
        chunk.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return any(b > 0x7F for b in chunk)


def _directory_problem(raw: bytes) -> str:
    """What is wrong with the directory (a field whose length or start misses its terminator), or ""."""
    try:
        base = int(raw[12:17])
    except ValueError:
        return ""  # pymarc names a bad base address
    directory = raw[24 : base - 1]
    if len(directory) % 12:
        return str(_READ_ERRORS["RecordDirectoryInvalid"])
    for i in range(0, len(directory), 12):
        entry = directory[i : i + 12]
        try:
            tag, length, start = entry[:3].decode("ascii"), int(entry[3:7]), int(entry[7:12])
        except (UnicodeDecodeError, ValueError):
            return str(_READ_ERRORS["RecordDirectoryInvalid"])
        end = base + start + length - 1
        if length < 1 or end >= len(raw) or raw[end] != 0x1E:
            return _("field %(tag)s: its length or position in the directory is wrong") % {"tag": tag}
    return ""


def _binary_records(data: bytes) -> Iterator[tuple[int, pymarc.Record | None, str, str]]:
    """(number, record or None, field, reason) for every record of a binary file."""
    chunks = data.split(b"\x1d")
    if chunks and not chunks[-1].strip():
        chunks.pop()
    for number, chunk in enumerate(chunks, start=1):
        raw = chunk.lstrip(b"\r\n") + b"\x1d"
        if number == len(chunks) and not data.rstrip(b"\r\n ").endswith(b"\x1d"):
            yield number, None, "leader", str(_READ_ERRORS["TruncatedRecord"])
            continue
        problem = _directory_problem(raw) if len(raw) > 24 else ""
        if problem:
            yield number, None, "directory", problem
            continue
        try:
            record = pymarc.Record(
                data=raw, to_unicode=True, force_utf8=_looks_utf8(raw), hide_utf8_warnings=True
            )
        except UnicodeDecodeError:
            yield number, None, "encoding", _("the text is neither valid UTF-8 nor MARC-8")
        except (pymarc.exceptions.PymarcException, ValueError, IndexError) as exc:
            name = type(exc).__name__
            where = "directory" if "Directory" in name or "Field" in name else "leader"
            yield number, None, where, str(_READ_ERRORS.get(name, _("the record cannot be read")))
        else:
            yield number, record, "", ""


def _xml_records(data: bytes) -> Iterator[tuple[int, pymarc.Record | None, str, str]]:
    try:
        records = pymarc.parse_xml_to_array(io.BytesIO(data), strict=False)
    except Exception as exc:  # the XML parser's errors are many: each is one message here
        line = exc.getLineNumber() if hasattr(exc, "getLineNumber") else "?"
        yield 1, None, "XML", _("the file is not well-formed MARCXML (line %(line)s)") % {"line": line}
        return
    for number, record in enumerate(records, start=1):
        yield number, record, "", ""


def _text(value: str | None) -> str:
    value = (value or "").strip().rstrip(_TRAILING).strip()
    if value.isascii() or (unicodedata.is_normalized("NFC", value) and not _COMBINING.search(value)):
        return value  # already NFC with no mark left over: what normalize would return, without its cost
    return normalize(value)


_Tags = dict[str, list[Field]]


def _tags(record: pymarc.Record) -> _Tags:
    """The record's fields by tag, read once (pymarc's get_fields walks every field at each call)."""
    out: _Tags = {}
    for f in record.fields:
        out.setdefault(f.tag, []).append(f)
    return out


def _first(record: _Tags, tag: str, code: str) -> str:
    for f in record.get(tag, ()):
        for value in f.get_subfields(code):
            if value and value.strip():
                return _text(value)
    return ""


def _control_008(record: _Tags) -> str:
    control = record.get("008")
    return (control[0].data or "") if control else ""


def _languages(record: _Tags) -> list[str]:
    codes: list[str] = []
    for f in record.get("041", ()):
        for value in f.get_subfields("a"):
            value = value.strip().lower()
            codes += [value[i : i + 3] for i in range(0, len(value) - 2, 3)]
    data = _control_008(record)
    if len(data) >= 38:
        codes.insert(0, data[35:38].lower())
    known = [c for c in dict.fromkeys(codes) if c in _LANGUAGES]
    return known or ([Language.MUL] if codes and codes[0].strip() else [])


def _audience(record: _Tags) -> str:
    code = _control_008(record)[22:23]
    return {
        "a": Audience.CHILDREN,
        "b": Audience.CHILDREN,
        "c": Audience.CHILDREN,
        "j": Audience.CHILDREN,
        "d": Audience.YOUTH,
    }.get(code, Audience.ADULTS)


def _format(record: pymarc.Record) -> str:
    leader = str(record.leader)
    if leader[6:7] in ("i", "j"):
        return Format.AUDIO
    if leader[7:8] == "s":
        return Format.PERIODICAL
    return Format.BOOK


def _isbn(raw: str) -> str:
    """isbn_clean, with a short way for the common compact ISBN-13 (its check digit still by python-stdnum)."""
    if (
        len(raw) == 13
        and raw.isdigit()
        and raw[:3] in ("978", "979")
        and ean.calc_check_digit(raw[:12]) == raw[12]
    ):
        return raw
    return isbn_clean(raw, field="020")


def _fields_of(number: int, marc_record: pymarc.Record, errors: list[RowError]) -> Parsed | None:
    record = _tags(marc_record)
    title = _first(record, "245", "a")
    if not title:
        errors.append(RowError(number, "245", _("the title (245 $a) is missing")))
        return None
    isbn_raw = _first(record, "020", "a").split(" ")[0]
    try:
        isbn = _isbn(isbn_raw)
    except DomainError as exc:
        errors.append(RowError(number, "020", exc.message))
        return None
    authors = [
        _text(v)
        for tag in ("100", "110", "700", "710")
        for f in record.get(tag, ())
        for v in f.get_subfields("a")
    ]
    publisher = _first(record, "264", "b") or _first(record, "260", "b")
    year_text = _first(record, "264", "c") or _first(record, "260", "c")
    year_match = _YEAR.search(year_text)
    subjects = [
        _text(v) for tag in ("650", "651", "653") for f in record.get(tag, ()) for v in f.get_subfields("a")
    ]
    fields = {
        "title": title[:300],
        "subtitle": _first(record, "245", "b")[:300],
        "title_romanised": _first(record, "246", "a")[:300],
        "authors": "; ".join(dict.fromkeys(a for a in authors if a))[:500],
        "publisher": publisher[:200],
        "year": int(year_match.group(1)) if year_match else None,
        "edition": _first(record, "250", "a")[:100],
        "languages": _languages(record),
        "subjects": "; ".join(dict.fromkeys(s for s in subjects if s))[:500],
        "classification": (_first(record, "082", "a") or _first(record, "084", "a"))[:40],
        "audience": _audience(record),
        "format": _format(marc_record),
        "isbn": isbn,
    }
    items = [
        ((f.get("p") or "").strip().upper(), (f.get("a") or f.get("b") or "").strip())
        for f in record.get("952", ())
        if (f.get("p") or "").strip()
    ]
    return Parsed(number, fields, items)


def read_marc(stream: IO[bytes]) -> tuple[list[Parsed], list[RowError]]:
    data = stream.read()
    head = data.lstrip()[:200]
    is_xml = head.startswith(b"<?xml") or b"<collection" in head or b"<record" in head
    reader = _xml_records(data) if is_xml else _binary_records(data)
    parsed: list[Parsed] = []
    errors: list[RowError] = []
    for number, record, where, reason in reader:
        if record is None:
            errors.append(RowError(number, where, reason))
            continue
        item = _fields_of(number, record, errors)
        if item is not None:
            parsed.append(item)
    if not parsed and not errors:
        errors.append(RowError(1, "leader", _("the file holds no MARC record")))
    return parsed, errors
