"""Benchmark: import attendance rows from a CSV sheet, validation included, beside a raw bulk insert.

    .venv/bin/python bench/bench_programmes_import.py [--rows 1000000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lc_bench_programmes .venv/bin/python bench/bench_programmes_import.py

Generates a city, 20 programmes with a year of sessions and 20,000 learners, writes a CSV of N attendance rows
(learner code, programme code, date), then measures in the same run:
  1. baseline: a raw executemany INSERT of the same rows (ids already resolved, no parsing, no checks);
  2. the real import (services.imports.sheet_import): reads the file by content, normalises every cell, checks
     codes, dates (impossible, future), sessions (missing, cancelled), duplicated rows, writes in batches.
Peak memory (ru_maxrss) is printed; the file is streamed, never loaded whole.
"""

import argparse
import csv
import datetime as dt
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
os.environ["TESTING"] = "1"
TMP = tempfile.mkdtemp(prefix="lc_bench_programmes_")
os.environ.setdefault("DATA_DIR", TMP)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--learners", type=int, default=20_000)
    parser.add_argument(
        "--without-analytics-triggers",
        action="store_true",
        help="drop the analytics app's row triggers on programmes_attendance in this private database first",
    )
    args = parser.parse_args()

    db = connection.vendor
    if db == "postgresql":
        # A fresh schema for this run in the database named by DATABASE_URL.
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0)
    triggers = "none"
    try:
        from learningcity.analytics import triggers as analytics_triggers
    except ImportError:
        analytics_triggers = None
    if analytics_triggers is not None:
        triggers = "analytics summary triggers installed (each attendance row also updates a summary row)"
        if args.without_analytics_triggers:
            analytics_triggers.uninstall(connection)
            triggers = "analytics triggers dropped for this run"

    from learningcity.core.models import City
    from learningcity.programmes.models import Attendance, Learner, Programme, Session
    from learningcity.programmes.services.imports import sheet_import

    city = City.objects.create(slug="bench", name_vi="Bench")
    start_day = dt.date.today() - dt.timedelta(days=365)
    programmes = Programme.objects.bulk_create(
        [Programme(city=city, code=f"club-{i:02d}", kind="club", title_vi=f"CLB {i}") for i in range(20)]
    )
    sessions = []
    for p in programmes:
        for d in range(365):
            sessions.append(
                Session(
                    city=city,
                    programme=p,
                    date=start_day + dt.timedelta(days=d),
                    start_time=dt.time(8),
                    end_time=dt.time(10),
                )
            )
    Session.objects.bulk_create(sessions, batch_size=2000)
    Learner.objects.bulk_create(
        [
            Learner(city=city, code=f"L{i:07d}", full_name=f"Người {i}", search_text=f"nguoi {i}")
            for i in range(args.learners)
        ],
        batch_size=2000,
    )
    session_ids = {
        (p, d): pk for pk, p, d in Session.objects.filter(city=city).values_list("pk", "programme_id", "date")
    }
    learner_ids = dict(Learner.objects.filter(city=city).values_list("code", "pk"))
    prog_ids = {p.code: p.pk for p in programmes}

    # Unique (session, learner) rows: walk sessions, take distinct members (learner i is in club i % 20).
    rng = random.Random(7)
    members = {p.code: list(range(i, args.learners, len(programmes))) for i, p in enumerate(programmes)}
    path = Path(TMP) / "attendance.csv"
    resolved_path = Path(TMP) / "resolved.tsv"
    per_session = max(1, args.rows // len(sessions) + 1)
    written = 0
    with open(path, "w", newline="", encoding="utf-8") as out, open(resolved_path, "w") as res:
        writer = csv.writer(out)
        writer.writerow(["code", "programme", "date"])
        for s in sessions:
            if written >= args.rows:
                break
            for idx in rng.sample(
                members[s.programme.code], min(per_session, len(members[s.programme.code]))
            ):
                if written >= args.rows:
                    break
                code = f"L{idx:07d}"
                writer.writerow([code, s.programme.code, s.date.isoformat()])
                res.write(
                    f"{session_ids[(prog_ids[s.programme.code], s.date)]}\t{learner_ids[code]}\t"
                    f"{prog_ids[s.programme.code]}\t{s.date.isoformat()}\n"
                )
                written += 1
    size_mb = path.stat().st_size / 1e6
    print(
        f"database: {db}; rows: {written:,}; file: {size_mb:.1f} MB; peak RSS after setup: {rss_mb():.0f} MB"
    )
    print(f"triggers on programmes_attendance: {triggers}; load average: {os.getloadavg()[0]:.1f}")

    # 1. Baseline: raw bulk insert of the already-resolved rows: the same multi-row INSERT statements the import
    #    uses, same batch size, no parsing, no checks, no conflict handling.
    from learningcity.programmes.services.imports import insert_attendance_rows

    t0 = time.perf_counter()
    with transaction.atomic(), open(resolved_path) as res:
        batch = []
        for line in res:
            s, learner, p, d = line.rstrip("\n").split("\t")
            batch.append((city.pk, int(s), int(learner), int(p), None, None, d, 120))
            if len(batch) >= 5000:
                insert_attendance_rows(batch, on_conflict=False)
                batch.clear()
        insert_attendance_rows(batch, on_conflict=False)
    raw_s = time.perf_counter() - t0
    assert Attendance.objects.filter(city=city).count() == written
    Attendance.objects.filter(city=city).delete()

    # 2. The real import, validation included.
    t0 = time.perf_counter()
    with open(path, "rb") as stream:
        result = sheet_import(actor=None, city=city, stream=stream, check_permission=False)
    import_s = time.perf_counter() - t0
    assert result.attendance_added == written, (result.attendance_added, written)

    # 3. The same file again adds nothing.
    t0 = time.perf_counter()
    with open(path, "rb") as stream:
        again = sheet_import(actor=None, city=city, stream=stream, check_permission=False)
    again_s = time.perf_counter() - t0
    assert again.attendance_added == 0

    raw_rate = written / raw_s
    import_rate = written / import_s
    print(f"raw bulk insert (baseline): {raw_s:6.1f} s  {raw_rate:10,.0f} rows/s")
    print(f"validated import:           {import_s:6.1f} s  {import_rate:10,.0f} rows/s")
    print(f"ratio import / raw:         {import_rate / raw_rate:.2f}")
    print(f"re-import of the same file: {again_s:6.1f} s, added {again.attendance_added}")
    print(f"target 25,000 rows/s: {'met' if import_rate >= 25_000 else 'NOT met'}")
    print(f"peak memory (ru_maxrss): {rss_mb():.0f} MB (target < 500 MB)")
    return 0


if __name__ == "__main__":
    try:
        code = main()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    sys.exit(code)
