"""Browser stories of scanning badges at a conference door (Chromium at phone size, the connection cut):

1. A steward points the phone's camera at a delegate's badge: the QR code (made by segno, as on the printed
   badge) is read by the vendored jsQR (Chromium on Linux has no BarcodeDetector) from the camera's video and
   she is checked in; back online, the check-in reaches the database once.
2. Without a camera she takes a photo of the badge instead: read from the still image; a photo with no code in
   it says so and sends nothing.
3. Where the browser has its own BarcodeDetector (a stand-in here), the page uses it and not jsQR.

The camera is Chromium's fake capture device playing a Y4M file of the badge's QR code."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import CHROMIUM, CHROMIUM_ARGS
from learningcity.conferences.models import CheckIn
from learningcity.core.tests.camera import NATIVE_DETECTOR, blank_video, camera_args, qr_picture, still, y4m
from learningcity.core.tests.factories import PASSWORD
from tests.test_browser import axe_violations

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
PHONE = {"viewport": {"width": 360, "height": 740}, "locale": "vi-VN"}


def open_phone(browser, tmp_path, video: str | None = None):
    """A phone's browser whose storage survives, with a camera that films `video` when given."""
    return browser.browser_type.launch_persistent_context(
        str(tmp_path / "phone"),
        executable_path=CHROMIUM,
        args=camera_args(video) if video else CHROMIUM_ARGS,
        headless=True,
        permissions=["camera"] if video else [],
        **PHONE,
    )


def at_the_door(phone, base, event):
    """Signed in as a steward, the phone prepared online, then the check-in page with the connection cut."""
    page = phone.new_page()
    page.refusals = []  # what the Content-Security-Policy refused: nothing, ever
    page.on("console", lambda m: "Content Security Policy" in m.text and page.refusals.append(m.text))
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", "viewer")  # city staff: a steward
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():  # signed in before the next page opens
        page.click("main button[type=submit]")
    page.goto(base + "/son-la/field/")
    page.wait_for_selector("html[data-field-ready]")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.click("#refresh")
    expect(page.locator("#events a")).to_have_text(event.title_vi)
    phone.set_offline(True)
    page.click("#events a")
    page.wait_for_selector("html[data-field-ready]")
    expect(page.locator("#delegates li")).to_have_count(3)
    return page


def back_online_and_sent(phone, page, base):
    page.goto(base + "/son-la/field/")
    page.wait_for_selector("html[data-field-ready]")
    phone.set_offline(False)
    expect(page.locator("#outbox-count")).to_have_attribute("data-waiting", "0")


def test_a_steward_scans_a_badge_with_the_camera(browser, live_server, tmp_path, people, conference):
    """1. The camera films the badge's QR code; jsQR reads it; the delegate is checked in once."""
    from learningcity.conferences.services import registration as reg

    event, (hoa, _duc, _xuan) = conference
    phone = open_phone(
        browser, tmp_path, video=y4m(tmp_path / "badge.y4m", qr_picture(reg.badge_payload(hoa)))
    )
    try:
        page = at_the_door(phone, live_server.url, event)
        page.click("#scan-start")
        expect(page.locator("#scan-video")).to_be_visible()
        expect(page.locator("#scan")).to_have_attribute("data-scanner", "jsqr")
        expect(page.locator(f'#delegates li[data-badge="{hoa.badge_code}"]')).to_have_class("pending")
        expect(page.locator("#checkin-note")).to_contain_text("Lò Thị Hoà")
        expect(page.locator("#checkin-code")).to_have_value("")
        expect(page.locator("#checkin-code")).not_to_be_focused()  # no keyboard over the camera's picture
        # The badge stays in front of the camera: read again and again, sent once.
        page.wait_for_timeout(1500)
        expect(page.locator("#checkin-waiting")).to_have_attribute("data-waiting", "1")
        page.click("#scan-start")  # stop the camera
        expect(page.locator("#scan-video")).to_be_hidden()
        assert page.refusals == []
        assert CheckIn.objects.count() == 0
        back_online_and_sent(phone, page, live_server.url)
    finally:
        phone.close()
    assert list(CheckIn.objects.values_list("registration_id", flat=True)) == [hoa.pk]


def test_a_steward_reads_a_photo_of_a_badge(browser, live_server, tmp_path, people, conference):
    """2. A photo of the badge is read; a photo with no code says so and sends nothing."""
    from learningcity.conferences.services import registration as reg

    event, (_hoa, duc, _xuan) = conference
    phone = open_phone(browser, tmp_path)
    try:
        page = at_the_door(phone, live_server.url, event)
        page.set_input_files("#scan-photo", still(tmp_path / "blank.png", None))
        expect(page.locator("#scan-note")).to_contain_text("Không tìm thấy mã QR")
        expect(page.locator("#checkin-waiting")).to_have_attribute("data-waiting", "0")
        page.set_input_files("#scan-photo", still(tmp_path / "duc.png", qr_picture(reg.badge_payload(duc))))
        expect(page.locator(f'#delegates li[data-badge="{duc.badge_code}"]')).to_have_class("pending")
        expect(page.locator("#checkin-waiting")).to_have_attribute("data-waiting", "1")
        assert axe_violations(page) == []
        assert page.refusals == []
        back_online_and_sent(phone, page, live_server.url)
    finally:
        phone.close()
    assert list(CheckIn.objects.values_list("registration_id", flat=True)) == [duc.pk]


def test_the_browsers_own_barcode_detector_is_used_where_there_is_one(
    browser, live_server, tmp_path, people, conference
):
    """3. BarcodeDetector present: the page reads with it and never loads jsQR."""
    from learningcity.conferences.services import registration as reg

    event, (_hoa, _duc, xuan) = conference
    phone = open_phone(browser, tmp_path, video=blank_video(tmp_path / "blank.y4m"))
    phone.add_init_script(NATIVE_DETECTOR)
    try:
        page = at_the_door(phone, live_server.url, event)
        page.click("#scan-start")
        expect(page.locator("#scan")).to_have_attribute("data-scanner", "native")
        page.evaluate("code => { window.__codeSeen = code; }", reg.badge_payload(xuan))
        expect(page.locator(f'#delegates li[data-badge="{xuan.badge_code}"]')).to_have_class("pending")
        assert page.evaluate("typeof window.jsQR") == "undefined"
    finally:
        phone.close()


def test_the_staff_check_in_page_scans_with_the_same_scanner(
    browser, live_server, tmp_path, people, conference
):
    """4. The conferences' staff check-in page (online, no field app) uses the same core/scan.js: the badge read
    by the camera is posted and the delegate appears among the last checked in."""
    from learningcity.conferences.services import registration as reg

    event, (hoa, _duc, _xuan) = conference
    phone = open_phone(
        browser, tmp_path, video=y4m(tmp_path / "badge.y4m", qr_picture(reg.badge_payload(hoa)))
    )
    try:
        page = phone.new_page()
        refusals = []
        page.on("console", lambda m: "Content Security Policy" in m.text and refusals.append(m.text))
        page.goto(live_server.url + "/accounts/login/")
        page.fill("#id_username", "viewer")
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():  # signed in before the next page opens
            page.click("main button[type=submit]")
        page.goto(f"{live_server.url}/son-la/events/{event.slug}/checkin/")
        page.click("#scan-start")
        expect(page.locator("main ul").last).to_contain_text("Lò Thị Hoà")
        assert refusals == []
    finally:
        phone.close()
    assert list(CheckIn.objects.values_list("registration_id", flat=True)) == [hoa.pk]
