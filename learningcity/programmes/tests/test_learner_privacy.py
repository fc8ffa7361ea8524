"""Nobody gains sight of a person's ethnicity and disability by moving them, merging them or adding them.

Issue 4: ethnicity and disability are seen only by city administrators, and by an area coordinator for people
whose home area lies in her subtree. These tests hold the three ways round that rule shut, at the service and
through the pages and the API: changing a home area, merging two records, and setting the fields on a new person.
"""

import json

import pytest
from django.utils import translation

from learningcity.core.errors import DomainError
from learningcity.core.models import AuditEntry, Role, RoleAssignment
from learningcity.core.services.accounts import api_token_create
from learningcity.programmes import services
from learningcity.programmes.models import Learner
from learningcity.programmes.rules import can_edit_learner, can_view_learner_sensitive

from .factories import LearnerFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db
BASE = "/son-la"
API = "/api/v1/cities/son-la"


@pytest.fixture
def outsider(city, areas):
    """A person living in Tô Hiệu: outside the area coordinator's ward (Chiềng Cơi)."""
    return LearnerFactory(city=city, full_name="Nguyễn Văn An", area=areas["to_1"], ethnicity="01")


@pytest.fixture
def insider(city, areas):
    """A person living in Mé Ban, under Chiềng Cơi."""
    return LearnerFactory(
        city=city,
        full_name="Lò Thị Hoa",
        area=areas["me_ban"],
        ethnicity="03",
        disability_answers={"seeing": 3},
    )


@pytest.fixture
def coordinator_plus(city, people):
    """The area coordinator of Chiềng Cơi who also holds a city-wide learner role (space coordinator).

    Leading a programme is no such role (issue 16): it widens nothing, see test_learner_edit.py."""
    user = people["area_coordinator"]
    RoleAssignment.objects.create(user=user, city=city, role=Role.SPACE_COORDINATOR)
    ProgrammeFactory(city=city).leaders.add(user)
    return user


def _updates(learner):
    return AuditEntry.objects.filter(
        object_type="programmes.learner", object_id=str(learner.pk), action=AuditEntry.Action.UPDATE
    )


def _bearer(user, city):
    _, raw = api_token_create(actor=user, user=user, city=city, name="t")
    return {"Authorization": f"Bearer {raw}"}


# --- 1. Moving a person: the service ---


def test_area_coordinator_cannot_bring_a_person_into_her_ward(people, outsider, areas):
    coord = people["area_coordinator"]
    assert not can_view_learner_sensitive(coord, outsider)
    for change in ({"area": areas["me_ban"]}, {"area": areas["chieng_coi"]}, {"full_name": "Nguyễn Văn Ân"}):
        with pytest.raises(DomainError) as exc:
            services.learner_update(actor=coord, learner=outsider, **change)
        assert exc.value.code == "forbidden"
    outsider.refresh_from_db()
    assert outsider.area == areas["to_1"]
    assert outsider.full_name == "Nguyễn Văn An"
    assert not _updates(outsider).exists()
    assert not can_view_learner_sensitive(coord, outsider)
    assert not can_edit_learner(coord, outsider)


def test_area_coordinator_moves_people_only_inside_her_subtree(people, insider, areas):
    coord = people["area_coordinator"]
    services.learner_update(actor=coord, learner=insider, area=areas["chieng_coi"])
    insider.refresh_from_db()
    assert insider.area == areas["chieng_coi"]
    for away in (areas["to_1"], areas["to_hieu"], areas["province"], None):
        with translation.override("en"), pytest.raises(DomainError) as exc:
            services.learner_update(actor=coord, learner=insider, area=away, birth_year=1970)
        assert exc.value.code == "forbidden"
        assert exc.value.field == "area"
        assert exc.value.message == "The home area can only be set to one of the areas you coordinate."
    with translation.override("vi"), pytest.raises(DomainError) as exc:
        services.learner_update(actor=coord, learner=insider, area=areas["to_1"])
    assert exc.value.message != "The home area can only be set to one of the areas you coordinate."
    insider.refresh_from_db()
    assert insider.area == areas["chieng_coi"]
    assert insider.birth_year == 1990
    assert _updates(insider).count() == 1


def test_city_administrators_move_anyone_anywhere(people, outsider, insider, areas):
    for actor in (people["city_admin"], people["network_admin"]):
        services.learner_update(actor=actor, learner=outsider, area=areas["me_ban"])
        services.learner_update(actor=actor, learner=insider, area=None)
        services.learner_update(actor=actor, learner=outsider, area=areas["to_1"])
        services.learner_update(actor=actor, learner=insider, area=areas["me_ban"])
    outsider.refresh_from_db()
    assert outsider.area == areas["to_1"]
    assert _updates(outsider).count() == 4


@pytest.mark.parametrize("role", ["space_coordinator", "space_coordinator_leading"])
def test_roles_that_see_nothing_edit_and_move_anyone_and_still_see_nothing(
    city, people, outsider, areas, role
):
    actor = people["space_coordinator"]
    if role == "space_coordinator_leading":  # leading a programme changes nothing
        ProgrammeFactory(city=city).leaders.add(actor)
    services.learner_update(actor=actor, learner=outsider, area=areas["me_ban"], full_name="Nguyễn Văn Ân")
    outsider.refresh_from_db()
    assert outsider.area == areas["me_ban"]
    assert not can_view_learner_sensitive(actor, outsider)
    with pytest.raises(DomainError) as exc:
        services.learner_update(actor=actor, learner=outsider, ethnicity="02")
    assert exc.value.code == "forbidden"


def test_a_coordinator_with_a_city_wide_role_edits_anyone_but_moves_no_one_into_sight(
    coordinator_plus, outsider, insider, areas
):
    coord = coordinator_plus
    services.learner_update(actor=coord, learner=outsider, full_name="Nguyễn Văn Ân")  # as a space role
    services.learner_update(actor=coord, learner=outsider, area=areas["to_hieu"])  # still out of sight
    with translation.override("en"), pytest.raises(DomainError) as exc:
        services.learner_update(actor=coord, learner=outsider, area=areas["me_ban"])
    assert exc.value.code == "forbidden"
    assert exc.value.field == "area"
    assert "ask a city administrator" in exc.value.message
    outsider.refresh_from_db()
    assert outsider.area == areas["to_hieu"]
    assert not can_view_learner_sensitive(coord, outsider)
    # Moving someone out of her sight reveals nothing: allowed, as for any space coordinator.
    services.learner_update(actor=coord, learner=insider, area=areas["to_1"])
    with pytest.raises(DomainError):
        services.learner_update(actor=coord, learner=insider, area=areas["me_ban"])


# --- 1b. Merging two records copies area, ethnicity and disability: the same rule ---


def test_merge_never_reveals_what_the_actor_could_not_see(city, people, coordinator_plus, outsider, areas):
    coord = people["area_coordinator"]
    no_area = LearnerFactory(city=city, full_name="Nguyễn Văn An", area=None, ethnicity="99")
    in_ward = LearnerFactory(city=city, full_name="Nguyễn Văn An", area=areas["me_ban"], ethnicity="99")
    # Keep in her ward, duplicate outside: the duplicate's ethnicity would land on a record she sees.
    with pytest.raises(DomainError) as exc:
        services.learner_merge(actor=coord, keep=in_ward, duplicate=outsider)
    assert exc.value.code == "forbidden"
    # Keep without an area, duplicate in her ward: the keep would move into her sight with its own data.
    with pytest.raises(DomainError):
        services.learner_merge(actor=coord, keep=no_area, duplicate=in_ward)
    assert Learner.objects.filter(pk__in=[outsider.pk, no_area.pk, in_ward.pk]).count() == 3
    in_ward.refresh_from_db()
    assert in_ward.ethnicity == "99"
    # Two records out of her sight: she learns nothing by merging them (as a space coordinator may).
    services.learner_merge(actor=coord, keep=outsider, duplicate=no_area)
    assert not Learner.objects.filter(pk=no_area.pk).exists()


def test_area_coordinator_merges_only_inside_her_subtree(city, people, outsider, insider, areas):
    coord = people["area_coordinator"]
    twin = LearnerFactory(city=city, full_name="Lò Thị Hoa", area=areas["chieng_coi"], ethnicity="99")
    with pytest.raises(DomainError) as exc:
        services.learner_merge(actor=coord, keep=outsider, duplicate=twin)
    assert exc.value.code == "forbidden"
    services.learner_merge(actor=coord, keep=twin, duplicate=insider)
    twin.refresh_from_db()
    assert twin.ethnicity == "03"
    services.learner_merge(actor=people["city_admin"], keep=outsider, duplicate=twin)
    assert Learner.objects.filter(city=city).count() == 1


# --- 1c. Reading: list, detail, export ---


def test_export_withholds_sensitive_fields_from_those_who_may_not_see_them(people, insider, outsider):
    full = services.learner_export(actor=people["area_coordinator"], learner=insider)
    assert full["ethnicity"]["code"] == "03"
    assert full["disability_answers"] == {"seeing": 3}
    assert "withheld" not in full
    with pytest.raises(DomainError):  # outside her subtree she does not act on a person at all (issue 16)
        services.learner_export(actor=people["area_coordinator"], learner=outsider)
    for actor, learner in ((people["space_coordinator"], insider), (people["space_coordinator"], outsider)):
        data = services.learner_export(actor=actor, learner=learner)
        assert data["ethnicity"] is None
        assert data["disability_answers"] is None
        assert data["has_disability"] is None
        assert data["withheld"]["fields"] == ["ethnicity", "disability_answers", "has_disability"]
        assert data["full_name"] == learner.full_name
        assert data["code"] == learner.code
    everything = services.learner_export(actor=people["city_admin"], learner=outsider)
    assert everything["ethnicity"]["code"] == "01"


def test_export_page_withholds_for_a_space_coordinator(client, people, insider):
    client.force_login(people["space_coordinator"])
    data = json.loads(client.get(f"{BASE}/manage/learners/{insider.pk}/export.json").content)
    assert data["ethnicity"] is None
    assert data["disability_answers"] is None
    assert data["withheld"]["reason"]
    client.force_login(people["area_coordinator"])
    data = json.loads(client.get(f"{BASE}/manage/learners/{insider.pk}/export.json").content)
    assert data["ethnicity"]["code"] == "03"
    assert "withheld" not in data


def test_lists_show_sensitive_fields_only_for_her_subtree(client, city, people, insider, outsider):
    body = client.get(f"{API}/learners", headers=_bearer(people["area_coordinator"], city)).json()["items"]
    by_code = {x["code"]: x for x in body}
    assert by_code[insider.code]["ethnicity"] == "03"
    assert by_code[insider.code]["disability_answers"]
    assert by_code[outsider.code]["ethnicity"] is None
    assert by_code[outsider.code]["has_disability"] is None
    client.force_login(people["area_coordinator"])
    rows = client.get(f"{BASE}/manage/learners/").context["rows"]
    assert {r["learner"].code: r["sensitive"] for r in rows} == {insider.code: True, outsider.code: False}


# --- 1d. Moving a person: the pages ---


def test_edit_page_is_closed_outside_her_subtree_and_offers_only_her_areas(
    client, people, outsider, insider, areas
):
    client.force_login(people["area_coordinator"])
    detail = client.get(f"{BASE}/manage/learners/{outsider.pk}/").content.decode()
    assert f"/manage/learners/{outsider.pk}/edit/" not in detail
    assert client.get(f"{BASE}/manage/learners/{outsider.pk}/edit/").status_code == 403
    form = {"full_name": "Nguyễn Văn An", "sex": "F", "birth_year": "1990", "area": areas["me_ban"].pk}
    assert client.post(f"{BASE}/manage/learners/{outsider.pk}/edit/", form).status_code == 403
    outsider.refresh_from_db()
    assert outsider.area == areas["to_1"]

    url = f"{BASE}/manage/learners/{insider.pk}/edit/"
    offered = set(client.get(url).context["form"].fields["area"].queryset)
    assert offered == {areas["chieng_coi"], areas["me_ban"]}
    form = {
        "full_name": "Lò Thị Hoa",
        "sex": "F",
        "birth_year": "1990",
        "area": areas["to_1"].pk,
        "ethnicity": "03",
    }
    response = client.post(url, form)
    assert response.status_code == 200
    assert response.context["form"].errors["area"]
    insider.refresh_from_db()
    assert insider.area == areas["me_ban"]
    assert not _updates(insider).exists()


def test_edit_page_names_the_refused_move_under_the_area(client, coordinator_plus, outsider, areas):
    client.force_login(coordinator_plus)
    url = f"{BASE}/manage/learners/{outsider.pk}/edit/"
    assert client.get(url).status_code == 200
    form = {"full_name": "Nguyễn Văn An", "sex": "F", "birth_year": "1990", "area": areas["me_ban"].pk}
    response = client.post(url, form, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "ask a city administrator" in " ".join(response.context["form"].errors["area"])
    outsider.refresh_from_db()
    assert outsider.area == areas["to_1"]


# --- 2. Setting ethnicity and disability on a new person ---


@pytest.mark.parametrize("role", ["space_coordinator", "space_coordinator_leading"])
def test_roles_that_may_not_see_them_may_not_set_them(city, people, areas, role):
    actor = people["space_coordinator"]
    if role == "space_coordinator_leading":  # leading a programme changes nothing
        ProgrammeFactory(city=city).leaders.add(actor)
    for sensitive, field in (
        ({"ethnicity": "Thái"}, "ethnicity"),
        ({"ethnicity": "98"}, "ethnicity"),  # "other" is an ethnicity too
        ({"disability_answers": {"walking": 3}}, "disability_answers"),
    ):
        with translation.override("en"), pytest.raises(DomainError) as exc:
            services.learner_create(
                actor=actor, city=city, full_name="Lò Văn Tú", area=areas["me_ban"], **sensitive
            )
        assert exc.value.code == "forbidden"
        assert exc.value.field == field
        assert exc.value.message == "Your role may not record ethnicity or disability."
    assert not Learner.objects.filter(city=city).exists()
    # Left at "not stated" (by code or by name), the person is added.
    a = services.learner_create(
        actor=actor, city=city, full_name="Lò Văn Tú", ethnicity="99", disability_answers={}
    )
    b = services.learner_create(actor=actor, city=city, full_name="Lò Văn Tâm", area=areas["to_1"])
    assert a.ethnicity == b.ethnicity == "99"
    assert not a.has_disability


def test_area_coordinator_sets_them_only_for_people_of_her_subtree(city, people, areas):
    coord = people["area_coordinator"]
    learner = services.learner_create(
        actor=coord, city=city, full_name="Lò Văn Tú", area=areas["me_ban"], ethnicity="Thái"
    )
    assert learner.ethnicity == "03"
    assert can_view_learner_sensitive(coord, learner)
    for area in (areas["to_1"], None):
        with translation.override("en"), pytest.raises(DomainError) as exc:
            services.learner_create(
                actor=coord, city=city, full_name="Cầm Văn Minh", area=area, ethnicity="03"
            )
        assert exc.value.code == "forbidden"
        assert "home area is in the areas you coordinate" in exc.value.message
    # Without them she adds a person living anywhere (a club member from another ward).
    services.learner_create(actor=coord, city=city, full_name="Cầm Văn Minh", area=areas["to_1"])
    services.learner_create(actor=people["city_admin"], city=city, full_name="Quàng Thị Xuân", ethnicity="08")
    assert Learner.objects.filter(city=city).count() == 3


def test_api_refuses_sensitive_fields_from_a_space_coordinator(client, city, people, areas):
    headers = _bearer(people["space_coordinator"], city)
    for extra in ({"ethnicity": "Thái"}, {"disability_answers": {"seeing": 2}}):
        refused = client.post(
            f"{API}/learners",
            data={"full_name": "Lò Văn Tú", "area_id": areas["me_ban"].pk, **extra},
            content_type="application/json",
            headers=headers | {"Accept-Language": "en"},
        )
        assert refused.status_code == 403, refused.content
        assert refused.json()["detail"] == "Your role may not record ethnicity or disability."
    assert not Learner.objects.exists()
    plain = client.post(
        f"{API}/learners",
        data={"full_name": "Lò Văn Tú", "area_id": areas["me_ban"].pk},
        content_type="application/json",
        headers=headers,
    )
    assert plain.status_code == 201
    assert plain.json()["ethnicity"] is None
    assert Learner.objects.get().ethnicity == "99"


def test_api_area_coordinator_sets_them_inside_her_subtree_only(client, city, people, areas):
    headers = _bearer(people["area_coordinator"], city)

    def post(area):
        return client.post(
            f"{API}/learners",
            data={"full_name": "Lò Văn Tú", "area_id": area.pk, "ethnicity": "Thái"},
            content_type="application/json",
            headers=headers,
        )

    refused = post(areas["to_1"])
    assert refused.status_code == 403
    assert refused.json()["field"] == "ethnicity"
    assert not Learner.objects.exists()
    created = post(areas["me_ban"])
    assert created.status_code == 201
    assert created.json()["ethnicity"] == "03"


def test_add_page_offers_the_fields_only_to_those_who_may_see_them(client, people, areas):
    client.force_login(people["space_coordinator"])
    url = f"{BASE}/manage/learners/new/"
    assert 'name="ethnicity"' not in client.get(url).content.decode()
    # Sent anyway, the field is not read: the person is added without it.
    client.post(
        url, {"full_name": "Lò Văn Tú", "area": areas["me_ban"].pk, "ethnicity": "03", "wg_seeing": "3"}
    )
    assert Learner.objects.get().ethnicity == "99"
    assert not Learner.objects.get().disability_answers

    client.force_login(people["area_coordinator"])
    assert 'name="ethnicity"' in client.get(url).content.decode()
    response = client.post(url, {"full_name": "Cầm Văn Minh", "area": areas["to_1"].pk, "ethnicity": "03"})
    assert response.status_code == 200
    assert response.context["form"].errors["ethnicity"]
    assert Learner.objects.count() == 1
    response = client.post(url, {"full_name": "Cầm Văn Minh", "area": areas["me_ban"].pk, "ethnicity": "03"})
    assert response.status_code == 302
    assert Learner.objects.get(full_name="Cầm Văn Minh").ethnicity == "03"


def test_the_guard_an_import_uses_row_by_row(people, areas):
    """services.learners.sensitive_guard: one check per file, then per home-area path (None = allowed)."""
    me_ban, to_1 = areas["me_ban"].path, areas["to_1"].path
    admin = services.learners.sensitive_guard(people["city_admin"], areas["me_ban"].city_id)
    coord = services.learners.sensitive_guard(people["area_coordinator"], areas["me_ban"].city_id)
    space = services.learners.sensitive_guard(people["space_coordinator"], areas["me_ban"].city_id)
    assert admin(me_ban) is None
    assert admin(to_1) is None
    assert admin("") is None
    assert coord(me_ban) is None
    assert coord(to_1)
    assert coord("")
    assert space(me_ban)
    assert space(to_1)
    assert space("")


@pytest.mark.parametrize("role", ["space_coordinator", "area_coordinator", "viewer"])
def test_erasure_refuses_other_roles_before_reading_the_confirmation(client, city, people, role):
    """Whether or not the typed code is right, a role that may not erase gets 403 and nothing changes."""
    learner = LearnerFactory(city=city)
    client.force_login(people[role])
    for confirm in ("nope", learner.code):
        response = client.post(f"{BASE}/manage/learners/{learner.pk}/erase/", {"confirm": confirm})
        assert response.status_code == 403
    assert Learner.objects.filter(pk=learner.pk).exists()
