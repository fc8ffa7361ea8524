"""The biennial report, told in Vietnamese at 360 px: the city administrator drafts a section, attaches a photo
and sends the report for review; a committee member comments; the committee's chair approves; the
administrator downloads the DOCX and the PDF."""

import io
import re

import docx
import pytest
from PIL import Image
from playwright.sync_api import expect

from learningcity.core.models import Role
from learningcity.core.tests.factories import user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_report_is_drafted_reviewed_approved_and_downloaded(
    page, login, transactional_db, city, people, report, tmp_path, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    chair = user_with_role(city, Role.CITY_ADMIN, username="chair")
    photo = tmp_path / "lop-chu-thai.jpg"
    Image.new("RGB", (60, 40), "green").save(photo, "JPEG")
    url = f"{page.base_url}/son-la/manage/reports/{report.pk}/"

    login("admin")
    page.goto(url)
    page.fill("#id_resources-narrative_vi", "Một phần ba ngân sách dành cho giáo dục.")
    page.fill("#id_resources-narrative_en", "A third of the budget goes to education.")
    page.locator("#s-resources").get_by_role("button", name="Lưu mục này").click()
    expect(page.locator("main")).to_contain_text("Đã lưu mục.")
    page.select_option("#id_e-resources-kind", "photo")
    page.fill("#id_e-resources-title", "Lớp chữ Thái")
    page.fill("#id_e-resources-claim", "Học viên từ 9 đến 76 tuổi")
    page.set_input_files("#id_e-resources-file", str(photo))
    page.locator("#s-resources").get_by_role("button", name="Đính kèm").click()
    expect(page.locator("#s-resources").get_by_role("link", name="Lớp chữ Thái")).to_be_visible()
    page.get_by_role("button", name="Gửi đi xem xét").click()
    expect(page.locator("#report-status")).to_have_text("đang xem xét")

    page.context.clear_cookies()
    login("viewer")
    page.goto(url)
    page.fill("#c-resources", "Đề nghị nêu rõ nguồn số liệu.")
    page.locator("#s-resources").get_by_role("button", name="Gửi góp ý").click()
    expect(page.locator("#s-resources")).to_contain_text("Đề nghị nêu rõ nguồn số liệu.")
    expect(page.get_by_role("button", name="Phê duyệt báo cáo")).to_have_count(0)

    page.context.clear_cookies()
    login(chair.username)
    page.goto(url)
    page.get_by_role("button", name="Phê duyệt báo cáo").click()
    expect(page.locator("#report-status")).to_have_text(re.compile("duyệt$"))  # approved

    page.context.clear_cookies()
    login("admin")
    page.goto(url)
    for fmt, button in (("docx", "Tạo DOCX"), ("pdf", "Tạo PDF")):
        page.goto(url)
        page.get_by_role("button", name=button).click()
        expect(page.locator("#document-status")).to_have_text(re.compile("^sẵn sàng"))
        with page.expect_download() as info:
            page.click("#download")
        data = info.value.path().read_bytes()
        if fmt == "docx":
            headings = [
                p.text for p in docx.Document(io.BytesIO(data)).paragraphs if p.style.name == "Heading 1"
            ]
            assert "3. Huy động và sử dụng nguồn lực" in headings
        else:
            assert data.startswith(b"%PDF")
