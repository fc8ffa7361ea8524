"""The evidence of a reported value is private: only the city's staff download it, through a view that checks
them (never from /media/), as an attachment that is never sniffed; in production nginx sends it (X-Accel-Redirect)."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from learningcity.analytics.models import ManualValue
from learningcity.analytics.selectors import indicator_get
from learningcity.analytics.services.manual import manual_value_enter
from learningcity.core.models import Role
from learningcity.core.tests.factories import user_with_role

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _value(city, actor, name="budget.pdf") -> ManualValue:
    return manual_value_enter(
        actor=actor,
        city=city,
        indicator=indicator_get(code="LC.BUDGET.EDU"),
        year=2024,
        value=Decimal("34"),
        source="Báo cáo ngân sách 2024",
        evidence=SimpleUploadedFile(name, PDF),
    )


def _url(city_slug: str, value: ManualValue) -> str:
    return f"/{city_slug}/manage/indicators/values/{value.pk}/evidence/"


@pytest.mark.parametrize(
    "who", ["viewer", "judge", "space_coordinator", "area_coordinator", "city_admin", "network_admin"]
)
def test_staff_download_the_evidence_as_an_attachment(client, city, people, who):
    value = _value(city, people["city_admin"])
    client.force_login(people[who])
    response = client.get(_url("son-la", value))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="budget.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert "sandbox" in response["Content-Security-Policy"]


def test_anonymous_residents_and_other_cities_get_nothing(client, city, other_city, people):
    value = _value(city, people["city_admin"])
    url = _url("son-la", value)
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    client.force_login(people["resident"])
    assert client.get(url).status_code == 403
    # The administrator of Huế: no role in Sơn La; and Sơn La's value is not found under Huế's address.
    hue_admin = user_with_role(other_city, Role.CITY_ADMIN, username="hue-admin")
    client.force_login(hue_admin)
    assert client.get(url).status_code == 403
    response = client.get(_url("hue", value))
    assert response.status_code == 404
    assert not hasattr(response, "streaming_content")


def test_a_value_without_evidence_has_no_file(client, city, people):
    value = _value(city, people["city_admin"])
    ManualValue.objects.filter(pk=value.pk).update(evidence="")
    client.force_login(people["viewer"])
    assert client.get(_url("son-la", value)).status_code == 404


def test_in_production_nginx_sends_the_file_from_its_internal_location(client, city, people, settings):
    settings.PRIVATE_MEDIA_ACCEL_REDIRECT = "/_private_media/"
    value = _value(city, people["city_admin"], name="báo cáo.pdf")
    client.force_login(people["viewer"])
    response = client.get(_url("son-la", value))
    assert response.status_code == 200
    assert response.content == b""  # no body from Django: nginx reads the file
    assert value.evidence.name == f"analytics/evidence/{city.pk}/báo_cáo.pdf"  # the storage's valid name
    assert (
        response["X-Accel-Redirect"] == f"/_private_media/analytics/evidence/{city.pk}/b%C3%A1o_c%C3%A1o.pdf"
    )
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''b%C3%A1o_c%C3%A1o.pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    # Refused people are refused before any redirect is made.
    client.force_login(people["resident"])
    refused = client.get(_url("son-la", value))
    assert refused.status_code == 403
    assert "X-Accel-Redirect" not in refused


def test_the_reported_values_page_links_to_the_checked_download_not_to_media(client, city, people):
    value = _value(city, people["city_admin"])
    client.force_login(people["viewer"])
    html = client.get("/son-la/manage/indicators/values/").content.decode()
    assert f'href="{_url("son-la", value)}"' in html
    assert "/media/" not in html
