"""The library of good practice: translations and their status, accent-insensitive search with facets, adoption,
files checked by content, costs from the budget hook when it exists."""

import datetime as dt
import io
import types
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from learningcity.core.errors import DomainError
from learningcity.core.tests.factories import CityFactory
from learningcity.network import selectors, services
from learningcity.network.models import PracticeFile, TranslationStatus
from learningcity.network.selectors import base as selectors_base


@pytest.fixture
def network(city, other_city):
    network = services.network_create(actor=None, slug="gnlc", name_vi="GNLC", languages=["vi", "en", "th"])
    services.cluster_create(actor=None, network=network, code="equity", name_vi="Công bằng", name_en="Equity")
    services.membership_add(actor=None, network=network, city=city, joined_on=dt.date(2024, 2, 14))
    services.membership_add(actor=None, network=network, city=other_city, joined_on=dt.date(2023, 1, 1))
    return network


def _practice(city, slug="thai-script", title="Câu lạc bộ chữ Thái", **extra):
    return services.practice_create(
        actor=None,
        city=city,
        slug=slug,
        language="vi",
        texts={"title": title, "summary": f"{title}: ở bản."},
        published=True,
        **extra,
    )


def test_translation_status_follows_the_original(city, network, people):
    practice = _practice(city)
    admin = people["city_admin"]
    services.practice_text_save(
        actor=admin,
        practice=practice,
        language="en",
        texts={"title": "Thai script clubs", "summary": "Classes."},
        status=TranslationStatus.REVIEWED,
    )
    statuses = {
        lang: status for lang, _name, status in selectors.translation_status(practice, network.languages)
    }
    assert statuses == {"vi": "Original", "en": "Reviewed translation", "th": ""}
    services.practice_text_save(
        actor=admin,
        practice=practice,
        language="vi",
        texts={"title": "Câu lạc bộ chữ Thái", "summary": "Mới."},
    )
    practice.refresh_from_db()
    statuses = {
        lang: status for lang, _name, status in selectors.translation_status(practice, network.languages)
    }
    assert statuses["en"] == "Outdated: the original changed"
    with pytest.raises(DomainError):
        services.practice_text_save(
            actor=people["viewer"], practice=practice, language="th", texts={"title": "x", "summary": "y"}
        )


def test_search_is_accent_insensitive_with_facets_and_few_queries(
    city, other_city, network, django_assert_max_num_queries
):
    cluster = network.clusters.get()
    _practice(city, clusters=[cluster], key_features=["BB2"])
    _practice(city, slug="houses", title="Ngôi nhà trí tuệ", key_features=["BB2", "BB6"])
    _practice(other_city, slug="crafts", title="Nghề truyền thống")
    stranger = CityFactory(slug="elsewhere")
    _practice(stranger, slug="not-a-member", title="Chữ Thái ở nơi khác")
    # SQLite: 6 (one scan of the matches, the page, texts, clusters, cluster and city names); PostgreSQL counts in
    # the database: 8. None grows with the number of practices.
    with django_assert_max_num_queries(8):
        page = selectors.practice_search(network=network, filters=selectors.PracticeFilters(q="CHU THAI"))
        titles = [p.text.title for p in page.practices]
    assert titles == ["Câu lạc bộ chữ Thái"]
    assert page.facets["cluster"] == [("equity", "Equity", 1)]
    everything = selectors.practice_search(network=network, filters=selectors.PracticeFilters())
    assert everything.total == 3
    assert ("BB2", "BB2", 2) in everything.facets["kf"]
    past_the_end = selectors.practice_search(network=network, filters=selectors.PracticeFilters(), page=99)
    assert (past_the_end.page, len(past_the_end.practices)) == (1, 3)
    filtered = selectors.practice_search(network=network, filters=selectors.PracticeFilters(kf="BB6"))
    assert [p.slug for p in filtered.practices] == ["houses"]


def test_adoption_links_the_two_practices(city, other_city, network, people):
    source = _practice(city)
    adopter = _practice(other_city, slug="copy", title="Lớp chữ Thái")
    services.practice_adopt(actor=None, practice=adopter, source=source, note="Học từ Sơn La")
    assert [p.pk for p in selectors.adoptions_of(source)] == [adopter.pk]
    with pytest.raises(DomainError, match="another city"):
        services.practice_adopt(actor=None, practice=source, source=_practice(city, slug="other"))


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def test_files_are_checked_by_content(city, network, people):
    practice = _practice(city)
    admin = people["city_admin"]
    photo = services.practice_file_add(
        actor=admin,
        practice=practice,
        kind="photo",
        title="Lớp học",
        upload=SimpleUploadedFile("a.png", _png()),
    )
    assert photo.content_type == "image/png"
    disguised = SimpleUploadedFile("report.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(DomainError, match="PDF or Word"):
        services.practice_file_add(
            actor=admin, practice=practice, kind="document", title="Báo cáo", upload=disguised
        )
    with pytest.raises(DomainError):
        services.practice_file_add(
            actor=admin,
            practice=practice,
            kind="photo",
            title="x",
            upload=SimpleUploadedFile("a.jpg", b"not an image"),
        )
    assert PracticeFile.objects.count() == 1


def test_bad_tags_and_missing_title_change_nothing(city, network):
    with pytest.raises(DomainError):
        _practice(city, key_features=["<script>"])
    with pytest.raises(DomainError, match="title"):
        services.practice_create(actor=None, city=city, slug="x-y", language="vi", texts={"summary": "s"})
    assert not city.practices.exists()


def test_costs_come_from_the_budget_hook_when_present(client, city, network, monkeypatch):
    practice = _practice(city)
    page_url = f"/networks/gnlc/practices/{city.slug}/{practice.slug}/"
    assert "Costs" not in client.get(page_url).content.decode()

    funding = types.SimpleNamespace(approved=Decimal("120000000"), executed=Decimal("95500000"), lines=[])
    hook = types.SimpleNamespace(
        funding_for=lambda c, kind, ids: {i: funding for i in ids if kind == "practice"}
    )
    real = selectors_base.app_modules
    monkeypatch.setattr(
        selectors_base, "app_modules", lambda name: (hook,) if name == "funding" else real(name)
    )
    html = client.get(page_url).content.decode()
    assert "Costs" in html
    assert "120,000,000" in html


def test_profile_facts_come_from_the_reporting_hook(client, city, network, monkeypatch):
    hook = types.SimpleNamespace(profile_facts=lambda c: [("Population", "1,248,415 (2019)")])
    real = selectors_base.app_modules
    monkeypatch.setattr(
        selectors_base, "app_modules", lambda name: (hook,) if name == "city_profile" else real(name)
    )
    html = client.get(f"/networks/gnlc/cities/{city.slug}/").content.decode()
    assert "1,248,415 (2019)" in html


def test_partnership_costs_come_from_the_budget_hook(client, city, network, monkeypatch):
    partnership = services.partnership_create(
        actor=None, city=city, title_vi="Lau Lau Learning", kind="pilot"
    )
    funding = types.SimpleNamespace(approved=Decimal("50000000"), executed=Decimal("20000000"), lines=[])
    hook = types.SimpleNamespace(
        funding_for=lambda c, kind, ids: {i: funding for i in ids if kind == "partnership"}
    )
    real = selectors_base.app_modules
    monkeypatch.setattr(
        selectors_base, "app_modules", lambda name: (hook,) if name == "funding" else real(name)
    )
    assert selectors.partnership_list(city=city)[0].funding is funding
    assert partnership.pk
    html = client.get(f"/{city.slug}/partnerships/").content.decode()
    assert "50,000,000" in html


def test_an_adopted_practice_shows_the_adopters_results(client, city, other_city, network):
    from django.utils import timezone

    from learningcity.analytics import selectors as analytics
    from learningcity.network.models import SharedValue
    from learningcity.network.services.sharing import definition_of

    analytics.ensure_catalogue()
    source = _practice(city)
    adopter = _practice(
        other_city, slug="copy", title="Lớp chữ Thái Huế", indicator_codes=["LC.PARTICIPATION"]
    )
    services.practice_adopt(actor=None, practice=adopter, source=source)
    indicator = analytics.indicator_get(code="LC.PARTICIPATION")
    SharedValue.objects.create(
        city=other_city,
        indicator_code=indicator.code,
        year=2025,
        value=Decimal("12.5"),
        unit="percent",
        definition=definition_of(indicator),
        computed_at=timezone.now(),
    )
    html = client.get(f"/networks/gnlc/practices/{city.slug}/{source.slug}/").content.decode()
    assert "Lớp chữ Thái Huế" in html
    assert "LC.PARTICIPATION 2025: 12.5" in html
