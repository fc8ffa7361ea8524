"""Browser stories of the desk's camera scanner (the shared core/scan.js), on a 360 px phone:

1. Where the browser has its own BarcodeDetector (a stand-in here, as Chrome on Android has), the volunteer scans a
   copy's 1D barcode: the desk asks for the books' formats, the code fills the barcode field, the camera stops and
   the page says what it read; she names the borrower and lends.
2. Where it has none (Chromium on Linux), the camera reads a copy's QR label with the vendored jsQR, says a 1D
   barcode must be typed, and the copy is taken back.

The camera is Chromium's fake capture device playing a Y4M file; the page's strict CSP refuses nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import CHROMIUM
from learningcity.core.tests.camera import NATIVE_DETECTOR, blank_video, camera_args, qr_picture, y4m
from learningcity.core.tests.factories import PASSWORD
from learningcity.library.models import Loan
from tests.test_browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone_with_camera(browser, live_server, tmp_path):
    """Open a phone whose camera films the given video; yields a function video -> (page, CSP refusals)."""
    opened = []

    def open_with(video: str, detector: str | None = None):
        instance = browser.browser_type.launch(
            executable_path=CHROMIUM, args=camera_args(video), headless=True
        )
        context = instance.new_context(
            viewport={"width": 360, "height": 740}, locale="vi-VN", permissions=["camera"]
        )
        if detector:
            context.add_init_script(detector)
        opened.append(instance)
        page = context.new_page()
        page.set_default_timeout(15000)
        refusals: list[str] = []
        page.on("console", lambda m: "Content Security Policy" in m.text and refusals.append(m.text))
        return page, refusals

    yield open_with
    for instance in opened:
        instance.close()


def at_the_desk(page, base, user, space):
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():  # signed in before the next page opens
        page.click("main button[type=submit]")
    page.goto(base + f"/son-la/manage/library/desk/{space.pk}/")


def test_a_volunteer_scans_a_copys_barcode_where_the_browser_reads_barcodes(
    phone_with_camera, live_server, tmp_path, people, shelves, book, card
):
    """1. BarcodeDetector (a stand-in) reads the 1D barcode; the volunteer lends the copy."""
    page, refusals = phone_with_camera(blank_video(tmp_path / "blank.y4m"), NATIVE_DETECTOR)
    page.add_init_script("window.__formats = ['qr_code', 'code_128', 'ean_13'];")  # Chrome on Android
    at_the_desk(page, live_server.url, people["space_coordinator"], shelves["meban"])
    page.click("#scan-start")
    expect(page.locator("#scan")).to_have_attribute("data-scanner", "native")
    expect(page.locator("#scan")).to_have_attribute("data-reads", "qr_code code_128 ean_13")
    assert page.evaluate("window.__askedFormats") == ["qr_code", "code_128", "ean_13"]
    expect(page.locator("#scan-note")).to_contain_text("mã vạch")  # the hint: hold the copy's barcode
    page.evaluate("() => { window.__codeSeen = 'SL000001'; }")
    expect(page.locator("#id_barcode")).to_have_value("SL000001")
    expect(page.locator("#scan-video")).to_be_hidden()  # one copy at a time: the camera stops
    expect(page.locator("#scan-note")).to_contain_text("SL000001")  # said aloud (a live region)
    expect(page.locator("#id_barcode")).to_be_focused()
    assert page.evaluate("typeof window.jsQR") == "undefined"
    page.fill("#id_borrower", "LT900001")
    with page.expect_navigation():
        page.click("button.primary")
    expect(page.locator(".messages")).to_contain_text("Đã cho LT900001 mượn")
    assert axe_violations(page) == []
    assert refusals == []
    assert Loan.objects.get(returned_at__isnull=True).copy.barcode == "SL000001"


def test_without_a_barcode_reader_the_camera_reads_a_qr_label_and_says_to_type_barcodes(
    phone_with_camera, live_server, tmp_path, people, shelves, book, card, librarian
):
    """2. No BarcodeDetector: jsQR reads the copy's QR label; the copy is taken back."""
    from learningcity.library import services

    services.loan_lend(actor=librarian, space=shelves["meban"], barcode="SL000001", borrower=card)
    page, refusals = phone_with_camera(y4m(tmp_path / "label.y4m", qr_picture("SL000001")))  # its QR label
    at_the_desk(page, live_server.url, people["space_coordinator"], shelves["meban"])
    assert page.evaluate("'BarcodeDetector' in window") is False
    page.check("input[name=action][value=return]")
    page.click("#scan-start")
    expect(page.locator("#scan")).to_have_attribute("data-scanner", "jsqr")
    expect(page.locator("#id_barcode")).to_have_value("SL000001")
    expect(page.locator("#scan-video")).to_be_hidden()
    with page.expect_navigation():
        page.click("button.primary")
    expect(page.locator(".messages")).to_contain_text("đã trở lại giá sách")
    assert refusals == []
    assert not Loan.objects.filter(returned_at__isnull=True).exists()
