"""Benchmark: the participation dashboard for a year with every breakdown (area, sex, age band, ethnicity,
disability, remote, programme kind, topic, area x ethnicity, ranking, parity, map) over 110,000 residents and
2,000,000 attendance records (2025-2026), p50 of repeated runs, each printed as a ratio to ONE raw SQL GROUP BY over
the same year's attendance rows measured in the same run:
  - the network administrator's exact figures (the selector, staff=True)            target < 40 ms (issue 17)
  - the public figures, suppressed (the selector as an anonymous visitor sees them)  target < 300 ms
  - the rendered pages through the view (Django test client: URL, middleware, view, template, SVG charts), the
    public page anonymously and the staff page logged in                           target < 500 ms (the pages'
    p95 target of the load test)
  - the exact figures right after a new attendance row each time (the figures read the rollup the triggers keep)
                                                                                     target < 40 ms (issue 17)
  - the LC.ATTENDANCE and LC.RETENTION indicators for the year, exact, by kind        target < 150 ms (issue 17)
    (read from the member rollups, members.py, beside the same figures grouped from the memberships, which must
    be equal)
  - the city home's "Learners" figure read from the learner tally (tally.py), beside a count of the learner table
The bench runs with TESTING=1, so the public figures' micro-cache (core.freshness) and the page cache are off:
every figure here is computed, as the first visitor after a change gets it. Checks: a new row shows in the next
request; the public board is suppressed (not exact) and the staff board exact; the indicator pages have rows.
Also: the peak memory the measured requests allocate (tracemalloc over one more dashboard, public board, both
pages and both indicators; target < 500 MB), the process's peak resident memory for information (it includes the
world's generation, which at 20M rows holds far more than any request), and the cost of the triggers that keep
the participation summary and the people rollup fresh (inserting attendance with and without them). Writes
var/bench/analytics_dashboard.json; exits 1 when a target is missed or a check fails.

Run: .venv/bin/python bench/bench_analytics_dashboard.py   (a temporary SQLite file, or DATABASE_URL pointing at a
scratch PostgreSQL database: the benchmark's city is deleted at the end)
     .venv/bin/python bench/bench_analytics_dashboard.py --residents 3000 --attendances 40000 --programmes 20
     (a small world, for checking the bench itself: its figures say nothing about the targets' size)
"""

import argparse
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
os.environ["TESTING"] = "1"
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="lc_bench_analytics_"))

import django

django.setup()

import datetime as dt  # noqa: E402

from _report import Report  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

RESIDENTS = 110_000
ATTENDANCES = 2_000_000
PROGRAMMES = 600
POOL = 120  # learners per programme
PER_SESSION = 40
YEAR = 2026
RUNS = 7
ETHNIC = {"03": 53.61, "01": 16.26, "08": 16.06, "06": 6.78, "34": 2.17, "09": 1.76, "98": 3.36}
KINDS = ["club", "class", "course", "event"]
TOPICS = ["literacy", "language", "culture", "arts", "sports", "reading", "digital", "health"]


def p50(fn, runs=RUNS):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def make_world(rng):  # noqa: C901 - a benchmark's linear set-up script
    from learningcity.analytics import dashboard_rollups, rollup, triggers
    from learningcity.analytics.demo import population_rows
    from learningcity.core.models import Area, AreaLevel, City, PopulationCount
    from learningcity.programmes.models import Learner, Programme, Session

    city = City.objects.create(slug=f"bench-{rng.randint(0, 10**9)}", name_vi="Bench", name_en="Bench")

    def area(code, parent, level, lat, lon, remote=False):
        a = Area.objects.create(
            city=city,
            code=code,
            parent=parent,
            level=level,
            name_vi=f"Khu {code}",
            lat=lat,
            lon=lon,
            is_remote=remote,
        )
        a.path = (parent.path if parent else "/") + f"{a.pk}/"
        a.depth = a.path.count("/") - 2
        a.save(update_fields=["path", "depth"])
        return a

    province = area("14", None, AreaLevel.PROVINCE, 21.2, 104.0)
    wards = [
        area(f"W{i}", province, AreaLevel.WARD, 21.3 + i / 50, 103.9 + i / 40, remote=i == 3)
        for i in range(4)
    ]
    hamlets = [
        area(f"H{i}", wards[i % 4], AreaLevel.HAMLET, 21.3 + i / 70, 103.9 + i / 60) for i in range(16)
    ]
    pops = []
    for year in (2025, 2026):
        for w in wards:
            pops += population_rows(city, w, year, RESIDENTS // 4, ETHNIC)
    PopulationCount.objects.bulk_create(pops, batch_size=5000)

    codes = list(ETHNIC)
    weights = list(ETHNIC.values())
    learners = []
    for i in range(RESIDENTS):
        learners.append(
            Learner(
                city=city,
                code=f"B{i:06d}",
                full_name=f"Người {i}",
                sex=rng.choice("FM"),
                birth_year=rng.randint(1940, 2020),
                ethnicity=rng.choices(codes, weights)[0],
                has_disability=rng.random() < 0.05,
                area=rng.choice(hamlets + wards),
            )
        )
        if len(learners) == 50_000:  # in chunks: a 1.1M-learner world never holds every model at once
            Learner.objects.bulk_create(learners, batch_size=5000)
            learners = []
    Learner.objects.bulk_create(learners, batch_size=5000)
    learner_ids = list(Learner.objects.filter(city=city).values_list("id", flat=True))
    programmes = [
        Programme(
            city=city,
            code=f"p{i}",
            kind=KINDS[i % 4],
            title_vi=f"Chương trình {i}",
            topics=Programme.join_codes(rng.sample(TOPICS, 2)),
        )
        for i in range(PROGRAMMES)
    ]
    Programme.objects.bulk_create(programmes)
    programme_ids = list(Programme.objects.filter(city=city).values_list("id", flat=True))
    sessions_per_programme = ATTENDANCES // PER_SESSION // PROGRAMMES
    sessions = []
    start = dt.date(2025, 1, 1)
    for pid in programme_ids:
        for k in range(sessions_per_programme):
            day = start + dt.timedelta(days=int(k * 729 / sessions_per_programme))
            sessions.append(
                Session(city=city, programme_id=pid, date=day, start_time=dt.time(8), end_time=dt.time(9, 30))
            )
    Session.objects.bulk_create(sessions, batch_size=5000)
    session_rows = list(Session.objects.filter(city=city).values_list("id", "programme_id", "date"))
    pools = {pid: rng.sample(learner_ids, POOL) for pid in programme_ids}
    # Each programme's pool are its members (joined when it started): the attendance and retention indicators
    # read memberships.
    from learningcity.programmes.models import Membership

    Membership.objects.bulk_create(
        [
            Membership(city=city, programme_id=pid, learner_id=lid, joined_on=start)
            for pid, pool in pools.items()
            for lid in pool
        ],
        batch_size=5000,
    )
    area_of = dict(Learner.objects.filter(city=city).values_list("id", "area_id"))

    # Bulk load without the triggers, then one backfill: what a migration of an existing database does.
    triggers.uninstall()
    rollup.uninstall()
    dashboard_rollups.uninstall()
    sql = (
        "INSERT INTO programmes_attendance (city_id, session_id, learner_id, programme_id, space_id, area_id, date, "
        "minutes) VALUES (%s, %s, %s, %s, NULL, %s, %s, %s)"
    )
    batch = []
    summary: dict[tuple, list[int]] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        for sid, pid, day in session_rows:
            for lid in rng.sample(pools[pid], PER_SESSION):
                batch.append((city.pk, sid, lid, pid, area_of[lid], day, 90))
                cell = summary.get((lid, pid, day.year))
                if cell is None:
                    cell = summary[(lid, pid, day.year)] = [0] * 24
                cell[day.month - 1] += 1
                cell[12 + day.month - 1] += 90
            if len(batch) >= 50_000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
        # The summary the triggers would have kept, computed while loading (a full backfill() is the repair tool).
        cols = ", ".join(triggers.ALL_COLS)
        marks = ", ".join(["%s"] * 28)
        cursor.executemany(
            f"INSERT INTO analytics_participation (city_id, learner_id, programme_id, year, {cols}) VALUES ({marks})",
            [(city.pk, lid, pid, year, *cell) for (lid, pid, year), cell in summary.items()],
        )
    triggers.install()
    # The people rollup (rollup.py) built from the summary and the learners, as migration 0004 does.
    t = time.perf_counter()
    rollup.backfill()
    backfill_s = time.perf_counter() - t
    # The dashboard rollups (kind / topic learners, sessions per unit) rebuilt, as migration 0004 does.
    t = time.perf_counter()
    dashboard_rollups.backfill()
    print(f"dashboard rollups (migration 0004) backfill {time.perf_counter() - t:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # what autovacuum does soon after a big load
    return city, session_rows, pools, area_of, len(summary), backfill_s


def fresh_attendance(city, session_rows, pools, area_of):
    """Writers of one new attendance row each (through the ORM, as the attendance page does), at the year's
    sessions, by a learner of the programme's pool not yet there or (new_learner) by someone who came to
    nothing this year."""
    from learningcity.programmes.models import Attendance

    sessions = [row for row in session_rows if row[2].year == YEAR]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT l.id FROM programmes_learner l WHERE l.city_id = %s AND NOT EXISTS (SELECT 1 FROM "
            "programmes_attendance a WHERE a.learner_id = l.id AND a.date >= %s)",  # the learner index
            [city.pk, dt.date(YEAR, 1, 1)],
        )
        idle = [r[0] for r in cursor.fetchall()]
    k = 0
    while True:
        sid, pid, day = sessions[k * 37 % len(sessions)]
        k += 1
        present = set(Attendance.objects.filter(session_id=sid).values_list("learner_id", flat=True))
        candidates = [lid for lid in pools[pid] if lid not in present]

        def write(new_learner=False, sid=sid, pid=pid, day=day, candidates=candidates):
            lid = idle.pop() if new_learner else candidates[0]
            Attendance.objects.create(
                city=city,
                session_id=sid,
                learner_id=lid,
                programme_id=pid,
                area_id=area_of[lid],
                date=day,
                minutes=90,
            )

        yield write


def trigger_cost(city, session_rows, pools, area_of, rng):
    """Insert 20,000 attendance rows with the triggers, and 20,000 without, in the same run."""
    from learningcity.analytics import dashboard_rollups, rollup, triggers

    extra = [row for row in session_rows if row[2].year == 2025][:2000]
    half = len(extra) // 2
    sql = (
        "INSERT INTO programmes_attendance (city_id, session_id, learner_id, programme_id, space_id, area_id, date, "
        "minutes) VALUES (%s, %s, %s, %s, NULL, %s, %s, %s)"
    )

    def rows_for(part):
        out = []
        for sid, pid, day in part:
            # learners of the pool not already at this session
            with connection.cursor() as cursor:
                cursor.execute("SELECT learner_id FROM programmes_attendance WHERE session_id = %s", [sid])
                present = {r[0] for r in cursor.fetchall()}
            free = [lid for lid in pools[pid] if lid not in present][:10]
            out += [(city.pk, sid, lid, pid, area_of[lid], day, 90) for lid in free]
        return out

    with_rows = rows_for(extra[:half])
    without_rows = rows_for(extra[half:])
    t = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, with_rows)
    with_s = time.perf_counter() - t
    triggers.uninstall()
    t = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, without_rows)
    without_s = time.perf_counter() - t
    triggers.install()
    rollup.uninstall()
    dashboard_rollups.uninstall()
    triggers.backfill()
    rollup.backfill()
    dashboard_rollups.backfill()
    return len(with_rows), with_s, len(without_rows), without_s


def request_memory(*requests) -> float:
    """The most memory (MB, Python's allocations) held at once while each request runs, the largest of them."""
    import gc
    import tracemalloc

    peak = 0
    for request in requests:
        gc.collect()
        tracemalloc.start()
        try:
            request()
            peak = max(peak, tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
    return peak / 2**20


def _grouped_from_memberships(indicator_page):
    """The indicator computed the way it was before the member rollups (one GROUP BY over the memberships): its
    result and p50, for the check and the comparison."""
    from learningcity.analytics.measures import memberships

    rolled = memberships._membership_groups_rolled
    memberships._membership_groups_rolled = lambda *args: None
    try:
        return indicator_page(), p50(indicator_page)
    finally:
        memberships._membership_groups_rolled = rolled


def home_learners(city, report):
    """The city home's "Learners": the tally's one row beside a count of the city's learners."""
    from learningcity.analytics import tally
    from learningcity.programmes.models import Learner

    counted = Learner.objects.for_city(city).count()
    report.check("the learner tally equals a count of the learners", tally.learner_count(city.pk) == counted)
    read = p50(lambda: tally.learner_count(city.pk))
    count = p50(lambda: Learner.objects.for_city(city).count())
    print(
        f"home 'Learners' ({counted:,}): tally {read * 1000:.2f} ms, count of the learner table {count * 1000:.1f} ms"
    )
    report.figure("home 'Learners' from the tally", read * 1000, "ms", baseline=count * 1000,
                  baseline_label="a count of the city's learners")  # fmt: skip


def main() -> int:  # noqa: C901 - a benchmark's linear script: each branch is one figure
    global RESIDENTS, ATTENDANCES, PROGRAMMES, RUNS
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--residents", type=int, default=RESIDENTS)
    parser.add_argument("--attendances", type=int, default=ATTENDANCES)
    parser.add_argument("--programmes", type=int, default=PROGRAMMES, help=f"each with {POOL} members")
    parser.add_argument("--runs", type=int, default=RUNS, help="timed runs of each measure (the p50 of them)")
    args = parser.parse_args()
    RESIDENTS, ATTENDANCES, PROGRAMMES, RUNS = args.residents, args.attendances, args.programmes, args.runs
    if RESIDENTS < POOL or ATTENDANCES < PER_SESSION * PROGRAMMES * 8:
        parser.error(f"at least {POOL} residents and {PER_SESSION * 8} attendances a programme (8 sessions)")
    report = Report(
        "analytics_dashboard",
        params={"residents": RESIDENTS, "attendances": ATTENDANCES, "programmes": PROGRAMMES, "runs": RUNS},
    )
    call_command("migrate", verbosity=0)
    from django.contrib.auth.models import AnonymousUser
    from django.test import Client
    from django.urls import reverse

    from learningcity.analytics import members, rollup, tally, triggers
    from learningcity.analytics.selectors import dashboard
    from learningcity.core.models import User

    rng = random.Random(7)
    t = time.perf_counter()
    city, session_rows, pools, area_of, summary_rows, backfill_s = make_world(rng)
    print(f"engine: {connection.vendor}; data generated in {time.perf_counter() - t:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM programmes_attendance WHERE city_id = %s", [city.pk])
        total = cursor.fetchone()[0]
        cursor.execute(
            "SELECT COUNT(*) FROM programmes_attendance WHERE city_id = %s AND date >= %s AND date <= %s",
            [city.pk, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)],
        )
        in_year = cursor.fetchone()[0]
    print(
        f"{RESIDENTS:,} residents, {total:,} attendance records ({in_year:,} in {YEAR}); "
        f"summary: {summary_rows:,} rows; people rollup backfill {backfill_s:.1f} s"
    )
    admin = User.objects.create(username=f"bench-admin-{city.pk}", is_network_admin=True)

    def raw_group_by():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT learner_id, COUNT(*) FROM programmes_attendance WHERE city_id = %s AND date >= %s "
                "AND date <= %s GROUP BY learner_id",
                [city.pk, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)],
            )
            cursor.fetchall()

    def staff_dashboard():
        board = dashboard(city=city, user=admin, period_code=str(YEAR), staff=True)
        assert board.exact
        assert board.tables
        return board

    def public_dashboard():
        board = dashboard(city=city, user=AnonymousUser(), period_code=str(YEAR), staff=False)
        assert board.tables
        return board

    anonymous, logged_in = Client(), Client()
    logged_in.force_login(admin)

    def page(client, url):
        def get():
            response = client.get(url, {"period": str(YEAR)})
            assert response.status_code == 200, (url, response.status_code)
            assert b"<svg" in response.content, url  # the charts were rendered
            return response

        return get

    public_page = page(anonymous, reverse("analytics_dashboard", kwargs={"city_slug": city.slug}))
    staff_page = page(logged_in, reverse("analytics_dashboard_staff", kwargs={"city_slug": city.slug}))

    fresh = iter(fresh_attendance(city, session_rows, pools, area_of))

    def attendances_shown():
        board = dashboard(city=city, user=admin, period_code=str(YEAR), staff=True)
        return board.table("sex").total.learners, board.tables[0].total.hours

    def dashboard_after_a_write():
        """One new attendance row written (not timed), then the dashboard timed: nothing is cached between
        requests, so this is what a user gets right after someone records attendance."""
        write = next(fresh)
        write()
        t = time.perf_counter()
        staff_dashboard()
        return time.perf_counter() - t

    staff_board, public_board = staff_dashboard(), public_dashboard()  # warm up (catalogue, caches)
    public_page()
    staff_page()
    raw_group_by()
    base = p50(raw_group_by)
    dash = p50(staff_dashboard)
    public = p50(public_dashboard)
    public_rendered = p50(public_page)
    staff_rendered = p50(staff_page)
    after_write = statistics.median(dashboard_after_a_write() for _ in range(RUNS))
    base_again = p50(raw_group_by)
    report.check("the staff board is exact", staff_board.exact)
    report.check("the public board is suppressed (not exact)", not public_board.exact)
    raw = f"one raw SQL GROUP BY learner over the {YEAR} attendance rows, p50"
    report.figure("staff dashboard (selector, exact)", dash * 1000, "ms", target=40, baseline=base * 1000,
                  baseline_label=raw)  # fmt: skip
    report.figure("public dashboard (selector, suppressed)", public * 1000, "ms", target=300,
                  baseline=base * 1000)  # fmt: skip
    report.figure("public page, rendered (anonymous)", public_rendered * 1000, "ms", target=500,
                  baseline=base * 1000)  # fmt: skip
    report.figure("staff page, rendered (logged in)", staff_rendered * 1000, "ms", target=500,
                  baseline=base * 1000)  # fmt: skip
    report.figure("staff dashboard right after a new row", after_write * 1000, "ms", target=40,
                  baseline=base_again * 1000, baseline_label="the raw GROUP BY measured again")  # fmt: skip
    print(f"baseline: one raw SQL GROUP BY learner over the {YEAR} attendance rows: p50 {base * 1000:.0f} ms")
    print(f"staff dashboard for {YEAR} with all breakdowns: p50 {dash * 1000:.0f} ms (target < 40 ms)")
    print(
        f"staff dashboard right after a new attendance row: p50 {after_write * 1000:.0f} ms "
        f"(baseline measured again: {base_again * 1000:.0f} ms)"
    )
    print(
        f"public dashboard (suppressed): p50 {public * 1000:.0f} ms; rendered pages: public {public_rendered * 1000:.0f}"
        f" ms, staff {staff_rendered * 1000:.0f} ms"
    )
    print(f"ratio dashboard / raw GROUP BY: {dash / base:.2f}; after a write: {after_write / base_again:.2f}")
    # Freshness: a new attendance row shows in the next request (learners reached and hours).
    before = attendances_shown()
    t = time.perf_counter()
    next(fresh)(new_learner=True)
    after = attendances_shown()
    print(
        f"freshness: learners {before[0]:,.0f} -> {after[0]:,.0f}, hours {before[1]:,.1f} -> {after[1]:,.1f}, "
        f"shown {time.perf_counter() - t:.2f} s after the write"
    )
    report.check(
        "a new attendance row shows in the next request",
        after[0] == before[0] + 1 and after[1] > before[1],
        f"learners {before[0]:,.0f} -> {after[0]:,.0f}",
    )
    # The indicator pages that compare attendance with memberships (staff view, default breakdown by kind).
    from learningcity.analytics.indicators import evaluate_indicator
    from learningcity.analytics.measures import MeasureQuery
    from learningcity.analytics.periods import period_parse
    from learningcity.analytics.selectors import indicator_get

    indicator_pages = []
    for code in ("LC.ATTENDANCE", "LC.RETENTION"):
        indicator = indicator_get(code=code)

        def indicator_page(indicator=indicator):
            q = MeasureQuery(city=city, period=period_parse(str(YEAR), default="year"))
            result = evaluate_indicator(indicator, q, [indicator.default_by], exact=True)
            assert result.rows
            assert all(r.denominator for r in result.rows)
            return result

        indicator_pages.append(indicator_page)
        values = ", ".join(f"{r.keys[indicator.default_by]} {r.value:.1f}" for r in indicator_page().rows)
        took = p50(indicator_page)
        print(
            f"indicator {code} for {YEAR} by {indicator.default_by}: p50 {took * 1000:.0f} ms (target < 150 ms; {values})"
        )
        report.figure(f"indicator {code}", took * 1000, "ms", target=150, baseline=base * 1000)
        grouped = _grouped_from_memberships(indicator_page)
        report.check(
            f"{code} from the member rollups equals the figures grouped from memberships",
            sorted((repr(r.keys), r.value) for r in indicator_page().rows)
            == sorted((repr(r.keys), r.value) for r in grouped[0].rows),
        )
        print(
            f"indicator {code} grouped from the memberships (before the rollups): p50 {grouped[1] * 1000:.0f} ms"
        )
    home_learners(city, report)
    n_with, with_s, n_without, without_s = trigger_cost(city, session_rows, pools, area_of, rng)
    print(
        f"insert attendance: {n_with:,} rows with triggers {with_s * 1000:.0f} ms, {n_without:,} without "
        f"{without_s * 1000:.0f} ms (ratio {(with_s / max(n_with, 1)) / (without_s / max(n_without, 1)):.2f})"
    )
    peak = request_memory(staff_dashboard, public_dashboard, public_page, staff_page, *indicator_pages)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"peak memory of the measured requests: {peak:.0f} MB (target < 500 MB); the process's peak resident "
        f"memory {rss:.0f} MB (with the world's generation)"
    )
    report.figure("process peak RSS, with the generation", rss, "MB")
    report.figure(
        "insert attendance with triggers, per row", with_s / max(n_with, 1) * 1e6, "us",
        baseline=without_s / max(n_without, 1) * 1e6, baseline_label="the same insert without them",
    )  # fmt: skip
    report.figure("peak memory of the measured requests", peak, "MB", target=500)
    # Clean up the benchmark's city with plain deletes, biggest tables first (a temporary SQLite file is
    # simply left behind in DATA_DIR).
    if connection.vendor != "sqlite":
        triggers.uninstall()
        rollup.uninstall()
        members.uninstall()
        tally.uninstall()
        with connection.cursor() as cursor:
            for table in (
                "programmes_attendance",
                "analytics_participation",
                "analytics_learneryear",
                "analytics_peopleyear",
                "analytics_programmelearner",
                "analytics_programmeyear",
                "analytics_memberjoin",
                "analytics_membercame",
                "analytics_learnertally",
                "programmes_membership",
                "programmes_session",
                "programmes_learner",
                "programmes_programme",
                "core_populationcount",
            ):
                cursor.execute(f"DELETE FROM {table} WHERE city_id = %s", [city.pk])
            cursor.execute("UPDATE core_area SET parent_id = NULL WHERE city_id = %s", [city.pk])
            cursor.execute("DELETE FROM core_area WHERE city_id = %s", [city.pk])
        triggers.install()
        rollup.install()
        members.install()
        tally.install()
        admin.delete()
        city.delete()
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
