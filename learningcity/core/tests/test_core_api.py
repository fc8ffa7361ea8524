import pytest

from learningcity.core.models import ApiToken, AuditEntry
from learningcity.core.services.accounts import api_token_create

pytestmark = pytest.mark.django_db


def test_cities_lists_public_cities(client, city, other_city):
    response = client.get("/api/v1/cities")
    assert response.status_code == 200
    assert [c["slug"] for c in response.json()] == ["hue", "son-la"]


def test_areas_have_codes_levels_parents_and_successors(client, city, areas):
    old = areas["chieng_coi"].__class__.objects.create(
        city=city, code="03676", level="commune", name_vi="Xã Hua La", valid_to="2025-06-30", path="/x/"
    )
    old.successors.add(areas["chieng_coi"])
    response = client.get("/api/v1/cities/son-la/areas")
    assert response.status_code == 200
    body = response.json()
    by_code = {a["code"]: a for a in body["items"]}
    assert by_code["03670-MB"]["parent"]["code"] == "03670"
    assert by_code["03676"]["successors"] == [{"id": areas["chieng_coi"].pk, "code": "03670"}]
    assert by_code["03676"]["valid_to"] == "2025-06-30"
    assert by_code["03670"]["lat"] == pytest.approx(21.2976)


def test_area_list_runs_a_fixed_number_of_queries(client, city, areas, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        client.get("/api/v1/cities/son-la/areas")


def test_unknown_city_is_404_json(client, db):
    response = client.get("/api/v1/cities/atlantis/areas")
    assert response.status_code == 404
    assert "atlantis" in response.json()["detail"]


def test_malformed_input_is_422_with_fields(client, city, people):
    _token, raw = api_token_create(actor=people["city_admin"], user=people["city_admin"], city=city, name="t")
    response = client.post(
        "/api/v1/cities/son-la/areas",
        data={"code": 5},
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 422
    fields = {tuple(e["loc"])[-1] for e in response.json()["detail"]}
    assert {"level", "name_vi", "parent_id"} <= fields
    # one sentence in the caller's language names the fields (the validator's own texts are English)
    message = response.json()["message"]
    assert message.startswith("Các giá trị sau không hợp lệ:")
    assert "name_vi" in message
    assert "parent_id" in message
    english = client.get("/api/v1/cities/son-la/sessions?from=2025-13-01", headers={"Accept-Language": "en"})
    assert english.status_code == 422
    assert english.json()["message"] == (
        "These values are not valid: from. Correct them and send the request again."
    )


def test_area_coordinator_adds_hamlet_in_her_ward_only(client, city, areas, people):
    coord = people["area_coordinator"]
    _, raw = api_token_create(actor=coord, user=coord, city=city, name="phone")
    auth = {"Authorization": f"Bearer {raw}"}
    ok = client.post(
        "/api/v1/cities/son-la/areas",
        content_type="application/json",
        headers=auth,
        data={
            "code": "03670-NEW",
            "level": "hamlet",
            "name_vi": "Bản Mới",
            "parent_id": areas["chieng_coi"].pk,
        },
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["parent"]["code"] == "03670"
    refused = client.post(
        "/api/v1/cities/son-la/areas",
        content_type="application/json",
        headers=auth,
        data={
            "code": "03646-NEW",
            "level": "hamlet",
            "name_vi": "Bản Khác",
            "parent_id": areas["to_hieu"].pk,
        },
    )
    assert refused.status_code == 403
    assert not city.areas.filter(code="03646-NEW").exists()
    entry = AuditEntry.objects.get(object_type="core.area", action="create", changes__code__1="03670-NEW")
    assert entry.actor == coord


def test_bad_token_is_401(client, city):
    response = client.post(
        "/api/v1/cities/son-la/areas",
        content_type="application/json",
        headers={"Authorization": "Bearer lc_nope"},
        data={},
    )
    assert response.status_code == 401


def test_token_is_stored_hashed(city, people):
    token, raw = api_token_create(actor=people["viewer"], user=people["viewer"], city=city, name="x")
    assert raw not in token.key_hash
    assert ApiToken.objects.get(key_hash=ApiToken.hash(raw)) == token


def test_audit_api_is_for_city_admins(client, city, people):
    client.force_login(people["viewer"])
    assert client.get("/api/v1/cities/son-la/audit").status_code == 403
    client.force_login(people["city_admin"])
    response = client.get("/api/v1/cities/son-la/audit")
    assert response.status_code == 200


def test_openapi_and_docs_are_served(client, db):
    spec = client.get("/api/v1/openapi.json")
    assert spec.status_code == 200
    assert "/api/v1/cities/{slug}/areas" in spec.json()["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()
