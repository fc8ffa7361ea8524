"""The library's facets are counted from the (practice, tag) rows the services keep: after every write they equal a
recount from the practices themselves, the search finds what a plain filter over every practice finds, in the
same order, and a page of the library costs the same number of queries however many practices there are."""

import datetime as dt
import random
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learningcity.core.tests.factories import CityFactory
from learningcity.core.text import fold
from learningcity.network import selectors, services
from learningcity.network.models import Membership, Practice
from learningcity.network.selectors import PracticeFilters

CLUSTERS = ("equity", "health", "esd")
WORDS = ("chữ Thái", "thư viện", "nghề dệt", "lễ hội", "bản Mé")


@pytest.fixture
def network(city, other_city):
    network = services.network_create(actor=None, slug="gnlc", name_vi="GNLC", languages=["vi", "en", "th"])
    for code in CLUSTERS:
        services.cluster_create(actor=None, network=network, code=code, name_vi=code, name_en=code)
    services.membership_add(actor=None, network=network, city=city, joined_on=dt.date(2024, 2, 14))
    services.membership_add(actor=None, network=network, city=other_city, joined_on=dt.date(2023, 1, 1))
    return network


def _practice(city, network, slug, title, *, clusters=(), published=True, **tags):
    return services.practice_create(
        actor=None,
        city=city,
        slug=slug,
        language="vi",
        texts={"title": title, "summary": f"{title} ở {city.name_vi}."},
        clusters=[network.clusters.get(code=c) for c in clusters],
        published=published,
        **tags,
    )


def _library(rng, city, other_city, network, n):
    stranger = CityFactory(slug="elsewhere", name_vi="Nơi khác")
    for i in range(n):
        _practice(
            rng.choice([city, other_city, stranger]),
            network,
            f"p-{i}",
            f"{rng.choice(WORDS)} và {rng.choice(WORDS)} {i}",
            clusters=rng.sample(CLUSTERS, rng.randint(0, 2)),
            key_features=[f"BB{rng.randint(1, 3)}"],
            sdg_targets=rng.sample(["4.1", "4.3", "4.7"], rng.randint(0, 2)),
            award_criteria=["A1"] if rng.random() < 0.3 else [],
            published=rng.random() < 0.85,
        )


def _facets_of(network, practices) -> Counter:
    """What the facets should say, counted from the practices themselves."""
    clusters = set(network.clusters.values_list("code", flat=True))
    counts: Counter = Counter()
    for p in practices:
        counts.update({("kf", v) for v in p.key_features} | {("sdg", v) for v in p.sdg_targets})
        counts.update({("award", v) for v in p.award_criteria} | {("city", p.city.slug)})
        counts.update({("cluster", c.code) for c in p.clusters.all() if c.code in clusters})
        counts.update({("lang", t.language) for t in p.texts.all()})
    return counts


def _in_library(network):
    members = Membership.objects.filter(network=network, left_on__isnull=True, city__is_public=True)
    return list(
        Practice.objects.filter(status="published", city_id__in=members.values("city_id"))
        .select_related("city")
        .prefetch_related("clusters", "texts")
        .order_by("-updated_at", "-pk")
    )


def _counted(page) -> Counter:
    return Counter({(kind, value): n for kind, items in page.facets.items() for value, _label, n in items})


def _recount_holds(network):
    page = selectors.practice_search(network=network, filters=PracticeFilters())
    practices = _in_library(network)
    assert page.total == len(practices)
    assert _counted(page) == _facets_of(network, practices)


def test_facet_counts_equal_a_recount_after_every_write(city, other_city, network):
    _recount_holds(network)
    thai = _practice(city, network, "thai", "Câu lạc bộ chữ Thái", clusters=["equity"], key_features=["BB2"])
    _practice(other_city, network, "weaving", "Nghề dệt", clusters=["esd"], key_features=["BB2", "BB6"])
    draft = _practice(city, network, "draft", "Bản nháp", key_features=["BB9"], published=False)
    _recount_holds(network)
    services.practice_text_save(
        actor=None, practice=thai, language="en", texts={"title": "Thai script clubs", "summary": "Classes."}
    )
    _recount_holds(network)
    assert ("lang", "en") in _counted(selectors.practice_search(network=network, filters=PracticeFilters()))
    services.practice_publish(actor=None, practice=draft)
    _recount_holds(network)
    services.practice_publish(actor=None, practice=thai, published=False)
    _recount_holds(network)
    assert thai.tags.count() == 0  # a draft has no facet rows
    Practice.objects.filter(pk=draft.pk).delete()
    _recount_holds(network)
    Membership.objects.filter(network=network, city=other_city).update(left_on=dt.date(2026, 1, 1))
    _recount_holds(network)
    assert selectors.practice_search(network=network, filters=PracticeFilters()).total == 0


def _brute_force(network, filters: PracticeFilters) -> list[Practice]:
    words = fold(filters.q).split()
    found = []
    for p in _in_library(network):
        facets = _facets_of(network, [p])
        if not all(w in p.search_text for w in words) or (filters.city and p.city.slug != filters.city):
            continue
        if all(
            (kind, getattr(filters, kind)) in facets
            for kind in ("cluster", "kf", "sdg", "award", "lang")
            if getattr(filters, kind)
        ):
            found.append(p)
    return found


@pytest.mark.parametrize(
    "filters",
    [
        PracticeFilters(),
        PracticeFilters(q="chu thai"),
        PracticeFilters(q="Ở BẢN"),
        PracticeFilters(q="le"),  # a two-letter word: the substring filter, not the trigram index
        PracticeFilters(q="det", cluster="esd"),
        PracticeFilters(kf="BB2", sdg="4.7"),
        PracticeFilters(city="hue", lang="vi"),
        PracticeFilters(q="thu vien", award="A1", city="son-la"),
        PracticeFilters(q="nothing-like-this"),
    ],
    ids=repr,
)
def test_search_finds_what_a_filter_over_every_practice_finds(city, other_city, network, filters):
    _library(random.Random(18), city, other_city, network, 45)
    expected = _brute_force(network, filters)
    first = selectors.practice_search(network=network, filters=filters)
    assert first.total == len(expected)
    assert _counted(first) == _facets_of(network, expected)
    slugs = [
        p.slug
        for n in range(1, first.pages + 1)
        for p in selectors.practice_search(network=network, filters=filters, page=n).practices
    ]
    assert slugs == [p.slug for p in expected]  # newest first, every page
    last = selectors.practice_search(network=network, filters=filters, page=99)
    assert last.page == first.pages
    assert [p.slug for p in last.practices] == [p.slug for p in expected][(first.pages - 1) * 20 :]


def _queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("params", [{}, {"q": "chu thai"}, {"q": "ban", "kf": "BB1"}], ids=repr)
def test_a_page_of_the_library_costs_the_same_queries_at_any_size(client, city, other_city, network, params):
    rng = random.Random(7)
    _library(rng, city, other_city, network, 6)
    urls = ("/networks/gnlc/practices/", "/api/v1/networks/gnlc/practices")
    sizes = []
    for more in (range(2), range(2, 40)):
        for i in more:
            city_of = rng.choice([city, other_city])
            _practice(city_of, network, f"more-{i}", f"Chữ Thái ở bản {i}", key_features=["BB1"])
        sizes.append([_queries(client, url, params) for url in urls])
    assert sizes[0] == sizes[1]
    assert max(sizes[0]) <= 9
