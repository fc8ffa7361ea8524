"""The access holes found from outside (issue 16), each reproduced as it was reported, through the page or API.

The coordinator of Chiềng Cơi ward runs the Mé Ban club; a Tô Hiệu club, its session and a Tô Hiệu learner lie
outside her area. Each test failed on the code before the one rule of programmes.rules (can_manage_programme,
can_edit_learner, programme_place_refusal) was applied on every path.
"""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from learningcity.core.models import RoleAssignment
from learningcity.core.permissions import clear_cache
from learningcity.places.tests.factories import SpaceFactory
from learningcity.programmes.models import Attendance, Consent, Membership, Programme

from .factories import LearnerFactory, MembershipFactory, ProgrammeFactory, SessionFactory

BASE = "/son-la"
API = "/api/v1/cities/son-la"


@pytest.fixture
def to_hieu(city, areas):
    """A club at a space of Tô Hiệu ward, a past session of it and a person living there."""
    space = SpaceFactory(city=city, area=areas["to_1"], name_vi="Nhà văn hoá tổ 1")
    club = ProgrammeFactory(
        city=city, code="clb-thai-02", title_vi="CLB chữ Thái Tô Hiệu", area=areas["to_1"]
    )
    club.spaces.add(space)
    day = timezone.localdate() - dt.timedelta(days=1)
    session = SessionFactory(programme=club, space=space, date=day)
    learner = LearnerFactory(city=city, full_name="Lò Văn Tô", area=areas["to_1"], code="LHUGLQWV")
    return {"space": space, "club": club, "session": session, "learner": learner, "day": day}


def _counts():
    return (Attendance.objects.count(), Membership.objects.count(), Consent.objects.count())


# 1. High: attendance into another ward's session through the sheet import, programme left blank.
def test_the_sheet_import_refuses_a_row_whose_programme_she_does_not_manage(client, people, to_hieu):
    client.force_login(people["area_coordinator"])
    sheet = f"code,programme,date\nLHUGLQWV,clb-thai-02,{to_hieu['day'].isoformat()}\n".encode()
    before = _counts()
    response = client.post(
        f"{BASE}/manage/programmes/import/",
        {"file": SimpleUploadedFile("sheet.csv", sheet), "programme": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    body = response.content.decode()
    assert "You may not take attendance for clb-thai-02" in body
    assert "1 attendance will be added" not in body
    assert _counts() == before


def test_the_import_still_takes_rows_of_her_own_club(client, people, club, session, members):
    from learningcity.programmes.services.imports import sheet_import

    session.date = timezone.localdate() - dt.timedelta(days=1)
    session.save()
    sheet = f"code,programme,date\n{members[0].code},{club.code},{session.date.isoformat()}\n".encode()
    result = sheet_import(actor=people["area_coordinator"], city=club.city, stream=io.BytesIO(sheet))
    assert result.attendance_added == 1


# 2. High: creating a programme at a space outside one's area, then editing that area's learners as its leader.
def test_a_programme_at_a_space_outside_her_area_is_refused(client, people, to_hieu, areas):
    client.force_login(people["area_coordinator"])
    response = client.post(
        f"{BASE}/manage/programmes/new/",
        {"code": "clb-moi", "kind": "club", "title_vi": "CLB mới", "spaces": [to_hieu["space"].pk]},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200  # the form again, with the reason
    assert not Programme.objects.filter(code="clb-moi").exists()
    # the form offers only the spaces she may place a programme at
    page = client.get(f"{BASE}/manage/programmes/new/").content.decode()
    assert to_hieu["space"].name_vi not in page


def test_leading_a_programme_there_does_not_open_that_areas_learners(client, people, to_hieu):
    coordinator = people["area_coordinator"]
    to_hieu["club"].leaders.add(coordinator)
    client.force_login(coordinator)
    learner = to_hieu["learner"]
    assert client.get(f"{BASE}/manage/learners/{learner.pk}/edit/").status_code == 403
    response = client.post(f"{BASE}/manage/learners/{learner.pk}/edit/", {"full_name": "Đổi tên", "sex": "M"})
    assert response.status_code == 403
    learner.refresh_from_db()
    assert learner.full_name == "Lò Văn Tô"
    # nor its sessions: the club is placed outside her area, whoever leads it
    assert client.get(f"{BASE}/manage/sessions/{to_hieu['session'].pk}/").status_code == 403


def test_moving_her_programme_to_another_wards_space_is_refused(client, people, club, to_hieu):
    from learningcity.core.errors import DomainError
    from learningcity.programmes import services

    with pytest.raises(DomainError) as exc:
        services.programme_update(actor=people["area_coordinator"], programme=club, spaces=[to_hieu["space"]])
    assert exc.value.code == "forbidden"
    assert list(club.spaces.all()) != [to_hieu["space"]]
    with pytest.raises(DomainError):
        services.session_create(
            actor=people["area_coordinator"],
            programme=club,
            date=timezone.localdate(),
            start_time=dt.time(8),
            end_time=dt.time(9),
            space=to_hieu["space"],
        )


# 3. High: a removed role leaves the learner register open through the API.
def test_losing_the_role_ends_the_learner_api_and_attendance_at_once(
    client, city, people, space, club, members
):
    from learningcity.core.services.accounts import api_token_create

    coordinator = people["space_coordinator"]
    club.leaders.add(coordinator)
    session = SessionFactory(programme=club, space=space, date=timezone.localdate())
    client.force_login(coordinator)
    assert client.get(f"{API}/learners").status_code == 200
    _, raw = api_token_create(actor=people["city_admin"], user=coordinator, city=city, name="field phone")
    RoleAssignment.objects.filter(user=coordinator, city=city).delete()
    clear_cache(coordinator)
    before = _counts()
    assert client.get(f"{API}/learners").status_code == 403
    bearer = {"Authorization": f"Bearer {raw}"}
    assert client.get(f"{API}/learners", headers=bearer).status_code == 403
    for headers in ({}, bearer):
        response = client.post(
            f"{API}/sessions/{session.pk}/attendance",
            {"learner_id": members[0].pk, "present": True},
            content_type="application/json",
            headers=headers,
        )
        assert response.status_code == 403
    assert client.get(f"{BASE}/manage/sessions/{session.pk}/").status_code == 403
    assert _counts() == before


# 4. Medium: consent changed outside one's area through the learner's page.
def test_consent_of_a_person_outside_her_area_is_refused(client, people, areas):
    outsider = LearnerFactory(city=areas["to_1"].city, area=areas["to_1"])
    Consent.objects.create(city_id=outsider.city_id, learner=outsider, purpose="participation", given=True)
    client.force_login(people["area_coordinator"])
    response = client.post(
        f"{BASE}/manage/learners/{outsider.pk}/", {"purpose": "participation", "given": "0"}
    )
    assert response.status_code == 403
    assert Consent.objects.filter(learner=outsider).count() == 1
    assert Consent.objects.get(learner=outsider).withdrawn_at is None
    # nor her export
    assert client.get(f"{BASE}/manage/learners/{outsider.pk}/export.json").status_code == 403


def test_a_member_of_her_club_from_elsewhere_is_seen_but_not_acted_on(client, people, club, areas):
    visitor = LearnerFactory(city=club.city, area=areas["to_1"], full_name="Cầm Thị Khách")
    MembershipFactory(programme=club, learner=visitor)
    client.force_login(people["area_coordinator"])
    page = client.get(f"{BASE}/manage/learners/{visitor.pk}/")
    assert page.status_code == 200
    assert "Cầm Thị Khách" in page.content.decode()
    assert 'name="purpose"' not in page.content.decode()  # no consent form to send


def test_a_leader_without_any_role_gets_nothing(client, city, people, space, club, members):
    leader = people["resident"]
    club.leaders.add(leader)
    client.force_login(leader)
    assert client.get(f"{API}/learners").status_code in (401, 403)
    assert client.get(f"{BASE}/manage/programmes/{club.pk}/").status_code in (403, 404)
