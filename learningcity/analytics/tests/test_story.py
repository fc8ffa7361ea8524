"""Browser story: the steering committee finds who is left behind, drills down to the spaces and exports."""

from pathlib import Path

import pytest

from . import factories as f

pytestmark = pytest.mark.browser


@pytest.fixture
def ethnic_population(city, world):
    f.population(city, world["chieng_coi"], 2025, 60, ethnicity="03")
    f.population(city, world["chieng_coi"], 2025, 40, ethnicity="08")
    f.population(city, world["to_hieu"], 2025, 30, ethnicity="01")
    f.population(city, world["to_hieu"], 2025, 20, ethnicity="03")


def test_steering_committee_sees_who_is_left_behind_and_exports_the_spaces(
    transactional_db, page, login, people, world, ethnic_population
):
    login("admin")
    page.goto(page.base_url + "/son-la/manage/participation/?period=2025")
    page.get_by_role("heading", name="Ai đang bị bỏ lại phía sau").wait_for()
    # The first row of the ranking: the Thái people of Tô Hiệu ward, none of whom took part (0 of 20).
    first = page.locator("#ranking tbody tr").first
    assert "Phường Tô Hiệu" in first.inner_text()
    assert "Thái" in first.inner_text()
    assert "0,0%" in first.inner_text()  # Vietnamese decimal comma
    # Drill down to the ward and see its learning spaces
    first.get_by_role("link", name="Phường Tô Hiệu").click()
    page.locator("#spaces").wait_for()
    assert "Thư viện Tổ 1" in page.locator("#spaces table").inner_text()
    # Export the table of spaces
    with page.expect_download() as download_info:
        page.locator("#spaces a", has_text="CSV").click()
    path = download_info.value.path()
    text = Path(path).read_text(encoding="utf-8-sig")
    assert "Thư viện Tổ 1" in text
    assert download_info.value.suggested_filename.endswith(".csv")
