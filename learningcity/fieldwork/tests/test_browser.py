"""Browser stories of the field app (Chromium at phone size; the test switches the network off and on).

1. A club leader prepares her phone, loses the signal, closes the browser, opens the app again with no
   connection, takes attendance for two sessions and adds a newcomer, reloads, comes back online: everything is
   saved once.
2. Two leaders mark the same session on two phones offline (ticks, the same newcomer, a headcount each); the
   second sees the two conflicts and resolves them; both phones then show the same roster and count.
3. A signed-out phone loses what it kept.
4. A bookcase volunteer lends and takes back books offline; a copy taken back in town meanwhile is a conflict.
5. A tick made offline is sent by the service worker (Background Sync) with every page of the app closed.
6. A steward checks in delegates at a conference door offline; a forged badge code is a conflict.
"""

import pytest
from playwright.sync_api import expect

from conftest import CHROMIUM, CHROMIUM_ARGS
from learningcity.core.tests.factories import PASSWORD
from learningcity.fieldwork.models import AppliedAction, Device
from learningcity.programmes.models import Attendance, Headcount, Learner
from tests.test_browser import axe_violations

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
PHONE = {"viewport": {"width": 360, "height": 740}, "locale": "vi-VN"}


def open_phone(browser, tmp_path, name="phone"):
    """A browser whose storage survives closing it (a phone's browser, closed and opened again)."""
    return browser.browser_type.launch_persistent_context(
        str(tmp_path / name), executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, **PHONE
    )


def sign_in(page, base, username):
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def open_app(page, url):
    page.goto(url)
    page.wait_for_selector("html[data-field-ready]")


def prepare(page, base):
    open_app(page, base + "/son-la/field/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")  # the shell is cached
    page.click("#refresh")
    expect(page.locator("#kept")).to_have_attribute("data-people", "3")


def headcount(session):
    return sum(Headcount.objects.filter(session=session).values_list("count", flat=True))


def tick(page, name):
    page.get_by_label(name).check()
    expect(page.locator("#people li", has_text=name)).to_have_class("pending")


def test_a_club_leader_works_a_day_offline_and_everything_is_saved_once(
    browser, live_server, transactional_db, tmp_path, sessions, members, people
):
    base = live_server.url
    phone = open_phone(browser, tmp_path)
    page = phone.new_page()
    sign_in(page, base, "spacecoord")
    prepare(page, base)
    phone.set_offline(True)
    phone.close()  # the signal is gone, then the browser is closed

    phone = open_phone(browser, tmp_path)
    phone.set_offline(True)
    page = phone.pages[0] if phone.pages else phone.new_page()
    open_app(page, base + "/son-la/field/")  # opens with no connection at all
    assert "Tâm" not in page.content()
    page.click(f"a[href$='?session={sessions[0].pk}']")
    page.wait_for_selector("html[data-field-ready]")
    tick(page, "Lò Thị Hoa")
    tick(page, "Cầm Văn Minh")
    page.goto(base + f"/son-la/field/roster/?session={sessions[1].pk}")
    page.wait_for_selector("html[data-field-ready]")
    tick(page, "Quàng Thị Xuân")
    page.click("#newcomer-box summary")
    page.fill("#nc-name", "Lường Văn Tâm")
    page.select_option("#nc-sex", "M")
    page.click("#newcomer button[type=submit]")
    page.wait_for_selector("#people li.pending >> text=Lường Văn Tâm")
    page.reload()  # still offline: the shell from the cache, the work from IndexedDB
    page.wait_for_selector("html[data-field-ready]")
    assert page.get_by_label("Lường Văn Tâm").is_checked()
    assert page.get_by_label("Quàng Thị Xuân").is_checked()
    expect(page.locator("#roster-waiting")).to_have_attribute("data-waiting", "4")

    # The roster opens offline from the cache (its time on a throttled phone is measured by bench_fieldwork).
    open_app(page, base + f"/son-la/field/roster/?session={sessions[0].pk}")
    assert page.get_by_label("Cầm Văn Minh").is_checked()
    assert not Attendance.objects.exists()  # nothing reached the server yet
    phone.close()

    phone = open_phone(browser, tmp_path)  # back in the signal
    page = phone.pages[0] if phone.pages else phone.new_page()
    open_app(page, base + "/son-la/field/")
    expect(page.locator("#outbox-count")).to_have_attribute("data-waiting", "0")
    page.click("#sync")  # asking again sends nothing twice
    page.wait_for_timeout(300)
    assert set(Attendance.objects.filter(session=sessions[0]).values_list("learner_id", flat=True)) == {
        members[0].pk,
        members[1].pk,
    }
    tam = Learner.objects.get(full_name="Lường Văn Tâm")
    assert set(Attendance.objects.filter(session=sessions[1]).values_list("learner_id", flat=True)) == {
        members[2].pk,
        tam.pk,
    }
    assert AppliedAction.objects.count() == 4
    open_app(page, base + f"/son-la/field/roster/?session={sessions[1].pk}")
    assert page.get_by_label("Lường Văn Tâm").is_checked()  # the kept data now has her, with her code
    assert tam.code in page.text_content("#people")
    page.click("#field-lang button[lang=en]")  # the app in English: the worker brings the English pages
    expect(page.locator("h1")).to_have_text("Field app")
    phone.set_offline(True)
    page.reload()
    expect(page.locator("h1")).to_have_text("Field app")  # and keeps them for offline
    phone.close()


def test_two_leaders_mark_the_same_session_offline_and_see_the_conflict(
    browser, live_server, transactional_db, tmp_path, sessions, members, people
):
    base, today = live_server.url, sessions[1]
    phones = {}
    counts = {"spacecoord": "12", "coord": "9"}
    for who in ("spacecoord", "coord"):  # the space's coordinator and the ward's coordinator
        phone = open_phone(browser, tmp_path, who)
        page = phone.new_page()
        sign_in(page, base, who)
        prepare(page, base)
        phone.set_offline(True)
        open_app(page, base + f"/son-la/field/roster/?session={today.pk}")
        tick(page, "Lò Thị Hoa")
        page.click("#newcomer-box summary")
        page.fill("#nc-name", "Lò Văn Pọm")
        page.click("#newcomer button[type=submit]")
        page.wait_for_selector("#people li.pending >> text=Lò Văn Pọm")
        page.click("#headcount-box summary")  # and each counts the people at the door
        page.fill("#headcount input[data-sex=F][data-band='25-64']", counts[who])
        page.click("#headcount button[type=submit]")
        expect(page.locator("#roster-waiting")).to_have_attribute("data-waiting", "3")
        phones[who] = (phone, page)

    for who in ("spacecoord", "coord"):  # the first comes back online, then the second
        phone, page = phones[who]
        open_app(page, base + "/son-la/field/")
        phone.set_offline(False)  # the signal returns while the app is open: it sends at once
        expect(page.locator("#outbox-count")).to_have_attribute("data-waiting", "0")

    page = phones["coord"][1]
    conflict = page.locator("#conflicts li[data-code=duplicate]")
    expect(conflict).to_contain_text("Lò Văn Pọm")  # her tick of Hoa went through; the newcomer is a question
    assert axe_violations(page) == []
    assert Learner.objects.filter(full_name="Lò Văn Pọm").count() == 1
    pom = Learner.objects.get(full_name="Lò Văn Pọm")
    conflict.locator("button").first.click()  # "it is Lò Văn Pọm (the one added): mark present"
    counted = page.locator("#conflicts li[data-code=changed]")  # the other leader counted 12 meanwhile
    expect(counted).to_contain_text("12")
    counted.locator("button").first.click()  # "keep mine": she counted last, at the door
    expect(page.locator("#conflicts-card")).to_be_hidden()
    expect(page.locator("#outbox-count")).to_have_attribute("data-waiting", "0")
    assert headcount(today) == 9
    assert set(Attendance.objects.filter(session=today).values_list("learner_id", flat=True)) == {
        members[0].pk,
        pom.pk,
    }
    for who in ("spacecoord", "coord"):  # both see the same roster
        phone, page = phones[who]
        taken = page.get_attribute("#kept", "data-taken")
        page.click("#refresh")
        expect(page.locator("#kept")).not_to_have_attribute("data-taken", taken)
        open_app(page, base + f"/son-la/field/roster/?session={today.pk}")
        expect(page.locator("#present-count")).to_contain_text("2")
        expect(page.locator("#headcount-now")).to_contain_text("9")
        phone.close()


def test_a_signed_out_phone_loses_what_it_kept(
    browser, live_server, transactional_db, tmp_path, sessions, members, people
):
    base = live_server.url
    phone = open_phone(browser, tmp_path)
    page = phone.new_page()
    sign_in(page, base, "spacecoord")
    prepare(page, base)
    # Kept data expires: fifteen days on (by the phone's clock), the app erases it on opening.
    page.evaluate(
        """async () => { const db = await idb.openDB('lc-field-son-la');
        const b = await db.get('meta', 'bundle'); b.until = new Date(Date.now() - 1000).toISOString();
        await db.put('meta', b, 'bundle'); db.close(); }"""
    )
    page.context.set_offline(True)
    open_app(page, base + "/son-la/field/")
    expect(page.locator("#kept")).to_have_attribute("data-people", "0")
    assert (
        page.evaluate("async () => (await (await idb.openDB('lc-field-son-la')).get('meta', 'bundle'))")
        is None
    )
    page.context.set_offline(False)
    prepare(page, base)
    admin = browser.new_context(**PHONE)
    admin_page = admin.new_page()
    sign_in(admin_page, base, "admin")
    admin_page.goto(base + "/son-la/manage/field/devices/")
    with admin_page.expect_navigation():  # signed out on the server before the phone comes back
        admin_page.click("main form button[type=submit]")  # sign out this device
    admin.close()
    open_app(page, base + "/son-la/field/")  # the next contact
    expect(page.locator("#wiped")).to_be_visible()
    assert page.evaluate("async () => (await indexedDB.databases()).length") == 0
    assert page.evaluate("async () => (await caches.keys()).length") == 0
    assert Device.objects.get().wiped_at is not None
    phone.close()


def test_a_volunteer_lends_and_takes_back_books_offline(
    browser, live_server, transactional_db, tmp_path, people, shelves, books, cards, librarian
):
    """4. At the bookcase with no signal: a book comes back, two go out (one back again at once); online, all is
    saved once, and a book taken back meanwhile in town is a conflict she resolves."""
    from learningcity.library import services as library
    from learningcity.library.models import Borrower, Copy, Loan

    Borrower.objects.filter(pk=cards[1].pk).update(home_space=shelves["meban"])  # a reader of this bookcase
    library.loan_lend(actor=librarian, space=shelves["meban"], barcode="SL000001", borrower=cards[0])
    library.loan_lend(actor=librarian, space=shelves["meban"], barcode="SL000003", borrower=cards[0])
    base, meban = live_server.url, shelves["meban"]
    phone = open_phone(browser, tmp_path)
    page = phone.new_page()
    sign_in(page, base, "spacecoord")
    open_app(page, base + "/son-la/field/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.click("#refresh")
    expect(page.locator("#bookcases a")).to_have_text(meban.name)
    phone.set_offline(True)
    page.click("#bookcases a")
    page.wait_for_selector("html[data-field-ready]")
    expect(page.locator("#bookcase-count")).to_contain_text("2")
    page.fill("#return-barcode", "sl000001")
    page.click("#take-back button[type=submit]")
    page.fill("#lend-barcode", "SL000002")
    page.fill("#lend-card", "LT900002")
    expect(page.locator("#lend-who")).to_have_text("Lò Văn Hải")
    page.click("#lend button[type=submit]")
    expect(page.locator("#loans li[data-barcode=SL000002]")).to_have_class("pending")
    page.fill("#return-barcode", "SL000003")  # the other copy comes back too
    page.click("#take-back button[type=submit]")
    expect(page.locator("#bookcase-waiting")).to_have_attribute("data-waiting", "3")
    expect(page.locator("#loans li")).to_have_count(1)
    assert axe_violations(page) == []
    library.loan_return(actor=librarian, space=shelves["tohieu"], barcode="SL000003")  # meanwhile, in town
    page.reload()  # still offline: kept
    page.wait_for_selector("html[data-field-ready]")
    expect(page.locator("#loans li")).to_have_count(1)

    open_app(page, base + "/son-la/field/")
    phone.set_offline(False)
    conflict = page.locator("#conflicts li[data-code=changed]")
    expect(conflict).to_contain_text("Tô Hiệu")
    expect(page.locator("#outbox-count")).to_have_attribute("data-waiting", "0")
    assert Copy.objects.get(barcode="SL000001").current_id == meban.pk
    assert Loan.objects.get(copy__barcode="SL000002", returned_at__isnull=True).borrower == cards[1]
    conflict.locator("button").first.click()  # "keep mine": the book is in her hands, here
    expect(page.locator("#conflicts-card")).to_be_hidden()
    assert Copy.objects.get(barcode="SL000003").current_id == meban.pk
    assert AppliedAction.objects.count() == 3
    assert Loan.objects.filter(returned_at__isnull=True).count() == 1
    phone.close()


def test_waiting_actions_are_sent_with_the_app_closed(
    browser, live_server, transactional_db, tmp_path, sessions, members, people
):
    """5. Background Sync: a tick made offline asks the browser for a sync; with every page of the app closed,
    Chromium fires the worker's `sync` event when the network returns, and the worker sends it."""
    base = live_server.url
    phone = open_phone(browser, tmp_path)
    page = phone.new_page()
    sign_in(page, base, "spacecoord")
    prepare(page, base)
    phone.set_offline(True)
    open_app(page, base + f"/son-la/field/roster/?session={sessions[0].pk}")
    tick(page, "Lò Thị Hoa")
    tags = page.evaluate("navigator.serviceWorker.ready.then(r => r.sync.getTags())")
    assert tags == ["lc-field-outbox"]
    blank = phone.new_page()  # the browser stays open on another page (the phone's screen is off)
    page.close()  # no page of the app is open any more
    blank.wait_for_timeout(500)
    assert not Attendance.objects.exists()
    phone.set_offline(False)  # Chromium fires the worker's `sync` event when the network returns
    for _attempt in range(100):
        if Attendance.objects.exists():
            break
        blank.wait_for_timeout(100)
    assert list(Attendance.objects.values_list("learner_id", flat=True)) == [members[0].pk]
    page = phone.new_page()
    open_app(page, base + "/son-la/field/")
    expect(page.locator("#outbox-count")).to_have_attribute("data-waiting", "0")
    assert AppliedAction.objects.count() == 1
    phone.close()


def test_a_steward_checks_in_delegates_offline(
    browser, live_server, transactional_db, tmp_path, people, conference
):
    """6. At the conference door with no signal: two delegates checked in (a pasted badge code, a name found
    without its accents), a second scan sends nothing, a forged code waits too; online, the two check-ins reach
    the database once and the forged code is a conflict with its reason."""
    from learningcity.conferences.models import CheckIn, Registration
    from learningcity.conferences.services import registration as reg

    event, delegates = conference
    hoa, duc, xuan = delegates
    base = live_server.url
    phone = open_phone(browser, tmp_path)
    page = phone.new_page()
    sign_in(page, base, "viewer")  # city staff: a steward
    open_app(page, base + "/son-la/field/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.click("#refresh")
    expect(page.locator("#events a")).to_have_text("Hội nghị thành phố học tập")
    phone.set_offline(True)
    page.click("#events a")
    page.wait_for_selector("html[data-field-ready]")
    expect(page.locator("#delegates li")).to_have_count(3)
    expect(page.locator("#checkin-count")).to_have_text("0 trên 3 người đã điểm danh")
    page.fill("#checkin-code", reg.badge_payload(hoa))  # pasted from the badge
    page.click("#checkin button[type=submit]")
    expect(page.locator(f'#delegates li[data-badge="{hoa.badge_code}"]')).to_have_class("pending")
    page.fill("#checkin-search", "cam van duc")  # no accents typed
    expect(page.locator("#delegates li")).to_have_count(1)
    page.locator("#delegates li button").click()
    expect(page.locator("#checkin-waiting")).to_have_attribute("data-waiting", "2")
    page.fill("#checkin-search", "")
    page.fill("#checkin-code", reg.badge_payload(hoa))  # scanned again: nothing more to send
    page.click("#checkin button[type=submit]")
    expect(page.locator("#checkin-note")).to_contain_text("đã được điểm danh rồi")
    page.fill("#checkin-code", reg.badge_payload(xuan)[:-3] + "abc")  # a forged code
    page.click("#checkin button[type=submit]")
    expect(page.locator("#checkin-waiting")).to_have_attribute("data-waiting", "3")
    expect(page.locator("#checkin-count")).to_have_text("3 trên 3 người đã điểm danh")
    assert axe_violations(page) == []
    page.reload()  # still offline: kept
    page.wait_for_selector("html[data-field-ready]")
    expect(page.locator("#checkin-waiting")).to_have_attribute("data-waiting", "3")
    assert CheckIn.objects.count() == 0

    open_app(page, base + "/son-la/field/")
    phone.set_offline(False)
    conflict = page.locator("#conflicts li[data-code=forged]")
    expect(conflict).to_contain_text("Quàng Thị Xuân")
    expect(conflict).to_contain_text("có thể là mã giả")  # the server's reason, in her language
    expect(page.locator("#outbox-count")).to_have_attribute("data-waiting", "0")
    page.click("#sync")  # sent again by hand: nothing doubles
    expect(page.locator("#outbox-count")).to_have_attribute("data-waiting", "0")
    assert CheckIn.objects.filter(event=event).count() == 2
    checked = set(
        Registration.objects.filter(event=event, checked_in_at__isnull=False).values_list("pk", flat=True)
    )
    assert checked == {hoa.pk, duc.pk}
    assert AppliedAction.objects.filter(kind="conferences.checkin").count() == 2
    page.goto(base + f"/son-la/field/checkin/?event={event.slug}")
    page.wait_for_selector("html[data-field-ready]")
    expect(page.locator(f'#delegates li[data-badge="{duc.badge_code}"]')).to_have_class("done")
    expect(page.locator(f'#delegates li[data-badge="{xuan.badge_code}"]')).to_have_class("failed")
    phone.close()
