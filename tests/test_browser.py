"""Browser stories (Playwright driving Debian's Chromium at 360 px), with axe-core accessibility checks,
page weight, keyboard use and the Content-Security-Policy in force."""

import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from learningcity.core.models import AuditEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).parent / "vendor/axe-core/axe.min.js").read_text()
WEIGHT_LIMIT = 200 * 1024


def axe_violations(page) -> list[str]:
    """Serious and critical WCAG A/AA violations on the page, as readable lines."""
    page.wait_for_load_state("load")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE + "\n;true")  # through DevTools: the page's CSP is not loosened
    result = page.evaluate(
        "async () => (await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}}))"
        ".violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}))"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['nodes']}" for v in result if v["impact"] in ("serious", "critical")
    ]


def watch(page) -> dict:
    """Collect CSP violations, console errors and the bytes of HTML, CSS and JS of the next load."""
    seen: dict = {"errors": [], "bytes": 0, "kinds": {}}

    def on_console(msg):
        if msg.type == "error":
            seen["errors"].append(msg.text)

    def on_response(response):
        kind = response.request.resource_type
        if kind in ("document", "stylesheet", "script"):
            try:
                size = len(response.body())
            except Exception:  # redirects have no body
                size = 0
            seen["bytes"] += size
            seen["kinds"][kind] = seen["kinds"].get(kind, 0) + size

    page.on("console", on_console)
    page.on("response", on_response)
    return seen


def assert_fits_a_phone(page):
    page.wait_for_load_state("load")  # a click's navigation may still be under way
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 362, f"the page is {width} px wide on a 360 px phone"


def test_visitor_opens_son_la_in_vietnamese_and_switches_to_english(page, city, areas):
    seen = watch(page)
    page.goto(page.base_url + "/son-la/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.locator("h1").inner_text() == "Sơn La"
    assert page.get_by_text("Số liệu chính").is_visible()
    assert page.locator(".figures dd").first.inner_text() == "2"  # two wards, counted from the data
    assert seen["bytes"] < WEIGHT_LIMIT, seen
    assert_fits_a_phone(page)
    assert axe_violations(page) == []
    assert not [e for e in seen["errors"] if "Content Security Policy" in e], seen["errors"]

    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    assert page.url.endswith("/son-la/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_text("Key figures").is_visible()
    assert page.get_by_role("button", name="English").get_attribute("aria-current") == "true"
    # Remembered: the list of cities, opened later, is in English too.
    page.goto(page.base_url + "/")
    assert page.locator("h1").inner_text() == "Learning cities"
    page.goto(page.base_url + "/atlantis/")
    assert "There is no learning city called “atlantis”" in page.locator("main").inner_text()
    assert axe_violations(page) == []


def test_keyboard_reaches_the_content_first(page, city, areas):
    page.goto(page.base_url + "/son-la/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert page.evaluate("document.activeElement.textContent").strip() == "Bỏ qua, đến nội dung chính"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    landmarks = page.evaluate(
        "['header','nav','main','footer'].map(t => document.querySelectorAll(t).length)"
    )
    assert landmarks == [1, 1, 1, 1]


def test_ward_coordinator_sees_only_her_wards_records(page, login, city, areas, people):
    login("coord")
    page.goto(page.base_url + "/son-la/manage/areas/")
    table = page.locator("table").inner_text()
    assert "Bản Mé Ban" in table
    assert "Phường Chiềng Cơi" in table
    assert "Tô Hiệu" not in table
    assert "Tổ dân phố 1" not in table
    assert_fits_a_phone(page)
    assert axe_violations(page) == []
    # Opening a record of Tô Hiệu by its address is refused.
    response = page.goto(page.base_url + f"/son-la/manage/areas/{areas['to_1'].pk}/edit/")
    assert response.status == 403
    assert page.locator("h1").inner_text() == "Không được phép"


def test_administrator_finds_his_change_in_the_audit_trail(page, login, city, areas, people):
    login("admin")
    page.goto(page.base_url + "/son-la/manage/")
    page.get_by_role("link", name="Địa bàn").first.click()
    page.get_by_role("link", name="Bản Mé Ban").click()
    page.get_by_label("Tên (tiếng Việt)").fill("Bản Mé Ban Trên")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu địa bàn “Bản Mé Ban Trên”")
    page.goto(page.base_url + "/son-la/manage/audit/")
    page.get_by_label("Thao tác").select_option("update")
    with page.expect_navigation():  # the filtered list, not the one still on screen
        page.get_by_role("button", name="Lọc").click()
    row = page.locator("table.audit tbody tr").first
    text = row.inner_text()
    assert "admin" in text.lower() or str(people["city_admin"]) in text
    assert "name_vi" in text
    assert "Bản Mé Ban → Bản Mé Ban Trên" in text
    assert AuditEntry.objects.filter(action="update", actor=people["city_admin"]).count() == 1
    assert_fits_a_phone(page)
    assert axe_violations(page) == []


def test_ten_wrong_passwords_lock_the_account_with_a_clear_message(page, city, people):
    page.goto(page.base_url + "/accounts/login/")
    assert axe_violations(page) == []
    for attempt in range(10):
        page.fill("#id_username", "viewer")
        page.fill("#id_password", f"wrong password {attempt}")
        with page.expect_navigation():
            page.click("main button[type=submit]")
    assert page.locator("h1").inner_text() == "Tài khoản bị khoá"
    assert "khoá trong một giờ" in page.locator("[role=alert]").inner_text()
    assert axe_violations(page) == []
    # The way back: a reset link by e-mail.
    page.get_by_role("link", name="Đặt lại mật khẩu").click()
    page.get_by_label("Thư điện tử").fill(people["viewer"].email)
    page.get_by_role("button", name="Gửi đường liên kết").click()
    expect(page.locator("h1")).to_have_text("Hãy kiểm tra thư điện tử")
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.fill("#id_new_password1", "a-new-start-2025")
    page.fill("#id_new_password2", "a-new-start-2025")
    with page.expect_navigation():  # the new password is saved before the next sign-in
        page.click("main button[type=submit]")
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", "viewer")
    page.fill("#id_password", "a-new-start-2025")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "Đăng xuất" in page.locator("header").inner_text()


def test_api_docs_work_under_the_csp_with_vendored_assets(page, city, areas):
    seen = watch(page)
    external: list[str] = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(page.base_url) else None)
    page.goto(page.base_url + "/api/v1/docs")
    page.wait_for_selector(".opblock", timeout=20000)
    assert page.locator(".opblock").count() >= 5
    assert page.get_by_text("/api/v1/cities/{slug}/areas").first.is_visible()
    assert external == []
    assert not [e for e in seen["errors"] if "Content Security Policy" in e], seen["errors"]


def test_back_office_pages_pass_axe_and_fit_a_phone(page, login, city, areas, people):
    login("admin")
    for path in ["/son-la/manage/", "/son-la/manage/areas/new/", "/son-la/manage/areas/import/", "/"]:
        seen = watch(page)
        page.goto(page.base_url + path)
        assert axe_violations(page) == [], path
        assert_fits_a_phone(page)
        assert seen["bytes"] < WEIGHT_LIMIT, (path, seen)
