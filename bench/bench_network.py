"""Benchmark: a network of 300 cities, 30 shared indicators each, 10,000 practices (SQLite by default).

Measures, through the full Django request path (test client), the p95 of
  1. GET /networks/bench/compare/?indicator=LC.PARTICIPATION&year=Y  (300 cities side by side)  target < 300 ms
  2. GET /api/v1/networks/bench/practices?q=...  (accent-insensitive search with facets)      target < 50 ms
and prints each beside a baseline measured in the same run: a raw SQL SELECT of the same rows (so the ratio shows
what Django, the facets and rendering add on this machine). The search runs over a rotation of queries (theme
words matching a few percent of the library, "ban" matching most of it, one with a cluster filter, and no filter
at all: the first page of all 10,000 with every facet). The comparison reads the published SharedValue rows
(one per city, indicator and year, computed from analytics' rollups when a city shares an indicator), never the
attendance. Writes var/bench/network.json; exits 1 when a target is missed.

Usage: .venv/bin/python bench/bench_network.py [N_PRACTICES]   (--keep-db-url to run on DATABASE_URL)
"""

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="lc-bench-network-")
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
os.environ["TESTING"] = "1"
os.environ.setdefault("DATA_DIR", TMP)
os.environ.pop("DATABASE_URL", None) if "--keep-db-url" not in sys.argv else None

import django  # noqa: E402

django.setup()

from _report import Report  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from learningcity.analytics import selectors as analytics  # noqa: E402
from learningcity.analytics.models import Indicator  # noqa: E402
from learningcity.core.models import City  # noqa: E402
from learningcity.core.text import fold  # noqa: E402
from learningcity.network.models import (  # noqa: E402
    Cluster,
    Membership,
    Network,
    Practice,
    PracticeTag,
    PracticeText,
    SharedIndicator,
    SharedValue,
)
from learningcity.network.services.practices import facet_tags  # noqa: E402
from learningcity.network.services.sharing import definition_of  # noqa: E402

N_PRACTICES = int(next((a for a in sys.argv[1:] if a.isdigit()), "10000"))
N_CITIES = 300
N_INDICATORS = 30
YEARS = (2024, 2025, 2026)
RUNS_COMPARE = 40
RUNS_SEARCH = 100
WORDS = [
    "chữ Thái",
    "Ngôi nhà trí tuệ",
    "thư viện",
    "câu lạc bộ",
    "âm nhạc",
    "nghệ thuật",
    "khởi nghiệp",
    "sức khỏe",
    "môi trường",
    "người cao tuổi",
    "thanh niên",
    "phụ nữ",
    "dân tộc",
    "bản",
    "nông nghiệp",
    "nghề dệt",
    "học tập suốt đời",
    "kỹ năng số",
    "đọc sách",
    "lễ hội",
]
# Summaries draw from a wider vocabulary (the themes and 400 other words), so a theme's words match a few percent
# of the practices, as in a real library; "ban" (hamlet) stays common, so broad matches are measured too.
SYLLABLES = [
    "an",
    "bình",
    "cao",
    "dân",
    "giáo",
    "hòa",
    "kinh",
    "lâm",
    "minh",
    "ngọc",
    "phú",
    "quang",
    "sơn",
    "tâm",
    "uyên",
    "vân",
    "xuân",
    "yên",
    "đức",
    "ơn",
]
VOCABULARY = [f"{a} {b}" for a in SYLLABLES for b in SYLLABLES if a != b] + WORDS
QUERIES = [
    {"q": "ban"},
    {"q": "chu thai"},
    {"q": "thu vien"},
    {"q": "nha tri tue ban"},
    {"q": "det", "cluster": "esd"},
    {"q": "khoi nghiep thanh nien"},
    {"q": "le hoi"},
    {},
]


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18] * 1000


def build() -> tuple[Network, int]:
    call_command("migrate", verbosity=0)
    analytics.ensure_catalogue()
    codes = list(Indicator.objects.filter(is_active=True).values_list("code", flat=True))
    for i in range(N_INDICATORS - len(codes)):
        Indicator.objects.create(
            code=f"BENCH.{i}", name_vi=f"Chỉ số {i}", unit="count", formula={"type": "manual"}
        )
        codes.append(f"BENCH.{i}")
    codes = codes[:N_INDICATORS]
    definitions = {i.code: definition_of(i) for i in Indicator.objects.filter(code__in=codes)}
    units = dict(Indicator.objects.filter(code__in=codes).values_list("code", "unit"))
    rng = random.Random(18)
    cities = City.objects.bulk_create(
        City(
            slug=f"city-{i:03d}",
            name_vi=f"Thành phố {i:03d}",
            name_en=f"City {i:03d}",
            center_lat=10 + rng.uniform(0, 12),
            center_lon=100 + rng.uniform(0, 8),
        )
        for i in range(N_CITIES)
    )
    network = Network.objects.create(slug="bench", name_vi="Mạng lưới", languages=["vi", "en", "th"])
    clusters = Cluster.objects.bulk_create(
        Cluster(network=network, code=c, name_vi=c, name_en=c, position=i)
        for i, c in enumerate(["citizenship", "planning", "entrepreneurship", "esd", "health", "equity"])
    )
    Membership.objects.bulk_create(
        Membership(network=network, city=c, joined_on="2024-01-01") for c in cities
    )
    now = timezone.now()
    SharedIndicator.objects.bulk_create(
        SharedIndicator(city=c, indicator_code=code) for c in cities for code in codes
    )
    SharedValue.objects.bulk_create(
        (
            SharedValue(
                city=c,
                indicator_code=code,
                year=y,
                value=round(rng.uniform(1, 90), 2),
                population=rng.randint(50_000, 2_000_000),
                suppressed=rng.random() < 0.03,
                unit=units[code],
                definition=definitions[code] if rng.random() > 0.02 else "older",
                computed_at=now,
            )
            for c in cities
            for code in codes
            for y in YEARS
        ),
        batch_size=5000,
    )
    practices = []
    for i in range(N_PRACTICES):
        city = cities[i % N_CITIES]
        title = f"{rng.choice(WORDS).capitalize()} và {rng.choice(WORDS)} ở {city.name_vi} ({i})"
        summary = " ".join(rng.choice(VOCABULARY) for _ in range(40))
        practices.append(
            Practice(
                city=city,
                slug=f"p-{i}",
                status="published",
                original_language="vi",
                key_features=[f"BB{rng.randint(1, 6)}"],
                sdg_targets=[f"4.{rng.randint(1, 7)}"],
                search_text=fold(f"{title} {summary} {city.name_vi} {city.name_en}"),
            )
        )
    practices = Practice.objects.bulk_create(practices, batch_size=2000)
    texts, links, tags = [], [], []
    through = Practice.clusters.through
    for p in practices:
        title = f"Mô hình {p.slug}"
        languages = ["vi", "en"] if rng.random() < 0.5 else ["vi"]
        texts += [
            PracticeText(
                practice=p,
                city_id=p.city_id,
                language=lang,
                status="original" if lang == "vi" else "reviewed",
                title=title,
                summary="…",
            )
            for lang in languages
        ]
        cluster = rng.choice(clusters)
        links.append(through(practice_id=p.pk, cluster_id=cluster.pk))
        facets = facet_tags(
            city_id=p.city_id,
            key_features=p.key_features,
            sdg_targets=p.sdg_targets,
            cluster_codes=[cluster.code],
            languages=languages,
        )
        tags += [PracticeTag(practice=p, city_id=p.city_id, tag=tag) for tag in facets]
    PracticeText.objects.bulk_create(texts, batch_size=5000)
    PracticeTag.objects.bulk_create(tags, batch_size=5000)
    through.objects.bulk_create(links, batch_size=5000)
    with connection.cursor() as cursor:
        # PostgreSQL: what autovacuum does after a bulk load (statistics, and the visibility map that lets the
        # facets be counted by index-only scans); SQLite: statistics.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return network, len(codes)


def timed(func, runs: int) -> list[float]:
    func()  # warm-up
    samples = []
    for i in range(runs):
        start = time.perf_counter()
        func(i)
        samples.append(time.perf_counter() - start)
    return samples


def main() -> int:
    started = time.perf_counter()
    _network, n_codes = build()
    print(
        f"data: {N_CITIES} cities x {n_codes} shared indicators x {len(YEARS)} years, {N_PRACTICES} practices, "
        f"built in {time.perf_counter() - started:.1f} s ({connection.vendor})"
    )
    client = Client()

    def compare(i=0):
        response = client.get("/networks/bench/compare/", {"indicator": "LC.PARTICIPATION", "year": YEARS[1]})
        assert response.status_code == 200
        assert response.content.count(b"<tr>") > N_CITIES * 0.9

    def raw_compare(i=0):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT v.*, c.name_vi FROM network_sharedvalue v JOIN core_city c ON c.id = v.city_id "
                "WHERE v.indicator_code = %s ORDER BY v.city_id, v.year",
                ["LC.PARTICIPATION"],
            )
            assert len(cursor.fetchall()) == N_CITIES * len(YEARS)

    def search(i=0):
        response = client.get("/api/v1/networks/bench/practices", QUERIES[i % len(QUERIES)])
        assert response.status_code == 200

    def search_page(i=0):
        response = client.get("/networks/bench/practices/", QUERIES[i % len(QUERIES)])
        assert response.status_code == 200

    def raw_search(i=0):
        words = fold(QUERIES[i % len(QUERIES)].get("q", "")).split() or [""]
        op, wrap = ("GLOB", "*") if connection.vendor == "sqlite" else ("LIKE", "%")
        where = " AND ".join([f"p.search_text {op} %s"] * len(words))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT p.id FROM network_practice p WHERE p.status = 'published' AND {where} "
                "ORDER BY p.updated_at DESC LIMIT 20",
                [f"{wrap}{w}{wrap}" for w in words],
            )
            cursor.fetchall()

    for query in QUERIES:
        total = client.get("/api/v1/networks/bench/practices", query).json()["total"]
        print(f"{query or 'no filter'}: {total} practices")
    report = Report(
        "network",
        params={
            "cities": N_CITIES,
            "indicators": n_codes,
            "practices": N_PRACTICES,
            "engine": connection.vendor,
        },
    )
    report.figure(
        "comparison page, 300 cities, p95",
        p95(timed(compare, RUNS_COMPARE)),
        "ms",
        target=300,
        baseline=p95(timed(raw_compare, RUNS_COMPARE)),
        baseline_label="raw SQL SELECT of the indicator's values, p95",
    )
    report.figure(
        "practice search (API, with facets), p95",
        p95(timed(search, RUNS_SEARCH)),
        "ms",
        target=50,
        baseline=p95(timed(raw_search, RUNS_SEARCH)),
        baseline_label="raw SQL substring SELECT of one page, p95",
    )
    report.figure(
        "practice search (HTML page), p95 (information)", p95(timed(search_page, RUNS_SEARCH)), "ms"
    )
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
