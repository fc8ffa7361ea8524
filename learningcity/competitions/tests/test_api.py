import pytest

from learningcity.core.services.accounts import api_token_create

from ..models import Assignment
from ..services.assignment import assignments_auto
from ..services.results import results_approve, results_compute, results_publish
from ..services.scoring import scores_save
from ..services.submissions import entry_submit
from .factories import mp3_with_tags, setup_competition, text_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(city, people):
    competition, poems, _arts, panel = setup_competition(city, judges=2)
    entries = [
        entry_submit(
            actor=people["resident"],
            competition=competition,
            category=poems,
            title=f"Bài {i}",
            team_members="Quàng Văn Bí",
            files=[text_file(name="Lo-Thi-Mai-bai-tho.txt"), mp3_with_tags(name="Lo-Thi-Mai.mp3")],
        )
        for i in range(2)
    ]
    assignments_auto(actor=people["city_admin"], competition=competition)
    return competition, panel, entries


def test_competitions_list_with_categories_and_submission_count(client, setup, django_assert_max_num_queries):
    competition, *_ = setup
    with django_assert_max_num_queries(4):
        response = client.get("/api/v1/cities/son-la/competitions")
    assert response.status_code == 200
    body = response.json()
    assert body[0]["slug"] == competition.slug
    assert body[0]["submission_count"] == 2
    assert [c["code"] for c in body[0]["categories"]] == ["THO", "MT"]
    assert body[0]["phase"] == "open"


def test_results_only_once_published(client, setup, people):
    competition, _panel, _entries = setup
    url = f"/api/v1/cities/son-la/competitions/{competition.slug}/results"
    assert client.get(url).status_code == 404
    content, artistry = competition.criteria.all()
    for a in Assignment.objects.all():
        scores_save(actor=a.judge, assignment=a, values={content.pk: 7, artistry.pk: 8})
    admin = people["city_admin"]
    results_compute(actor=admin, competition=competition)
    results_approve(actor=admin, competition=competition, accept_ties=True)
    assert client.get(url).status_code == 404  # approved is not published
    results_publish(actor=admin, competition=competition)
    body = client.get(url).json()
    assert body["categories"][0]["results"][0]["rank"] == 1
    assert body["categories"][0]["results"][0]["tied"] is True
    assert body["categories"][0]["results"][0]["entrant"]


def test_judging_api_is_blind_and_token_authenticated(client, city, setup, people):
    _competition, panel, _entries = setup
    judge = panel[0]
    _, raw = api_token_create(actor=judge, user=judge, city=city, name="tablet")
    auth = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/cities/son-la/judging/assignments").status_code == 401
    listing = client.get("/api/v1/cities/son-la/judging/assignments", headers=auth)
    assert listing.status_code == 200
    assert len(listing.json()) == 2
    one = client.get(f"/api/v1/cities/son-la/judging/assignments/{listing.json()[0]['id']}", headers=auth)
    text = one.content.decode()
    for secret in (people["resident"].full_name, people["resident"].username, "Quàng Văn Bí", "Lo-Thi-Mai"):
        assert secret not in text
    body = one.json()
    assert body["code"].startswith("THO-")
    assert len(body["files"]) == 2
    file_response = client.get(body["files"][1]["url"], headers=auth)
    assert file_response.status_code == 200
    payload = b"".join(file_response.streaming_content)
    assert b"Lo Thi Mai" not in payload
    assert "Lo-Thi-Mai" not in file_response["Content-Disposition"]
    crit = body["criteria"]
    bad = client.post(
        f"/api/v1/cities/son-la/judging/assignments/{body['id']}/scores",
        content_type="application/json",
        data={
            "scores": [
                {"criterion_id": crit[0]["id"], "value": 99},
                {"criterion_id": crit[1]["id"], "value": 5},
            ]
        },
        headers=auth,
    )
    assert bad.status_code == 400
    assert "between" in bad.json()["detail"]
    ok = client.post(
        f"/api/v1/cities/son-la/judging/assignments/{body['id']}/scores",
        content_type="application/json",
        data={
            "scores": [{"criterion_id": c["id"], "value": 8, "comment": "tốt"} for c in crit],
            "comment": "Hay",
        },
        headers=auth,
    )
    assert ok.status_code == 200
    assert ok.json()["submitted"] is True


def test_judging_api_refuses_others_and_other_cities(client, city, other_city, setup, people):
    _competition, panel, _entries = setup
    theirs = Assignment.objects.exclude(judge=panel[0]).first()
    _, raw = api_token_create(actor=panel[0], user=panel[0], city=city, name="t")
    auth = {"Authorization": f"Bearer {raw}"}
    mine_ids = set(Assignment.objects.filter(judge=panel[0]).values_list("id", flat=True))
    if theirs and theirs.pk not in mine_ids:
        r = client.post(
            f"/api/v1/cities/son-la/judging/assignments/{theirs.pk}/scores",
            content_type="application/json",
            data={"scores": []},
            headers=auth,
        )
        assert r.status_code == 403
    assert client.get("/api/v1/cities/hue/judging/assignments", headers=auth).status_code == 403
    _, viewer_raw = api_token_create(actor=people["viewer"], user=people["viewer"], city=city, name="v")
    r = client.get(
        "/api/v1/cities/son-la/judging/assignments", headers={"Authorization": f"Bearer {viewer_raw}"}
    )
    assert r.status_code == 403


def test_declaring_a_conflict_through_the_api(client, city, setup):
    _competition, panel, _entries = setup
    judge = panel[0]
    _, raw = api_token_create(actor=judge, user=judge, city=city, name="t")
    auth = {"Authorization": f"Bearer {raw}"}
    a = Assignment.objects.filter(judge=judge).first()
    r = client.post(
        f"/api/v1/cities/son-la/judging/assignments/{a.pk}/conflict",
        content_type="application/json",
        data={"reason": "cháu tôi"},
        headers=auth,
    )
    assert r.status_code == 200
    assert client.get(f"/api/v1/cities/son-la/judging/assignments/{a.pk}", headers=auth).status_code == 403
