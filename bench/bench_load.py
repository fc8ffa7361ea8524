"""Load: 100 simulated people for 120 s (locust, headless) against the production-like stack on 127.0.0.1.

Residents on the map, the spaces and the calendar; club leaders taking attendance; staff on the dashboards (see
bench/locustfile.py). Starts the stack (scripts/prodstack.sh: PostgreSQL, gunicorn, the task worker, DEBUG=0,
demo data) if it is not running, and stops it again afterwards. Prints requests per second, the error count and
the 95th percentile, beside a baseline measured in the same run (one client on /healthz, the cheapest request
that still touches the database) and the ratio. Loopback only; bounded in time. Needs the production-like stack
(`make load`, not `make bench`). Writes var/bench/load.json; exits 1 when the target (0 errors, p95 < 500 ms) is
missed or locust did not run.

    .venv/bin/python bench/bench_load.py            # LOAD_USERS=100 LOAD_SECONDS=120 PROD_PORT=8100
"""

import csv
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from _report import Report

ROOT = Path(__file__).resolve().parent.parent
STACK = ROOT / "scripts" / "prodstack.sh"
PORT = int(os.environ.get("PROD_PORT", "8100"))
HOST = f"http://127.0.0.1:{PORT}"
USERS = int(os.environ.get("LOAD_USERS", "100"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "120"))
# Count only the steady state: the statistics restart once every user has arrived and logged in (the ramp-up
# is 10 s of Argon2 logins, deliberately slow; see started() in the locustfile), and the run is longer by
# RAMP_SECONDS so that the counted part lasts about LOAD_SECONDS. LOAD_STEADY=0 counts everything.
STEADY = os.environ.get("LOAD_STEADY", "1") == "1"
RAMP_SECONDS = int(os.environ.get("LOAD_RAMP_SECONDS", "20")) if STEADY else 0
TOKEN_USERS = ["admin", "coord.chiengcoi", "space.meban"]


def _ms(value: str) -> float:
    """A time column of locust's CSV ("N/A" where an endpoint had no request in the counted window)."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def healthy() -> bool:
    try:
        with urllib.request.urlopen(f"{HOST}/healthz", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def baseline(seconds: float = 5.0) -> tuple[float, float]:
    """One client, requests back to back on /healthz: (requests/s, p95 ms)."""
    times = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        t = time.perf_counter()
        with urllib.request.urlopen(f"{HOST}/healthz", timeout=5) as r:
            r.read()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return len(times) / seconds, times[int(len(times) * 0.95) - 1]


def api_tokens(path: Path) -> None:
    code = (
        "import json; from learningcity.core.models import City, User; "
        "from learningcity.core.services.accounts import api_token_create; "
        "c = City.objects.get(slug='son-la'); out = {}\n"
        f"for name in {TOKEN_USERS!r}:\n"
        "    u = User.objects.filter(username=name).first()\n"
        "    if u: out[name] = api_token_create(actor=u, user=u, city=c, name='load test')[1]\n"
        f"open({str(path)!r}, 'w').write(json.dumps(out))"
    )
    subprocess.run([str(STACK), "manage", "shell", "-c", code], check=True, cwd=ROOT)


def main() -> int:
    started_here = False
    if not healthy():
        print("starting the production-like stack (scripts/prodstack.sh up)")
        subprocess.run([str(STACK), "up"], check=True, cwd=ROOT)
        started_here = True
    try:
        with tempfile.TemporaryDirectory(prefix="lc-load-") as tmp:
            tokens = Path(tmp) / "tokens.json"
            api_tokens(tokens)
            base_rps, base_p95 = baseline()
            env = {**os.environ, "LOAD_TOKENS": str(tokens)}
            cmd = [
                str(ROOT / ".venv" / "bin" / "locust"),
                "-f", str(ROOT / "bench" / "locustfile.py"),
                "--headless", "-u", str(USERS), "-r", str(max(1, USERS // 10)), "-t", f"{SECONDS + RAMP_SECONDS}s",
                "--host", HOST, "--csv", f"{tmp}/load", "--only-summary", "--stop-timeout", "5",
                "--loglevel", "WARNING",
            ]  # fmt: skip
            print(f"locust: {USERS} users for {SECONDS} s against {HOST}")
            run = subprocess.run(
                cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=SECONDS + RAMP_SECONDS + 120
            )
            if STEADY and "steady state from here" not in run.stdout + run.stderr:
                print("warning: not every user finished starting; the whole run is counted", file=sys.stderr)
            with open(f"{tmp}/load_stats.csv", newline="") as f:
                rows = list(csv.DictReader(f))
            failures_csv = Path(f"{tmp}/load_failures.csv")
            failures = list(csv.DictReader(failures_csv.open())) if failures_csv.exists() else []
    finally:
        if started_here:
            subprocess.run([str(STACK), "down"], cwd=ROOT)
    total = next(r for r in rows if r["Name"] == "Aggregated")
    endpoints = [r for r in rows if r["Name"] != "Aggregated"]
    rps = float(total["Requests/s"])
    errors = int(total["Failure Count"])
    p95 = float(total["95%"])
    print(f"\n{'endpoint':<62} {'requests':>8} {'errors':>6} {'median':>7} {'p95 ms':>7}")
    for r in sorted(endpoints, key=lambda r: -_ms(r["95%"]))[:20]:
        print(f"{r['Type'] + ' ' + r['Name']:<62.62} {r['Request Count']:>8} {r['Failure Count']:>6} "
              f"{float(r['Median Response Time']):>7.0f} {_ms(r['95%']):>7.0f}")  # fmt: skip
    for f in failures[:10]:
        print(f"  error: {f['Method']} {f['Name']}: {f['Error']} x{f['Occurrences']}")
    load1, load5, _ = os.getloadavg()
    print(
        f"\nmachine: {os.cpu_count()} cores, load average {load1:.1f} (1 min) {load5:.1f} (5 min) at the end"
    )
    print(f"counted: {'steady state (after ramp-up and logins)' if STEADY else 'whole run'}")
    print(f"requests: {total['Request Count']}, errors: {errors}, requests/s: {rps:.1f}")
    print(
        f"p95: {p95:.0f} ms under load, baseline p95 {base_p95:.1f} ms (one client on /healthz, {base_rps:.0f} req/s)"
    )
    print(f"ratio p95 load/baseline: {p95 / base_p95:.1f}x; median {total['Median Response Time']} ms; "
          f"max {float(total['Max Response Time']):.0f} ms")  # fmt: skip
    report = Report("load", params={"users": USERS, "seconds": SECONDS, "steady": STEADY, "host": HOST})
    report.figure("requests/s", rps, "req/s", baseline=base_rps, baseline_label="one client on /healthz")
    report.figure("errors", errors, target=0, op="<=")
    report.figure(
        "p95 under load", p95, "ms", target=500, baseline=base_p95, baseline_label="one client on /healthz"
    )
    report.check("locust ran to the end", run.returncode in (0, 1), f"exit code {run.returncode}")
    if run.returncode not in (0, 1):  # locust exits 1 when any request failed
        print(run.stderr[-2000:], file=sys.stderr)
    endpoints_out = [
        {"name": r["Type"] + " " + r["Name"], "requests": int(r["Request Count"]),
         "errors": int(r["Failure Count"]), "median_ms": _ms(r["Median Response Time"]), "p95_ms": _ms(r["95%"])}
        for r in endpoints
    ]  # fmt: skip
    return report.finish({"endpoints": endpoints_out, "failures": failures[:50]})


if __name__ == "__main__":
    sys.exit(main())
