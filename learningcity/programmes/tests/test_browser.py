"""Stories a person could read: a club leader takes attendance on her phone, a coordinator imports a typed-up
sign-in sheet from Vietnamese Windows and resolves what it flags, a resident subscribes to a club's calendar."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from learningcity.programmes.models import Attendance, Headcount, Learner

from .factories import SessionFactory
from .test_imports import csv_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_club_leader_takes_attendance_on_a_360px_phone(
    page, login, transactional_db, people, session, members
):
    login("spacecoord")
    sizes = {}  # every file the page loads (HTML, CSS, scripts, fonts), as the phone receives it
    page.on("response", lambda r: sizes.__setitem__(r.url, len(r.body())) if r.status == 200 else None)
    page.goto(page.base_url + f"/son-la/manage/sessions/{session.pk}/")
    page.wait_for_load_state("networkidle")
    assert len(sizes) >= 3, sizes
    assert sum(sizes.values()) < 50_000, sizes
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_label("Lò Thị Hoa").check()
    expect(page.locator("#present-count")).to_have_text("1")
    page.get_by_label("Quàng Thị Xuân").check()
    expect(page.locator("#present-count")).to_have_text("2")
    assert set(Attendance.objects.values_list("learner__full_name", flat=True)) == {
        "Lò Thị Hoa",
        "Quàng Thị Xuân",
    }
    # Someone new at the door.
    page.fill("#id_full_name", "Lò Văn Mới")
    page.select_option("#id_sex", "M")
    page.fill("#id_birth_year", "2014")
    page.check("#id_consent")
    page.click("text=Thêm và đánh dấu có mặt")
    expect(page.get_by_label("Lò Văn Mới")).to_be_checked()  # the roster opened again, with her ticked
    expect(page.locator("#present-count")).to_have_text("3")
    expect(page.locator(".messages")).to_contain_text("Lò Văn Mới")
    # A tap undone.
    page.get_by_label("Lò Thị Hoa").uncheck()
    expect(page.locator("#present-count")).to_have_text("2")
    assert Attendance.objects.filter(session=session).count() == 2


def test_ticks_survive_a_lost_connection_and_a_reload_and_are_sent_when_it_returns(
    page, login, transactional_db, people, session, members
):
    """In a hamlet with a weak signal: the taps cannot reach the server, the page is even reloaded, and nothing
    is lost; once the connection is back the same ticks are saved."""
    login("spacecoord")
    roster = page.base_url + f"/son-la/manage/sessions/{session.pk}/"
    page.goto(roster)
    mark = f"**/manage/sessions/{session.pk}/mark/"
    page.route(mark, lambda route: route.abort("internetdisconnected"))
    page.get_by_label("Lò Thị Hoa").check()
    page.get_by_label("Cầm Văn Minh").check()
    page.get_by_label("Cầm Văn Minh").uncheck()  # a change of mind while offline: only the last state is kept
    page.get_by_label("Quàng Thị Xuân").check()
    expect(page.locator("#roster-status")).to_contain_text("Chưa gửi được")
    expect(page.locator("li.pending")).to_have_count(3)
    assert page.get_by_label("Lò Thị Hoa").is_checked()  # not undone, as a refused tap would be
    assert not Attendance.objects.exists()
    page.reload()  # the page itself still loads; the ticks come back from the phone's storage
    expect(page.locator("li.pending")).to_have_count(3)
    assert page.get_by_label("Lò Thị Hoa").is_checked()
    assert page.get_by_label("Quàng Thị Xuân").is_checked()
    assert not page.get_by_label("Cầm Văn Minh").is_checked()
    page.unroute(mark)
    page.evaluate(
        "window.dispatchEvent(new Event('online'))"
    )  # what the browser fires when the signal returns
    expect(page.locator("#present-count")).to_have_text("2")
    expect(page.locator("li.pending")).to_have_count(0)
    expect(page.locator("#roster-status")).to_have_text("Đã lưu")
    assert set(Attendance.objects.values_list("learner__full_name", flat=True)) == {
        "Lò Thị Hoa",
        "Quàng Thị Xuân",
    }
    assert (
        page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('learningcity-roster:')).length")
        == 0
    )


def test_someone_new_typed_without_a_connection_is_kept_and_added_once_when_it_returns(
    page, login, transactional_db, people, session, members
):
    login("spacecoord")
    page.goto(page.base_url + f"/son-la/manage/sessions/{session.pk}/")
    add = f"**/manage/sessions/{session.pk}/learner/"
    page.route(add, lambda route: route.abort("internetdisconnected"))
    page.fill("#id_full_name", "Lò Văn Mới")
    page.select_option("#id_sex", "M")
    page.fill("#id_birth_year", "2014")
    page.check("#id_consent")
    page.click("text=Thêm và đánh dấu có mặt")
    expect(page.locator("#new-person-status")).to_contain_text("không có kết nối")
    # Still on the roster, with what she typed; nobody was added.
    assert page.input_value("#id_full_name") == "Lò Văn Mới"
    assert page.input_value("#id_birth_year") == "2014"
    assert page.is_checked("#id_consent")
    assert not Learner.objects.filter(full_name="Lò Văn Mới").exists()
    page.unroute(add)
    page.click("text=Thêm và đánh dấu có mặt")
    expect(page.get_by_label("Lò Văn Mới")).to_be_checked()
    assert Learner.objects.filter(full_name="Lò Văn Mới").count() == 1
    assert Attendance.objects.filter(session=session, learner__full_name="Lò Văn Mới").exists()


def test_counts_at_an_open_event_typed_without_a_connection_stay_on_the_page(
    page, login, transactional_db, people, session
):
    login("spacecoord")
    page.goto(page.base_url + f"/son-la/manage/sessions/{session.pk}/headcount/")
    page.route("**/healthz", lambda route: route.abort("internetdisconnected"))
    page.fill('input[name="c_F_25-64"]', "14")
    page.fill('input[name="c_M_6-14"]', "6")
    page.click("form[data-offline] button[type=submit]")
    expect(page.locator(".offline-note")).to_contain_text("không có kết nối")
    assert page.url.endswith("/headcount/")
    assert page.input_value('input[name="c_F_25-64"]') == "14"
    assert not Headcount.objects.exists()
    page.unroute("**/healthz")
    page.click("form[data-offline] button[type=submit]")
    page.wait_for_url("**/headcount/")
    expect(page.locator(".messages")).to_be_visible()
    assert sorted(Headcount.objects.filter(ethnicity="").values_list("count", flat=True)) == [6, 14]


def test_a_tick_the_server_refuses_is_undone_with_its_reason_and_not_kept(
    page, login, transactional_db, people, session, members
):
    login("spacecoord")
    page.goto(page.base_url + f"/son-la/manage/sessions/{session.pk}/")
    session.status = "cancelled"  # cancelled by someone else after the page was opened
    session.save(update_fields=["status"])
    # click, not check(): check() asserts the box stayed ticked, and the refusal may undo it first
    page.get_by_label("Lò Thị Hoa").click()
    expect(page.locator("#roster-status")).to_have_text("Buổi học này đã bị huỷ.")
    expect(page.locator("li.failed")).to_have_count(1)
    assert not page.get_by_label("Lò Thị Hoa").is_checked()
    assert not Attendance.objects.exists()
    assert (
        page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('learningcity-roster:')).length")
        == 0
    )


def test_coordinator_imports_a_windows_1258_sheet_with_a_duplicate_and_a_bad_date(
    page, login, transactional_db, people, club, session, members
):
    day = f"{session.date:%d/%m/%Y}"
    sheet = (
        "Họ và tên,Giới tính,Năm sinh,Dân tộc,Địa bàn,Ngày\n"
        f"Lò Thị Hoa,Nữ,1960,Thái,03670-MB,{day}\n"
        f"Cầm Thị Bích,Nữ,1985,Thái,03670-MB,31/02/2025\n"
    )
    login("coord")
    page.goto(page.base_url + "/son-la/manage/programmes/import/")
    page.set_input_files(
        "#id_file",
        files=[
            {"name": "diem-danh.csv", "mimeType": "text/csv", "buffer": csv_bytes(sheet, "cp1258").getvalue()}
        ],
    )
    page.select_option("#id_programme", str(club.pk))
    with page.expect_navigation():  # the checked page, not the form still on screen
        page.click("text=Kiểm tra tệp")
    errors = page.locator("table.row-errors tbody tr")
    expect(errors).to_have_count(1)
    assert "31/02/2025" in errors.first.inner_text()
    # She corrects the date and uploads again: the sheet now only asks about a probable duplicate.
    fixed = sheet.replace("31/02/2025", day)
    page.set_input_files(
        "#id_file",
        files=[
            {"name": "diem-danh.csv", "mimeType": "text/csv", "buffer": csv_bytes(fixed, "cp1258").getvalue()}
        ],
    )
    page.select_option("#id_programme", str(club.pk))
    with page.expect_navigation():
        page.click("text=Kiểm tra tệp")
    expect(page.locator("fieldset.dup")).to_have_count(1)
    assert "Lò Thị Hoa" in page.locator("fieldset.dup").inner_text()
    page.check(f"input[name=dup_2][value='{members[0].pk}']")
    with page.expect_navigation():
        page.click("text=Nhập ngay")
    expect(page.locator(".messages")).to_contain_text("Đã nhập")
    assert Learner.objects.filter(full_name="Lò Thị Hoa").count() == 1
    assert Learner.objects.filter(full_name="Cầm Thị Bích").exists()
    assert Attendance.objects.filter(session=session).count() == 2


def test_resident_subscribes_to_a_clubs_calendar(page, transactional_db, city, club, space):
    SessionFactory(programme=club, space=space, date=dt.date.today() + dt.timedelta(days=4))
    page.goto(page.base_url + "/son-la/programmes/")
    with page.expect_navigation():
        page.click("text=Câu lạc bộ văn hoá Thái Mé Ban")
    # The Tai Viet title is drawn with the served font.
    page.evaluate("() => document.fonts.load('16px \"Noto Sans Tai Viet\"', 'ꪼꪕ')")
    assert page.evaluate("document.fonts.check('16px \"Noto Sans Tai Viet\"', 'ꪼꪕ')")
    href = page.get_attribute("#subscribe", "href")
    assert href.endswith(f"/programmes/{club.pk}/calendar.ics")
    feed = page.request.get(page.base_url + href)
    assert feed.headers["content-type"].startswith("text/calendar")
    body = feed.text()
    assert "BEGIN:VEVENT" in body
    assert "SUMMARY:Câu lạc bộ văn hoá Thái Mé Ban" in body
