"""Queries compiled once per process (core.fixed_query) give the rows the ORM gives, on both engines, and refuse
what they cannot run; the city, the session, the signed-in person and an API token are read through them."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from learningcity.core.fixed_query import FixedQuery
from learningcity.core.models import ApiToken, City, User
from learningcity.core.services.accounts import api_token_create
from learningcity.core.sessions import SessionStore
from learningcity.core.tenancy import city_get

pytestmark = pytest.mark.django_db

CITY_BY_SLUG = FixedQuery(lambda slug: City.objects.filter(slug=slug, is_public=True), str)


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_a_city_comes_back_as_the_orm_builds_it(city):
    city.gnlc_member_since = dt.date(2024, 9, 12)
    city.center_lat, city.center_lon = 21.3271, 103.9144
    city.description_en = "Thai script: ꪼꪕ ꪶꪔ; “quotes” & <tags>"
    city.save()
    fixed = CITY_BY_SLUG.first(city.slug)
    orm = City.objects.get(slug=city.slug)
    assert _fields(fixed) == _fields(orm)
    assert isinstance(fixed.bounds, list)
    assert fixed.bounds == [20.55, 103.15, 22.05, 105.15]
    assert isinstance(fixed.is_public, bool)
    assert isinstance(fixed.gnlc_member_since, dt.date)
    assert fixed.created_at.tzinfo is not None
    assert fixed._state.adding is False
    assert fixed._state.db == "default"
    # Saved through the ORM like any loaded row (an UPDATE, not a second city).
    fixed.name_en = "Son La, learning city"
    fixed.save()
    assert City.objects.get(pk=city.pk).name_en == "Son La, learning city"
    assert City.objects.count() == 1


def test_each_call_runs_its_own_values_and_builds_new_objects(city, other_city):
    assert CITY_BY_SLUG.first(city.slug).pk == city.pk
    assert CITY_BY_SLUG.first(other_city.slug).pk == other_city.pk
    assert CITY_BY_SLUG.first("no-such-city") is None
    first, again = CITY_BY_SLUG.first(city.slug), CITY_BY_SLUG.first(city.slug)
    assert first is not again
    assert first.bounds is not again.bounds  # a request's change to its copy never reaches another's
    City.objects.filter(pk=city.pk).update(is_public=False)
    assert CITY_BY_SLUG.first(city.slug) is None  # nothing is cached but the SQL: a change shows at once
    assert CITY_BY_SLUG.all(other_city.slug) == [other_city]


def test_the_city_of_a_url_is_one_query_and_an_unknown_one_a_404(city):
    with CaptureQueriesContext(connection) as ctx:
        assert city_get(city.slug) == city
    assert len(ctx.captured_queries) == 1
    with pytest.raises(Http404) as raised:
        city_get("khong-co-<b>")
    assert "khong-co-<b>" in str(raised.value)


@pytest.mark.parametrize(
    "build",
    [
        lambda slug: City.objects.select_related().filter(slug=slug),
        lambda slug: City.objects.filter(slug=slug).values("id"),
        lambda slug: City.objects.filter(slug__icontains=slug),  # the value reaches the SQL as %value%
        lambda slug: City.objects.filter(slug=slug) | City.objects.filter(name_vi=slug),  # twice
    ],
)
def test_what_it_cannot_run_fails_at_once(city, build):
    with pytest.raises(ValueError, match=r"FixedQuery|once and unchanged"):
        FixedQuery(build, str).first(city.slug)


def test_only_text_and_integers_and_values_of_their_kind():
    with pytest.raises(TypeError):
        FixedQuery(lambda when: City.objects.filter(created_at__gt=when), dt.datetime)
    with pytest.raises(TypeError):
        CITY_BY_SLUG.first(7)
    with pytest.raises(TypeError):
        CITY_BY_SLUG.first()


def test_a_session_is_read_as_django_reads_it_and_an_expired_one_is_none(people):
    store = SessionStore()
    store["note"] = "Mường Ảng"
    store.create()
    loaded = SessionStore(store.session_key)
    assert loaded["note"] == "Mường Ảng"
    assert loaded.session_key == store.session_key
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert "note" not in expired
    assert expired.session_key is None  # as Django's own store: a new session, never the expired one
    assert "note" not in SessionStore("x" * 32)  # no such row


def test_the_signed_in_person_is_read_through_the_backend(client, people):
    admin = people["city_admin"]
    client.force_login(admin)
    assert client.get("/son-la/manage/").status_code == 200
    User.objects.filter(pk=admin.pk).update(is_active=False)
    response = client.get("/son-la/manage/")
    assert response.status_code == 302  # signed out: back to the login page
    assert "/login/" in response["Location"]


def test_a_token_and_its_owner_are_checked_as_before(client, city, people):
    admin = people["city_admin"]
    token, raw = api_token_create(actor=admin, user=admin, city=city, name="t")
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/cities/son-la/audit", headers=headers).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + dt.timedelta(hours=1))
    assert client.get("/api/v1/cities/son-la/audit", headers=headers).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/api/v1/cities/son-la/audit", headers=headers).status_code == 401
    ApiToken.objects.filter(pk=token.pk).update(expires_at=None)
    User.objects.filter(pk=admin.pk).update(is_active=False)
    assert client.get("/api/v1/cities/son-la/audit", headers=headers).status_code == 401
    User.objects.filter(pk=admin.pk).update(is_active=True)
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    assert client.get("/api/v1/cities/son-la/audit", headers=headers).status_code == 401


def test_rows_of_values_come_back_as_the_orm_gives_them(city, people):
    from learningcity.core.fixed_query import FixedRows
    from learningcity.core.models import RoleAssignment

    roles = FixedRows(
        lambda user_id, city_id: (
            RoleAssignment.objects.filter(user_id=user_id, city_id=city_id)
            .order_by("role", "pk")
            .values_list("role", "area__path", "area_id")
        ),
        int,
        int,
    )
    for person in people.values():
        orm = list(
            RoleAssignment.objects.filter(user=person, city=city)
            .order_by("role", "pk")
            .values_list("role", "area__path", "area_id")
        )
        assert roles.tuples(person.pk, city.pk) == orm
    assert any(path for _role, path, _area in roles.tuples(people["area_coordinator"].pk, city.pk))
    assert roles.tuples(people["city_admin"].pk, city.pk + 1000) == []
    with pytest.raises(TypeError):
        roles.all(1, 2)
    flat = FixedRows(lambda pk: City.objects.filter(pk=pk).values_list("slug", flat=True), int)
    with pytest.raises(ValueError, match="values_list"):
        flat.tuples(city.pk)
    with pytest.raises(ValueError, match="values_list"):
        FixedQuery(lambda pk: City.objects.filter(pk=pk).values_list("slug"), int).first(city.pk)
