"""Networks as data, and the network administrator creating a city with its official areas in one step."""

import datetime as dt

import pytest
from django.core import mail

from learningcity.core.errors import DomainError
from learningcity.core.models import Area, AuditEntry, City
from learningcity.core.services.cities import city_create
from learningcity.network import services
from learningcity.network.models import Invitation


@pytest.fixture
def network(db):
    return services.network_create(actor=None, slug="gnlc", name_vi="GNLC", languages=["vi", "en", "th"])


def test_network_admin_creates_a_city_with_its_official_areas_and_invites_its_admin(client, people, network):
    client.force_login(people["network_admin"])
    response = client.post(
        "/networks/gnlc/new-city/",
        {
            "slug": "dien-bien",
            "name_vi": "Điện Biên",
            "name_en": "Dien Bien",
            "province_code": "11",
            "admin_email": "admin@dienbien.example",
            "joined_on": "2025-09-01",
        },
    )
    assert response.status_code == 302
    city = City.objects.get(slug="dien-bien")
    assert (
        Area.objects.filter(city=city, valid_to__isnull=True).count() == 46
    )  # the province and its 45 units
    assert network.memberships.get(city=city).joined_on == dt.date(2025, 9, 1)
    assert Invitation.objects.get(city=city).role == "city_admin"
    assert "/dien-bien/invitations/" in mail.outbox[0].body
    assert AuditEntry.objects.filter(object_type="core.city", object_id=str(city.pk)).exists()


def test_a_wrong_province_code_creates_nothing(client, people, network):
    client.force_login(people["network_admin"])
    response = client.post(
        "/networks/gnlc/new-city/", {"slug": "nowhere", "name_vi": "Không", "province_code": "99"}
    )
    assert response.status_code == 400
    assert "no province with code 99" in response.content.decode()
    assert not City.objects.filter(slug="nowhere").exists()


def test_only_the_network_admin_creates_cities(client, people, network):
    client.force_login(people["city_admin"])
    assert client.get("/networks/gnlc/new-city/").status_code == 403
    with pytest.raises(DomainError):
        services.city_create_with_areas(
            actor=people["city_admin"], slug="x", name_vi="X", name_en="", province_code="11"
        )


def test_no_city_can_take_the_networks_slug(people, network):
    with pytest.raises(DomainError, match="reserved"):
        city_create(actor=people["network_admin"], slug="networks", name_vi="Mạng")
    from learningcity.core.admin import CityAdminForm

    form = CityAdminForm(data={"slug": "networks", "name_vi": "x", "country_code": "VN", "time_zone": "UTC"})
    assert not form.is_valid()
    assert "slug" in form.errors


def test_unknown_network_language_is_refused(db):
    with pytest.raises(DomainError, match="Unknown language"):
        services.network_create(actor=None, slug="x", name_vi="X", languages=["vi", "klingon"])


def test_network_admin_adds_a_member_and_a_coordinator(client, people, network, city):
    client.force_login(people["network_admin"])
    response = client.post("/networks/gnlc/manage/", {"city": city.pk, "joined_on": "2024-02-14"})
    assert response.status_code == 302
    assert network.memberships.get(city=city).joined_on == dt.date(2024, 2, 14)
    assert client.post("/networks/gnlc/manage/", {"username": "viewer"}).status_code == 302
    assert list(network.coordinators.values_list("username", flat=True)) == ["viewer"]
    missing = client.post("/networks/gnlc/manage/", {"username": "nobody-here"})
    assert missing.status_code == 400
    assert AuditEntry.objects.filter(object_type="network.network", note="coordinator added").exists()
    client.force_login(people["city_admin"])
    assert client.get("/networks/gnlc/manage/").status_code == 403
