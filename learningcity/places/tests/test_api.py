import json

import pytest

from learningcity.core.models import AuditEntry
from learningcity.core.services.accounts import api_token_create
from learningcity.places.models import LearningSpace
from learningcity.places.tests.factories import SpaceFactory

pytestmark = pytest.mark.django_db


def test_list_search_without_accents_and_filters(client, spaces):
    body = client.get("/api/v1/cities/son-la/spaces", {"q": "nha tri tue chieng coi"}).json()
    assert [s["code"] for s in body["items"]] == ["SL-NTT-001"]
    assert body["count"] == 1
    body = client.get("/api/v1/cities/son-la/spaces", {"facility": "computers"}).json()
    assert [s["code"] for s in body["items"]] == ["SL-TVNA-001"]
    body = client.get("/api/v1/cities/son-la/spaces", {"type": "compassionate-library"}).json()
    assert body["count"] == 1


def test_area_filter_takes_the_subtree(client, spaces, areas):
    body = client.get("/api/v1/cities/son-la/spaces", {"area": areas["chieng_coi"].pk}).json()
    assert [s["code"] for s in body["items"]] == ["SL-NTT-001"]


def test_ordering_by_distance(client, spaces):
    body = client.get("/api/v1/cities/son-la/spaces", {"near_lat": 21.331, "near_lon": 103.921}).json()
    assert [s["code"] for s in body["items"]] == ["SL-TVNA-001", "SL-NTT-001"]
    assert body["items"][0]["distance_km"] < 0.3


def test_list_runs_a_fixed_number_of_queries(client, city, spaces, areas, django_assert_max_num_queries):
    for _ in range(30):
        SpaceFactory(city=city, area=areas["me_ban"])
    with django_assert_max_num_queries(4):
        response = client.get("/api/v1/cities/son-la/spaces", {"limit": 100})
    assert response.json()["count"] == 32


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize(
    "query",
    [{}, {"q": "nha tri tue"}, {"near_lat": 21.331, "near_lon": 103.921}, {"limit": 1, "offset": 1}],
)
def test_the_list_answers_what_the_schema_makes_of_each_space(client, city, spaces, areas, lang, query):
    """The list builds its items from plain rows (issue 17); they equal SpaceOut validated from the model, resolvers
    and all, so the published schema and the answer cannot drift apart."""
    from django.utils import translation

    from learningcity.places import selectors
    from learningcity.places.schemas import SpaceOut

    SpaceFactory(city=city, area=areas["me_ban"], name_vi="Nhà văn hoá bản Mé Ban", name_en="", hours="")
    body = client.get("/api/v1/cities/son-la/spaces", query, HTTP_ACCEPT_LANGUAGE=lang).json()
    assert body["count"] == (len(body["items"]) if "limit" not in query else 3)
    with translation.override(lang):
        qs = selectors.space_list(
            city=city,
            filters=selectors.SpaceFilters(
                q=query.get("q", ""), near_lat=query.get("near_lat"), near_lon=query.get("near_lon")
            ),
        )
        by_id = {s.pk: s for s in qs}
        expected = [
            json.loads(SpaceOut.model_validate(by_id[item["id"]]).model_dump_json()) for item in body["items"]
        ]
    assert body["items"] == expected
    assert body["items"]
    assert all(item["url"].endswith(f"/spaces/{item['id']}/") for item in body["items"])


def test_the_token_list_runs_a_fixed_number_of_queries(
    client, city, spaces, areas, people, django_assert_max_num_queries
):
    _, raw = api_token_create(actor=people["city_admin"], user=people["city_admin"], city=city, name="reader")
    client.get(
        "/api/v1/cities/son-la/spaces", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )  # "last used", once a minute
    for _ in range(30):
        SpaceFactory(city=city, area=areas["me_ban"], is_public=False)
    # city, token, its owner, roles, page (no count: the page is shorter than the limit)
    with django_assert_max_num_queries(5):
        body = client.get(
            "/api/v1/cities/son-la/spaces", {"limit": 100}, HTTP_AUTHORIZATION=f"Bearer {raw}"
        ).json()
    assert body["count"] == 32  # the hidden ones too: a staff token


def test_geojson_is_a_feature_collection_of_public_spaces(
    client, city, spaces, areas, django_assert_max_num_queries
):
    SpaceFactory(city=city, area=areas["me_ban"], status="planned", name_vi="Sắp mở")
    SpaceFactory(city=city, area=areas["me_ban"], is_public=False, name_vi="Ẩn")
    with django_assert_max_num_queries(4):  # city, freshness of spaces and of types, the features
        response = client.get("/api/v1/cities/son-la/spaces.geojson")
    assert response["Content-Type"].startswith("application/geo+json")
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == 2
    feature = next(f for f in data["features"] if f["id"] == spaces["meban"].pk)
    assert feature["geometry"] == {"type": "Point", "coordinates": [103.8925, 21.3001]}
    assert feature["properties"]["url"] == f"/son-la/spaces/{spaces['meban'].pk}/"


def test_detail_and_unknown(client, spaces, other_city):
    body = client.get(f"/api/v1/cities/son-la/spaces/{spaces['meban'].pk}").json()
    assert body["hours"] == "Mo-Su 08:00-20:00"
    assert body["area"]["code"] == "03670-MB"
    assert client.get(f"/api/v1/cities/hue/spaces/{spaces['meban'].pk}").status_code == 404


def test_token_writes_follow_the_back_office_rules(client, city, spaces, people, other_coordinator):
    coordinator = people["space_coordinator"]
    _, raw = api_token_create(actor=coordinator, user=coordinator, city=city, name="phone")
    auth = {"Authorization": f"Bearer {raw}"}
    ok = client.patch(
        f"/api/v1/cities/son-la/spaces/{spaces['meban'].pk}",
        data={"hours": "Mo-Fr 08:00-17:00"},
        content_type="application/json",
        headers=auth,
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["hours"] == "Mo-Fr 08:00-17:00"
    assert AuditEntry.objects.filter(actor=coordinator, object_id=str(spaces["meban"].pk)).exists()
    refused = client.patch(
        f"/api/v1/cities/son-la/spaces/{spaces['library'].pk}",
        data={"hours": "Mo-Fr 08:00-17:00"},
        content_type="application/json",
        headers=auth,
    )
    assert refused.status_code == 403
    created = client.post(
        "/api/v1/cities/son-la/spaces",
        data={"name_vi": "Mới", "type": "house-of-wisdom", "area_id": spaces["meban"].area_id},
        content_type="application/json",
        headers=auth,
    )
    assert created.status_code == 403
    assert not LearningSpace.objects.filter(name_vi="Mới").exists()
    # A caller who may add no space anywhere is refused before the body is read: 403, not a hint about the fields.
    unknown_type = client.post(
        "/api/v1/cities/son-la/spaces",
        data={"name_vi": "Mới", "type": "no-such-type", "area_id": 999999},
        content_type="application/json",
        headers=auth,
    )
    assert unknown_type.status_code == 403


def test_admin_creates_with_token_and_bad_point_is_400(client, city, spaces, people):
    admin = people["city_admin"]
    _, raw = api_token_create(actor=admin, user=admin, city=city, name="sync")
    auth = {"Authorization": f"Bearer {raw}"}
    payload = {
        "name_vi": "Mới",
        "type": "house-of-wisdom",
        "area_id": spaces["meban"].area_id,
        "lat": 21.3,
        "lon": 103.9,
    }
    created = client.post(
        "/api/v1/cities/son-la/spaces", data=payload, content_type="application/json", headers=auth
    )
    assert created.status_code == 201, created.content
    payload.update(lat=10.0, lon=106.0, name_vi="Sài Gòn")
    bad = client.post(
        "/api/v1/cities/son-la/spaces", data=payload, content_type="application/json", headers=auth
    )
    assert bad.status_code == 400
    assert bad.json()["field"] == "lat"


def test_token_of_another_city_cannot_write(client, city, other_city, spaces, people):
    admin = people["city_admin"]
    _, raw = api_token_create(actor=admin, user=admin, city=other_city, name="hue")
    response = client.patch(
        f"/api/v1/cities/son-la/spaces/{spaces['meban'].pk}",
        data={"name_vi": "X"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 403
    assert (
        client.patch(
            f"/api/v1/cities/son-la/spaces/{spaces['meban'].pk}", data={}, content_type="application/json"
        ).status_code
        == 401
    )


def test_search_treats_wildcards_literally(client, city, areas):
    SpaceFactory(city=city, area=areas["me_ban"], name_vi="Sân 100% bóng_chuyền [A]*")
    SpaceFactory(city=city, area=areas["me_ban"], name_vi="Sân bóng chuyền B")
    for q, expected in [("100%", 1), ("bong_chuyen", 1), ("[a]*", 1), ("bong", 2), ("%", 1), ("*", 1)]:
        assert client.get("/api/v1/cities/son-la/spaces", {"q": q}).json()["count"] == expected, q


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_geojson_written_by_the_database_equals_the_python_writer(city, spaces, areas, lang):
    from django.core.cache import cache

    from learningcity.places import selectors

    SpaceFactory(
        city=city,
        area=areas["me_ban"],
        name_vi='Nhà "văn hoá" \\ bản',
        name_en="",
        lat=21.123456789,
        lon=104.5,
    )
    cache.clear()
    from_db = json.loads(selectors.spaces_geojson(city=city, lang=lang))
    qs = selectors.space_list(city=city).filter(lat__isnull=False).order_by()
    rows = qs.values_list(*selectors.GEO_FIELDS)
    from_python = json.loads(selectors._geojson_body(rows, f"/{city.slug}/spaces/", lang == "en"))
    key = lambda f: f["id"]  # noqa: E731
    assert sorted(from_db["features"], key=key) == sorted(from_python["features"], key=key)
    names = {f["properties"]["name"] for f in from_db["features"]}
    assert 'Nhà "văn hoá" \\ bản' in names
    if lang == "en":
        assert "House of Wisdom, Mé Ban" in names


def test_geojson_bbox_answers_the_spaces_in_the_view(client, city, spaces, areas):
    url = "/api/v1/cities/son-la/spaces.geojson"
    everything = json.loads(client.get(url).content)
    assert len(everything["features"]) == 2
    assert "truncated" not in everything
    # A box around Mé Ban (103.8925, 21.3001) only; the library (103.92, 21.33) is outside it.
    data = json.loads(client.get(url, {"bbox": "103.88,21.29,103.90,21.31"}).content)
    assert [f["id"] for f in data["features"]] == [spaces["meban"].pk]
    data = json.loads(client.get(url, {"bbox": "103.91,21.32,103.93,21.34"}).content)
    assert [f["id"] for f in data["features"]] == [spaces["library"].pk]
    data = json.loads(client.get(url, {"bbox": "100,10,101,11"}).content)
    assert data == {"type": "FeatureCollection", "features": []}
    # Filters still apply inside the box.
    data = json.loads(client.get(url, {"bbox": "103,21,104,22", "facility": "computers"}).content)
    assert [f["id"] for f in data["features"]] == [spaces["library"].pk]


def test_geojson_bbox_keeps_etag_and_304(client, spaces):
    url = "/api/v1/cities/son-la/spaces.geojson?bbox=103,21,104,22"
    first = client.get(url)
    assert first.status_code == 200
    assert first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_geojson_bbox_is_bounded(client, city, spaces, areas, monkeypatch, django_assert_max_num_queries):
    from learningcity.places import selectors

    monkeypatch.setattr(selectors, "BBOX_MAX_FEATURES", 3)
    for i in range(4):
        SpaceFactory(city=city, area=areas["me_ban"], lat=21.30 + i / 1000, lon=103.89)
    with django_assert_max_num_queries(5):  # city, freshness of spaces and of types, the ids, the features
        data = json.loads(
            client.get("/api/v1/cities/son-la/spaces.geojson", {"bbox": "103,21,104,22"}).content
        )
    assert len(data["features"]) == 3
    assert data["truncated"] is True
    assert data["limit"] == 3
    # Without bbox, integrations still get every space.
    data = json.loads(client.get("/api/v1/cities/son-la/spaces.geojson").content)
    assert len(data["features"]) == 6
    assert "truncated" not in data


@pytest.mark.parametrize(
    ("bbox", "words"),
    [
        ("103,21,104", "four numbers"),
        ("a,b,c,d", "four numbers"),
        ("103,21,104,nan", "four numbers"),
        ("103,21,104,22,5", "four numbers"),
        ("104,21,103,22", "inverted"),
        ("103,22,104,21", "inverted"),
        ("103,21,181,22", "out of range"),
        ("103,-91,104,22", "out of range"),
        ("90,10,120,22", "too large"),
    ],
)
def test_geojson_bad_bbox_is_a_400_naming_the_field(client, spaces, bbox, words):
    response = client.get("/api/v1/cities/son-la/spaces.geojson", {"bbox": bbox}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "bbox"
    assert words in body["detail"]


def test_geojson_bad_bbox_message_in_vietnamese(client, spaces):
    response = client.get("/api/v1/cities/son-la/spaces.geojson", {"bbox": "x"}, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    assert "bbox" in response.json()["detail"]
    assert "bốn số" in response.json()["detail"]
