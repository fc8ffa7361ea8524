"""Ending memberships and rejoining: the service's rules, who may do it, and the pages."""

import datetime as dt

import pytest

from learningcity.core.errors import DomainError
from learningcity.core.models import AuditEntry
from learningcity.programmes import services
from learningcity.programmes.models import Membership
from learningcity.programmes.services.attendance import city_today

from .factories import LearnerFactory, MembershipFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db
BASE = "/son-la"


def _membership(members, i=0):
    return Membership.objects.get(learner=members[i])


def test_end_defaults_to_today_and_is_audited(city, people, members):
    m = services.membership_end(actor=people["space_coordinator"], membership=_membership(members))
    assert m.left_on == city_today(city)
    entry = AuditEntry.objects.get(object_type="programmes.membership", object_id=str(m.pk))
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.changes == {"left_on": [None, m.left_on.isoformat()]}


def test_end_not_before_joining_not_in_the_future_not_twice(city, people, members):
    m = _membership(members)
    today = city_today(city)
    with pytest.raises(DomainError) as exc:
        services.membership_end(
            actor=people["city_admin"], membership=m, left_on=m.joined_on - dt.timedelta(days=1)
        )
    assert exc.value.field == "left_on"
    with pytest.raises(DomainError) as exc:
        services.membership_end(
            actor=people["city_admin"], membership=m, left_on=today + dt.timedelta(days=1)
        )
    assert exc.value.field == "left_on"
    m.refresh_from_db()
    assert m.left_on is None
    services.membership_end(actor=people["city_admin"], membership=m, left_on=m.joined_on)
    with pytest.raises(DomainError):
        services.membership_end(actor=people["city_admin"], membership=m, left_on=today)
    assert Membership.objects.get(pk=m.pk).left_on == m.joined_on


def test_leave_and_rejoin_is_a_new_row(city, people, club, members):
    m = _membership(members)
    services.membership_end(actor=people["city_admin"], membership=m, left_on=dt.date(2024, 9, 1))
    # Not back in time over the old membership.
    with pytest.raises(DomainError) as exc:
        services.membership_add(
            actor=people["city_admin"], programme=club, learner=members[0], joined_on=dt.date(2024, 8, 1)
        )
    assert exc.value.field == "joined_on"
    again = services.membership_add(
        actor=people["city_admin"], programme=club, learner=members[0], joined_on=dt.date(2025, 1, 5)
    )
    assert again.pk != m.pk
    assert again.left_on is None
    rows = Membership.objects.filter(learner=members[0], programme=club).order_by("joined_on")
    assert [(r.joined_on, r.left_on) for r in rows] == [
        (dt.date(2024, 3, 1), dt.date(2024, 9, 1)),
        (dt.date(2025, 1, 5), None),
    ]
    # Adding someone who is already a member changes nothing.
    same = services.membership_add(
        actor=people["city_admin"], programme=club, learner=members[0], joined_on=dt.date(2025, 2, 1)
    )
    assert same.pk == again.pk
    assert Membership.objects.filter(learner=members[0]).count() == 2


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("city_admin", True),
        ("network_admin", True),
        ("area_coordinator", True),  # the club is in Mé Ban, under her ward
        ("space_coordinator", True),  # she coordinates the club's space
        ("judge", False),
        ("viewer", False),
        ("resident", False),
    ],
)
def test_who_may_end_a_membership(people, members, role, allowed):
    m = _membership(members)
    if allowed:
        services.membership_end(actor=people[role], membership=m)
        assert Membership.objects.get(pk=m.pk).left_on is not None
    else:
        with pytest.raises(DomainError) as exc:
            services.membership_end(actor=people[role], membership=m)
        assert exc.value.code == "forbidden"
        assert Membership.objects.get(pk=m.pk).left_on is None


def test_coordinator_of_another_ward_may_not(city, people, areas):
    club = ProgrammeFactory(city=city, area=areas["to_1"])
    m = MembershipFactory(programme=club, learner=LearnerFactory(city=city))
    with pytest.raises(DomainError):
        services.membership_end(actor=people["area_coordinator"], membership=m)


# --- pages ---


def test_members_page_lists_current_and_past_members_and_stays_light(
    client, people, club, members, django_assert_max_num_queries
):
    services.membership_end(
        actor=people["city_admin"], membership=_membership(members, 2), left_on=dt.date(2024, 6, 1)
    )
    for learner in LearnerFactory.create_batch(90, city=club.city):
        MembershipFactory(programme=club, learner=learner)
    client.force_login(people["space_coordinator"])
    with django_assert_max_num_queries(20):
        response = client.get(f"{BASE}/manage/programmes/{club.pk}/members/")
    html = response.content.decode()
    assert response.status_code == 200
    assert len(response.content) < 50_000
    assert "Lò Thị Hoa" in html
    assert "01/06/2024" in html
    assert html.count("/end/") == 92  # current members have an end link, the one who left her dates
    assert (
        "Quàng Thị Xuân"
        in client.get(f"{BASE}/manage/programmes/{club.pk}/members/?q=quang").content.decode()
    )
    assert (
        f"/son-la/manage/programmes/{club.pk}/members/"
        in client.get(f"{BASE}/manage/programmes/{club.pk}/").content.decode()
    )


def test_end_page_defaults_to_today_and_ends(client, city, people, members):
    m = _membership(members)
    client.force_login(people["space_coordinator"])
    url = f"{BASE}/manage/memberships/{m.pk}/end/"
    html = client.get(url).content.decode()
    today = city_today(city)
    assert f'value="{today.isoformat()}"' in html
    assert f'max="{today.isoformat()}"' in html
    assert f'min="{m.joined_on.isoformat()}"' in html
    response = client.post(url, {"left_on": "2024-05-02"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/programmes/{m.programme_id}/members/")
    assert Membership.objects.get(pk=m.pk).left_on == dt.date(2024, 5, 2)


def test_end_page_refuses_bad_dates_with_a_message(client, city, people, members):
    m = _membership(members)
    client.force_login(people["city_admin"])
    url = f"{BASE}/manage/memberships/{m.pk}/end/"
    before = client.post(url, {"left_on": "2024-01-01"}, HTTP_ACCEPT_LANGUAGE="en")
    assert before.status_code == 200
    assert "The leaving date is before the joining date." in before.content.decode()
    future = (city_today(city) + dt.timedelta(days=2)).isoformat()
    later = client.post(url, {"left_on": future}, HTTP_ACCEPT_LANGUAGE="en")
    assert "The leaving date cannot be in the future." in later.content.decode()
    assert Membership.objects.get(pk=m.pk).left_on is None


def test_end_from_the_learner_page_goes_back_there(client, people, members):
    m = _membership(members)
    client.force_login(people["area_coordinator"])
    page = client.get(f"{BASE}/manage/learners/{members[0].pk}/").content.decode()
    assert f"/son-la/manage/memberships/{m.pk}/end/?back=learner" in page
    response = client.post(f"{BASE}/manage/memberships/{m.pk}/end/?back=learner", {"left_on": "2024-05-02"})
    assert response["Location"] == f"{BASE}/manage/learners/{members[0].pk}/"
    page = client.get(f"{BASE}/manage/learners/{members[0].pk}/").content.decode()
    assert "01/03/2024" in page
    assert "02/05/2024" in page
    assert "/end/" not in page


def test_rejoin_through_the_members_page(client, city, people, club, members):
    m = _membership(members)
    services.membership_end(actor=people["city_admin"], membership=m, left_on=dt.date(2024, 5, 2))
    client.force_login(people["space_coordinator"])
    url = f"{BASE}/manage/programmes/{club.pk}/members/"
    response = client.post(url, {"learner_code": members[0].code.lower(), "joined_on": "2025-01-05"})
    assert response.status_code == 302
    assert Membership.objects.filter(
        learner=members[0], left_on__isnull=True, joined_on=dt.date(2025, 1, 5)
    ).exists()
    unknown = client.post(url, {"learner_code": "NOPE", "joined_on": "2025-01-05"})
    assert unknown.status_code == 200
    assert 'class="error"' in unknown.content.decode()


def test_end_link_only_for_programmes_she_manages(client, city, people, members, areas):
    elsewhere = ProgrammeFactory(city=city, area=areas["to_1"])
    other = MembershipFactory(programme=elsewhere, learner=members[0])
    client.force_login(people["area_coordinator"])
    page = client.get(f"{BASE}/manage/learners/{members[0].pk}/").content.decode()
    assert f"/memberships/{other.pk}/end/" not in page
    assert elsewhere.title_vi in page
    assert client.get(f"{BASE}/manage/memberships/{other.pk}/end/").status_code == 403
    assert (
        client.post(f"{BASE}/manage/memberships/{other.pk}/end/", {"left_on": "2024-05-02"}).status_code
        == 403
    )
    assert client.get(f"{BASE}/manage/programmes/{elsewhere.pk}/members/").status_code == 403
    assert Membership.objects.get(pk=other.pk).left_on is None


@pytest.mark.parametrize("role", ["judge", "viewer"])
def test_pages_refused_to_roles_without_the_programme(client, people, club, members, role):
    m = _membership(members)
    client.force_login(people[role])
    assert client.get(f"{BASE}/manage/programmes/{club.pk}/members/").status_code == 403
    assert client.post(f"{BASE}/manage/memberships/{m.pk}/end/", {"left_on": "2024-05-02"}).status_code == 403
    assert Membership.objects.get(pk=m.pk).left_on is None


def test_another_citys_membership_is_404(client, people, other_city):
    foreign = MembershipFactory(
        programme=ProgrammeFactory(city=other_city), learner=LearnerFactory(city=other_city)
    )
    client.force_login(people["city_admin"])
    assert client.get(f"{BASE}/manage/memberships/{foreign.pk}/end/").status_code == 404
    assert (
        client.post(f"{BASE}/manage/memberships/{foreign.pk}/end/", {"left_on": "2024-05-02"}).status_code
        == 404
    )
    assert Membership.objects.get(pk=foreign.pk).left_on is None
