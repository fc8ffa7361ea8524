"""Browser stories on a 360 px phone screen, in Vietnamese: a delegate reads a schedule of many parallel sessions,
builds her agenda across them and finds the address to subscribe to it."""

import datetime as dt
import zoneinfo

import pytest
from playwright.sync_api import expect

from learningcity.core.tests.factories import UserFactory

from ..services import schedule as s

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

BKK = zoneinfo.ZoneInfo("Asia/Bangkok")


def test_a_delegate_builds_her_agenda_across_parallel_sessions_on_a_phone(page, login, city, people):
    admin = people["city_admin"]
    event = s.event_create(
        actor=admin,
        city=city,
        slug="asean3-browser",
        title_vi="Hội nghị các Thành phố học tập ASEAN+3",
        starts_on=dt.date(2030, 10, 29),
        ends_on=dt.date(2030, 10, 30),
        time_zone="Asia/Bangkok",
    )
    venue = s.venue_create(actor=admin, event=event, name="Trung tâm hội nghị")
    rooms = [s.room_create(actor=admin, venue=venue, name=f"Phòng {c}", capacity=60) for c in "ABCDEFGH"]
    for hour in (9, 11):
        for i, room in enumerate(rooms):
            s.session_save(
                actor=admin,
                event=event,
                title=f"Phiên song song {hour}-{i}: Ngôi nhà trí tuệ và câu lạc bộ chữ Thái ở các bản vùng cao",
                room=room,
                starts_at=dt.datetime(2030, 10, 29, hour, tzinfo=BKK),
                ends_at=dt.datetime(2030, 10, 29, hour + 1, 30, tzinfo=BKK),
                languages=["en"],
                interpretation=["vi", "th"],
            )
    s.schedule_release(actor=admin, event=event)
    UserFactory(username="delegate")
    login("delegate")
    page.goto(f"{page.base_url}/son-la/events/asean3-browser/schedule/")
    assert page.locator("li.slot").count() == 16
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 362, f"the schedule is {width} px wide on a 360 px phone"
    # She chooses one session at 9:00 and another at 11:00, in different rooms.
    with page.expect_navigation():  # the choice is saved before the next click
        page.locator("li.slot", has_text="Phiên song song 9-2").locator("button").click()
    with page.expect_navigation():
        page.locator("li.slot", has_text="Phiên song song 11-7").locator("button").click()
    page.goto(f"{page.base_url}/son-la/events/asean3-browser/agenda/")
    slots = page.locator("li.slot")
    expect(slots).to_have_count(2)
    assert "Phòng C" in slots.nth(0).inner_text()
    assert "Phòng H" in slots.nth(1).inner_text()
    feed = page.locator("#agenda-feed").get_attribute("href")
    body = page.request.get(page.base_url + feed).text()
    assert body.count("BEGIN:VEVENT") == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 362


def _event(admin, city, slug):
    return s.event_create(
        actor=admin,
        city=city,
        slug=slug,
        title_vi="Hội nghị các Thành phố học tập ASEAN+3",
        starts_on=dt.date(2030, 10, 29),
        ends_on=dt.date(2030, 10, 30),
        time_zone="Asia/Bangkok",
        capacity=100,
    )


def test_a_delegation_lead_registers_five_delegates_and_downloads_their_visa_letters(
    page, login, city, people
):
    from ..models import Registration

    event = _event(people["city_admin"], city, "asean3-visa")
    UserFactory(username="lead", full_name="Lò Thị Xuân")
    login("lead")
    members = [
        ("Lo Thi Xuan", "Lò Thị Xuân"),
        ("Cam Van Duc", "Cầm Văn Đức"),
        ("Quang Thi Hoa", "Quàng Thị Hoà"),
        ("Ha Van Tu", "Hà Văn Tú"),
        ("Lo Van Thanh", "ꪶꪙ ꪫꪸꪙ ꪖꪙ"),  # a name in Tai Viet script
    ]
    for name, native in members:
        page.goto(f"{page.base_url}/son-la/events/{event.slug}/register/")
        page.fill("#id_delegation_name", "Sơn La")
        page.fill("#id_full_name", name)
        page.fill("#id_name_native", native)
        page.fill("#id_role", "Đại biểu")
        page.fill("#id_country", "VN")
        page.check("#id_visa_letter")
        page.locator("main form button[type=submit]").click()
        expect(page.locator(".messages")).to_contain_text(f"{name} đã được đăng ký.")
    expect(page.locator("table.editor tbody tr")).to_have_count(5)
    letters = page.get_by_role("link", name="Thư mời")
    expect(letters).to_have_count(5)
    for i in range(5):
        with page.expect_download() as download:
            letters.nth(i).click()
        assert download.value.suggested_filename.startswith("invitation-")
        with open(download.value.path(), "rb") as pdf:
            assert pdf.read(5) == b"%PDF-"
    registered = Registration.objects.filter(event=event)
    assert sorted(registered.values_list("full_name", flat=True)) == sorted(n for n, _ in members)
    assert {r.delegation.name for r in registered} == {"Sơn La"}
    assert all(r.visa_letter and r.status == "confirmed" for r in registered)


def test_an_organiser_moves_a_session_and_the_attendee_who_chose_it_is_told(page, login, city, people):
    from django.core import mail

    admin = people["city_admin"]
    event = _event(admin, city, "asean3-move")
    venue = s.venue_create(actor=admin, event=event, name="Trung tâm hội nghị")
    room_a = s.room_create(actor=admin, venue=venue, name="Phòng A", capacity=60)
    s.room_create(actor=admin, venue=venue, name="Phòng B", capacity=60)
    club = s.session_save(
        actor=admin,
        event=event,
        title="Câu lạc bộ chữ Thái",
        room=room_a,
        starts_at=dt.datetime(2030, 10, 29, 9, tzinfo=BKK),
        ends_at=dt.datetime(2030, 10, 29, 10, tzinfo=BKK),
    )
    other = s.session_save(
        actor=admin,
        event=event,
        title="Nhà trí tuệ",
        room=room_a,
        starts_at=dt.datetime(2030, 10, 29, 11, tzinfo=BKK),
        ends_at=dt.datetime(2030, 10, 29, 12, tzinfo=BKK),
    )
    s.schedule_release(actor=admin, event=event)
    attendee = UserFactory(username="delegate", email="delegate@example.invalid")
    s.favourite_toggle(actor=attendee, session=club)
    s.favourite_toggle(actor=UserFactory(username="someone", email="someone@example.invalid"), session=other)
    mail.outbox.clear()
    login(admin.username)
    page.goto(f"{page.base_url}/son-la/events/{event.slug}/manage/sessions/{club.pk}/")
    page.select_option("#id_room", label="Phòng B")
    page.fill("#id_start", "14:00")
    page.fill("#id_end", "15:30")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu phiên.")
    page.fill("#release-note", "Dời phiên câu lạc bộ chữ Thái")
    page.get_by_role("button", name="Công bố phiên bản mới").click()
    expect(page.locator(".messages")).to_contain_text("Đã công bố phiên bản 2 của chương trình (1 thay đổi).")
    told = [m for m in mail.outbox if m.to == ["delegate@example.invalid"]]
    assert len(told) == 1
    assert "“Câu lạc bộ chữ Thái” chuyển sang Phòng B, 29/10 14:00." in told[0].body
    assert not [m for m in mail.outbox if m.to == ["someone@example.invalid"]]  # her session did not change
    # The attendee finds the change on the event's pages too.
    page.context.clear_cookies()
    login("delegate")
    page.goto(f"{page.base_url}/son-la/events/{event.slug}/agenda/")
    slot = page.locator("li.slot")
    expect(slot).to_have_count(1)
    expect(slot).to_contain_text("Phòng B")
    expect(slot).to_contain_text("14:00")
    page.goto(f"{page.base_url}/son-la/events/{event.slug}/changes/")
    expect(page.locator(".changes").first).to_contain_text("Dời lịch: Câu lạc bộ chữ Thái")
