"""Rows kept until the next committed write (FixedQuery(kept=True), core.freshness.live): the city, the
session, the signed-in person, her roles and an API token are read once and then kept, and every change to them
counts at the next request: access is never kept past a write that takes it away."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from learningcity.core import changes
from learningcity.core.fixed_query import FixedQuery
from learningcity.core.models import ApiToken, City, RoleAssignment, User
from learningcity.core.services.accounts import api_token_create, api_token_revoke

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("live_values")]

KEPT_CITY = FixedQuery(lambda slug: City.objects.filter(slug=slug, is_public=True), str, kept=True)
STAFF_PAGE = "/son-la/manage/participation/"


def test_kept_rows_are_read_once_and_each_caller_gets_its_own_objects(city):
    first = KEPT_CITY.first(city.slug)
    with CaptureQueriesContext(connection) as read:
        again = KEPT_CITY.first(city.slug)
    assert [q["sql"] for q in read.captured_queries] == ['SELECT "value" FROM core_changestamp WHERE id = 1']
    assert again == first
    assert again is not first
    assert again.bounds == first.bounds
    assert again.bounds is not first.bounds  # a JSON value changed by one request never reaches another
    again.bounds.append(0)
    assert KEPT_CITY.first(city.slug).bounds == first.bounds
    City.objects.filter(pk=city.pk).update(is_public=False)
    assert KEPT_CITY.first(city.slug) is None


def test_a_role_taken_away_closes_the_staff_pages_at_the_next_request(client, city, people):
    viewer = people["viewer"]
    client.force_login(viewer)
    assert client.get(STAFF_PAGE).status_code == 200
    assert client.get(STAFF_PAGE).status_code == 200  # kept: the person and her roles
    RoleAssignment.objects.filter(user=viewer, city=city).delete()
    assert client.get(STAFF_PAGE).status_code == 403


def test_a_session_signed_out_or_flushed_is_gone_at_the_next_request(client, city, people):
    from django.conf import settings
    from django.contrib.sessions.models import Session

    client.force_login(people["viewer"])
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get(STAFF_PAGE).status_code == 200
    assert client.get(STAFF_PAGE).status_code == 200  # kept: the session's row
    Session.objects.filter(session_key=cookie).delete()  # signed out elsewhere, or cleared by clearsessions
    assert client.get(STAFF_PAGE).status_code == 302

    client.force_login(people["viewer"])
    assert client.get(STAFF_PAGE).status_code == 200
    old = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.logout()
    client.cookies[settings.SESSION_COOKIE_NAME] = old  # the signed-out cookie, replayed
    assert client.get(STAFF_PAGE).status_code == 302


def test_a_person_made_inactive_is_signed_out_at_the_next_request(client, city, people):
    viewer = people["viewer"]
    client.force_login(viewer)
    assert client.get(STAFF_PAGE).status_code == 200
    User.objects.filter(pk=viewer.pk).update(is_active=False)
    assert client.get(STAFF_PAGE).status_code == 302


def test_a_token_revoked_or_expired_is_refused_at_the_next_request(client, city, people):
    admin = people["city_admin"]
    token, raw = api_token_create(actor=admin, user=admin, city=city, name="t")
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/cities/son-la/audit", headers=headers).status_code == 200
    assert client.get("/api/v1/cities/son-la/audit", headers=headers).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/api/v1/cities/son-la/audit", headers=headers).status_code == 401
    ApiToken.objects.filter(pk=token.pk).update(expires_at=None)
    assert client.get("/api/v1/cities/son-la/audit", headers=headers).status_code == 200
    api_token_revoke(actor=admin, token=ApiToken.objects.get(pk=token.pk))
    assert client.get("/api/v1/cities/son-la/audit", headers=headers).status_code == 401


def test_a_request_reads_the_stamp_once_and_again_after_its_own_write(city):
    changes.request_started()
    try:
        first = changes.stamp()
        with CaptureQueriesContext(connection) as read:
            assert changes.stamp() == first
        assert read.captured_queries == []
        City.objects.filter(pk=city.pk).update(name_en="Son La")  # this request's own write
        assert changes.stamp() != first
    finally:
        changes.request_finished()


def test_inside_a_transaction_that_wrote_nothing_kept_is_served(city):
    from django.db import transaction

    assert KEPT_CITY.first(city.slug).name_en != "Written"
    with transaction.atomic():
        City.objects.filter(pk=city.pk).update(name_en="Written")
        assert changes.pending()
        assert KEPT_CITY.first(city.slug).name_en == "Written"  # what this transaction wrote
    assert not changes.pending()
    assert KEPT_CITY.first(city.slug).name_en == "Written"
