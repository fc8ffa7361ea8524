"""Benchmark: the atlas with 10,000 spaces on SQLite.

Measures, through the full Django request path (test client), the p95 of
  1. GET /api/v1/cities/{slug}/spaces.geojson (every public space)    target < 150 ms
  2. GET /api/v1/cities/{slug}/spaces?q=nha tri tue chieng coi      target < 30 ms
and prints each beside a baseline measured in the same run: a raw SQL SELECT of the same rows (so the ratio
shows what Django, filtering and serialisation add on this machine). The GeoJSON target is judged on the cold
figure (the cache cleared before every request: what the first visitor after a change pays); the cached answer
is printed beside it for information. Writes var/bench/places_geojson.json; exits 1 when a target is missed.

Usage: .venv/bin/python bench/bench_places_geojson.py [N_SPACES]
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
TMP = tempfile.mkdtemp(prefix="lc-bench-places-")
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
os.environ["TESTING"] = "1"
os.environ.setdefault("DATA_DIR", TMP)
os.environ.pop("DATABASE_URL", None) if "--keep-db-url" not in sys.argv else None

import django  # noqa: E402

django.setup()

from _report import Report  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from learningcity.core.models import Area, AreaLevel, City  # noqa: E402
from learningcity.core.text import fold  # noqa: E402
from learningcity.places import hours as hours_mod  # noqa: E402
from learningcity.places.models import LearningSpace, OpeningPeriod, SpaceType  # noqa: E402

N = int(next((a for a in sys.argv[1:] if a.isdigit()), "10000"))
RUNS_GEO = 40
RUNS_SEARCH = 100
WARDS = [
    ("03646", "Phường Tô Hiệu", 21.3273, 103.921),
    ("03664", "Phường Chiềng An", 21.3856, 103.895),
    ("03670", "Phường Chiềng Cơi", 21.2976, 103.876),
    ("03679", "Phường Chiềng Sinh", 21.3052, 103.978),
]


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18] * 1000


def build() -> City:
    call_command("migrate", verbosity=0)
    city = City.objects.create(slug="bench", name_vi="Sơn La", bounds=[20.55, 103.15, 22.05, 105.15])
    province = Area.objects.create(city=city, code="14", level=AreaLevel.PROVINCE, name_vi="Tỉnh Sơn La")
    province.path = f"/{province.pk}/"
    province.save()
    areas = []
    for code, name, lat, lon in WARDS:
        ward = Area.objects.create(
            city=city,
            parent=province,
            code=code,
            level=AreaLevel.WARD,
            name_vi=name,
            lat=lat,
            lon=lon,
            search_text=fold(name),
        )
        ward.path, ward.depth = f"{province.path}{ward.pk}/", 1
        ward.save()
        for i in range(10):
            hamlet = Area.objects.create(
                city=city,
                parent=ward,
                code=f"{code}-{i}",
                level=AreaLevel.HAMLET,
                name_vi=f"Bản {i}",
                lat=lat,
                lon=lon,
            )
            hamlet.path, hamlet.depth = f"{ward.path}{hamlet.pk}/", 2
            hamlet.save()
            areas.append((hamlet, name))
    kinds = [
        SpaceType.objects.create(city=city, code=c, name_vi=n)
        for c, n in [("house-of-wisdom", "Ngôi nhà trí tuệ"), ("compassionate-library", "Thư viện nhân ái")]
    ]
    rng = random.Random(3)
    spaces = []
    for i in range(N):
        area, ward_name = rng.choice(areas)
        kind = kinds[i % 2]
        name = f"{kind.name_vi} số {i}, {area.name_vi}, {ward_name}"
        spaces.append(
            LearningSpace(
                city=city,
                space_type=kind,
                area=area,
                code=f"B{i:06d}",
                name_vi=name,
                search_text=fold(f"{name} {kind.name_vi} {area.name_vi} {ward_name}"),
                lat=area.lat + rng.uniform(-0.05, 0.05),
                lon=area.lon + rng.uniform(-0.05, 0.05),
                hours="Mo-Su 08:00-20:00",
                facilities=",books,internet,",
            )
        )
    LearningSpace.objects.bulk_create(spaces, batch_size=2000)
    week = hours_mod.parse("Mo-Su 08:00-20:00")
    OpeningPeriod.objects.bulk_create(
        (
            OpeningPeriod(city=city, space=s, weekday=d, opens=o, closes=c)
            for s in spaces
            for d, ranges in enumerate(week)
            for o, c in ranges
        ),
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return city


def timed(func, runs: int) -> list[float]:
    func()  # warm-up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return samples


def main() -> int:
    started = time.perf_counter()
    city = build()
    print(f"data: {N} spaces built in {time.perf_counter() - started:.1f} s ({connection.vendor})")
    client = Client()

    def geojson():
        response = client.get("/api/v1/cities/bench/spaces.geojson")
        assert response.status_code == 200

    def geojson_cold():
        cache.clear()  # what the first visitor after a change pays
        geojson()

    def raw_geo():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT s.id, s.name_vi, s.name_en, s.lon, s.lat, t.code, s.status, s.area_id "
                "FROM places_learningspace s JOIN places_spacetype t ON t.id = s.space_type_id "
                "WHERE s.city_id = %s AND s.is_public AND s.status <> 'planned' "
                "AND s.lat IS NOT NULL AND s.lon IS NOT NULL",
                [city.pk],
            )
            rows = cursor.fetchall()
        assert len(rows) == N

    words = fold("nha tri tue chieng coi").split()

    def search():
        response = client.get("/api/v1/cities/bench/spaces", {"q": "nha tri tue chieng coi"})
        assert response.status_code == 200
        assert response.json()["count"] > 0

    def raw_search():
        # The same condition the app sends (GLOB on SQLite, LIKE elsewhere), so the ratio is Django's overhead.
        op, wrap = ("GLOB", "*") if connection.vendor == "sqlite" else ("LIKE", "%")
        where = " AND ".join([f"s.search_text {op} %s"] * len(words))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT s.* FROM places_learningspace s WHERE s.city_id = %s AND {where} "
                "ORDER BY s.name_vi, s.id LIMIT 20",
                [city.pk, *[f"{wrap}{w}{wrap}" for w in words]],
            )
            cursor.fetchall()

    report = Report("places_geojson", params={"spaces": N, "engine": connection.vendor})
    geo_base = p95(timed(raw_geo, RUNS_GEO))
    report.figure(
        "GeoJSON of all spaces, cold (cache cleared)",
        p95(timed(geojson_cold, RUNS_GEO)),
        "ms",
        target=150,
        baseline=geo_base,
        baseline_label="raw SQL SELECT of the same rows, p95",
    )
    report.figure(
        "GeoJSON of all spaces, cached (information)",
        p95(timed(geojson, RUNS_GEO)),
        "ms",
        baseline=geo_base,
    )
    report.figure(
        "search q='nha tri tue chieng coi'",
        p95(timed(search, RUNS_SEARCH)),
        "ms",
        target=30,
        baseline=p95(timed(raw_search, RUNS_SEARCH)),
        baseline_label="the same GLOB/LIKE in raw SQL, p95",
    )
    print(
        f"machine load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (noisy: compare the ratios); "
        "figures are p95"
    )
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
