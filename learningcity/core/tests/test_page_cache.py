"""core.middleware: anonymous pages from the page cache (within the freshness promise), GZip for anonymous visitors
only, ETags; nothing of a signed-in person is stored or compressed, nor a page that carries a CSRF token."""

import gzip

import pytest
from django.core.cache import caches
from django.test import Client

from learningcity.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    settings.PUBLIC_PAGE_MAX_AGE = 3
    caches["pages"].clear()
    yield
    caches["pages"].clear()


def test_an_anonymous_page_is_served_from_the_cache_per_language(page_cache, city):
    anonymous = Client()
    first = anonymous.get("/son-la/")
    assert first.status_code == 200
    assert "X-Page-Cache" not in first
    again = anonymous.get("/son-la/")
    assert again["X-Page-Cache"] == "hit"
    assert again.content == first.content
    assert "Cookie" in again["Vary"]
    assert again["Content-Security-Policy"]
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert "X-Page-Cache" not in english.get("/son-la/")  # its own entry
    assert '<html lang="en">' in english.get("/son-la/").content.decode()


def test_nothing_of_a_signed_in_person_is_stored_or_served(page_cache, city, client):
    Client().get("/son-la/")
    client.force_login(UserFactory())
    response = client.get("/son-la/")
    assert "X-Page-Cache" not in response
    assert "csrfmiddlewaretoken" in response.content.decode()  # the log-out form
    assert "X-Page-Cache" not in Client().get("/son-la/", HTTP_AUTHORIZATION="Bearer x")


def test_a_page_with_a_csrf_token_or_a_cookie_or_no_cache_is_never_stored(page_cache, city):
    anonymous = Client()
    for path in ["/accounts/login/", "/healthz"]:
        anonymous.get(path)
        assert "X-Page-Cache" not in anonymous.get(path), path
    login = anonymous.get("/accounts/login/")
    assert "csrfmiddlewaretoken" in login.content.decode()


def test_anonymous_pages_carry_no_csrf_token_and_the_language_switch_needs_none(city):
    anonymous = Client(enforce_csrf_checks=True)
    html = anonymous.get("/son-la/").content.decode()
    assert "csrfmiddlewaretoken" not in html
    switched = anonymous.post("/i18n/setlang/", {"language": "en", "next": "/son-la/"})
    assert switched.status_code == 302
    assert switched.cookies["lc_language"].value == "en"


def test_gzip_for_anonymous_visitors_only(city, client):
    anonymous = Client(HTTP_ACCEPT_ENCODING="gzip")
    response = anonymous.get("/son-la/")
    assert response["Content-Encoding"] == "gzip"
    assert b"<html" in gzip.decompress(response.content)
    client.force_login(UserFactory())
    signed_in = client.get("/son-la/", HTTP_ACCEPT_ENCODING="gzip")
    assert "Content-Encoding" not in signed_in  # BREACH: a page with a CSRF token is never compressed


def test_unchanged_answers_get_304(city):
    anonymous = Client()
    response = anonymous.get("/api/v1/cities/son-la/spaces.geojson")
    assert response.status_code == 200
    assert response["ETag"]
    again = anonymous.get("/api/v1/cities/son-la/spaces.geojson", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again.content == b""
