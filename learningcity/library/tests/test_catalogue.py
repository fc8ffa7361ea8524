import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learningcity.core.errors import DomainError
from learningcity.library import selectors, services
from learningcity.library.models import Record, RecordWord, record_words_in_table
from learningcity.library.services.catalogue import isbn_display

pytestmark = pytest.mark.django_db


def test_isbn_both_vietnamese_prefixes_isbn10_and_checksum():
    assert services.isbn_clean("978-604-0-00000-2") == "9786040000002"
    assert services.isbn_clean("978 632 00 0000 5") == "9786320000005"
    assert isbn_display("9786320000005") == "978-632-00-0000-5"
    assert isbn_display("9786041234567") == "978-604-1-23456-7"
    assert services.isbn_clean("0-306-40615-2") == "9780306406157"  # ISBN-10 kept as ISBN-13
    with pytest.raises(DomainError) as exc:
        services.isbn_clean("978-604-0-00000-3")
    assert exc.value.field == "isbn"
    assert "check digit" in exc.value.message
    with pytest.raises(DomainError):
        services.isbn_clean("12345")


def test_only_library_staff_catalogue_and_text_is_repaired(city, librarian, people):
    with pytest.raises(DomainError):
        services.record_create(actor=people["space_coordinator"], city=city, title="X")
    decomposed_wrong_order = "Truye\u0323\u0302n co\u0309\u0302 ti\u0301ch"  # tone before the circumflex
    record = services.record_create(
        actor=librarian, city=city, title=decomposed_wrong_order, isbn="9786040000002"
    )
    assert record.title == "Truyện cổ tích"
    assert record.isbn == "9786040000002"
    if record_words_in_table():
        assert RecordWord.objects.filter(record=record, word="truyen").exists()
    found = selectors.record_search(city=city, filters=selectors.RecordFilters(q="truyen co tich"))
    assert record in found.records
    isbn = selectors.record_search(city=city, filters=selectors.RecordFilters(q="9786040000002"))
    assert isbn.records == [record]
    with pytest.raises(DomainError) as exc:
        services.record_create(actor=librarian, city=city, title="Y", isbn="9786040000003")
    assert exc.value.field == "isbn"
    assert Record.objects.filter(title="Y").count() == 0


def test_search_folds_accents_finds_tai_viet_both_ways_and_counts_facets(city, librarian, shelves, book):
    thai = services.record_create(
        actor=librarian,
        city=city,
        title="ꪎꪷꪉ ꪋꪴ ꪎꪮꪙ ꪎꪱꪫ",
        title_romanised="Xống chụ xon xao",
        languages=["tai"],
    )
    services.copy_add(actor=librarian, record=thai, barcode="SL000009", home=shelves["tohieu"])
    found = selectors.record_search(city=city, filters=selectors.RecordFilters(q="truyen co tich"))
    assert [r.title for r in found.records] == ["Truyện cổ tích Việt Nam"]
    assert found.total == 1
    assert selectors.record_search(city=city, filters=selectors.RecordFilters(q="xong chu")).records == [thai]
    assert selectors.record_search(city=city, filters=selectors.RecordFilters(q="ꪎꪷꪉ")).records == [thai]
    everything = selectors.record_search(city=city, filters=selectors.RecordFilters())
    langs = {code: n for code, _label, n in everything.facets["language"]}
    assert langs == {"vie": 1, "tai": 1}
    assert everything.facets["available"][0][2] == 2
    only_tai = selectors.record_search(city=city, filters=selectors.RecordFilters(language="tai"))
    assert only_tai.records == [thai]
    at_meban = selectors.record_search(
        city=city, filters=selectors.RecordFilters(bookcase=shelves["meban"].pk)
    )
    assert at_meban.records == [book]


def test_search_page_queries_do_not_grow_with_results(client, city, librarian, shelves):
    for n in range(3):
        services.record_create(actor=librarian, city=city, title=f"Sách số {n}")
    with CaptureQueriesContext(connection) as few:
        client.get("/son-la/library/", {"q": "sach"})
    for n in range(3, 25):
        services.record_create(actor=librarian, city=city, title=f"Sách số {n}")
    with CaptureQueriesContext(connection) as many:
        response = client.get("/son-la/library/", {"q": "sach", "near_lat": 21.3, "near_lon": 103.9})
    assert response.status_code == 200
    # +1 the count (a full page), +1 the nearest bookcases of the page: both single queries
    assert len(many) <= len(few) + 2


def test_record_page_says_where_copies_are_and_nearest(client, city, book, shelves):
    response = client.get(f"/son-la/library/records/{book.pk}/", {"near_lat": 21.33, "near_lon": 103.92})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Thư viện nhân ái Tô Hiệu" in html
    assert "Mé Ban" in html
    assert html.index("Tô Hiệu") < html.index("Mé Ban")  # nearest first


def test_copy_cataloguing_from_another_city(city, other_city, librarian, book):
    from learningcity.core.models import Role
    from learningcity.core.tests.factories import user_with_role

    hue_librarian = user_with_role(other_city, Role.LIBRARIAN, username="hue-lib")
    copied = services.record_copy_from(actor=hue_librarian, city=other_city, source=book)
    assert copied.city == other_city
    assert copied.title == book.title
    assert copied.copied_from == book
    assert services.record_copy_from(actor=hue_librarian, city=other_city, source=book) == copied  # once
    assert selectors.record_search(city=other_city, filters=selectors.RecordFilters(q="co tich")).records == [
        copied
    ]
    with pytest.raises(DomainError):
        services.record_copy_from(actor=librarian, city=other_city, source=book)  # not her city


def test_copy_barcode_unique_and_status(city, librarian, book, shelves):
    with pytest.raises(DomainError) as exc:
        services.copy_add(actor=librarian, record=book, barcode="sl000001", home=shelves["meban"])
    assert exc.value.field == "barcode"
    copy = book.copies.get(barcode="SL000001")
    services.copy_set_status(actor=librarian, copy=copy, status="lost")
    copy.refresh_from_db()
    assert copy.status == "lost"
    assert list(copy.events.values_list("kind", flat=True).order_by("pk")) == ["catalogued", "status"]
