"""The role matrix of docs/roles.md, asserted for the core: back office, areas, audit trail, roles, tokens, cities.

Each row of the table below is a line of docs/roles.md; a column per person. Per object: the coordinator of
Chiềng Cơi manages Chiềng Cơi and everything under it, and cannot touch Tô Hiệu.
"""

import pytest
from django.test import Client

from learningcity.core import permissions
from learningcity.core.errors import DomainError
from learningcity.core.models import Area, AuditEntry, Role
from learningcity.core.services.accounts import api_token_create, role_assign
from learningcity.core.services.areas import area_update
from learningcity.core.services.cities import city_create
from learningcity.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PEOPLE = [
    "anonymous",
    "resident",
    "viewer",
    "judge",
    "space_coordinator",
    "area_coordinator",
    "city_admin",
    "network_admin",
]


def _client(people, who) -> Client:
    client = Client()
    if who != "anonymous":
        client.force_login(people[who])
    return client


def _user(people, who):
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser() if who == "anonymous" else people[who]


# docs/roles.md: "Open the city's back office": every role in the city; not residents; anonymous go to log in.
@pytest.mark.parametrize("who", PEOPLE)
def test_back_office(client, city, areas, people, who):
    response = _client(people, who).get("/son-la/manage/")
    expected = {"anonymous": 302, "resident": 403}.get(who, 200)
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith("/accounts/login/")


# "Public pages and public API of a city": everyone.
@pytest.mark.parametrize("who", PEOPLE)
def test_public_pages_and_api(city, areas, people, who):
    c = _client(people, who)
    assert c.get("/son-la/").status_code == 200
    assert c.get("/api/v1/cities/son-la/areas").status_code == 200
    assert c.get(f"/api/v1/cities/son-la/areas/{areas['to_1'].pk}").status_code == 200


# "Read the audit trail (page and API)": city administrators and network administrators only.
@pytest.mark.parametrize("who", PEOPLE)
def test_audit_trail(city, areas, people, who):
    c = _client(people, who)
    allowed = who in ("city_admin", "network_admin")
    page = c.get("/son-la/manage/audit/")
    api = c.get("/api/v1/cities/son-la/audit")
    assert page.status_code == (200 if allowed else 302 if who == "anonymous" else 403)
    assert api.status_code == (200 if allowed else 401 if who == "anonymous" else 403)


# "Add and edit areas": the area coordinator in her area's subtree; city and network administrators everywhere.
ADD_UNDER = {
    # who: (may add under Chiềng Cơi, may add under Tô Hiệu)
    "viewer": (False, False),
    "judge": (False, False),
    "space_coordinator": (False, False),
    "area_coordinator": (True, False),
    "city_admin": (True, True),
    "network_admin": (True, True),
}


@pytest.mark.parametrize("who", list(ADD_UNDER))
def test_add_areas_through_the_page(city, areas, people, who):
    c = _client(people, who)
    for ward, allowed in zip(("chieng_coi", "to_hieu"), ADD_UNDER[who], strict=True):
        code = f"{ward}-{who}"
        response = c.post(
            "/son-la/manage/areas/new/",
            {"parent": areas[ward].pk, "level": "hamlet", "code": code, "name_vi": "Bản Thử"},
        )
        created = Area.objects.filter(city=city, code=code).exists()
        assert created is allowed, (who, ward, response.status_code)
        if allowed:
            entry = AuditEntry.objects.get(
                object_type="core.area", object_id=str(Area.objects.get(code=code).pk)
            )
            assert entry.actor == people[who]
            assert entry.changes["code"] == [None, code]


@pytest.mark.parametrize("who", list(ADD_UNDER))
def test_edit_areas_per_object(city, areas, people, who):
    c = _client(people, who)
    for key, allowed in (("me_ban", ADD_UNDER[who][0]), ("to_1", ADD_UNDER[who][1])):
        area = areas[key]
        url = f"/son-la/manage/areas/{area.pk}/edit/"
        assert c.get(url).status_code == (200 if allowed else 403)
        response = c.post(url, {"name_vi": f"{area.name_vi} (sửa)", "lat": area.lat, "lon": area.lon})
        area.refresh_from_db()
        assert area.name_vi.endswith("(sửa)") is allowed, (who, key)
        if allowed:
            assert response.status_code == 302
        else:
            assert response.status_code == 403


def test_coordinator_of_chieng_coi_cannot_touch_to_hieu_anywhere(client, city, areas, people):
    coord = people["area_coordinator"]
    client.force_login(coord)
    # The page lists her subtree only.
    listed = client.get("/son-la/manage/areas/").content.decode()
    assert "Bản Mé Ban" in listed
    assert "Phường Chiềng Cơi" in listed
    assert "Tổ dân phố 1" not in listed
    assert "Phường Tô Hiệu" not in listed
    # The add form offers only her subtree as parents.
    form = client.get("/son-la/manage/areas/new/").content.decode()
    assert f'value="{areas["me_ban"].pk}"' in form
    assert f'value="{areas["to_hieu"].pk}"' not in form
    # The API refuses a change in Tô Hiệu; the service refuses it too; nothing changed.
    response = client.patch(
        f"/api/v1/cities/son-la/areas/{areas['to_1'].pk}",
        {"name_vi": "Đổi tên"},
        content_type="application/json",
    )
    assert response.status_code == 403
    with pytest.raises(DomainError):
        area_update(actor=coord, area=areas["to_hieu"], name_vi="Đổi tên")
    areas["to_1"].refresh_from_db()
    areas["to_hieu"].refresh_from_db()
    assert areas["to_1"].name_vi == "Tổ dân phố 1"
    assert areas["to_hieu"].name_vi == "Phường Tô Hiệu"
    # And in her own ward the same API call works, with its audit entry.
    ok = client.patch(
        f"/api/v1/cities/son-la/areas/{areas['me_ban'].pk}",
        {"name_vi": "Bản Mé Ban Mới"},
        content_type="application/json",
    )
    assert ok.status_code == 200
    assert ok.json()["name_vi"] == "Bản Mé Ban Mới"
    entry = AuditEntry.objects.filter(object_type="core.area", action="update").latest("id")
    assert entry.changes["name_vi"] == ["Bản Mé Ban", "Bản Mé Ban Mới"]
    assert entry.actor == coord


# "Give roles, create tokens for others": city administrators (and network administrators).
@pytest.mark.parametrize("who", PEOPLE[1:])
def test_give_roles_and_tokens_for_others(city, areas, people, who):
    allowed = who in ("city_admin", "network_admin")
    newcomer = UserFactory(username=f"new-{who}")
    actor = people[who]
    if allowed:
        role_assign(actor=actor, user=newcomer, city=city, role=Role.VIEWER)
        api_token_create(actor=actor, user=newcomer, city=city, name="for them")
    else:
        with pytest.raises(DomainError):
            role_assign(actor=actor, user=newcomer, city=city, role=Role.VIEWER)
        with pytest.raises(DomainError):
            api_token_create(actor=actor, user=newcomer, city=city, name="for them")
    assert newcomer.role_assignments.exists() is allowed
    # Anyone may make a token for themself.
    api_token_create(actor=actor, user=actor, city=city, name="mine")


# "Add cities": network administrators only.
@pytest.mark.parametrize("who", PEOPLE[1:])
def test_add_cities(db, city, areas, people, who):
    if who == "network_admin":
        assert city_create(actor=people[who], slug="da-nang", name_vi="Đà Nẵng").slug == "da-nang"
    else:
        with pytest.raises(DomainError):
            city_create(actor=people[who], slug=f"x-{who}".replace("_", "-"), name_vi="X")


# "Exact (unsuppressed) statistics" and "Ethnicity and disability of named people".
EXACT = {"viewer", "space_coordinator", "area_coordinator", "city_admin", "network_admin"}
SENSITIVE = {"area_coordinator", "city_admin", "network_admin"}


@pytest.mark.parametrize("who", PEOPLE)
def test_statistics_and_sensitive_data_predicates(city, other_city, areas, people, who):
    user = _user(people, who)
    assert permissions.can_view_exact_figures(user, city) is (who in EXACT)
    assert permissions.can_view_sensitive(user, city) is (who in SENSITIVE)
    # A role in Son La gives nothing in Huế (network administrators act everywhere).
    assert permissions.is_staff_of(user, other_city) is (who == "network_admin")
    assert permissions.can_view_exact_figures(user, other_city) is (who == "network_admin")


def test_roles_give_nothing_in_another_city(city, other_city, areas, people):
    admin = people["city_admin"]
    hue_area = Area.objects.create(
        city=other_city, code="46", level="province", name_vi="Tỉnh Huế", path="/h/"
    )
    assert not permissions.can_manage_area(admin, hue_area)
    c = _client(people, "city_admin")
    assert c.get("/hue/manage/").status_code == 403
    assert c.get("/hue/manage/audit/").status_code == 403
    assert c.get("/api/v1/cities/hue/audit").status_code == 403


def test_docs_roles_md_lists_every_role():
    from pathlib import Path

    from django.conf import settings

    text = (Path(settings.BASE_DIR) / "docs/roles.md").read_text()
    for label in [
        "Viewer",
        "Judge",
        "Space coordinator",
        "Area coordinator",
        "City administrator",
        "Network admin",
    ]:
        assert label in text
    assert "tests/test_role_matrix.py" in text
    assert "tests/test_tenancy.py" in text
