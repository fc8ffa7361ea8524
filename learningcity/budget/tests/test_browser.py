"""The city administrator imports the finance office's sheet with one bad line, fixes it and sees the education
share (in Vietnamese, at 360 px)."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BAD = """year,phase,code,amount,currency,source,unit
2025,approved,070-072,340.000.000,VND,state,Phòng Giáo dục
2025,approved,999-999,100000000,VND,province,UBND
2025,approved,340-341,660.000.000,VND,province,UBND
"""


def test_administrator_imports_the_budget_fixes_a_bad_line_and_sees_the_education_share(
    page, login, transactional_db, city, people, codes, tmp_path
):
    sheet = tmp_path / "ngan-sach-2025.csv"
    sheet.write_text(BAD, encoding="utf-8")
    login("admin")
    page.goto(page.base_url + "/son-la/manage/budget/import/")
    page.fill("#id_year", "2025")
    page.set_input_files("#id_file", str(sheet))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    errors = page.locator("table.row-errors tbody tr")
    expect(errors).to_have_count(1)  # waits for the checked page: count() alone raced the form's post
    assert errors.first.inner_text().split("\t")[:2] == ["3", "code"]
    assert "999-999" in errors.first.inner_text()

    sheet.write_text(BAD.replace("999-999", "160-161"), encoding="utf-8")
    page.fill("#id_year", "2025")
    page.set_input_files("#id_file", str(sheet))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.locator(".notice")).to_contain_text("3 dòng của năm 2025")
    page.get_by_role("button", name="Nhập ngay").click()
    page.wait_for_url("**/son-la/budget/?year=2025")
    assert page.locator("#education-share").inner_text() == "30,91 %"  # 340 of 1,100 million
    assert "2.025" not in page.locator("main").inner_text()
