"""API tokens made by a city administrator in the back office: shown once, listed by prefix, revoked; a read-only
token may read but never write (refused centrally in core.api_auth); tokens expire; no city sees another's."""

import datetime as dt

import pytest
from django.utils import timezone

from learningcity.core.models import ApiToken, AuditEntry, Role, TokenScope
from learningcity.core.services.accounts import api_token_create, api_token_revoke
from learningcity.core.tests.factories import user_with_role

LIST = "/son-la/manage/tokens/"
NEW = "/son-la/manage/tokens/new/"


def _bearer(raw: str) -> dict:
    return {"Authorization": f"Bearer {raw}"}


def _create_on_page(client, owner, scope="read", name="Đồng bộ điểm danh", expires=""):
    response = client.post(NEW, {"name": name, "user": owner.pk, "scope": scope, "expires_on": expires})
    assert response.status_code == 200, response.content[:500]
    assert "raw" in response.context, response.context["form"].errors
    return response


@pytest.mark.parametrize("who", ["resident", "viewer", "judge", "space_coordinator", "area_coordinator"])
def test_only_administrators_open_the_token_pages(client, city, people, who):
    token, _ = api_token_create(actor=people["city_admin"], user=people["city_admin"], city=city, name="sync")
    client.force_login(people[who])
    assert client.get(LIST).status_code == 403
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, {"name": "x", "user": people[who].pk, "scope": "write"}).status_code == 403
    assert client.post(f"/son-la/manage/tokens/{token.pk}/revoke/").status_code == 403
    assert ApiToken.objects.count() == 1
    token.refresh_from_db()
    assert token.revoked_at is None


def test_anonymous_is_sent_to_log_in(client, city):
    response = client.get(LIST)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["city_admin", "network_admin"])
def test_administrator_makes_a_token_for_a_staff_member_and_sees_it_once(client, city, people, who):
    client.force_login(people[who])
    assert client.get(LIST).status_code == 200
    response = _create_on_page(client, people["viewer"], scope="read", expires="2099-12-31")
    raw = response.context["raw"]
    assert raw.startswith("lc_")
    assert raw in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get()
    assert token.user == people["viewer"]
    assert token.city == city
    assert token.scope == TokenScope.READ
    assert token.key_hash == ApiToken.hash(raw)
    assert raw not in token.key_hash
    # Valid through 31/12/2099 in the city's time zone (Asia/Ho_Chi_Minh, UTC+7).
    assert token.expires_at == dt.datetime(2099, 12, 31, 17, 0, tzinfo=dt.UTC)
    # Never again: the list shows the prefix, the owner, the scope; the audit trail knows nothing of the value.
    listing = client.get(LIST).content.decode()
    assert raw not in listing
    assert f"lc_{token.prefix}…" in listing
    assert raw[3:9] == token.prefix
    assert str(people["viewer"]) in listing
    assert "Chỉ đọc" in listing
    entry = AuditEntry.objects.get(object_type="core.apitoken", action="create")
    assert entry.actor == people[who]
    assert raw not in str(entry.changes)
    assert raw not in entry.object_repr
    assert entry.changes["scope"] == [None, "read"]


def test_the_owner_is_one_of_the_citys_staff_or_the_administrator(client, city, other_city, people):
    client.force_login(people["city_admin"])
    owners = set(client.get(NEW).context["form"].fields["user"].queryset)
    assert people["viewer"] in owners
    assert people["city_admin"] in owners
    assert people["resident"] not in owners
    assert people["network_admin"] not in owners
    stranger = user_with_role(other_city, Role.CITY_ADMIN, username="hue-admin")
    for outsider in (people["resident"], stranger):
        response = client.post(NEW, {"name": "x", "user": outsider.pk, "scope": "write"})
        assert response.status_code == 200
        assert "raw" not in response.context
    past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = client.post(
        NEW, {"name": "x", "user": people["viewer"].pk, "scope": "read", "expires_on": past}
    )
    assert "raw" not in response.context
    assert response.context["form"].errors["expires_on"]
    assert not ApiToken.objects.exists()


def test_a_read_only_token_reads_but_every_write_is_refused(client, city, areas, people):
    _, raw = api_token_create(
        actor=people["city_admin"], user=people["city_admin"], city=city, name="r", scope=TokenScope.READ
    )
    assert client.get("/api/v1/cities/son-la/audit", headers=_bearer(raw)).status_code == 200
    parent = areas["chieng_coi"]
    body = {"parent_id": parent.pk, "level": "hamlet", "code": "03670-NEW", "name_vi": "Bản Mới"}
    refused = client.post(
        "/api/v1/cities/son-la/areas", body, content_type="application/json", headers=_bearer(raw)
    )
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Mã truy cập này chỉ được đọc: nó không được thay đổi gì."
    patch = client.patch(
        f"/api/v1/cities/son-la/areas/{parent.pk}",
        {"name_vi": "Đổi"},
        content_type="application/json",
        headers={**_bearer(raw), "Accept-Language": "en"},
    )
    assert patch.status_code == 403
    assert patch.json()["detail"] == "This token is read-only: it may not change anything."
    parent.refresh_from_db()
    assert parent.name_vi == "Phường Chiềng Cơi"
    # The same person's read-and-write token writes.
    _, writer = api_token_create(actor=people["city_admin"], user=people["city_admin"], city=city, name="w")
    made = client.post(
        "/api/v1/cities/son-la/areas", body, content_type="application/json", headers=_bearer(writer)
    )
    assert made.status_code in (200, 201), made.content


def test_an_expired_or_revoked_token_stops_working(client, city, people):
    admin = people["city_admin"]
    token, raw = api_token_create(actor=admin, user=admin, city=city, name="t")
    assert client.get("/api/v1/cities/son-la/audit", headers=_bearer(raw)).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/api/v1/cities/son-la/audit", headers=_bearer(raw)).status_code == 401
    ApiToken.objects.filter(pk=token.pk).update(expires_at=None)
    client.force_login(admin)
    response = client.post(f"/son-la/manage/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert response["Location"] == LIST
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.filter(object_type="core.apitoken", action="update", actor=admin).exists()
    client.logout()
    assert client.get("/api/v1/cities/son-la/audit", headers=_bearer(raw)).status_code == 401


def test_a_city_never_sees_or_revokes_another_citys_tokens(client, city, other_city, people):
    son_la, _ = api_token_create(
        actor=people["city_admin"], user=people["viewer"], city=city, name="Sơn La sync"
    )
    hue_admin = user_with_role(other_city, Role.CITY_ADMIN, username="hue-admin")
    hue, _ = api_token_create(actor=hue_admin, user=hue_admin, city=other_city, name="Huế sync")
    client.force_login(hue_admin)
    listing = client.get("/hue/manage/tokens/").content.decode()
    assert "Huế sync" in listing
    assert "Sơn La sync" not in listing
    assert client.get(LIST).status_code == 403
    assert client.post(f"/hue/manage/tokens/{son_la.pk}/revoke/").status_code == 404
    assert client.post(f"/son-la/manage/tokens/{son_la.pk}/revoke/").status_code == 403
    son_la.refresh_from_db()
    assert son_la.revoked_at is None
    with pytest.raises(ApiToken.DoesNotExist):
        api_token_revoke(actor=hue_admin, token=son_la, city=other_city)
    client.force_login(people["city_admin"])
    assert "Huế sync" not in client.get(LIST).content.decode()
    assert client.post(f"/son-la/manage/tokens/{hue.pk}/revoke/").status_code == 404


def test_the_django_admin_adds_no_token_and_points_to_the_back_office(client, city, people):
    admin = people["network_admin"]
    admin.is_staff = True
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    assert client.get("/admin/core/apitoken/add/").status_code == 403
    token, _ = api_token_create(actor=people["city_admin"], user=people["viewer"], city=city, name="sync")
    listing = client.get("/admin/core/apitoken/")
    assert "/admin/core/apitoken/add/" not in listing.content.decode()
    assert "nơi giá trị chỉ hiện một lần" in listing.content.decode()
    # Whose it is, its city and its scope cannot be changed there (only name, expiry, revocation).
    form = client.get(f"/admin/core/apitoken/{token.pk}/change/").context["adminform"].form
    assert set(form.fields) == {"name", "expires_at", "revoked_at"}


def test_reads_with_a_token_write_its_last_use_at_most_once_a_minute(client, city, people):
    """Issue 17: an UPDATE on every API read queued all reads behind SQLite's single writer."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin = people["city_admin"]
    token, raw = api_token_create(actor=admin, user=admin, city=city, name="t")
    updates = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/cities/son-la/audit", headers=_bearer(raw)).status_code == 200
        updates.append(sum('UPDATE "core_apitoken"' in q["sql"] for q in ctx.captured_queries))
    assert updates == [1, 0, 0]
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - dt.timedelta(minutes=2))
    client.get("/api/v1/cities/son-la/audit", headers=_bearer(raw))
    token.refresh_from_db()
    assert timezone.now() - token.last_used_at < dt.timedelta(seconds=30)
