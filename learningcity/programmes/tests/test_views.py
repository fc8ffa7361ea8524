import datetime as dt
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from learningcity.programmes.models import Attendance, Headcount, Learner, Membership
from learningcity.programmes.views.manage import ROSTER_PAGE

from .factories import LearnerFactory, MembershipFactory, SessionFactory

pytestmark = pytest.mark.django_db
BASE = "/son-la"


def test_public_programme_pages_and_calendar(client, city, club, session):
    SessionFactory(programme=club, date=dt.date.today() + dt.timedelta(days=3), space=session.space)
    listing = client.get(f"{BASE}/programmes/").content.decode()
    assert "Câu lạc bộ văn hoá Thái Mé Ban" in listing
    assert 'lang="blt-Tavt"' in listing
    detail = client.get(f"{BASE}/programmes/{club.pk}/").content.decode()
    assert f"/son-la/programmes/{club.pk}/calendar.ics" in detail
    assert "programmes.css" in detail
    assert "Câu lạc bộ" in client.get(f"{BASE}/calendar/").content.decode()
    assert client.get(f"{BASE}/programmes/?kind=club&topic=language").status_code == 200


def test_ical_feeds(client, city, club, session, space):
    feed = client.get(f"{BASE}/calendar.ics")
    assert feed["Content-Type"].startswith("text/calendar")
    text = feed.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert f"UID:session-{session.pk}@son-la" in text
    # 08:00 in Ho Chi Minh City is 01:00 UTC.
    assert f"DTSTART:{session.date:%Y%m%d}T010000Z" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert "BEGIN:VEVENT" in client.get(f"{BASE}/programmes/{club.pk}/calendar.ics").content.decode()
    assert "BEGIN:VEVENT" in client.get(f"{BASE}/calendar/spaces/{space.pk}.ics").content.decode()
    assert client.get(f"{BASE}/calendar/spaces/999999.ics").status_code == 404


def test_roster_is_light_has_no_inline_script_and_works_without_js(client, city, people, session, members):
    client.force_login(people["space_coordinator"])
    response = client.get(f"{BASE}/manage/sessions/{session.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert len(response.content) < 50_000
    assert "programmes/roster.js" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert " onclick=" not in html
    assert 'style="' not in html
    assert html.count('name="present"') == 3
    assert "· 1960" in html
    assert "1.960" not in html
    posted = client.post(f"{BASE}/manage/sessions/{session.pk}/", {"present": [members[0].pk, members[2].pk]})
    assert posted.status_code == 302
    assert set(Attendance.objects.values_list("learner_id", flat=True)) == {members[0].pk, members[2].pk}
    # A page filtered by a search only changes the people it showed.
    found = client.get(f"{BASE}/manage/sessions/{session.pk}/?q=cam").content.decode()
    assert found.count('name="present"') == 1
    shown = re.search(r'name="shown" value="([0-9,]*)"', found).group(1)
    client.post(f"{BASE}/manage/sessions/{session.pk}/", {"present": [members[1].pk], "shown": shown})
    assert Attendance.objects.count() == 3


def test_one_tap_marks_by_json(client, people, session, members):
    client.force_login(people["space_coordinator"])
    url = f"{BASE}/manage/sessions/{session.pk}/mark/"
    body = client.post(url, {"learner": members[1].pk, "present": "1"}).json()
    assert body == {"learner": members[1].pk, "present": True, "count": 1}
    assert client.post(url, {"learner": members[1].pk, "present": "0"}).json()["count"] == 0
    assert client.post(url, {"learner": 999999, "present": "1"}).status_code == 400


def test_new_learner_inline(client, people, session, club):
    client.force_login(people["space_coordinator"])
    client.post(
        f"{BASE}/manage/sessions/{session.pk}/learner/",
        {"full_name": "Lò Văn Mới", "sex": "M", "birth_year": 2015, "consent": "on"},
    )
    learner = Learner.objects.get(full_name="Lò Văn Mới")
    assert Attendance.objects.filter(learner=learner, session=session).exists()
    assert Membership.objects.filter(learner=learner, programme=club).exists()
    assert learner.consents.get().purpose == "participation"


def test_a_refused_new_person_comes_back_as_typed_with_what_to_correct_and_nothing_is_added(
    client, people, session, club
):
    client.force_login(people["space_coordinator"])
    roster = f"{BASE}/manage/sessions/{session.pk}/"
    form = client.get(roster).context["quick_form"]
    typed = {"full_name": "Lò Văn Mới", "sex": "M", "birth_year": "2090", "once": form.initial["once"]}
    response = client.post(f"{roster}learner/", typed)  # no consent ticked, a birth year to come
    assert response.status_code == 302
    assert response["Location"] == f"{roster}#new-person"
    assert not Learner.objects.filter(full_name="Lò Văn Mới").exists()
    page = client.get(roster)
    kept = page.context["quick_form"]
    assert kept["full_name"].value() == "Lò Văn Mới"
    assert kept["sex"].value() == "M"
    assert set(kept.errors) == {"consent"}
    html = page.content.decode()
    assert 'value="Lò Văn Mới"' in html
    assert "xem phần cần sửa ở bên dưới" in html
    assert client.get(roster).context["quick_form"]["full_name"].value() is None  # shown once, then forgotten
    # Consent ticked, the form is complete; the service refuses the year, and says so at that field.
    client.post(f"{roster}learner/", {**typed, "consent": "on"})
    kept = client.get(roster).context["quick_form"]
    assert kept["consent"].value()
    assert kept.errors == {"birth_year": ["Năm sinh 2090 không thể đúng."]}
    assert not Learner.objects.filter(full_name="Lò Văn Mới").exists()


def test_the_same_new_person_form_sent_twice_adds_the_person_once(client, people, session, club):
    client.force_login(people["space_coordinator"])
    roster = f"{BASE}/manage/sessions/{session.pk}/"
    once = client.get(roster).context["quick_form"].initial["once"]
    typed = {"full_name": "Lò Văn Mới", "sex": "M", "birth_year": "2015", "consent": "on", "once": once}
    # The roster's script asks for JSON and is told where to go; the answer was lost, so it is sent again.
    first = client.post(f"{roster}learner/", typed, headers={"Accept": "application/json"})
    assert first.json() == {"url": roster}
    again = client.post(f"{roster}learner/", typed, headers={"Accept": "application/json"})
    assert again.json() == {"url": roster}
    assert Learner.objects.filter(full_name="Lò Văn Mới").count() == 1
    assert "Lò Văn Mới đã được thêm trước đó." in client.get(roster).content.decode()
    # Another filled-in form (another token) is another person with the same name: added.
    other = client.get(roster).context["quick_form"].initial["once"]
    assert other != once
    client.post(f"{roster}learner/", {**typed, "once": other})
    assert Learner.objects.filter(full_name="Lò Văn Mới").count() == 2


def test_roster_refused_to_roles_without_the_programme(client, people, session):
    for role in ("judge", "viewer"):
        client.force_login(people[role])
        assert client.get(f"{BASE}/manage/sessions/{session.pk}/").status_code == 403
    client.logout()
    assert client.get(f"{BASE}/manage/sessions/{session.pk}/").status_code == 302


def test_headcount_mode(client, people, session):
    client.force_login(people["space_coordinator"])
    url = f"{BASE}/manage/sessions/{session.pk}/headcount/"
    response = client.post(url, {"c_F_25-64": "14", "c_M_6-14": "6", "e_03": "12"})
    assert response.status_code == 302
    assert sum(Headcount.objects.filter(ethnicity="").values_list("count", flat=True)) == 20
    assert Headcount.objects.get(ethnicity="03").count == 12
    page = client.get(url).content.decode()
    assert 'value="14"' in page
    assert 'value="12"' in page
    too_many = client.post(url, {"c_F_25-64": "3", "e_03": "12"})
    assert too_many.status_code == 200
    assert Headcount.objects.filter(ethnicity="").count() == 2
    bad = client.post(url, {"c_F_25-64": "abc"})
    assert bad.status_code == 200
    assert sum(Headcount.objects.filter(ethnicity="").values_list("count", flat=True)) == 20


def test_learner_list_hides_ethnicity_from_space_coordinators(
    client, people, members, django_assert_max_num_queries
):
    client.force_login(people["space_coordinator"])
    page = client.get(f"{BASE}/manage/learners/").content.decode()
    assert "Lò Thị Hoa" in page
    assert "Thái" not in page
    detail = client.get(f"{BASE}/manage/learners/{members[0].pk}/").content.decode()
    assert 'id="ethnicity"' not in detail
    client.force_login(people["area_coordinator"])
    LearnerFactory.create_batch(20, city=members[0].city)
    with django_assert_max_num_queries(12):
        page = client.get(f"{BASE}/manage/learners/").content.decode()
    assert "Thái" in page
    client.force_login(people["viewer"])
    assert client.get(f"{BASE}/manage/learners/").status_code == 403


def test_export_json_and_erase_through_the_page(client, people, session, members):
    client.force_login(people["city_admin"])
    Attendance.objects.create(
        city=session.city, session=session, learner=members[0], programme=session.programme, date=session.date
    )
    exported = client.get(f"{BASE}/manage/learners/{members[0].pk}/export.json")
    assert exported["Content-Type"].startswith("application/json")
    assert json.loads(exported.content)["code"] == members[0].code
    wrong = client.post(f"{BASE}/manage/learners/{members[0].pk}/erase/", {"confirm": "nope"})
    assert wrong.status_code == 302
    assert Learner.objects.filter(pk=members[0].pk).exists()
    client.post(f"{BASE}/manage/learners/{members[0].pk}/erase/", {"confirm": members[0].code})
    assert not Learner.objects.filter(pk=members[0].pk).exists()
    assert Headcount.objects.get().count == 1


def test_merge_through_the_page(client, people, members):
    client.force_login(people["city_admin"])
    client.post(f"{BASE}/manage/learners/{members[0].pk}/merge/", {"duplicate_code": members[1].code})
    assert not Learner.objects.filter(pk=members[1].pk).exists()


def test_import_page_preview_confirm_apply(client, people, club, session, members):
    client.force_login(people["city_admin"])
    sheet = f"name,birth_year,area,date\nLò Thị Hoa,1960,03670-MB,{session.date}\nHà Văn Tú,1999,03670-MB,{session.date}\n"
    upload = SimpleUploadedFile("sheet.csv", sheet.encode("utf-8-sig"), content_type="text/csv")
    preview = client.post(f"{BASE}/manage/programmes/import/", {"file": upload, "programme": club.pk})
    html = preview.content.decode()
    assert preview.status_code == 200
    assert 'name="dup_2"' in html
    assert members[0].code in html
    token = re.search(r'name="token" value="([0-9a-f]+)"', html).group(1)
    done = client.post(
        f"{BASE}/manage/programmes/import/",
        {"token": token, "programme_id": club.pk, "dup_2": members[0].pk, "apply": "1"},
    )
    assert done.status_code == 302
    assert Attendance.objects.filter(session=session).count() == 2
    assert Learner.objects.count() == 4


def test_import_page_shows_row_errors(client, people, club, session):
    client.force_login(people["city_admin"])
    upload = SimpleUploadedFile("sheet.csv", b"name,birth_year,date\nA,1990,2025-02-31\n")
    html = client.post(
        f"{BASE}/manage/programmes/import/", {"file": upload, "programme": club.pk}
    ).content.decode()
    assert "2025-02-31" in html
    assert "row-errors" in html


def test_programme_manage_schedule_and_cancel(client, people, club, space):
    client.force_login(people["space_coordinator"])
    url = f"{BASE}/manage/programmes/{club.pk}/"
    response = client.post(
        url,
        {
            "schedule": "1",
            "sch-weekdays": ["5", "6"],
            "sch-start_time": "08:00",
            "sch-end_time": "10:00",
            "sch-starts_on": "2026-01-03",
            "sch-ends_on": "2026-01-31",
            "sch-space": space.pk,
        },
    )
    assert response.status_code == 302
    assert club.sessions.count() == 9
    first = club.sessions.order_by("date").first()
    client.post(
        f"{BASE}/manage/sessions/{first.pk}/edit/",
        {
            "date": first.date,
            "start_time": "08:00",
            "end_time": "10:00",
            "status": "cancelled",
            "note": "Mưa",
        },
    )
    first.refresh_from_db()
    assert first.status == "cancelled"
    assert client.get(url).status_code == 200


def test_programme_new_page(client, people, space):
    client.force_login(people["city_admin"])
    response = client.post(
        f"{BASE}/manage/programmes/new/",
        {
            "code": "lau-lau",
            "kind": "pilot",
            "title_vi": "Lau Lau Learning",
            "status": "active",
            "topics": ["arts"],
            "spaces": [space.pk],
        },
    )
    assert response.status_code == 302
    client.force_login(people["judge"])
    assert client.get(f"{BASE}/manage/programmes/new/").status_code == 403


def test_space_panel_figures_and_nav(city, club, session, space, people):
    from learningcity.programmes import figures, nav
    from learningcity.programmes.space_panels import space_panel

    request = RequestFactory().get("/")
    assert space_panel(request, space) == ""
    SessionFactory(programme=club, space=space, date=dt.date.today() + dt.timedelta(days=2))
    html = space_panel(request, space)
    assert "Câu lạc bộ văn hoá Thái Mé Ban" in html
    assert f"/calendar/spaces/{space.pk}.ics" in html
    assert dict(figures.key_figures(city))
    assert len(nav.public_links(city)) == 2
    assert len(nav.staff_links(city, people["space_coordinator"])) == 2
    assert len(nav.staff_links(city, people["judge"])) == 1


def test_list_pages_run_a_bounded_number_of_queries(
    client, city, people, club, session, members, space, django_assert_max_num_queries
):
    from .factories import MembershipFactory, ProgrammeFactory

    for p in ProgrammeFactory.create_batch(10, city=city):
        p.spaces.add(space)
    for learner in LearnerFactory.create_batch(30, city=city):
        MembershipFactory(programme=club, learner=learner)
    with django_assert_max_num_queries(8):
        assert client.get(f"{BASE}/programmes/").status_code == 200
    client.force_login(people["space_coordinator"])
    with django_assert_max_num_queries(14):
        page = client.get(f"{BASE}/manage/programmes/").content.decode()
    assert page.count("/manage/programmes/") >= 11  # her space's programmes
    with django_assert_max_num_queries(16):
        roster = client.get(f"{BASE}/manage/sessions/{session.pk}/").content.decode()
    assert roster.count('name="present"') == 33
    client.force_login(people["judge"])
    assert "Câu lạc bộ" not in client.get(f"{BASE}/manage/programmes/").content.decode()


def test_a_full_roster_page_of_long_vietnamese_names_stays_under_50_kb(client, city, people, club, session):
    """A big club: 130 members with long accented names, 125 of them ticked. The first page holds as many people as
    a page may (the rest go to a second page) and is still under 50 KB for a phone on a slow connection."""
    learners = LearnerFactory.create_batch(
        130, city=city, full_name="Nguyễn Thị Phương Thảo Quàng Hoàng Yến", birth_year=1975
    )
    for learner in learners:
        MembershipFactory(programme=club, learner=learner)
    for learner in learners[:125]:
        Attendance.objects.create(
            city=city,
            session=session,
            learner=learner,
            programme=club,
            space=session.space,
            date=session.date,
        )
    client.force_login(people["space_coordinator"])
    response = client.get(f"{BASE}/manage/sessions/{session.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('name="present"') == ROSTER_PAGE
    assert "page=2" in html
    assert len(response.content) < 50_000, len(response.content)
    second = client.get(f"{BASE}/manage/sessions/{session.pk}/?page=2").content.decode()
    assert second.count('name="present"') == 130 - ROSTER_PAGE
