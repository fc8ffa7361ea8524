import datetime as dt

import pytest

from learningcity.core.services.accounts import api_token_create
from learningcity.programmes.models import Attendance, Learner

from .factories import ProgrammeFactory, SessionFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/cities/son-la"


def bearer(user, city):
    _, raw = api_token_create(actor=user, user=user, city=city, name="t")
    return {"Authorization": f"Bearer {raw}"}


def test_programmes_are_public_and_filtered(client, city, club, space, areas, django_assert_max_num_queries):
    ProgrammeFactory(city=city, code="bong-chuyen", kind="event", topics="|sports|")
    ProgrammeFactory.create_batch(5, city=city, kind="club")
    with django_assert_max_num_queries(6):
        body = client.get(f"{API}/programmes").json()
    assert body["count"] == 7
    assert [p["code"] for p in client.get(f"{API}/programmes?kind=event").json()["items"]] == ["bong-chuyen"]
    assert [p["code"] for p in client.get(f"{API}/programmes?topic=sports").json()["items"]] == [
        "bong-chuyen"
    ]
    assert [p["code"] for p in client.get(f"{API}/programmes?space={space.pk}").json()["items"]] == [
        "clb-me-ban"
    ]
    by_area = client.get(f"{API}/programmes?area={areas['chieng_coi'].pk}").json()["items"]
    assert [p["code"] for p in by_area] == ["clb-me-ban"]
    one = client.get(f"{API}/programmes/{club.pk}").json()
    assert one["title_blt"] == "ꪶꪁꪙ ꪼꪕ"
    assert one["calendar_url"].endswith("calendar.ics")
    assert one["topics"] == ["language", "culture"]


def test_unknown_kind_or_topic_is_named_not_an_empty_list(client, city, club):
    response = client.get(f"{API}/programmes?kind=clubs")
    assert response.status_code == 400
    assert response.json()["field"] == "kind"
    assert response.json()["detail"].startswith(
        "Không nhận ra loại chương trình “clubs”: hãy dùng một trong club,"
    )
    response = client.get(f"{API}/programmes?topic=sport", headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert response.json()["field"] == "topic"
    assert "Unknown topic “sport”" in response.json()["detail"]
    assert "sports" in response.json()["detail"]


def test_programme_of_another_city_is_404(client, city, other_city):
    foreign = ProgrammeFactory(city=other_city)
    assert client.get(f"{API}/programmes/{foreign.pk}").status_code == 404


def test_sessions_from_to(client, city, club, django_assert_max_num_queries):
    for d in range(10):
        SessionFactory(programme=club, date=dt.date(2025, 3, 1) + dt.timedelta(days=d))
    with django_assert_max_num_queries(4):
        body = client.get(f"{API}/sessions?from=2025-03-02&to=2025-03-04").json()
    assert [s["date"] for s in body["items"]] == ["2025-03-02", "2025-03-03", "2025-03-04"]
    assert client.get(f"{API}/sessions?from=2025-03-04&to=2025-03-01").status_code == 400
    assert client.get(f"{API}/sessions?from=2025-13-01").status_code == 422


def test_learners_need_a_token_and_hide_sensitive_fields(
    client, city, people, members, django_assert_max_num_queries
):
    assert client.get(f"{API}/learners").status_code == 401
    assert client.get(f"{API}/learners", headers=bearer(people["viewer"], city)).status_code == 403
    space_view = client.get(f"{API}/learners", headers=bearer(people["space_coordinator"], city)).json()[
        "items"
    ]
    assert len(space_view) == 3
    assert all(x["ethnicity"] is None for x in space_view)
    headers = bearer(people["area_coordinator"], city)  # Chiềng Cơi, over Mé Ban
    with django_assert_max_num_queries(8):
        coord_view = client.get(f"{API}/learners", headers=headers).json()["items"]
    assert {x["ethnicity"] for x in coord_view} == {"03"}


def test_token_of_another_city_is_refused(client, city, other_city, members):
    from learningcity.core.models import Role
    from learningcity.core.tests.factories import user_with_role

    stranger = user_with_role(other_city, Role.CITY_ADMIN)
    assert client.get(f"{API}/learners", headers=bearer(stranger, other_city)).status_code == 403


def test_add_learner_and_take_attendance_by_api(client, city, people, session, areas):
    headers = bearer(people["space_coordinator"], city)
    created = client.post(
        f"{API}/learners",
        data={
            "full_name": "Lò Văn Tú",
            "sex": "M",
            "birth_year": 2012,
            "area_id": areas["me_ban"].pk,
        },
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 201, created.content
    learner_id = created.json()["id"]
    # A space coordinator adds people without ethnicity (test_learner_privacy.py: she may not set it).
    assert Learner.objects.get(pk=learner_id).ethnicity == "99"
    marked = client.post(
        f"{API}/sessions/{session.pk}/attendance",
        data={"learner_id": learner_id},
        content_type="application/json",
        headers=headers,
    )
    assert marked.status_code == 200
    assert marked.json()["present"] == 1
    listed = client.get(f"{API}/sessions/{session.pk}/attendance", headers=headers).json()
    assert listed[0]["learner_id"] == learner_id
    bad = client.post(
        f"{API}/learners",
        data={"full_name": "X", "birth_year": 1700},
        content_type="application/json",
        headers=headers,
    )
    assert bad.status_code == 400
    assert bad.json()["field"] == "birth_year"
    future = SessionFactory(programme=session.programme, date=dt.date.today() + dt.timedelta(days=2))
    refused = client.put(
        f"{API}/sessions/{future.pk}/attendance",
        data={"learner_ids": [learner_id]},
        content_type="application/json",
        headers=headers,
    )
    assert refused.status_code == 400
    assert Attendance.objects.count() == 1
