"""Browser stories (Chromium, 360 px, axe-core): a city administrator makes a read-only API token, copies it once,
the API reads with it and refuses a write, she revokes it and it stops working; a staff member downloads the
evidence of a reported value, which nobody else gets."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from learningcity.core.models import ApiToken, AuditEntry
from tests.test_browser import assert_fits_a_phone, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_administrator_makes_a_read_only_token_uses_it_and_revokes_it(
    page, browser, login, city, areas, people
):
    login("admin")
    page.goto(page.base_url + "/son-la/manage/")
    page.get_by_role("link", name="Mã truy cập API").first.click()
    expect(page.locator("h1")).to_have_text("Mã truy cập API")
    assert "Chưa có mã truy cập nào." in page.locator("table").inner_text()
    page.get_by_role("link", name="Mã truy cập mới").click()
    page.wait_for_url("**/manage/tokens/new/")
    assert_fits_a_phone(page)
    assert axe_violations(page) == []
    page.get_by_label("Tên").fill("Đồng bộ bảng tính")
    assert page.get_by_label("Phạm vi").input_value() == "read"  # read only unless chosen otherwise
    page.get_by_role("button", name="Tạo mã truy cập").click()

    # Shown once: she copies it from the page.
    assert page.locator("h1").inner_text() == "Đã tạo mã truy cập"
    assert "đây là lần duy nhất mã được hiển thị" in page.locator("main").inner_text()
    raw = page.get_by_label("Mã truy cập", exact=True).input_value()
    assert raw.startswith("lc_")
    assert len(raw) > 40
    assert_fits_a_phone(page)
    assert axe_violations(page) == []
    page.get_by_role("link", name="Xong: quay lại danh sách mã truy cập").click()
    page.wait_for_url("**/manage/tokens/")
    row = page.locator("table.tokens tbody tr").first
    assert "Đồng bộ bảng tính" in row.inner_text()
    assert "Chỉ đọc" in row.inner_text()
    assert raw not in page.content()
    assert f"lc_{raw[3:9]}…" in row.inner_text()
    assert_fits_a_phone(page)
    assert axe_violations(page) == []

    # An integration (no browser session) reads with it, and is refused a write.
    api = browser.new_context(extra_http_headers={"Authorization": f"Bearer {raw}", "Accept-Language": "vi"})
    audit = api.request.get(page.base_url + "/api/v1/cities/son-la/audit")
    assert audit.status == 200
    body = {"parent_id": areas["chieng_coi"].pk, "level": "hamlet", "code": "03670-X", "name_vi": "Bản X"}
    write = api.request.post(page.base_url + "/api/v1/cities/son-la/areas", data=body)
    assert write.status == 403
    assert write.json()["detail"] == "Mã truy cập này chỉ được đọc: nó không được thay đổi gì."
    assert not areas["chieng_coi"].children.filter(code="03670-X").exists()

    # She revokes it; it stops working at once.
    page.get_by_role("button", name="Thu hồi “Đồng bộ bảng tính”").click()
    expect(page.locator(".messages")).to_contain_text("Đã thu hồi mã truy cập “Đồng bộ bảng tính”")
    expect(page.locator("table.tokens tbody tr").first.get_by_role("button")).to_have_count(0)
    assert api.request.get(page.base_url + "/api/v1/cities/son-la/audit").status == 401
    api.close()
    token = ApiToken.objects.get()
    assert token.revoked_at is not None
    assert token.last_used_at is not None
    assert not AuditEntry.objects.filter(changes__icontains=raw).exists()


def test_staff_download_the_evidence_and_nobody_else_gets_it(page, login, city, areas, people):
    from learningcity.analytics.selectors import indicator_get
    from learningcity.analytics.services.manual import manual_value_enter

    value = manual_value_enter(
        actor=people["city_admin"],
        city=city,
        indicator=indicator_get(code="LC.BUDGET.EDU"),
        year=2024,
        value=Decimal("34"),
        source="Báo cáo ngân sách 2024",
        evidence=SimpleUploadedFile("bao-cao-ngan-sach.pdf", PDF),
    )
    login("viewer")
    page.goto(page.base_url + "/son-la/manage/indicators/values/")
    with page.expect_download() as download:
        page.get_by_role("link", name="tệp").click()
    assert download.value.suggested_filename == "bao-cao-ngan-sach.pdf"
    assert Path(download.value.path()).read_bytes() == PDF
    assert axe_violations(page) == []
    # The page never points at the file's place under /media/ (nginx refuses it there); a resident is refused.
    assert "/media/" not in page.content()
    page.get_by_role("button", name="Đăng xuất").click()
    login("resident")
    url = f"/son-la/manage/indicators/values/{value.pk}/evidence/"
    assert page.goto(page.base_url + url).status == 403
