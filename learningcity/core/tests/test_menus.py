"""The menus kept per city, language and set of roles (core.menus): the hooks' promise and no leak through the store."""

import pytest
from django.utils import translation

from learningcity.core import menus
from learningcity.core.models import Role, RoleAssignment
from learningcity.core.tests.factories import UserFactory, user_with_role
from learningcity.places.tests.factories import SpaceFactory

pytestmark = pytest.mark.django_db

ROLE_SETS = [
    (),
    *[(role,) for role in Role.values],
    (Role.AREA_COORDINATOR, Role.SPACE_COORDINATOR),
    (Role.JUDGE, Role.VIEWER),
    (Role.LIBRARIAN, Role.SPACE_COORDINATOR),
]


def _person(city, roles, *, area, space, **kwargs):
    user = UserFactory(**kwargs)
    for role in roles:
        RoleAssignment.objects.create(
            user=user, city=city, role=role, area=area if role == Role.AREA_COORDINATOR else None
        )
    if Role.SPACE_COORDINATOR in roles and space is not None:
        space.coordinators.add(user)
    return user


@pytest.mark.parametrize("roles", ROLE_SETS, ids=lambda r: "+".join(r) or "none")
def test_every_nav_hook_depends_on_the_roles_only(city, areas, roles):
    """Two people with the same roles in a city, but different areas, spaces, names and staff flags, are given the
    same menus by every installed app's nav hooks (core.registry): what core.menus may keep per set of roles."""
    space = SpaceFactory(city=city)
    one = _person(city, roles, area=areas["chieng_coi"], space=space, username="one")
    two = _person(city, roles, area=areas["to_hieu"], space=None, username="two", is_staff=True)
    for lang in ("vi", "en"):
        with translation.override(lang):
            assert menus.build_menus(city, one) == menus.build_menus(city, two)
            assert menus.menus_key(city, one) == menus.menus_key(city, two)


def test_the_network_administrators_menus_differ_from_a_residents(city, areas):
    resident = UserFactory(username="resident")
    network = UserFactory(username="network", is_network_admin=True)
    assert menus.menus_key(city, resident) != menus.menus_key(city, network)
    assert not menus.build_menus(city, resident).staff_links
    assert menus.build_menus(city, network).staff_links


def test_two_roles_get_their_own_menus_from_the_store(client, city, areas):
    admin = user_with_role(city, Role.CITY_ADMIN, username="admin")
    viewer = user_with_role(city, Role.VIEWER, username="viewer")
    for _ in range(2):  # the second round comes from the store
        client.force_login(admin)
        html = client.get("/son-la/manage/").content.decode()
        assert 'class="staff"><a href="/son-la/manage/audit/"' in html
        client.force_login(viewer)
        html = client.get("/son-la/manage/").content.decode()
        assert "/son-la/manage/audit/" not in html
        assert 'class="staff"><a href="/son-la/manage/"' in html


def test_a_role_taken_away_changes_the_menus_at_once(client, city, areas):
    person = user_with_role(city, Role.CITY_ADMIN, username="admin")
    RoleAssignment.objects.create(user=person, city=city, role=Role.VIEWER)
    client.force_login(person)
    assert "/son-la/manage/audit/" in client.get("/son-la/spaces/").content.decode()
    RoleAssignment.objects.filter(user=person, role=Role.CITY_ADMIN).delete()
    html = client.get("/son-la/spaces/").content.decode()
    assert "/son-la/manage/audit/" not in html
    assert 'class="staff"' in html  # still a viewer
    RoleAssignment.objects.filter(user=person).delete()
    html = client.get("/son-la/spaces/").content.decode()
    assert 'class="staff"' not in html
    assert client.get("/son-la/manage/").status_code == 403


def test_no_menu_crosses_cities_or_languages(client, city, other_city, areas):
    person = user_with_role(city, Role.CITY_ADMIN, username="admin")
    client.force_login(person)
    assert "/son-la/manage/audit/" in client.get("/son-la/spaces/").content.decode()
    html = client.get("/hue/spaces/").content.decode()
    assert 'class="staff"' not in html
    assert "/son-la/" not in html.split("<main", 1)[0]
    english = client.get("/son-la/spaces/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    vietnamese = client.get("/son-la/spaces/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert ">Audit trail<" in english
    assert ">Audit trail<" not in vietnamese
