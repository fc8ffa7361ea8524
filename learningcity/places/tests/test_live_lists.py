"""The back office's space list and the API's list kept until the next committed write (core.freshness.live): kept
apart per person (the list) and per what the reader may see (the API), and live after every write."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learningcity.core.services.accounts import api_token_create
from learningcity.places.tests.factories import SpaceFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("live_values")]

LIST = "/son-la/manage/spaces/"
API = "/api/v1/cities/son-la/spaces"


def _names(client) -> str:
    return client.get(LIST).content.decode()


def test_each_person_keeps_their_own_rows_and_sees_every_write_at_once(client, city, areas, spaces, people):
    coordinator = people["space_coordinator"]
    client.force_login(coordinator)
    page = _names(client)
    assert "Mé Ban" in page
    assert "Thư viện nhân ái tổ dân phố 1" not in page
    with CaptureQueriesContext(connection) as read:
        assert "Mé Ban" in _names(client)
    assert not any("places_learningspace" in q["sql"] for q in read.captured_queries)

    client.force_login(people["city_admin"])  # the same page, another person: never the coordinator's rows
    assert "Thư viện nhân ái tổ dân phố 1" in _names(client)

    client.force_login(coordinator)
    spaces["library"].coordinators.add(coordinator)  # a write to the table between spaces and people
    assert "Thư viện nhân ái tổ dân phố 1" in _names(client)
    SpaceFactory(city=city, area=areas["me_ban"], name_vi="Nhà văn hoá bản Mé Ban mới").coordinators.add(
        coordinator
    )
    assert "Nhà văn hoá bản Mé Ban mới" in _names(client)


def test_the_api_list_keeps_hidden_spaces_for_staff_tokens_only(client, city, areas, spaces, people):
    _, raw = api_token_create(actor=people["city_admin"], user=people["city_admin"], city=city, name="reader")
    token = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get(API, **token).json()["count"] == 2
    assert client.get(API).json()["count"] == 2

    SpaceFactory(city=city, area=areas["me_ban"], is_public=False, name_vi="Ẩn")
    assert client.get(API, **token).json()["count"] == 3  # the write shows at the next request
    assert client.get(API).json()["count"] == 2  # never the staff answer to the public
    with CaptureQueriesContext(connection) as read:
        assert client.get(API, **token).json()["count"] == 3
    assert not any("places_learningspace" in q["sql"] for q in read.captured_queries)

    SpaceFactory(city=city, area=areas["to_1"], name_vi="Thư viện mới")
    assert client.get(API).json()["count"] == 3
    assert client.get(API, {"q": "moi"}).json()["count"] == 1  # another question, another answer
