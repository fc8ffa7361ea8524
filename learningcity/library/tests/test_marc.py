import io
import unicodedata

import pymarc
import pytest
from django.db import DatabaseError
from stdnum import ean

from learningcity.core.errors import DomainError, ImportRejected
from learningcity.core.models import AuditEntry
from learningcity.library import selectors, services
from learningcity.library.models import Copy, CopyEvent, Record, RecordWord
from learningcity.library.services import marc

from .marcfiles import broken_directory, marc8_record, record

pytestmark = pytest.mark.django_db


def _import(librarian, city, data: bytes, apply=True):
    return marc.marc_import(actor=librarian, city=city, stream=io.BytesIO(data), apply=apply)


def test_utf8_and_marc8_records_are_read_and_repaired_to_nfc(city, librarian, shelves):
    decomposed = unicodedata.normalize("NFD", "Sự tích dưa hấu").replace("u\u0302\u0301", "u\u0301\u0302")
    data = (
        record(
            "Dế Mèn phiêu lưu ký",
            isbn="978-604-0-00000-2",
            author="Tô Hoài",
            items=[("MB0001", "SL-NTT-001")],
        ).as_marc()
        + record(decomposed, author="Lò Văn Puốn").as_marc()
        + marc8_record()
        + record("ꪎꪷꪉ ꪋꪴ ꪎꪮꪙ ꪎꪱꪫ", romanised="Xống chụ xon xao", lang="tai").as_marc()
    )
    preview = _import(librarian, city, data, apply=False)
    assert (preview.new, preview.duplicates, preview.copies) == (4, 0, 1)
    assert Record.objects.count() == 0  # a preview writes nothing
    _import(librarian, city, data)
    titles = set(Record.objects.values_list("title", flat=True))
    assert titles == {"Dế Mèn phiêu lưu ký", "Sự tích dưa hấu", "Truyện cổ tích", "ꪎꪷꪉ ꪋꪴ ꪎꪮꪙ ꪎꪱꪫ"}
    assert all(unicodedata.is_normalized("NFC", t) for t in titles)
    dế = Record.objects.get(isbn="9786040000002")
    assert dế.authors == "Tô Hoài"
    assert dế.year == 2020
    assert dế.publisher == "Kim Đồng"
    assert dế.audience == "children"
    assert Copy.objects.get(barcode="MB0001").current == shelves["meban"]
    assert selectors.record_search(city=city, filters=selectors.RecordFilters(q="su tich dua hau")).total == 1
    assert (
        selectors.record_search(city=city, filters=selectors.RecordFilters(q="xon xao", language="tai")).total
        == 1
    )


def test_broken_records_are_named_and_nothing_is_imported(city, librarian):
    good = record("Tấm Cám", author="Khuyết danh").as_marc()
    bad_directory = broken_directory(record("Thạch Sanh").as_marc())
    truncated = record("Sọ Dừa").as_marc()[:40]
    bad_leader = b"XXXXXnam a22XXXXX   4500" + record("Cây tre").as_marc()[24:]
    bad_isbn = record("Thánh Gióng", isbn="978-604-0-00000-3").as_marc()
    with pytest.raises(ImportRejected) as exc:
        _import(librarian, city, good + bad_directory + bad_leader + bad_isbn + truncated)
    errors = {(e.row, e.column) for e in exc.value.errors}
    assert errors == {(2, "directory"), (3, "leader"), (4, "020"), (5, "leader")}
    reasons = {e.row: e.message for e in exc.value.errors}
    assert "check digit" in reasons[4]
    assert "cut short" in reasons[5]
    assert Record.objects.count() == 0


def test_bad_encoding_is_named(city, librarian):
    raw = bytearray(record("Chú Cuội ##").as_marc())
    text = bytes(raw).replace(b"##", b"\xff\xfe")  # leader says UTF-8; these bytes are not
    with pytest.raises(ImportRejected) as exc:
        _import(librarian, city, text)
    assert [(e.row, e.column) for e in exc.value.errors] == [(1, "encoding")]


def test_duplicates_match_on_isbn_or_title_and_author(city, librarian, shelves):
    services.record_create(
        actor=librarian, city=city, title="Tấm Cám", authors="Khuyết danh", isbn="9786040000002"
    )
    data = (
        record("Tam Cam (bản khác)", isbn="978-604-0-00000-2", items=[("MB0002", "SL-NTT-001")]).as_marc()
        + record("Tấm  Cám", author="khuyết danh").as_marc()
        + record("Con Rồng cháu Tiên", author="Lê Văn").as_marc()
        + record("Con rồng cháu tiên", author="Le Van").as_marc()
    )
    result = _import(librarian, city, data)
    assert (result.new, result.duplicates) == (1, 3)
    assert Record.objects.count() == 2
    assert Copy.objects.get(barcode="MB0002").record.title == "Tấm Cám"


def test_unknown_bookcase_code_and_used_barcode(city, librarian, shelves, book):
    data = record("Sự tích cây khế", items=[("SL000001", "SL-NTT-001"), ("X1", "NOWHERE")]).as_marc()
    with pytest.raises(ImportRejected) as exc:
        _import(librarian, city, data)
    assert [(e.row, e.column) for e in exc.value.errors] == [(1, "952"), (1, "952")]


def test_marcxml_import_and_only_librarians(city, librarian, people):
    xml = pymarc.record_to_xml(record("Bé học đếm", author="Phạm Thị Thu"), namespace=True)
    data = (
        b'<?xml version="1.0" encoding="UTF-8"?><collection xmlns="http://www.loc.gov/MARC21/slim">'
        + xml
        + b"</collection>"
    )
    with pytest.raises(DomainError):
        _import(people["space_coordinator"], city, data)
    assert _import(librarian, city, data).new == 1
    with pytest.raises(ImportRejected) as exc:
        _import(librarian, city, b"<?xml version='1.0'?><collection><record>")
    assert exc.value.errors[0].column == "XML"


def test_export_reads_back_with_pymarc_binary_and_xml(city, librarian, shelves, book):
    services.record_create(
        actor=librarian,
        city=city,
        title="ꪎꪷꪉ ꪋꪴ ꪎꪮꪙ ꪎꪱꪫ",
        title_romanised="Xống chụ xon xao",
        languages=["tai", "vie"],
        isbn="9786320000005",
        authors="Cầm Trọng; Lò Văn Puốn",
        subjects="Truyện thơ Thái; Văn hóa Thái",
    )
    binary = b"".join(marc.marc_export(city=city, fmt="mrc"))
    records = list(pymarc.MARCReader(io.BytesIO(binary), to_unicode=True, force_utf8=True))
    assert [r["245"]["a"] for r in records] == ["Truyện cổ tích Việt Nam", "ꪎꪷꪉ ꪋꪴ ꪎꪮꪙ ꪎꪱꪫ"]
    assert all(r.leader[9] == "a" for r in records)
    thai = records[1]
    assert thai["020"]["a"] == "9786320000005"
    assert thai["246"]["a"] == "Xống chụ xon xao"
    assert [f["a"] for f in thai.get_fields("700")] == ["Lò Văn Puốn"]
    assert thai["041"].get_subfields("a") == ["tai", "vie"]
    assert sorted(f["p"] for f in records[0].get_fields("952")) == ["SL000001", "SL000002"]
    xml = b"".join(marc.marc_export(city=city, fmt="xml"))
    again = pymarc.parse_xml_to_array(io.BytesIO(xml))
    assert [r["245"]["a"] for r in again] == [r["245"]["a"] for r in records]
    # And back in: another city's import of this export doubles nothing when run twice.
    Copy.objects.all().delete()
    result = _import(librarian, city, binary)
    assert (result.new, result.duplicates) == (0, 2)


def _isbn(n: int) -> str:
    body = f"978604{n:06d}"
    return body + ean.calc_check_digit(body)


def _many(n: int) -> list[pymarc.Record]:
    """n distinct records, each with an ISBN and a copy at Mé Ban."""
    return [
        record(f"Sách số {i}", isbn=_isbn(i), author=f"Tác giả {i}", items=[(f"MC{i:04d}", "SL-NTT-001")])
        for i in range(1, n + 1)
    ]


@pytest.fixture
def small_chunks(monkeypatch):
    """The import writes in many small chunks (SQLite) or rounds (PostgreSQL), as it does with a big file."""
    monkeypatch.setattr(marc, "CHUNK", 3)
    monkeypatch.setattr(marc, "BATCH", 3)
    monkeypatch.setattr(marc, "SQLITE_YIELD", 0)


def test_duplicates_are_matched_within_a_chunk_and_across_chunks(city, librarian, shelves, small_chunks):
    records = _many(30)
    # Record 3 repeats record 2 (folded title + author, same chunk); the last repeats record 1 (ISBN, a later
    # chunk): each one's copy goes to the record written before it.
    records[2] = record("SÁCH SỐ 2", author="tac gia 2", items=[("MC0003", "SL-NTT-001")])
    records[29] = record("Sách số 1 (in lại)", isbn=_isbn(1), items=[("MC0030", "SL-NTT-001")])
    audits = AuditEntry.objects.count()
    result = _import(librarian, city, b"".join(r.as_marc() for r in records))
    assert (result.new, result.duplicates, result.copies) == (28, 2, 30)
    assert Record.objects.count() == 28
    assert Copy.objects.get(barcode="MC0003").record.title == "Sách số 2"
    assert Copy.objects.get(barcode="MC0030").record.isbn == _isbn(1)
    assert Copy.objects.filter(record__title="Sách số 1").count() == 2
    assert CopyEvent.objects.filter(kind=CopyEvent.Kind.CATALOGUED).count() == 30
    assert AuditEntry.objects.count() == audits + 1  # one audit line for the import, not one per record
    found = selectors.record_search(city=city, filters=selectors.RecordFilters(q="sach so 29"))
    assert [r.title for r in found.records] == ["Sách số 29"]


def test_a_failure_while_writing_the_last_chunk_leaves_nothing(
    city, librarian, shelves, small_chunks, monkeypatch
):
    write_chunk, calls = marc._write_chunk, []

    def failing(actor_name, city, chunk, *args):
        calls.append(len(chunk))
        write_chunk(actor_name, city, chunk, *args)
        if any(p.number == 30 for p, _key, _new in chunk):
            raise DatabaseError("disk I/O error")  # the last chunk is written, then the database fails

    monkeypatch.setattr(marc, "_write_chunk", failing)
    services.record_create(actor=librarian, city=city, title="Tấm Cám", authors="Khuyết danh")
    counts = (
        Record.objects.count(),
        Copy.objects.count(),
        CopyEvent.objects.count(),
        AuditEntry.objects.count(),
    )
    with pytest.raises(DatabaseError):
        _import(librarian, city, b"".join(r.as_marc() for r in _many(30)))
    assert len(calls) > 2  # chunks before the last one were written, and are taken out again
    assert counts == (
        Record.objects.count(),
        Copy.objects.count(),
        CopyEvent.objects.count(),
        AuditEntry.objects.count(),
    )
    assert RecordWord.objects.exclude(record__title="Tấm Cám").count() == 0
    assert selectors.record_search(city=city, filters=selectors.RecordFilters(q="sach so")).total == 0
    assert selectors.record_search(city=city, filters=selectors.RecordFilters(q="tam cam")).total == 1
