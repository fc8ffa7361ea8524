"""Stories a person could read, on a 360 px phone: a volunteer lends and takes back a book; a resident finds a
book without accents, reserves it and sees it arrive at her bookcase; a librarian imports a MARC file with one
broken record, reads which one and why, and imports the rest after fixing it."""

import pytest
from playwright.sync_api import expect

from learningcity.library import services
from learningcity.library.models import Record

from .conftest import make_learner
from .marcfiles import broken_directory, record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_volunteer_lends_and_takes_back_a_book_on_her_phone(page, login, city, people, shelves, book, card):
    login(people["space_coordinator"].username)
    page.goto(page.base_url + f"/son-la/manage/library/desk/{shelves['meban'].pk}/")
    page.fill("#id_barcode", "sl000001")
    page.fill("#id_borrower", "cam thi xuan")  # her name, typed without accents
    with page.expect_navigation():
        page.click("button.primary")
    assert "Đã cho LT900001 mượn" in page.locator(".messages").inner_text()
    page.check("input[name=action][value=return]")
    page.fill("#id_barcode", "SL000001")
    with page.expect_navigation():
        page.click("button.primary")
    assert "đã trở lại giá sách" in page.locator(".messages").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_resident_finds_a_book_without_accents_reserves_it_and_sees_it_arrive(
    page, login, city, people, shelves, book, card, librarian
):
    other = services.borrower_register(actor=librarian, learner=make_learner(city, code="LT900011"))
    services.loan_lend(actor=librarian, space=shelves["meban"], barcode="SL000001", borrower=other)
    page.goto(page.base_url + "/son-la/library/")
    page.fill("#id_q", "truyen co tich")
    with page.expect_navigation():
        page.click("form.library-search button[type=submit]")
    page.click("text=Truyện cổ tích Việt Nam")
    expect(page.locator("main table")).to_contain_text("Thư viện nhân ái Tô Hiệu")
    page.click("text=Đăng nhập để đặt giữ")
    page.fill("#id_username", people["resident"].username)
    from learningcity.core.tests.factories import PASSWORD

    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.select_option("#id_pickup", str(shelves["meban"].pk))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "đang được chuyển đến Ngôi nhà trí tuệ bản Mé Ban" in page.locator("main").inner_text()
    # The volunteer at Mé Ban scans the copy when it arrives.
    services.loan_return(actor=people["space_coordinator"], space=shelves["meban"], barcode="SL000002")
    page.goto(page.base_url + "/son-la/library/mine/")
    assert "đang chờ bạn tại Ngôi nhà trí tuệ bản Mé Ban" in page.locator("main").inner_text()


def test_librarian_imports_marc_reads_the_broken_record_and_imports_after_fixing(
    page, login, city, librarian, shelves
):
    good = record("Tấm Cám", author="Khuyết danh").as_marc()
    login(librarian.username)
    page.goto(page.base_url + "/son-la/manage/library/import/")
    page.set_input_files(
        "#id_file",
        {
            "name": "sach.mrc",
            "mimeType": "application/marc",
            "buffer": good + broken_directory(record("Thạch Sanh").as_marc()),
        },
    )
    with page.expect_navigation():
        page.click("main form.stack button[type=submit]")
    errors = page.locator("table.row-errors tbody tr")
    assert errors.count() == 1
    assert errors.first.inner_text().split("\t")[:2] == ["2", "directory"]
    assert Record.objects.count() == 0
    page.set_input_files(
        "#id_file",
        {"name": "sach.mrc", "mimeType": "application/marc", "buffer": good + record("Thạch Sanh").as_marc()},
    )
    with page.expect_navigation():
        page.click("main form.stack button[type=submit]")
    assert "2 biểu ghi mới" in page.locator(".notice").inner_text()
    with page.expect_navigation():
        page.click("button[name=apply]")
    assert "Đã nhập 2 biểu ghi" in page.locator(".messages").inner_text()
    assert Record.objects.count() == 2
