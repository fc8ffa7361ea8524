import io

import pytest

from learningcity.library import services
from learningcity.library.models import Borrower, Copy, Hold, Loan, Record
from learningcity.programmes.services.learners import learner_erase, learner_export, learner_merge

from .conftest import make_learner
from .marcfiles import broken_directory, record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pages_in_english(client):
    client.cookies["lc_language"] = "en"


def _login(client, user):
    client.force_login(user)
    return client


def test_volunteer_lends_by_name_and_by_card_on_the_desk_page(
    client, city, people, shelves, book, card, librarian
):
    services.borrower_register(
        actor=librarian, learner=make_learner(city, full_name="Cầm Thị Xuyến", code="LT900007")
    )
    _login(client, people["space_coordinator"])
    url = f"/son-la/manage/library/desk/{shelves['meban'].pk}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "camera=(self)" in page["Permissions-Policy"]
    several = client.post(url, {"action": "lend", "barcode": "SL000001", "borrower": "cam thi", "key": "a1"})
    assert several.status_code == 200
    assert "Several people match" in several.content.decode()
    assert Loan.objects.count() == 0
    chosen = client.post(url, {"action": "lend", "barcode": "SL000001", "borrower_id": card.pk, "key": "a2"})
    assert chosen.status_code == 302
    assert Loan.objects.get().borrower == card
    unknown = client.post(url, {"action": "lend", "barcode": "ZZZ", "borrower": "LT900001", "key": "a3"})
    assert unknown.status_code == 400
    assert "ZZZ" in unknown.content.decode()
    back = client.post(url, {"action": "return", "barcode": "SL000001", "key": "a4"}, follow=True)
    assert "back on the shelf" in back.content.decode()
    other = client.get(f"/son-la/manage/library/desk/{shelves['tohieu'].pk}/")
    assert other.status_code == 403


def test_resident_reserves_for_herself_only(client, city, people, shelves, book, card):
    url = f"/son-la/library/records/{book.pk}/reserve/"
    assert client.post(url, {"pickup": shelves["meban"].pk}).status_code == 302  # to the login page
    _login(client, people["viewer"])  # an account without a card: knowing a card code gives nothing
    assert client.post(url, {"pickup": shelves["meban"].pk, "card_code": card.card_code}).status_code == 403
    assert Hold.objects.count() == 0
    _login(client, people["resident"])
    response = client.post(url, {"pickup": shelves["meban"].pk}, follow=True)
    assert "kept for you" in response.content.decode()
    assert Hold.objects.get().borrower == card
    mine = client.get("/son-la/library/mine/").content.decode()
    assert "is waiting for you at Ngôi nhà trí tuệ bản Mé Ban" in mine


def test_api_search_detail_and_token_loans(client, city, people, shelves, book, card):
    from learningcity.core.services.accounts import api_token_create

    found = client.get("/api/v1/cities/son-la/library/records", {"q": "truyen co tich"}).json()
    assert found["count"] == 1
    assert found["items"][0]["title"] == "Truyện cổ tích Việt Nam"
    assert {f["value"] for f in found["facets"]["language"]} == {"vie"}
    detail = client.get(f"/api/v1/cities/son-la/library/records/{book.pk}").json()
    assert {c["barcode"] for c in detail["copies"]} == {"SL000001", "SL000002"}
    _, raw = api_token_create(actor=people["city_admin"], user=people["city_admin"], city=city, name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    body = {
        "space_id": shelves["meban"].pk,
        "barcode": "SL000001",
        "card_code": "LT900001",
        "idempotency_key": "x",
    }
    first = client.post("/api/v1/cities/son-la/library/loans", body, content_type="application/json", **auth)
    again = client.post("/api/v1/cities/son-la/library/loans", body, content_type="application/json", **auth)
    assert first.status_code == 200
    assert again.json()["repeated"] is True
    assert Loan.objects.count() == 1
    hold = {"record_id": book.pk, "pickup_id": shelves["tohieu"].pk, "card_code": "LT900001"}
    _login(client, people["resident"])
    refused = client.post("/api/v1/cities/son-la/library/holds", hold, content_type="application/json")
    assert refused.status_code == 403
    assert Hold.objects.count() == 0
    own = client.post(
        "/api/v1/cities/son-la/library/holds", {**hold, "card_code": ""}, content_type="application/json"
    )
    assert own.status_code == 200
    assert Hold.objects.get().borrower == card


def test_marc_import_page_names_the_broken_record_then_imports_the_fixed_file(
    client, city, librarian, shelves
):
    _login(client, librarian)
    url = "/son-la/manage/library/import/"
    good = record("Tấm Cám").as_marc()
    broken = good + broken_directory(record("Thạch Sanh").as_marc())
    page = client.post(url, {"file": io.BytesIO(broken)}).content.decode()
    assert "Nothing was imported" in page
    assert "<td>2</td><td>directory</td>" in page
    preview = client.post(url, {"file": io.BytesIO(good + record("Thạch Sanh").as_marc())})
    token = preview.context["token"]
    assert preview.context["preview"].new == 2
    client.post(url, {"token": token, "apply": "1"})
    assert Record.objects.count() == 2


def test_pages_open_and_export_labels(client, city, librarian, people, shelves, book):
    _login(client, librarian)
    for url in (
        "/son-la/manage/library/",
        f"/son-la/manage/library/records/{book.pk}/",
        "/son-la/library/figures/",
        "/son-la/manage/library/records/new/",
        "/son-la/manage/library/copy-cataloguing/?q=truyen",
    ):
        assert client.get(url).status_code == 200, url
    pdf = client.get(f"/son-la/manage/library/labels.pdf?record={book.pk}")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    mrc = b"".join(client.get("/son-la/manage/library/export.mrc").streaming_content)
    assert mrc.count(b"\x1d") == 1
    _login(client, people["space_coordinator"])
    assert client.get("/son-la/manage/library/import/").status_code == 403


def test_donation_goes_to_the_intake_queue_and_is_catalogued(client, city, people, librarian, shelves, book):
    _login(client, people["space_coordinator"])
    url = f"/son-la/manage/library/desk/{shelves['meban'].pk}/donations/"
    bad = client.post(url, {"received_on": "2026-01-05", "titles": "Sách hay\n978-604-0-00000-3"})
    assert "Line 2" in bad.content.decode()
    client.post(
        url,
        {"received_on": "2026-01-05", "titles": "Truyện cổ tích\n978-604-0-00000-2", "donor_name": "Ông A"},
    )
    from learningcity.library.models import IntakeItem

    item = IntakeItem.objects.get(title_hint="Truyện cổ tích")
    _login(client, librarian)
    client.post(f"/son-la/manage/library/intake/{item.pk}/", {"record": book.pk, "barcode": "DON-001"})
    assert Copy.objects.get(barcode="DON-001").home == shelves["meban"]


def test_figures_are_suppressed_for_the_public(client, city, people, shelves, book, card):
    services.loan_lend(
        actor=people["space_coordinator"], space=shelves["meban"], barcode="SL000001", borrower=card
    )
    public = client.get("/son-la/library/figures/").content.decode()
    assert "&lt;5" in public
    _login(client, people["viewer"])
    assert client.get("/son-la/library/figures/").context["active_borrowers"] == 1


def test_a_persons_export_erasure_and_merge_include_the_library(city, people, shelves, book, card, librarian):
    admin = people["city_admin"]
    services.loan_lend(actor=librarian, space=shelves["meban"], barcode="SL000001", borrower=card)
    services.hold_place(actor=librarian, record=book, borrower=card, pickup=shelves["tohieu"])
    data = learner_export(actor=admin, learner=card.learner)
    assert data["library"]["card_code"] == "LT900001"
    assert data["library"]["loans"][0]["barcode"] == "SL000001"
    twin = make_learner(city, full_name="Cầm Thị Xuân", code="LT900008")
    learner_merge(actor=admin, keep=twin, duplicate=card.learner)
    moved = Borrower.objects.get(pk=card.pk)
    assert moved.learner == twin
    learner_erase(actor=admin, learner=twin)
    assert not Borrower.objects.exists()
    assert not Hold.objects.exists()
    loan = Loan.objects.get()
    assert loan.borrower is None
    assert loan.copy.barcode == "SL000001"  # the copy is still out, the person gone


def test_librarian_starts_a_book_drive_and_sees_what_it_brought(
    client, city, people, shelves, librarian, book
):
    from learningcity.library.models import BookDrive, Donation

    url = "/son-la/manage/library/drives/"
    _login(client, people["space_coordinator"])
    assert client.get(url).status_code == 403  # volunteers record donations; the library's staff run drives
    _login(client, librarian)
    bad = client.post(url, {"name": "Sách cho bản", "starts_on": "2026-06-01", "ends_on": "2026-05-01"})
    assert bad.status_code == 200
    assert "cannot end before it starts" in bad.content.decode()
    assert not BookDrive.objects.exists()
    made = client.post(url, {"name": "Sách cho bản", "starts_on": "2026-06-01", "ends_on": "2026-06-30"})
    assert made.status_code == 302
    drive = BookDrive.objects.get()
    _login(client, people["space_coordinator"])
    given = client.post(
        f"/son-la/manage/library/desk/{shelves['meban'].pk}/donations/",
        {
            "drive": drive.pk,
            "donor_name": "Lò Văn Puốn",
            "received_on": "2026-06-05",
            "titles": "Dế mèn phiêu lưu ký\n978-604-1-00000-1\nTruyện Kiều",
        },
    )
    assert given.status_code == 302, given.content.decode()[:2000]
    assert Donation.objects.get().books == 3
    _login(client, librarian)
    page = client.get(url).content.decode()
    assert "Sách cho bản" in page
    assert "<td>1</td><td>3</td><td>0</td><td>1</td>" in page
    assert "Lò Văn Puốn" not in page  # donors stay private
