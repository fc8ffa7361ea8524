"""The GNLC profile: filled from the platform where empty, word limits, the public page, API and documents."""

import io

import docx
import pytest

from learningcity.core.errors import DomainError
from learningcity.core.models import PopulationCount
from learningcity.reporting import city_profile, services
from learningcity.reporting.models import Document


@pytest.fixture
def population(city, areas):
    return PopulationCount.objects.create(city=city, area=areas["province"], year=2024, count=106_000)


def test_population_comes_from_the_platform_until_entered(city, people, population):
    facts = dict(city_profile.profile_facts(city))
    assert facts["Population"] == "106,000 (2024), from the platform's data"
    services.profile_save(
        actor=people["city_admin"],
        city=city,
        data={"population": 110_000, "population_year": 2025},
        challenges={},
    )
    assert dict(city_profile.profile_facts(city))["Population"] == "110,000 (2025)"


def test_narratives_are_200_words_and_challenges_1_to_5(city, people):
    admin = people["city_admin"]
    with pytest.raises(DomainError, match="limit is 200"):
        services.profile_save(actor=admin, city=city, data={"motivation_en": "w " * 201}, challenges={})
    with pytest.raises(DomainError, match="from 1 to 5"):
        services.profile_save(actor=admin, city=city, data={}, challenges={"funding": 6})
    with pytest.raises(DomainError):
        services.profile_save(actor=people["viewer"], city=city, data={}, challenges={})


def test_profile_page_form_api_and_docx(client, city, people, population, django_capture_on_commit_callbacks):
    client.force_login(people["city_admin"])
    form = client.get("/son-la/manage/profile/")
    assert form.status_code == 200
    response = client.post(
        "/son-la/manage/profile/",
        {
            "mayor": "Chủ tịch",
            "motivation_en": "To leave no one behind.",
            "challenge_funding": "4",
            "gdp_city_year": "2023",
        },
    )
    assert response.status_code == 302
    assert "Chủ tịch" in client.get("/son-la/profile/").content.decode()
    api = client.get("/api/v1/cities/son-la/profile").json()
    assert api["challenges"] == {"funding": 4}
    assert {f["key"]: f["value"] for f in api["facts"]}["population"] == "106000"
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/son-la/manage/profile/documents/", {"fmt": "docx"})
    document = Document.objects.get()
    word = docx.Document(io.BytesIO(document.file.read()))
    cells = [c.text for row in word.tables[0].rows for c in row.cells]
    assert "Chủ tịch" in cells


def test_the_city_home_shows_the_population_and_the_year_joined(client, city, population):
    import datetime as dt

    city.gnlc_member_since = dt.date(2024, 2, 14)
    city.save()
    body = client.get("/son-la/").content.decode()
    assert "<dt>Member of the GNLC since</dt><dd>2024</dd>" in body
    assert "<dt>Population</dt><dd>106,000</dd>" in body


def test_the_public_profile_writes_the_year_joined_plainly_in_vietnamese(
    client, vietnamese, city, population
):
    import datetime as dt

    city.gnlc_member_since = dt.date(2024, 2, 14)
    city.save()
    body = client.get("/son-la/profile/").content.decode()
    assert "<dd>2024</dd>" in body
    assert "2.024" not in body
    assert "106.000 (2024)" in body  # a number is grouped the Vietnamese way, its data year is not
