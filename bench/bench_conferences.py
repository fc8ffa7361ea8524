"""Benchmark: the public schedule of a conference with 120 sessions in 8 rooms over two days (SQLite by default).

Measures, through the full Django request path (test client), the p95 of
  1. GET /<city>/events/bench-conf/schedule/  (the HTML page a phone opens)           target < 200 ms
  2. GET /api/v1/events/bench-conf/schedule     (the JSON for conference apps)       information
  3. GET /api/v1/events/bench-conf/schedule.xml (frab XML)                           information
beside a baseline measured in the same run: a raw SQL SELECT of the released snapshot row (what every one of these
reads).
Writes var/bench/conferences.json; exits 1 when a target is missed.

Usage: .venv/bin/python bench/bench_conferences.py   (--keep-db-url to run on DATABASE_URL)
"""

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
import zoneinfo
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="lc-bench-conferences-")
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

from learningcity.conferences.services import schedule as s  # noqa: E402
from learningcity.core.models import City, Role, RoleAssignment, User  # noqa: E402

RUNS = 60
ZONE = zoneinfo.ZoneInfo("Asia/Bangkok")


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18] * 1000


def build() -> City:
    call_command("migrate", verbosity=0)
    city = City.objects.create(slug="bench-city", name_vi="Thành phố", name_en="City")
    admin = User.objects.create_user("bench-admin", password="x-bench-pw-123")
    RoleAssignment.objects.create(user=admin, city=city, role=Role.CITY_ADMIN)
    event = s.event_create(
        actor=admin,
        city=city,
        slug="bench-conf",
        title_vi="Hội nghị",
        title_en="Conference",
        starts_on=dt.date(2030, 10, 29),
        ends_on=dt.date(2030, 10, 30),
        time_zone="Asia/Bangkok",
    )
    venue = s.venue_create(actor=admin, event=event, name="Centre")
    rooms = [s.room_create(actor=admin, venue=venue, name=f"Room {i}", capacity=80) for i in range(8)]
    speakers = [s.speaker_create(actor=admin, event=event, name=f"Speaker {i}") for i in range(200)]
    n = 0
    for day in (29, 30):
        for slot in range(8):  # 8 slots a day of 45 minutes, 8 rooms: 128 possible, 120 used
            start = dt.datetime(2030, 10, day, 8, 0, tzinfo=ZONE) + dt.timedelta(minutes=50 * slot)
            for room in rooms:
                if n >= 120:
                    break
                s.session_save(
                    actor=admin,
                    event=event,
                    title=f"Session {n}: learning cities in practice",
                    room=room,
                    starts_at=start,
                    ends_at=start + dt.timedelta(minutes=45),
                    speakers=[speakers[n % 200], speakers[(n + 101) % 200]],
                    languages=["en"],
                    interpretation=["vi", "th"],
                    abstract="An abstract of a few words. " * 5,
                )
                n += 1
    s.schedule_release(actor=admin, event=event)
    return city


def timed(func, runs: int) -> list[float]:
    func()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return samples


def main() -> int:
    started = time.perf_counter()
    city = build()
    print(
        f"data: 120 sessions in 8 rooms, built in {time.perf_counter() - started:.1f} s ({connection.vendor})"
    )
    client = Client()
    url = f"/{city.slug}/events/bench-conf/schedule/"

    def page():
        response = client.get(url)
        assert response.status_code == 200
        assert response.content.count(b'class="slot"') == 120

    def api_json():
        assert len(client.get("/api/v1/events/bench-conf/schedule").json()["sessions"]) == 120

    def api_xml():
        assert client.get("/api/v1/events/bench-conf/schedule.xml").content.count(b"<event ") == 120

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT r.snapshot FROM conferences_schedulerelease r JOIN conferences_event e ON e.id = r.event_id "
                "WHERE e.slug = %s ORDER BY r.number DESC LIMIT 1",
                ["bench-conf"],
            )
            assert cursor.fetchone()

    report = Report("conferences", params={"sessions": 120, "rooms": 8, "engine": connection.vendor})
    baseline = p95(timed(raw, RUNS))
    report.figure(
        "public schedule page, 120 sessions, p95",
        p95(timed(page, RUNS)),
        "ms",
        target=200,
        baseline=baseline,
        baseline_label="raw SQL SELECT of the released snapshot, p95",
    )
    report.figure(
        "schedule JSON (API), p95 (information)", p95(timed(api_json, RUNS)), "ms", baseline=baseline
    )
    report.figure(
        "schedule frab XML (API), p95 (information)", p95(timed(api_xml, RUNS)), "ms", baseline=baseline
    )
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
