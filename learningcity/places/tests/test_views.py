import re
import types

import pytest

from learningcity.core.models import PopulationCount
from learningcity.places.tests.factories import SpaceFactory

pytestmark = pytest.mark.django_db


def test_list_search_ignores_accents(client, spaces):
    response = client.get("/son-la/spaces/", {"q": "nha tri tue chieng coi"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Ngôi nhà trí tuệ bản Mé Ban" in text
    assert "Thư viện nhân ái tổ dân phố 1" not in text


def test_list_page_runs_a_fixed_number_of_queries(client, city, areas, spaces, django_assert_max_num_queries):
    for _ in range(20):
        SpaceFactory(city=city, area=areas["me_ban"])
    with django_assert_max_num_queries(9):
        response = client.get("/son-la/spaces/", {"open_now": "on", "facility": "books"})
    assert response.status_code == 200


def test_pages_have_no_inline_script_or_style(client, spaces):
    for url in ["/son-la/spaces/", "/son-la/spaces/map/", f"/son-la/spaces/{spaces['meban'].pk}/"]:
        html = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
        assert " style=" not in html, url
        assert "<style" not in html, url
        assert "cdn" not in html.lower()


def test_map_page_points_at_the_geojson_and_has_no_tiles_by_default(client, spaces, settings):
    html = client.get("/son-la/spaces/map/", {"type": "house-of-wisdom"}).content.decode()
    assert 'data-geojson="/api/v1/cities/son-la/spaces.geojson?type=house-of-wisdom"' in html
    assert 'data-tile-url=""' in html
    assert "no-tiles" in html
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    html = client.get("/son-la/spaces/map/").content.decode()
    assert 'data-tile-url="https://tiles.example.org/{z}/{x}/{y}.png"' in html


def test_space_page_shows_hours_and_panels_of_other_apps(client, spaces, monkeypatch):
    panel = types.SimpleNamespace(
        space_panel=lambda request, space: f"<p class='panel'>Lớp chữ Thái · {space.pk}</p>"
    )
    empty = types.SimpleNamespace(space_panel=lambda request, space: "")
    import learningcity.places.views as views

    monkeypatch.setattr(views, "app_modules", lambda name: (panel, empty) if name == "space_panels" else ())
    html = client.get(f"/son-la/spaces/{spaces['meban'].pk}/").content.decode()
    assert f"<p class='panel'>Lớp chữ Thái · {spaces['meban'].pk}</p>" in html
    assert "08:00–20:00" in html


def test_hidden_and_other_city_spaces_are_404(client, city, areas, other_city, spaces):
    hidden = SpaceFactory(city=city, area=areas["me_ban"], is_public=False)
    assert client.get(f"/son-la/spaces/{hidden.pk}/").status_code == 404
    assert client.get(f"/hue/spaces/{spaces['meban'].pk}/").status_code == 404


def test_coordinator_edits_her_space_but_not_another(client, spaces, people):
    client.force_login(people["space_coordinator"])
    url = f"/son-la/manage/spaces/{spaces['meban'].pk}/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update({f"hours_{d}": "07:00-21:00" for d in ["mo", "tu", "we", "th", "fr", "sa", "su"]})
    data["facilities_list"] = ["books"]
    data["website"] = "thuvien.sonla.vn"  # typed without a scheme, as people do
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    spaces["meban"].refresh_from_db()
    assert spaces["meban"].hours == "Mo-Su 07:00-21:00"
    assert spaces["meban"].website == "https://thuvien.sonla.vn"
    assert client.get(f"/son-la/manage/spaces/{spaces['library'].pk}/").status_code == 403
    listing = client.get("/son-la/manage/spaces/").content.decode()
    assert "Mé Ban" in listing
    assert "Thư viện nhân ái" not in listing


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("city_admin", 200),
        ("area_coordinator", 200),
        ("space_coordinator", 403),
        ("viewer", 403),
        ("judge", 403),
    ],
)
def test_who_may_add_and_import(client, spaces, people, role, status):
    client.force_login(people[role])
    assert client.get("/son-la/manage/spaces/new/").status_code == status
    assert client.get("/son-la/manage/spaces/import/").status_code == status


def test_resident_cannot_open_the_back_office(client, spaces, people):
    client.force_login(people["resident"])
    assert client.get("/son-la/manage/spaces/").status_code == 403
    assert client.get("/son-la/manage/coverage/").status_code == 403


def test_coverage_shows_population_only_where_entered(client, city, areas, spaces, people):
    PopulationCount.objects.create(city=city, area=areas["chieng_coi"], year=2025, count=20000)
    client.force_login(people["viewer"])
    response = client.get("/son-la/manage/coverage/", {"distance_km": "1", "year": "2025"})
    rows = {r.area.code: r for r in response.context["rows"]}
    assert rows["03670"].spaces == 1
    assert rows["03670"].population == 20000
    assert rows["03670"].per_1000 == 0.05
    assert rows["03646"].population is None
    assert rows["03646"].per_1000 is None
    html = response.content.decode()
    assert "no population data" in html or "không có số liệu dân số" in html
    # Tô Hiệu's centre is about 0.3 km from the library; Chiềng Cơi's about 1.8 km from Mé Ban: a gap at 1 km.
    assert rows["03670"].gap
    assert not rows["03646"].gap


def test_coverage_runs_the_same_queries_for_one_ward_or_many(client, city, areas, spaces, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from learningcity.core.models import AreaLevel
    from learningcity.core.tests.factories import AreaFactory

    client.force_login(people["viewer"])
    params = {"distance_km": "1", "year": "2025"}
    PopulationCount.objects.create(city=city, area=areas["chieng_coi"], year=2025, count=20000)
    with CaptureQueriesContext(connection) as few:
        client.get("/son-la/manage/coverage/", params)
    for i in range(15):
        ward = AreaFactory(city=city, code=f"W{i:03d}", parent=areas["province"], level=AreaLevel.WARD)
        PopulationCount.objects.create(city=city, area=ward, year=2025, count=1000 + i)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/son-la/manage/coverage/", params)
    assert len(response.context["rows"]) == 17
    assert len(many.captured_queries) == len(few.captured_queries)


def test_back_office_list_runs_a_fixed_number_of_queries(
    client, city, areas, spaces, people, django_assert_max_num_queries
):
    for _ in range(20):
        SpaceFactory(city=city, area=areas["me_ban"])
    client.force_login(people["area_coordinator"])
    with django_assert_max_num_queries(12):
        response = client.get("/son-la/manage/spaces/")
    assert len(response.context["page"].object_list) == 21  # Chiềng Cơi's spaces only


@pytest.mark.parametrize(
    ("lang", "name", "status"),
    [("vi", "Ngôi nhà trí tuệ bản Mé Ban", "Đang hoạt động"), ("en", "House of Wisdom, Mé Ban", "Active")],
)
def test_the_back_office_list_reads_in_the_language_with_its_links(
    client, spaces, people, lang, name, status
):
    """The list's rows are plain values (issue 17): names in the reader's language (Vietnamese when there is no
    English one), the status label, the type and the area, and a link to each space's form."""
    client.force_login(people["city_admin"])
    body = client.get("/son-la/manage/spaces/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    row = next(r for r in body.split("<tr>") if f'href="{spaces["meban"].pk}/"' in r)
    assert name in row
    assert status in row
    assert spaces["meban"].area.name_vi in row
    library = next(r for r in body.split("<tr>") if f'href="{spaces["library"].pk}/"' in r)
    assert "Thư viện nhân ái tổ dân phố 1" in library  # no English name: the Vietnamese one


def test_exports_answer_with_files(client, spaces):
    csv_response = client.get("/son-la/spaces/export.csv")
    assert csv_response["Content-Disposition"].endswith('son-la-spaces.csv"')
    assert "SL-NTT-001" in csv_response.content.decode("utf-8-sig")
    geo = client.get("/son-la/spaces/export.geojson")
    assert geo["Content-Type"].startswith("application/geo+json")
    assert client.get("/son-la/spaces/export.exe").status_code == 404


# --- bad input (issue 17): each answered quickly with a clear status, never a server error ---------------------


def test_a_deep_page_answers_with_the_last_page(client, spaces):
    response = client.get("/son-la/spaces/", {"page": 100000})
    assert response.status_code == 200
    assert response.context["page"].number == response.context["page"].paginator.num_pages


def test_an_unknown_type_or_an_overlong_search_is_a_400_that_names_the_field(client, spaces):
    for query in ({"type": "no-such-type"}, {"area": "999999"}, {"q": "a" * 9000}):
        response = client.get("/son-la/spaces/", query)
        assert response.status_code == 400, query
        assert response.context["form"].errors.keys() == {next(iter(query))}


def test_the_back_office_list_answers_bad_input_without_a_server_error(client, spaces, people):
    client.force_login(people["city_admin"])
    deep = client.get("/son-la/manage/spaces/", {"page": 100000})
    assert deep.status_code == 200
    assert deep.context["page"].number == deep.context["page"].paginator.num_pages
    long_search = client.get("/son-la/manage/spaces/", {"q": "nha " * 3000})
    assert long_search.status_code == 200  # only the first words count (selectors.search_q)


def test_the_api_list_caps_deep_offsets_and_large_limits(client, spaces):
    deep = client.get("/api/v1/cities/son-la/spaces", {"offset": 100000})
    assert deep.status_code == 200
    assert deep.json()["items"] == []
    assert client.get("/api/v1/cities/son-la/spaces", {"limit": "lots"}).status_code == 422
