"""Core pages: health, languages (switch, cookie, 404 in the visitor's language), the city home's figures."""

import pytest
from django.conf import settings
from django.db import connection, connections
from django.db.backends.utils import CursorWrapper
from django.test.utils import CaptureQueriesContext

from learningcity.core.figures import key_figures
from learningcity.core.tests.factories import AreaFactory

pytestmark = pytest.mark.django_db


def test_healthz_is_200_json_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_fails(client, monkeypatch):
    from django.db import OperationalError

    def broken(self, sql, params=None):
        raise OperationalError("the database went away")

    def unreachable(self):
        raise OperationalError("the database went away")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    monkeypatch.setattr(
        type(connections["default"]), "ensure_connection", unreachable
    )  # also a kept connection's path
    connection.health_check_done = False
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["database"] == "unavailable"
    assert "went away" not in response.content.decode()  # no internals leak


def test_healthz_on_a_kept_postgresql_connection_is_djangos_own_ping(client, monkeypatch):
    """On PostgreSQL the health check of a kept connection (CONN_HEALTH_CHECKS) is the probe's one round trip; on
    SQLite, whose check pings nothing, the probe runs its query."""
    pings = []
    real = type(connections["default"]).is_usable
    monkeypatch.setattr(type(connections["default"]), "is_usable", lambda self: pings.append(1) or real(self))
    connection.health_check_done = False
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    if connection.vendor == "postgresql":
        assert pings == [1]
        assert ctx.captured_queries == []
    else:
        assert [q["sql"] for q in ctx.captured_queries] == ["SELECT 1"]


def test_language_switch_is_on_every_page_and_remembered(client, city, areas, people):
    for path in ["/", "/son-la/", "/accounts/login/", "/nowhere/"]:
        html = client.get(path).content.decode()
        assert 'action="/i18n/setlang/"' in html, path
        assert 'name="language" value="en"' in html, path
    home = client.get("/son-la/").content.decode()
    assert '<html lang="vi">' in home
    assert "Số liệu chính" in home
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/son-la/"})
    assert switched.status_code == 302
    assert switched["Location"] == "/son-la/"
    cookie = switched.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert int(cookie["max-age"]) >= 30 * 24 * 3600
    # Remembered: later pages, the back office too, speak English.
    again = client.get("/son-la/").content.decode()
    assert '<html lang="en">' in again
    assert "Key figures" in again
    assert "Son La" in again
    client.force_login(people["city_admin"])
    assert "Administrative units you may manage" in client.get("/son-la/manage/areas/").content.decode()
    client.post("/i18n/setlang/", {"language": "vi", "next": "/son-la/"})
    assert "Các đơn vị hành chính bạn được quản lý" in client.get("/son-la/manage/areas/").content.decode()


def test_unknown_city_is_a_404_page_in_the_visitors_language(client, city):
    vi = client.get("/atlantis/")
    assert vi.status_code == 404
    assert "Không có thành phố học tập nào tên “atlantis”" in vi.content.decode()
    assert '<html lang="vi">' in vi.content.decode()
    en = client.get("/atlantis/", headers={"accept-language": "en"})
    assert en.status_code == 404
    assert "There is no learning city called “atlantis”" in en.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "See all learning cities" in client.get("/atlantis/spaces/").content.decode()


def test_a_private_city_is_not_found(client, city):
    city.is_public = False
    city.save()
    assert client.get("/son-la/").status_code == 404
    assert client.get("/api/v1/cities/son-la/areas").status_code == 404


def test_city_home_shows_key_figures_computed_from_data(client, city, areas):
    for n in range(1, 4):
        AreaFactory(city=city, code=f"H{n}", parent=areas["to_hieu"], level="hamlet", name_vi=f"Bản {n}")
    figures = dict(key_figures(city))
    assert figures["Xã, phường"] == "2"
    assert figures["Bản, thôn và tổ dân phố"] == "5"  # Mé Ban, Tổ 1 and the three new hamlets
    html = client.get("/son-la/").content.decode()
    assert "Bản, thôn và tổ dân phố" in html
    assert "<dd>5</dd>" in html
    assert city.description_vi[:20] in html or not city.description_vi


def test_city_home_figures_use_vietnamese_grouping(city, areas):
    from learningcity.core.models import Area, AreaLevel

    Area.objects.bulk_create(
        [
            Area(
                city=city, code=f"G{n}", level=AreaLevel.RESIDENTIAL_GROUP, name_vi=f"Tổ {n}", path=f"/g{n}/"
            )
            for n in range(1234)
        ]
    )
    assert dict(key_figures(city))["Bản, thôn và tổ dân phố"] == "1.236"


def test_city_home_runs_a_bounded_number_of_queries(client, city, areas, django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        assert client.get("/son-la/").status_code == 200


def test_back_office_is_translated_and_lists_staff_links(client, city, areas, people):
    client.force_login(people["city_admin"])
    html = client.get("/son-la/manage/").content.decode()
    assert "Trang quản lý" in html
    assert "Quản trị thành phố" in html
    assert "/son-la/manage/areas/" in html
    assert "/son-la/manage/audit/" in html
    client.force_login(people["network_admin"])
    people["network_admin"].is_staff = True
    people["network_admin"].is_superuser = True
    people["network_admin"].save()
    admin = client.get("/admin/core/auditentry/").content.decode()
    assert "Thành phố học tập: quản lý dữ liệu" in admin  # the admin's header, in Vietnamese
    assert "nhật ký thay đổi" in admin.lower()


def test_area_list_runs_a_bounded_number_of_queries(
    client, city, areas, people, django_assert_max_num_queries
):
    client.force_login(people["city_admin"])
    with django_assert_max_num_queries(15):
        assert client.get("/son-la/manage/areas/").status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get("/son-la/manage/audit/").status_code == 200


def test_audit_page_filters_and_shows_before_and_after(client, city, areas, people):
    client.force_login(people["city_admin"])
    client.post(
        f"/son-la/manage/areas/{areas['me_ban'].pk}/edit/",
        {"name_vi": "Bản Mé Ban Trên", "lat": 21.3, "lon": 103.89},
    )
    html = client.get("/son-la/manage/audit/", {"action": "update"}).content.decode()
    assert "Bản Mé Ban" in html
    assert "Bản Mé Ban Trên" in html
    assert "name_vi" in html
    assert "→" in html
    none = client.get("/son-la/manage/audit/", {"action": "delete"}).content.decode()
    assert "Bản Mé Ban Trên" not in none
    api = client.get("/api/v1/cities/son-la/audit", {"action": "update"}).json()
    assert api["items"][0]["changes"]["name_vi"] == ["Bản Mé Ban", "Bản Mé Ban Trên"]


def test_openapi_document_is_valid_json_without_duplicate_keys(client, db):
    """Swagger UI refuses a document with a key twice ("duplicated mapping key"): the docs page would be empty."""
    import json

    duplicates = []

    def no_duplicates(pairs):
        keys = [k for k, _ in pairs]
        duplicates.extend(k for k in set(keys) if keys.count(k) > 1)
        return dict(pairs)

    body = client.get("/api/v1/openapi.json").content.decode()
    spec = json.loads(body, object_pairs_hook=no_duplicates)
    assert duplicates == []
    assert spec["openapi"].startswith("3.")


def test_demo_links_django_admin_for_the_network_admin_only(client, db):
    """Django's admin holds nothing a city admin may open (its model pages answer 403), so the demo's city
    admin is not staff there and her back office does not offer it; the network admin's does."""
    from learningcity.core import demo

    ctx = demo.DemoContext(city=demo.create_city(), password="demo-password-123", log=lambda *a: None)
    demo.load(ctx)
    client.force_login(ctx.users["admin"])
    page = client.get("/son-la/manage/").content.decode()
    assert "/son-la/manage/audit/" in page
    assert 'href="/admin/"' not in page
    client.force_login(ctx.users["network"])
    assert 'href="/admin/"' in client.get("/son-la/manage/").content.decode()


def _probe(path="/healthz", method="GET"):
    from wsgiref.util import setup_testing_defaults

    from config.wsgi import application

    environ = {
        "PATH_INFO": path,
        "REQUEST_METHOD": method,
        "HTTP_HOST": "127.0.0.1",
        "SERVER_NAME": "127.0.0.1",
    }
    setup_testing_defaults(environ)
    answer = {}

    def start_response(status, headers):
        answer["status"], answer["headers"] = status, dict(headers)

    answer["body"] = b"".join(application(environ, start_response))
    return answer


@pytest.mark.django_db(transaction=True)
def test_the_served_probe_answers_in_front_of_the_middleware_with_the_same_view(monkeypatch):
    import json

    answer = _probe()
    assert answer["status"] == "200 OK"
    assert json.loads(answer["body"]) == {"status": "ok", "database": "ok"}
    assert answer["headers"]["Content-Type"] == "application/json"
    assert "no-cache" in answer["headers"]["Cache-Control"]
    assert answer["headers"]["Content-Length"] == str(len(answer["body"]))
    assert "Set-Cookie" not in answer["headers"]
    head = _probe(method="HEAD")
    assert head["status"] == "200 OK"
    assert head["body"] == b""
    # Anything else is Django's, middleware and all (here: the security headers and the language cookie's page).
    page = _probe("/")
    assert page["status"] == "200 OK"
    assert "Content-Security-Policy" in page["headers"]
    posted = _probe(method="POST")  # not the probe's: Django's (its CSRF check refuses it)
    assert posted["status"].startswith("403")
    assert "Content-Security-Policy" in posted["headers"]

    from django.db import OperationalError

    def unreachable(self):
        raise OperationalError("the database went away")

    # The server went away: a kept connection fails its check and no new one can be made.
    monkeypatch.setattr(type(connections["default"]), "is_usable", lambda self: False)
    monkeypatch.setattr(type(connections["default"]), "connect", unreachable)
    # (SQLite's in-memory test database is never closed: its queries fail instead)
    monkeypatch.setattr(CursorWrapper, "execute", lambda self, sql, params=None: unreachable(self))
    failed = _probe()
    assert failed["status"].startswith("503")
    assert json.loads(failed["body"])["database"] == "unavailable"
    assert b"went away" not in failed["body"]
