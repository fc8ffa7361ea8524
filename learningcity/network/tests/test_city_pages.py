"""A city's own network pages: a practice written, translated and published; an indicator shared; a partnership
recorded; an area coordinator naming the coordinators of a space of her area."""

import datetime as dt

import pytest

from learningcity.analytics import selectors as analytics
from learningcity.core.errors import DomainError
from learningcity.core.models import Role, RoleAssignment
from learningcity.core.tests.factories import user_with_role
from learningcity.network import services
from learningcity.network.models import Partnership, Practice, SharedIndicator
from learningcity.places.tests.factories import SpaceFactory


@pytest.fixture
def network(city):
    network = services.network_create(actor=None, slug="gnlc", name_vi="GNLC", languages=["vi", "en", "th"])
    services.membership_add(actor=None, network=network, city=city, joined_on=dt.date(2024, 2, 14))
    return network


def test_write_translate_and_publish_a_practice(client, city, people, network):
    client.force_login(people["area_coordinator"])
    response = client.post(
        f"/{city.slug}/manage/practices/new/",
        {
            "slug": "thai-script",
            "language": "vi",
            "title": "Câu lạc bộ chữ Thái",
            "summary": "Lớp học ở bản.",
        },
    )
    assert response.status_code == 302
    practice = Practice.objects.get(city=city, slug="thai-script")
    assert practice.status == "draft"
    edit = client.get(f"/{city.slug}/manage/practices/{practice.pk}/").content.decode()
    assert "Tiếng Thái Lan" not in edit  # the page is in English for this test
    assert f"/manage/practices/{practice.pk}/translations/th/" in edit
    response = client.post(
        f"/{city.slug}/manage/practices/{practice.pk}/translations/en/",
        {"title": "Thai script clubs", "summary": "Classes in the hamlet.", "status": "reviewed"},
    )
    assert response.status_code == 302
    client.post(f"/{city.slug}/manage/practices/{practice.pk}/", {"action": "publish", "published": "1"})
    practice.refresh_from_db()
    assert practice.status == "published"
    assert set(practice.tags.values_list("tag", flat=True)) == {"lang:vi", "lang:en", f"city:{city.pk}"}
    client.force_login(people["viewer"])
    assert client.post(f"/{city.slug}/manage/practices/new/", {"slug": "x"}).status_code == 403


def test_share_an_indicator_and_record_a_partnership(client, city, other_city, people, network):
    analytics.ensure_catalogue()
    client.force_login(people["city_admin"])
    response = client.post(
        f"/{city.slug}/manage/shared-indicators/", {"code": "LC.PARTICIPATION", "share": "1"}
    )
    assert response.status_code == 302
    assert SharedIndicator.objects.filter(city=city, indicator_code="LC.PARTICIPATION").exists()
    client.force_login(people["area_coordinator"])
    assert (
        client.post(
            f"/{city.slug}/manage/shared-indicators/", {"code": "LC.LEARNERS", "share": "1"}
        ).status_code
        == 403
    )
    response = client.post(
        f"/{city.slug}/manage/partnerships/",
        {
            "title_vi": "Thí điểm Lau Lau Learning",
            "kind": "pilot",
            "status": "active",
            "organisation": "Lau Lau Learning",
            "country_code": "FI",
            "starts_on": "2024-10-01",
        },
    )
    assert response.status_code == 302
    partnership = Partnership.objects.get(city=city)
    assert partnership.parties.get().country_code == "FI"
    bad = client.post(
        f"/{city.slug}/manage/partnerships/",
        {
            "title_vi": "Sai",
            "kind": "pilot",
            "status": "active",
            "starts_on": "2025-01-02",
            "ends_on": "2025-01-01",
        },
    )
    assert bad.status_code == 400
    assert Partnership.objects.count() == 1


def test_area_coordinator_names_space_coordinators_of_her_area_only(city, areas, people):
    meban = SpaceFactory(city=city, area=areas["me_ban"])
    elsewhere = SpaceFactory(city=city, area=areas["to_hieu"])
    colleague = user_with_role(city, Role.VIEWER, username="colleague")
    services.space_coordinators_name(actor=people["area_coordinator"], space=meban, users=[colleague])
    assert list(meban.coordinators.all()) == [colleague]
    assert RoleAssignment.objects.filter(user=colleague, role=Role.SPACE_COORDINATOR).exists()
    with pytest.raises(DomainError, match="outside your city or your area"):
        services.space_coordinators_name(actor=people["area_coordinator"], space=elsewhere, users=[colleague])
    with pytest.raises(DomainError, match="invite her first"):
        services.space_coordinators_name(
            actor=people["area_coordinator"], space=meban, users=[people["resident"]]
        )


def test_partnership_documents_are_checked_and_served(client, city, people, network):
    from django.core.files.uploadedfile import SimpleUploadedFile

    partnership = services.partnership_create(actor=None, city=city, title_vi="Lau Lau", kind="pilot")
    client.force_login(people["city_admin"])
    url = f"/{city.slug}/manage/partnerships/{partnership.pk}/documents/"
    page = client.get(f"/{city.slug}/manage/partnerships/").content.decode()
    assert f'action="{url}"' in page  # each partnership offers its upload form to those who may edit
    fake = SimpleUploadedFile("mou.pdf", b"MZ\x90\x00 not a pdf")
    client.post(url, {"title": "MoU", "file": fake})
    assert not partnership.documents.exists()
    pdf = SimpleUploadedFile("mou.pdf", b"%PDF-1.4\n%%EOF\n")
    assert client.post(url, {"title": "MoU", "file": pdf}).status_code == 302
    document = partnership.documents.get()
    client.force_login(people["viewer"])  # staff who may not edit see the documents, not the form
    page = client.get(f"/{city.slug}/manage/partnerships/").content.decode()
    assert "MoU" in page
    assert f'action="{url}"' not in page
    client.logout()
    response = client.get(f"/{city.slug}/partnerships/documents/{document.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
