"""Benchmark: import attendance rows from a CSV sheet, validation included, beside a raw bulk insert.

    .venv/bin/python bench/bench_programmes_import.py [--rows 1000000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lc_bench_programmes .venv/bin/python bench/bench_programmes_import.py

Generates a city, 20 programmes with a year of sessions and 20,000 learners, writes a CSV of N attendance rows
(learner code, programme code, date), then measures in the same run:
  1. baseline: a raw bulk insert of the same rows (ids already resolved, no parsing, no checks): executemany
     (SQLite) or COPY (PostgreSQL) straight into attendance, batches of 5,000, its triggers off, its deferred
     foreign-key checks run inside the time (the import pays them at COMMIT), then rolled back;
     with --plain-insert also the same insert with the deployed triggers firing;
  2. the real import (services.imports.sheet_import): reads the file by content, normalises every cell, checks
     codes, dates (impossible, future), sessions (missing, cancelled), duplicated rows, stages the rows and writes
     them with the analytics summary (and any rollup kept by triggers on it) as deployed;
  3. the same file again (adds nothing); then the summary is compared with a full rebuild (backfill).
Peak memory (ru_maxrss) is printed; the file is streamed, never loaded whole. Targets: 25,000 rows/s and
< 500 MB; checks: the re-import adds nothing, the summary equals its rebuild. Writes
var/bench/programmes_import.json; exits 1 when a target is missed or a check fails.
"""

import argparse
import datetime as dt
import os
import random
import resource
import shutil
import subprocess
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

from _report import Report  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def create_database_if_missing() -> None:
    """The database DATABASE_URL names is this benchmark's own: made here when it is not there yet."""
    import psycopg

    params = connection.get_connection_params()
    name = params.pop("dbname")
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**{**params, "dbname": "postgres"}, autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')


def main() -> int:  # noqa: C901 - a benchmark's linear script: each branch is one figure
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--learners", type=int, default=20_000)
    parser.add_argument(
        "--without-analytics-triggers",
        action="store_true",
        help="drop the analytics app's row triggers on programmes_attendance in this private database first",
    )
    parser.add_argument(
        "--without-rollup-triggers",
        action="store_true",
        help="drop the rollup triggers on the summary (analytics.rollup) in this private database first, to see "
        "what they cost; the summary triggers stay",
    )
    parser.add_argument(
        "--order",
        choices=["sessions", "learners", "shuffled"],
        default="sessions",
        help="the sheet's row order: one session after another (a typed-up sign-in sheet), grouped by person (an "
        "export from another system), or shuffled",
    )
    parser.add_argument(
        "--plain-insert",
        action="store_true",
        help="also time a plain bulk insert of the same rows with the deployed triggers firing (slow on SQLite)",
    )
    args = parser.parse_args()

    db = connection.vendor
    if db == "postgresql":
        create_database_if_missing()
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
        triggers = "analytics triggers installed as deployed (summary, and any rollup kept by triggers on it)"
        if args.without_analytics_triggers:
            analytics_triggers.uninstall(connection)
            triggers = "analytics triggers dropped for this run"
    if args.without_rollup_triggers:
        from learningcity.analytics import rollup

        rollup.uninstall(connection)
        triggers += "; rollup triggers on the summary dropped for this run"

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
    # Each row is written once as "sort key, CSV line, resolved line"; another order than the sessions' is made
    # by the system's sort (its own process, so this one's peak memory stays the import's).
    keyed_path = Path(TMP) / "keyed.tsv"
    with open(keyed_path, "w", encoding="utf-8") as keyed:
        for s in sessions:
            if written >= args.rows:
                break
            for idx in rng.sample(
                members[s.programme.code], min(per_session, len(members[s.programme.code]))
            ):
                if written >= args.rows:
                    break
                code = f"L{idx:07d}"
                key = {"sessions": f"{written:09d}", "learners": code, "shuffled": f"{rng.random():.15f}"}
                keyed.write(
                    f"{key[args.order]}\t{code},{s.programme.code},{s.date.isoformat()}\t"
                    f"{session_ids[(prog_ids[s.programme.code], s.date)]}\t{learner_ids[code]}\t"
                    f"{prog_ids[s.programme.code]}\t{s.date.isoformat()}\n"
                )
                written += 1
    if args.order != "sessions":
        subprocess.run(
            ["sort", "-s", "-t", "\t", "-k1,1", "-o", str(keyed_path), str(keyed_path)],
            check=True,
            env={**os.environ, "LC_ALL": "C"},
        )
    with (
        open(keyed_path, encoding="utf-8") as keyed,
        open(path, "w", encoding="utf-8") as out,
        open(resolved_path, "w", encoding="utf-8") as res,
    ):
        out.write("code,programme,date\n")  # codes hold no comma or quote: the CSV needs no quoting
        for line in keyed:
            _, row, resolved = line.split("\t", 2)
            out.write(row + "\n")
            res.write(resolved)
    keyed_path.unlink()
    size_mb = path.stat().st_size / 1e6
    print(
        f"database: {db}; rows: {written:,} in the order of {args.order}; file: {size_mb:.1f} MB; "
        f"peak RSS after setup: {rss_mb():.0f} MB"
    )
    print(f"triggers on programmes_attendance: {triggers}; load average: {os.getloadavg()[0]:.1f}")

    from learningcity.programmes.services.attendance_stage import ATTENDANCE_COLUMNS

    def resolved_batches():
        with open(resolved_path) as res:
            batch = []
            for line in res:
                s, learner, p, d = line.rstrip("\n").split("\t")
                batch.append((city.pk, int(s), int(learner), int(p), None, None, d, 120))
                if len(batch) >= 5000:
                    yield batch
                    batch = []
            if batch:
                yield batch

    def raw_insert(batch) -> None:
        """The plainest bulk write: the driver's executemany (SQLite) or COPY (PostgreSQL) into attendance."""
        cursor = connection.connection.cursor()
        if db == "sqlite":
            cursor.executemany(
                f"INSERT INTO programmes_attendance {ATTENDANCE_COLUMNS} VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                batch,
            )
        else:
            with cursor.copy(f"COPY programmes_attendance {ATTENDANCE_COLUMNS} FROM STDIN") as copy:
                for row in batch:
                    copy.write_row(row)

    class Rollback(Exception):
        pass

    def timed_raw(*, triggers_on: bool) -> float:
        """Seconds to bulk insert the resolved rows (ids known, no parsing, no checks), then rolled back."""
        elapsed = 0.0
        try:
            with transaction.atomic():
                if not triggers_on:
                    if db == "postgresql":
                        with connection.cursor() as cursor:
                            cursor.execute("ALTER TABLE programmes_attendance DISABLE TRIGGER USER")
                    elif analytics_triggers is not None:
                        analytics_triggers.uninstall(connection)
                t0 = time.perf_counter()
                for batch in resolved_batches():
                    raw_insert(batch)
                if db == "postgresql":
                    # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: PostgreSQL checks them at COMMIT,
                    # which the import pays and a rolled-back baseline would not. Check them now, inside the time.
                    with connection.cursor() as cursor:
                        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                elapsed = time.perf_counter() - t0
                assert Attendance.objects.filter(city=city).count() == written
                raise Rollback
        except Rollback:
            pass
        return elapsed

    # 1. Baseline: raw bulk insert of the already-resolved rows, no triggers at all (the floor).
    raw_s = timed_raw(triggers_on=False)
    # 1b. Optional: the same plain insert with the deployed triggers firing (what any plain bulk writer pays).
    plain_s = timed_raw(triggers_on=True) if args.plain_insert else None
    assert not Attendance.objects.filter(city=city).exists()

    # 2. The real import, validation included, summary (and any rollup on it) kept as deployed.
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    with open(path, "rb") as stream:
        result = sheet_import(actor=None, city=city, stream=stream, check_permission=False)
    import_s = time.perf_counter() - t0
    import_cpu = time.process_time() - cpu0
    assert result.attendance_added == written, (result.attendance_added, written)

    # 3. The same file again adds nothing.
    t0 = time.perf_counter()
    with open(path, "rb") as stream:
        again = sheet_import(actor=None, city=city, stream=stream, check_permission=False)
    again_s = time.perf_counter() - t0

    # 4. The summary the import left equals a full rebuild from attendance (whole table compared).
    summary_check = "not installed"
    if analytics_triggers is not None and not args.without_analytics_triggers:
        from learningcity.analytics.models import Participation

        def snapshot():
            return sorted(
                Participation.objects.values_list(
                    "city_id", "learner_id", "programme_id", "year", *analytics_triggers.ALL_COLS
                )
            )

        live = snapshot()
        with transaction.atomic():
            analytics_triggers.backfill(connection)
            rebuilt = snapshot()
            summary_check = (
                f"equal to a full rebuild ({len(live):,} rows)" if live == rebuilt else "DIFFERENT"
            )
            transaction.set_rollback(True)

    raw_rate = written / raw_s
    import_rate = written / import_s
    print(f"raw bulk insert, no triggers (baseline): {raw_s:6.1f} s  {raw_rate:10,.0f} rows/s")
    if plain_s is not None:
        print(f"plain bulk insert, triggers firing:      {plain_s:6.1f} s  {written / plain_s:10,.0f} rows/s")
    print(
        f"validated import:                        {import_s:6.1f} s  {import_rate:10,.0f} rows/s"
        f"  (this process's CPU {import_cpu:.1f} s)"
    )
    print(f"ratio import / raw:                      {import_rate / raw_rate:.2f}")
    print(f"re-import of the same file:              {again_s:6.1f} s, added {again.attendance_added}")
    print(f"summary after the import: {summary_check}")
    print(f"load average now: {os.getloadavg()[0]:.1f}")
    report = Report(
        "programmes_import",
        params={
            "rows": written,
            "learners": args.learners,
            "order": args.order,
            "engine": db,
            "triggers": triggers,
        },
    )
    report.figure(
        "validated import", import_rate, "rows/s", target=25_000, op=">=", baseline=raw_rate,
        baseline_label="raw bulk insert, no triggers", note=f"this process's CPU {import_cpu:.1f} s",
    )  # fmt: skip
    if plain_s is not None:
        report.figure("plain bulk insert, triggers firing", written / plain_s, "rows/s", baseline=raw_rate)
    report.figure("peak memory (ru_maxrss)", rss_mb(), "MB", target=500)
    report.check(
        "the same file again adds nothing", again.attendance_added == 0, f"added {again.attendance_added}"
    )
    report.check("the summary equals a full rebuild", summary_check != "DIFFERENT", summary_check)
    return report.finish()


if __name__ == "__main__":
    try:
        code = main()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
    sys.exit(code)
