"""Throughput: the demo city under unpaced load, beside a bare WSGI "hello" under the same server in the same run.

Starts the production-like server as deployed (gunicorn config.wsgi with the processes and threads of
deploy/gunicorn.conf.py: 2 processes a core, 4 threads; --workers/--threads override), DEBUG=0, the demo city loaded
into a bench-specific database: var/bench-throughput/ on SQLite, the database lc_bench_throughput with --db
postgres), and a bare WSGI app (`hello` below) under the same gunicorn settings. Every worker of both servers boots
before anything counts (a discarded drive of each). Each page is driven by N concurrent connections (default 50,
HTTP/1.1 keep-alive, opened 5 ms apart in the warm-up, no pause between requests, a browser's Accept-Encoding and
Accept-Language) for a bounded time; the bare app is measured before and after the pages and the ratio uses the
mean of the two. (A keep-alive connection stays with the worker that accepted it: connections that all arrive at
once, or while workers are still starting, can all land on one worker, and the bare app then measured half the
machine's ceiling: docs/scaling.md, "Fourth pass".) Prints requests/s, p50, p99, errors and timeouts per page with
the ratio to the bare app, writes the figures to a JSON file (--out, default var/bench-throughput/<db>.json, with
the run's commit, cpu count and load average: bench/_report.py), and exits 1 when a target of issue 17 is missed:

    /healthz and pages served from the public page cache  >= 0.30 of bare
    every public page                                       >= 0.15 of bare
    staff pages and API lists                               >= 0.07 of bare
    no error, no timeout; p99 < 500 ms

Loopback only, bounded in time (about (warm-up + seconds) x 16 pages). The load generator is Python (asyncio,
one process) on the same cores as the server, so the bare figure is the ceiling of this client on this machine,
not of gunicorn; the ratios are what to compare between runs.

    .venv/bin/python bench/bench_throughput.py                   # SQLite, 50 connections, 10 s a page
    .venv/bin/python bench/bench_throughput.py --db postgres --seconds 15 --connections 50
    .venv/bin/python bench/bench_throughput.py --only /healthz,/son-la/   # a few pages (paths as listed)
    .venv/bin/python bench/bench_throughput.py --scale 10    # a city ten times the demo (issue 17, item 4)

--scale 10 tops the demo city up to 1,000 spaces, 900 programmes and 120,000 learners (each with a membership of
a programme) in a database of its own (var/bench-throughput-x10/, lc_bench_throughput_x10), copying the demo's
rows with new codes; the same targets apply: a public page's cost must not grow with the city's size.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from _report import Report

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
PG_DB = os.environ.get("BENCH_PG_DB", "lc_bench_throughput")  # a name of your own on a shared server
CITY = "son-la"

HELLO_BODY = b"Hello, world!\n"
# Seconds between two connections' first connect in the warm-up (people arrive one after another).
STAGGER = 0.005


def hello(environ, start_response):
    """The bare WSGI app: the machine's (and this client's) ceiling under the same gunicorn settings."""
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(HELLO_BODY)))])
    return [HELLO_BODY]


# ---------------------------------------------------------------------------------------------------- load client


class Result:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.errors = 0
        self.timeouts = 0
        self.statuses: dict[int, int] = {}
        self.cached = 0  # responses that said they came from the public page cache (X-Page-Cache: hit)
        self.bytes = 0


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], int]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    size = 0
    if "content-length" in headers:
        size = int(headers["content-length"])
        await reader.readexactly(size)
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            line = await reader.readuntil(b"\r\n")
            n = int(line.split(b";")[0], 16)
            await reader.readexactly(n + 2)
            size += n
            if n == 0:
                break
    elif status not in (204, 304):
        size = len(await reader.read())  # read to close
        headers["connection"] = "close"
    return status, headers, size


async def _connection(  # noqa: C901 - a minimal HTTP/1.1 client loop, kept in one frame
    port, request: bytes, stop_at: float, count_from: float, res: Result, timeout: float, delay: float = 0.0
):
    await asyncio.sleep(delay)
    reader = writer = None
    while time.monotonic() < stop_at:
        try:
            if writer is None:
                reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout)
            t0 = time.monotonic()
            writer.write(request)
            status, headers, size = await asyncio.wait_for(_read_response(reader), timeout)
            t1 = time.monotonic()
            if t0 >= count_from and t1 <= stop_at:
                res.latencies.append(t1 - t0)
                res.statuses[status] = res.statuses.get(status, 0) + 1
                res.bytes += size
                if status >= 400:
                    res.errors += 1
                if headers.get("x-page-cache") == "hit":
                    res.cached += 1
            if headers.get("connection", "").lower() == "close":
                writer.close()
                writer = None
        except TimeoutError:
            if time.monotonic() >= count_from:
                res.timeouts += 1
            if writer is not None:
                writer.close()
            writer = None
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
            if time.monotonic() >= count_from:
                res.errors += 1
            if writer is not None:
                writer.close()
            writer = None
            await asyncio.sleep(0.01)
    if writer is not None:
        writer.close()


def drive(
    port: int, path: str, *, connections: int, seconds: float, warmup: float, headers: dict, timeout: float
):
    extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    request = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: lc-bench-throughput\r\n"
        f"Accept: text/html,application/json;q=0.9,*/*;q=0.8\r\nAccept-Encoding: gzip, deflate\r\n"
        f"Accept-Language: vi,en;q=0.5\r\n{extra}\r\n"
    ).encode("latin-1")
    res = Result()

    async def run():
        start = time.monotonic()
        count_from, stop_at = start + warmup, start + warmup + seconds
        await asyncio.gather(
            *(
                _connection(port, request, stop_at, count_from, res, timeout, delay=i * STAGGER)
                for i in range(connections)
            )
        )

    asyncio.run(run())
    lat = sorted(res.latencies)

    def pct(p):
        return lat[min(len(lat) - 1, int(len(lat) * p))] * 1000 if lat else float("nan")

    return {
        "path": path,
        "requests": len(lat),
        "rps": len(lat) / seconds,
        "p50_ms": pct(0.50),
        "p99_ms": pct(0.99),
        "errors": res.errors,
        "timeouts": res.timeouts,
        "statuses": {str(k): v for k, v in sorted(res.statuses.items())},
        "cached_share": res.cached / len(lat) if lat else 0.0,
        "mean_bytes": res.bytes / len(lat) if lat else 0,
    }


def probe(port: int, path: str, headers: dict | None = None, timeout: float = 10) -> tuple[int, float, bytes]:
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers or {})
    t0 = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:  # loopback only
            return r.status, time.monotonic() - t0, r.read()
    except urllib.error.HTTPError as e:
        return e.code, time.monotonic() - t0, e.read()
    except OSError:  # a timeout or a refused connection: no status
        return 0, time.monotonic() - t0, b""


def settle(port: int, limit: float = 60) -> None:
    """Wait until the requests queued by the previous page are done (a quick /healthz), so they do not count."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        status, took, _ = probe(port, "/healthz", timeout=5)
        if status == 200 and took < 0.2:
            return
        time.sleep(0.5)


# ---------------------------------------------------------------------------------------------------- servers


def _suffix(scale: int) -> str:
    return f"-x{scale}" if scale > 1 else ""


def server_env(db: str, scale: int = 1) -> dict:
    data_dir = ROOT / "var" / f"bench-throughput{_suffix(scale)}"
    data_dir.mkdir(parents=True, exist_ok=True)
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        import secrets

        key_file.write_text(secrets.token_urlsafe(50))
    env = {
        **os.environ,
        "SECRET_KEY": key_file.read_text().strip(),
        "DEBUG": "0",
        "TESTING": "0",
        "SECURE_COOKIES": "0",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATA_DIR": str(data_dir),
        "LOG_LEVEL": "ERROR",
    }
    env.pop("DATABASE_URL", None)
    if db == "postgres":
        env["DATABASE_URL"] = f"{PG_URL}/{PG_DB}{_suffix(scale).replace('-', '_')}"
    return env


def prepare(env: dict, db: str, scale: int = 1) -> None:
    """Migrate, collect static files (once) and load the demo city into the bench database (idempotent); with a
    scale above 1, top the city up to that size (SCALE below)."""
    if db == "postgres":
        name = env["DATABASE_URL"].rsplit("/", 1)[1]
        out = subprocess.run(
            ["psql", f"{PG_URL}/postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{name}'"],
            capture_output=True,
            text=True,
            check=True,
        )
        if "1" not in out.stdout:
            subprocess.run(["psql", f"{PG_URL}/postgres", "-qc", f'CREATE DATABASE "{name}"'], check=True)
    manage = [str(VENV / "python"), "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    if not (Path(env["DATA_DIR"]) / "static" / "staticfiles.json").exists():
        subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run([*manage, "demo_load"], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    if scale > 1:
        script = SCALE % {
            "city": CITY,
            "spaces": 100 * scale,
            "programmes": 90 * scale,
            "learners": 12_000 * scale,
        }
        subprocess.run([*manage, "shell", "-c", script], env=env, cwd=ROOT, check=True)


SCALE = """
import datetime as dt, itertools
from django.db import transaction
from learningcity.core.models import City
from learningcity.places.models import LearningSpace
from learningcity.programmes.models import Learner, Membership, Programme
city = City.objects.get(slug=%(city)r)
def top_up(model, target, fix, batch=2000):
    have = model.objects.filter(city=city).count()
    models = list(model.objects.filter(city=city).order_by("pk")[:500])
    todo = max(0, target - have)
    made = []
    for i, src in zip(range(todo), itertools.cycle(models)):
        copy = model(**{f.attname: getattr(src, f.attname) for f in model._meta.concrete_fields if f.attname != "id"})
        fix(copy, have + i)
        made.append(copy)
        if len(made) >= batch:
            model.objects.bulk_create(made)
            made = []
    model.objects.bulk_create(made)
    return todo
def space_fix(s, i):
    s.code = f"X{i:06d}"
    s.name_vi = f"{s.name_vi} {i}"[:200]
def programme_fix(p, i):
    p.code = f"x-{i:06d}"
def learner_fix(learner, i):
    learner.code = f"XL{i:07d}"
    learner.full_name = f"Learner {i}"
    learner.search_text = f"learner {i}"
with transaction.atomic():
    print("spaces added", top_up(LearningSpace, %(spaces)d, space_fix))
    print("programmes added", top_up(Programme, %(programmes)d, programme_fix))
    before = set(Learner.objects.filter(city=city).values_list("pk", flat=True))
    print("learners added", top_up(Learner, %(learners)d, learner_fix, batch=5000))
    new = Learner.objects.filter(city=city).exclude(pk__in=before).values_list("pk", flat=True) if before else []
    programmes = list(Programme.objects.filter(city=city).values_list("pk", flat=True))
    joined = dt.date(2025, 9, 1)
    batch = []
    for n, pk in enumerate(new):
        batch.append(Membership(city=city, programme_id=programmes[n %% len(programmes)], learner_id=pk, joined_on=joined))
        if len(batch) >= 5000:
            Membership.objects.bulk_create(batch)
            batch = []
    Membership.objects.bulk_create(batch)
print("city now", {m.__name__: m.objects.filter(city=city).count() for m in (LearningSpace, Programme, Learner, Membership)})
"""


FIXTURES = """
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from learningcity.core.models import City, User
from learningcity.core.services.accounts import api_token_create
from learningcity.competitions.models import Competition
city = City.objects.get(slug=%(city)r)
user = User.objects.get(username="admin")
s = SessionStore()
s[SESSION_KEY] = str(user.pk)
s[BACKEND_SESSION_KEY] = "learningcity.core.auth_backends.ModelBackend"
s[HASH_SESSION_KEY] = user.get_session_auth_hash()
s.create()
token = api_token_create(actor=user, user=user, city=city, name="bench throughput")[1]
comp = Competition.objects.filter(city=city, results_published_at__isnull=False).order_by("pk").first()
comp = comp or Competition.objects.filter(city=city).order_by("pk").first()
print("FIXTURES " + json.dumps({"session": s.session_key, "token": token, "competition": comp.slug if comp else ""}))
"""


def fixtures(env: dict) -> dict:
    out = subprocess.run(
        [str(VENV / "python"), "manage.py", "shell", "-c", FIXTURES % {"city": CITY}],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    line = next(line for line in out.stdout.splitlines() if line.startswith("FIXTURES "))
    return json.loads(line.removeprefix("FIXTURES "))


def deployed_workers() -> tuple[int, int]:
    """Processes and threads as deploy/gunicorn.conf.py sets them on this machine (2 processes a core, 4 threads;
    GUNICORN_WORKERS / GUNICORN_THREADS override it there as here)."""
    import runpy

    conf = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    return int(conf["workers"]), int(conf["threads"])


def gunicorn(
    app: str, port: int, env: dict, extra: list[str], workers: int, threads: int
) -> subprocess.Popen:
    cmd = [
        str(VENV / "gunicorn"), app, "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
        "--threads", str(threads), "--log-level", "warning", "--keep-alive", "5", *extra,
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, start_new_session=True)
    for _ in range(120):
        try:
            probe(port, "/healthz" if app == "config.wsgi" else "/", timeout=2)
            return proc
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"gunicorn {app} did not start") from None
            time.sleep(0.5)
    raise SystemExit(f"gunicorn {app} did not answer on port {port}")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


# ---------------------------------------------------------------------------------------------------- pages

TARGETS = {"health": 0.30, "cached": 0.30, "public": 0.15, "staff": 0.07, "api": 0.07}


def pages(fx: dict) -> list[tuple[str, str, dict]]:
    """(kind, path, extra headers) for every page measured."""
    staff = {"Cookie": f"sessionid={fx['session']}"}
    api = {"Authorization": f"Bearer {fx['token']}"}
    comp = fx["competition"]
    listed = [
        ("health", "/healthz", {}),
        ("public", f"/{CITY}/", {}),
        ("public", f"/{CITY}/spaces/", {}),
        ("public", f"/{CITY}/spaces/map/", {}),
        ("public", f"/api/v1/cities/{CITY}/spaces.geojson", {}),
        ("public", f"/api/v1/cities/{CITY}/spaces.geojson?bbox={MAP_TILE}", {}),
        ("public", f"/{CITY}/programmes/", {}),
        ("public", f"/{CITY}/calendar/", {}),
        ("public", f"/{CITY}/participation/", {}),
        ("public", f"/{CITY}/indicators/", {}),
        ("public", f"/{CITY}/competitions/", {}),
    ]
    if comp:
        listed.append(("public", f"/{CITY}/competitions/{comp}/results/", {}))
    listed += [
        ("public", f"/api/v1/cities/{CITY}/spaces", {}),
        ("staff", f"/{CITY}/manage/spaces/", staff),
        ("staff", f"/{CITY}/manage/participation/", staff),
        ("api", f"/api/v1/cities/{CITY}/spaces?limit=20", api),
    ]
    return listed


# The tile the map (places/static/places/map.js) asks for first over Son La at zoom 12: 360/2^10 degrees a side.
MAP_TILE = "103.7109375%2C21.09375%2C104.0625%2C21.4453125"  # commas escaped: --only splits on commas

BAD_INPUT = [
    ("bad bbox", f"/api/v1/cities/{CITY}/spaces.geojson?bbox=104%2C21%2C103%2C22", {400}),
    ("oversized bbox", f"/api/v1/cities/{CITY}/spaces.geojson?bbox=90%2C10%2C120%2C30", {400}),
    # (what, path, statuses that are a clear answer)
    ("deep page", f"/{CITY}/spaces/?page=100000", {200, 404}),
    ("deep page", f"/{CITY}/programmes/?page=100000", {200, 404}),
    ("long query string", f"/{CITY}/spaces/?q=" + "a" * 9000, {400, 414}),
    ("unknown filter value", f"/{CITY}/programmes/?kind=no-such-kind", {400}),
    ("unknown filter value", f"/{CITY}/spaces/?type=no-such-type", {400}),
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--warmup", type=float, default=2.0)
    ap.add_argument("--timeout", type=float, default=5.0, help="a request slower than this is a timeout")
    ap.add_argument("--port", type=int, default=8310, help="the app; the bare app listens on port + 1")
    ap.add_argument("--only", default="", help="comma-separated paths (as listed) to measure")
    ap.add_argument("--out", default="", help="JSON file for the figures")
    ap.add_argument("--label", default="", help="a note stored with the figures (e.g. before/after)")
    ap.add_argument("--scale", type=int, default=1, help="10: a city ten times the demo (1,000 spaces, ...)")
    workers, threads = deployed_workers()
    ap.add_argument("--workers", type=int, default=workers, help="gunicorn processes (default: as deployed)")
    ap.add_argument("--threads", type=int, default=threads, help="threads a process (default: as deployed)")
    args = ap.parse_args()
    out_path = Path(args.out or ROOT / "var" / "bench-throughput" / f"{args.db}{_suffix(args.scale)}.json")

    env = server_env(args.db, args.scale)
    print(f"preparing the {args.db} database (migrate, demo_load, scale {args.scale})", flush=True)
    prepare(env, args.db, args.scale)
    fx = fixtures(env)
    hello_env = {**env, "PYTHONPATH": str(ROOT / "bench")}
    server = (args.workers, args.threads)
    print(
        f"gunicorn: {args.workers} processes x {args.threads} threads (the app and the bare app)", flush=True
    )
    app = gunicorn("config.wsgi", args.port, env, [], *server)
    bare = gunicorn("bench_throughput:hello", args.port + 1, hello_env, [], *server)
    results: list[dict] = []
    bad: list[dict] = []
    load = {
        "connections": args.connections,
        "seconds": args.seconds,
        "warmup": args.warmup,
        "timeout": args.timeout,
    }
    try:
        # Every worker of both servers booted before anything counts: a worker still importing the app accepts no
        # connection, so the first to be ready would hold them all (measured: the bare app at 6,500 requests/s,
        # one process's ceiling, instead of 11,000-13,000 with its workers sharing the connections).
        for port, path in ((args.port + 1, "/"), (args.port, "/healthz")):
            drive(port, path, headers={}, **{**load, "seconds": 2.0, "warmup": 2.0})
        bare1 = drive(args.port + 1, "/", headers={}, **load)
        print(f"bare WSGI hello: {bare1['rps']:.0f} requests/s, p50 {bare1['p50_ms']:.1f} ms", flush=True)
        wanted = {p.strip() for p in args.only.split(",") if p.strip()}
        for kind, path, headers in pages(fx):
            if wanted and path not in wanted:
                continue
            settle(args.port)
            status, _, _ = probe(args.port, path, headers, timeout=30)
            r = drive(args.port, path, headers=headers, **load)
            r["kind"], r["first_status"] = kind, status
            results.append(r)
            print(f"  {path:<48} {r['rps']:>7.0f} req/s  p50 {r['p50_ms']:>6.1f}  p99 {r['p99_ms']:>6.1f} ms  "
                  f"errors {r['errors']} timeouts {r['timeouts']}", flush=True)  # fmt: skip
        bare2 = drive(args.port + 1, "/", headers={}, **load)
        for what, path, ok in BAD_INPUT:
            settle(args.port)
            status, took, _ = probe(args.port, path)
            bad.append(
                {"what": what, "path": path[:80], "status": status, "ms": took * 1000, "ok": status in ok}
            )
    finally:
        stop(app)
        stop(bare)

    bare_rps = (bare1["rps"] + bare2["rps"]) / 2
    missed: list[str] = []
    print(f"\n{'page':<52} {'kind':<7} {'req/s':>7} {'ratio':>6} {'target':>6} {'p50':>7} {'p99 ms':>7} "
          f"{'err':>4} {'tmo':>4} {'cache':>5}")  # fmt: skip
    print(f"{'bare WSGI hello (before / after)':<52} {'':<7} {bare_rps:>7.0f} {1:>6.2f} {'':>6} "
          f"{bare1['p50_ms']:>7.1f} {bare1['p99_ms']:>7.1f} {bare1['errors'] + bare2['errors']:>4} "
          f"{bare1['timeouts'] + bare2['timeouts']:>4}     -   ({bare1['rps']:.0f} / {bare2['rps']:.0f})")  # fmt: skip
    for r in results:
        kind = "cached" if r["kind"] == "public" and r["cached_share"] >= 0.5 else r["kind"]
        r["ratio"] = r["rps"] / bare_rps if bare_rps else 0.0
        r["target"] = TARGETS[kind]
        r["met"] = (
            r["ratio"] >= r["target"]
            and r["errors"] == 0
            and r["timeouts"] == 0
            and r["p99_ms"] < 500
            and r["requests"] > 0
        )
        if not r["met"]:
            missed.append(r["path"])
        print(f"{r['path'][:52]:<52} {kind:<7} {r['rps']:>7.0f} {r['ratio']:>6.2f} {r['target']:>6.2f} "
              f"{r['p50_ms']:>7.1f} {r['p99_ms']:>7.1f} {r['errors']:>4} {r['timeouts']:>4} "
              f"{r['cached_share']:>5.0%}{'' if r['met'] else '  MISSED'}")  # fmt: skip
    print("\nbad input (one request each):")
    for b in bad:
        print(
            f"  {b['what']:<22} {b['status']} in {b['ms']:.0f} ms  {b['path'][:60]}{'' if b['ok'] else '  UNCLEAR'}"
        )
    load1, load5, _ = os.getloadavg()
    machine = f"{os.cpu_count()} cores, load average {load1:.1f} (1 min) {load5:.1f} (5 min) at the end"
    print(f"\nmachine: {machine}; client: Python asyncio, {args.connections} connections, same cores")
    summary = {
        "db": args.db,
        "scale": args.scale,
        "label": args.label,
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": machine,
        "connections": args.connections,
        "seconds": args.seconds,
        "workers": args.workers,
        "threads": args.threads,
        "bare": {"rps": bare_rps, "before": bare1, "after": bare2},
        "pages": results,
        "bad_input": bad,
        "missed": missed,
        "median_ratio_public": statistics.median(
            [r["ratio"] for r in results if r["kind"] == "public"] or [0]
        ),
    }
    # The shared report (bench/_report.py) adds the run's commit, cpu count and load average to the same file and
    # gives the exit code: 1 when a page missed its target or a bad input had no clear answer.
    report = Report(
        f"throughput-{args.db}{_suffix(args.scale)}",
        out=out_path,
        params={
            **load,
            "db": args.db,
            "only": args.only,
            "scale": args.scale,
            "workers": args.workers,
            "threads": args.threads,
        },
    )
    report.figure("bare WSGI hello", bare_rps, "req/s")
    for r in results:
        report.check(
            r["path"],
            r["met"],
            f"{r['kind']}: ratio {r['ratio']:.2f} (target {r['target']:.2f}), p99 {r['p99_ms']:.0f} ms "
            f"(target < 500), errors {r['errors']}, timeouts {r['timeouts']}",
        )
    for b in bad:
        report.check(f"bad input, {b['what']}: {b['path'][:40]}", b["ok"], f"status {b['status']}")
    return report.finish(summary, table=False)


if __name__ == "__main__":
    sys.exit(main())
