"""People and roles from the pages: invitations that expire and work once, roles given only inside one's city or
area, roles taken back, every change audited."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from learningcity.core.errors import DomainError
from learningcity.core.models import AuditEntry, Role, RoleAssignment
from learningcity.network.models import Invitation
from learningcity.network.services import invitation_accept, invitation_create, role_revoke
from learningcity.places.tests.factories import SpaceFactory


@pytest.fixture
def meban(city, areas):
    return SpaceFactory(city=city, area=areas["me_ban"], name_vi="Ngôi nhà trí tuệ Mé Ban")


def test_admin_invites_by_email_and_the_colleague_accepts_once(client, city, people, meban):
    client.force_login(people["city_admin"])
    page = client.post(
        f"/{city.slug}/manage/people/",
        {"email": "lan@example.org", "role": Role.SPACE_COORDINATOR, "space": meban.pk, "days": 7},
    )
    assert page.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/invitations/" in line)
    path = link.split("testserver", 1)[1]
    client.logout()

    form = client.get(path)
    assert form.status_code == 200
    accepted = client.post(
        path, {"username": "lan", "full_name": "Lò Thị Lan", "password": "a-long-pass-phrase-9"}
    )
    assert accepted.status_code == 302
    lan = RoleAssignment.objects.get(city=city, role=Role.SPACE_COORDINATOR, user__username="lan").user
    assert list(meban.coordinators.all()) == [lan]
    assert AuditEntry.objects.filter(object_type="network.invitation", action="update").exists()
    assert AuditEntry.objects.filter(object_type="core.roleassignment", action="create").exists()

    client.logout()
    again = client.post(path, {"username": "lan2", "password": "a-long-pass-phrase-9"})
    assert again.status_code == 404
    assert "already been used" in again.content.decode()
    assert not RoleAssignment.objects.filter(user__username="lan2").exists()


def test_an_expired_invitation_is_refused_and_changes_nothing(city, people):
    invitation, raw = invitation_create(
        actor=people["city_admin"], city=city, email="x@example.org", role=Role.VIEWER
    )
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    before = RoleAssignment.objects.count()
    with pytest.raises(DomainError, match="expired"):
        invitation_accept(raw=raw, city=city, user=people["resident"])
    assert RoleAssignment.objects.count() == before


def test_an_invitation_of_one_city_does_not_work_in_another(city, other_city, people):
    _invitation, raw = invitation_create(
        actor=people["city_admin"], city=city, email="x@example.org", role=Role.VIEWER
    )
    with pytest.raises(DomainError, match="not valid"):
        invitation_accept(raw=raw, city=other_city, user=people["resident"])


def test_roles_outside_ones_city_or_area_are_refused(city, other_city, areas, people, meban):
    coordinator = people["area_coordinator"]  # Chiềng Cơi
    # her own area: a space coordinator for Mé Ban
    invitation_create(
        actor=coordinator, city=city, email="a@example.org", role=Role.SPACE_COORDINATOR, space=meban
    )
    elsewhere = SpaceFactory(city=city, area=areas["to_hieu"])
    count = Invitation.objects.count()
    with pytest.raises(DomainError, match="outside your city or your area"):
        invitation_create(
            actor=coordinator, city=city, email="b@example.org", role=Role.SPACE_COORDINATOR, space=elsewhere
        )
    with pytest.raises(DomainError, match="outside your city or your area"):
        invitation_create(actor=coordinator, city=city, email="b@example.org", role=Role.CITY_ADMIN)
    with pytest.raises(DomainError, match="outside your city or your area"):
        invitation_create(
            actor=people["city_admin"], city=other_city, email="b@example.org", role=Role.VIEWER
        )
    assert Invitation.objects.count() == count


def test_area_coordinator_page_offers_only_space_coordinators_of_her_area(client, city, areas, people, meban):
    SpaceFactory(city=city, area=areas["to_hieu"], name_vi="Ở phường khác")
    client.force_login(people["area_coordinator"])
    html = client.get(f"/{city.slug}/manage/people/").content.decode()
    assert "Mé Ban" in html
    assert "Ở phường khác" not in html
    assert 'value="city_admin"' not in html
    client.force_login(people["viewer"])
    assert client.get(f"/{city.slug}/manage/people/").status_code == 403


def test_admin_takes_a_role_back_and_it_is_audited(client, city, people):
    viewer = RoleAssignment.objects.get(user=people["viewer"], city=city)
    client.force_login(people["city_admin"])
    response = client.post(f"/{city.slug}/manage/people/roles/{viewer.pk}/revoke/")
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk=viewer.pk).exists()
    assert AuditEntry.objects.filter(object_type="core.roleassignment", action="delete").exists()
    last_admin = RoleAssignment.objects.get(user=people["city_admin"], city=city)
    with pytest.raises(DomainError, match="at least one administrator"):
        role_revoke(actor=people["city_admin"], assignment=last_admin)


def test_the_giver_must_still_hold_her_role_when_the_invitation_is_accepted(city, people, meban):
    coordinator = people["area_coordinator"]
    _invitation, raw = invitation_create(
        actor=coordinator, city=city, email="a@example.org", role=Role.SPACE_COORDINATOR, space=meban
    )
    RoleAssignment.objects.filter(user=coordinator).delete()
    coordinator._lc_role_cache = {}
    with pytest.raises(DomainError):
        invitation_accept(raw=raw, city=city, user=people["resident"])
    assert not meban.coordinators.exists()
