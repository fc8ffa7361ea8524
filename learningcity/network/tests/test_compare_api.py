"""Comparing progress (opt-in per indicator, same definition and year, per capita, suppression, exports) and
the API: networks, members, practices, comparison, partnerships."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from learningcity.analytics import selectors as analytics
from learningcity.network import selectors, services
from learningcity.network.models import SharedValue
from learningcity.network.services.sharing import definition_of


@pytest.fixture
def network(city, other_city):
    analytics.ensure_catalogue()
    network = services.network_create(actor=None, slug="gnlc", name_vi="GNLC")
    services.membership_add(actor=None, network=network, city=city, joined_on=dt.date(2024, 2, 14))
    services.membership_add(actor=None, network=network, city=other_city, joined_on=dt.date(2023, 1, 1))
    return network


def _value(city, code, year, value, definition=None, suppressed=False, population=100_000):
    indicator = analytics.indicator_get(code=code)
    services.indicator_share(actor=None, city=city, code=code, refresh=False)
    return SharedValue.objects.create(
        city=city,
        indicator_code=code,
        year=year,
        value=Decimal(value),
        suppressed=suppressed,
        population=population,
        unit=indicator.unit,
        definition=definition or definition_of(indicator),
        computed_at=timezone.now(),
    )


def test_only_shared_values_of_the_same_definition_and_year(city, other_city, network):
    _value(city, "LC.PARTICIPATION", 2025, "31.5")
    _value(city, "LC.PARTICIPATION", 2024, "29.0")
    _value(other_city, "LC.PARTICIPATION", 2025, "40.0", definition="an-older-formula")
    comparison = selectors.compare(network=network, code="LC.PARTICIPATION", year=2025)
    assert [(r.city.slug, r.value) for r in comparison.rows] == [("son-la", Decimal("31.5000"))]
    assert [c.slug for c, _why in comparison.excluded] == ["hue"]
    assert comparison.rows[0].trend == [(2024, Decimal("29.0000")), (2025, Decimal("31.5000"))]


def test_counts_per_capita_and_suppression(city, other_city, network):
    _value(city, "LC.LEARNERS", 2025, "5000", population=100_000)
    _value(other_city, "LC.LEARNERS", 2025, "3", suppressed=True)
    rows = {r.city.slug: r for r in selectors.compare(network=network, code="LC.LEARNERS", year=2025).rows}
    assert rows["son-la"].per_capita == Decimal("50.00")
    assert rows["hue"].value is None
    assert rows["hue"].per_capita is None


def test_a_city_that_did_not_opt_in_is_not_compared(city, other_city, network):
    _value(city, "LC.PARTICIPATION", 2025, "31.5")
    _value(other_city, "LC.PARTICIPATION", 2025, "40")
    services.indicator_unshare(actor=None, city=other_city, code="LC.PARTICIPATION")
    assert [
        r.city.slug for r in selectors.compare(network=network, code="LC.PARTICIPATION", year=2025).rows
    ] == ["son-la"]


def test_exports_and_api(client, city, other_city, network, django_assert_max_num_queries):
    _value(city, "LC.PARTICIPATION", 2025, "31.5")
    _value(other_city, "LC.PARTICIPATION", 2025, "40")
    xlsx = client.get("/networks/gnlc/compare.xlsx", {"indicator": "LC.PARTICIPATION", "year": "2025"})
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"
    data = client.get("/api/v1/networks/gnlc/compare", {"indicator": "LC.PARTICIPATION", "year": 2025}).json()
    assert [r["city"] for r in data["rows"]] == ["hue", "son-la"]
    assert client.get("/api/v1/networks/gnlc/compare", {"indicator": "NOPE"}).status_code == 404
    assert client.get("/api/v1/networks").json()[0]["member_count"] == 2
    detail = client.get("/api/v1/networks/gnlc").json()
    assert {m["slug"] for m in detail["members"]} == {"son-la", "hue"}
    for i in range(5):
        services.practice_create(
            actor=None,
            city=city,
            slug=f"p{i}",
            language="vi",
            texts={"title": f"Chữ Thái {i}", "summary": "s"},
            published=True,
        )
    with django_assert_max_num_queries(9):
        practices = client.get("/api/v1/networks/gnlc/practices", {"q": "chu thai"}).json()
    assert practices["total"] == 5
    assert client.get("/api/v1/networks/nope").status_code == 404


def test_partnerships_api_and_page(client, city, other_city, network, people):
    p = services.partnership_create(
        actor=people["city_admin"],
        city=city,
        title_vi="Lau Lau Learning",
        kind="pilot",
        starts_on=dt.date(2024, 10, 1),
    )
    services.partnership_party_add(
        actor=people["city_admin"], partnership=p, organisation="Lau Lau Learning", country_code="fi"
    )
    services.partnership_party_add(actor=people["city_admin"], partnership=p, partner_city=other_city)
    data = client.get(f"/api/v1/cities/{city.slug}/partnerships").json()
    assert data[0]["parties"] == [
        {"city": None, "organisation": "Lau Lau Learning", "country_code": "FI"},
        {"city": "hue", "organisation": "", "country_code": ""},
    ]
    html = client.get("/networks/gnlc/partnerships/").content.decode()
    assert "<svg" in html
    assert "Lau Lau Learning" in html
    from learningcity.core.errors import DomainError

    with pytest.raises(DomainError, match="before the start"):
        services.partnership_create(
            actor=None,
            city=city,
            title_vi="x",
            kind="pilot",
            starts_on=dt.date(2025, 1, 2),
            ends_on=dt.date(2025, 1, 1),
        )
