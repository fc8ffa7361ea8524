"""The app shell, its service worker and manifest, and the city administrator's list of devices."""

import json
import re

import pytest

from learningcity.fieldwork.models import Device

pytestmark = pytest.mark.django_db


def test_the_shell_holds_no_data_and_keeps_the_csp(client, city, people):
    client.force_login(people["city_admin"])
    page = client.get("/son-la/field/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'rel="manifest"' in html
    # The cached page carries no token (the script takes it from the cookie when the language is switched).
    assert re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)"', html) == [""]
    assert "admin" not in html.lower().split("<main", 1)[1]  # nothing about the person in the cached page
    assert "script-src 'self'" in page["Content-Security-Policy"]
    assert "<script>" not in html  # the words for the script come as a JSON block
    assert client.get("/son-la/field/roster/?session=1").status_code == 200
    assert 'id="take-back"' in client.get("/son-la/field/bookcase/?space=1").content.decode()
    assert "<h1>Field app</h1>" in client.get("/son-la/field/?lang=en").content.decode()


def test_service_worker_precaches_the_shell_with_revisions(client, city):
    response = client.get("/son-la/field/sw.js")
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    manifest = json.loads(body.split("precacheAndRoute(", 1)[1].split(", {\n", 1)[0])
    urls = {entry["url"] for entry in manifest}
    assert {
        "/son-la/field/?lang=vi",
        "/son-la/field/roster/?lang=vi",
        "/son-la/field/bookcase/?lang=vi",
        "/son-la/field/checkin/?lang=vi",
        "/static/fieldwork/field.js",
        "/static/core/scan.js",  # the badge scanner and its decoder work offline too
        "/static/core/vendor/jsqr/jsQR.min.js",
    } <= urls
    assert '"/static/fieldwork/field-sw.js"' in body.split("importScripts.apply", 1)[1].split("\n", 1)[0]
    assert 'db: "lc-field-son-la"' in body  # Background Sync sends from the same IndexedDB as the page
    assert all(entry["revision"] for entry in manifest)
    assert "workbox-precaching.prod.js" in body


def test_only_the_checkin_page_may_use_the_camera(client, city):
    checkin = client.get("/son-la/field/checkin/")
    assert "camera=(self)" in checkin["Permissions-Policy"]
    assert 'src="/static/core/scan.js"' in checkin.content.decode()
    assert "camera=()" in client.get("/son-la/field/")["Permissions-Policy"]


def test_manifest_in_each_language(client, city):
    vi = client.get("/son-la/field/manifest.webmanifest").json()
    assert vi["short_name"] == "Ứng dụng thực địa"
    assert vi["start_url"] == vi["scope"] == "/son-la/field/"
    assert {icon["sizes"] for icon in vi["icons"]} == {"192x192", "512x512"}
    client.cookies["lc_language"] = "en"
    assert client.get("/son-la/field/manifest.webmanifest").json()["short_name"] == "Field app"
    assert (
        client.get("/son-la/field/manifest.webmanifest?lang=vi").json()["short_name"] == "Ứng dụng thực địa"
    )
    assert "(vi)" in client.get("/son-la/field/sw.js?lang=vi").content.decode()


def test_device_list_in_one_go(client, city, people, django_assert_max_num_queries):
    for who in ("space_coordinator", "area_coordinator", "city_admin"):
        Device.objects.create(city=city, user=people[who], label=who)
    client.force_login(people["city_admin"])
    with django_assert_max_num_queries(12):
        page = client.get("/son-la/manage/field/devices/")
    assert page.content.decode().count("Đăng xuất thiết bị này") == 3


def test_the_checkin_page_is_a_shell_in_each_language(client, city, people, conference):
    event, _delegates = conference
    client.force_login(people["viewer"])
    page = client.get(f"/son-la/field/checkin/?event={event.slug}")
    html = page.content.decode()
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-cache"
    assert 'id="checkin-code"' in html
    assert 'id="checkin-search"' in html
    assert "Điểm danh một người" in html  # Vietnamese by default
    assert "Lò Thị Hoà" not in html  # the names come from what the phone keeps, not the cached page
    words = json.loads(html.split('id="field-text" type="application/json">', 1)[1].split("</script>", 1)[0])
    assert words["already_in"] == "%(name)s đã được điểm danh rồi: không cần gửi gì."
    assert "Check a person in" in client.get("/son-la/field/checkin/?lang=en").content.decode()
    home = client.get("/son-la/field/").content.decode()
    assert 'id="events-box"' in home
    assert 'data-checkin="/son-la/field/checkin/"' in home
