"""Fault drills against the production-like stack, on a PostgreSQL cluster of its own (so restarting it disturbs
no one else's database): bounded, loopback only.

1. PostgreSQL restarted during load: 4 client threads read (/healthz and an API list backed by the database)
   while the cluster is stopped for a few seconds and started again. Expected: errors only while it is down, and
   the app recovers by itself (CONN_HEALTH_CHECKS replaces the broken persistent connections); prints how long
   the outage and the recovery lasted and how many requests failed outside the outage (must be 0).
2. Worker killed mid-job: a slow all-or-nothing import (learningcity.ops.tasks.drill_import) is killed with
   SIGKILL half way. Expected: no row of it in the database, the task left RUNNING; the worker's restart
   (requeue_tasks, then db_worker) runs it again and it leaves exactly its rows, once.

Prints each measured figure beside its baseline (requests before the fault), writes var/bench/faults.json and
exits 1 when an expectation did not hold, 2 when the drills cannot run (not root). Needs root (pg_createcluster),
the production-like stack's tools (`make faults`, not `make bench`) and about 2 minutes.
"""

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from _report import Report

ROOT = Path(__file__).resolve().parent.parent
STACK = ROOT / "scripts" / "prodstack.sh"
VERSION = sorted(os.listdir("/etc/postgresql"))[-1] if os.path.isdir("/etc/postgresql") else "15"
CLUSTER, PGPORT, PORT = "lcfault", "5439", "8101"
ENV = {
    **os.environ,
    "PROD_PORT": PORT,
    "PROD_DB": "lc_fault",
    "PROD_DIR": str(ROOT / "var" / "prod-fault"),
    "PROD_PGPORT": PGPORT,
    "PROD_PGCLUSTER": CLUSTER,
}
HOST = f"http://127.0.0.1:{PORT}"
PSQL = ["psql", "-h", "127.0.0.1", "-p", PGPORT, "-U", "postgres", "-d", "lc_fault", "-tAc"]
report = Report("faults", params={"cluster": f"{VERSION}/{CLUSTER}", "port": PORT})


def sh(*cmd, check=True, **kw):
    return subprocess.run(cmd, check=check, cwd=ROOT, env=ENV, text=True, capture_output=True, **kw)


def sql(query: str) -> str:
    return sh(*PSQL, query).stdout.strip()


def ensure_cluster():
    listed = sh("pg_lsclusters", "-h").stdout
    if not any(line.split()[:2] == [VERSION, CLUSTER] for line in listed.splitlines()):
        print(f"creating PostgreSQL cluster {VERSION}/{CLUSTER} on port {PGPORT} (trust auth, loopback)")
        sh(
            "pg_createcluster",
            VERSION,
            CLUSTER,
            "-p",
            PGPORT,
            "--",
            "--auth-local=trust",
            "--auth-host=trust",
        )
    sh("pg_ctlcluster", "--skip-systemctl-redirect", VERSION, CLUSTER, "start", check=False)


def get(path: str, timeout=5.0) -> int:
    try:
        with urllib.request.urlopen(HOST + path, timeout=timeout) as r:
            r.read()
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return 0


def drill_postgres_restart():
    print("\n== 1. PostgreSQL restarted during load")
    log: list[tuple[float, int]] = []
    stop = threading.Event()
    t0 = time.monotonic()
    paths = ["/healthz", "/api/v1/cities/son-la/spaces", "/api/v1/cities/son-la/areas?limit=50"]

    def client(i):
        n = 0
        while not stop.is_set():
            status = get(paths[(i + n) % len(paths)])
            log.append((time.monotonic() - t0, status))
            n += 1
            time.sleep(0.05)

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(4)]
    for t in threads:
        t.start()
    time.sleep(8)
    down_at = time.monotonic() - t0
    sh("pg_ctlcluster", "--skip-systemctl-redirect", VERSION, CLUSTER, "stop", "-m", "fast")
    time.sleep(5)
    sh("pg_ctlcluster", "--skip-systemctl-redirect", VERSION, CLUSTER, "start")
    up_at = time.monotonic() - t0
    time.sleep(12)
    stop.set()
    for t in threads:
        t.join(timeout=10)
    before = [s for t, s in log if t < down_at]
    during = [s for t, s in log if down_at <= t < up_at]
    after = sorted((t, s) for t, s in log if t >= up_at)
    first_bad_after = [t for t, s in after if s != 200]
    recovered_at = max(first_bad_after) if first_bad_after else up_at
    late = [s for t, s in after if t > up_at + 2 and s != 200]
    ok_before = sum(1 for s in before if s == 200)
    print(f"baseline before the fault: {ok_before}/{len(before)} requests answered 200")
    print(
        f"database down {up_at - down_at:.1f} s: {sum(1 for s in during if s != 200)}/{len(during)} requests failed "
        f"(status codes {sorted(set(during))})"
    )
    print(
        f"recovered {max(0.0, recovered_at - up_at):.2f} s after the database was back; "
        f"failures more than 2 s after: {len(late)}; 200s after: {sum(1 for _, s in after if s == 200)}/{len(after)}"
    )
    try:
        os.kill(worker_pid(), 0)
        print("task worker: survived the restart")
    except OSError:
        print(
            "task worker: exited on the lost connection (django-tasks-db re-raises it); "
            "systemd's Restart=always brings it back within RestartSec=5 s"
        )
    report.figure("requests answered before the fault", ok_before, note=f"of {len(before)}")
    report.figure("database down", up_at - down_at, "s")
    report.figure(
        "requests failed while it was down", sum(1 for s in during if s != 200), note=f"of {len(during)}"
    )
    report.figure("recovery after the database was back", max(0.0, recovered_at - up_at), "s")
    report.figure("requests failed more than 2 s after it was back", len(late), target=0, op="<=")
    report.check(
        "every request answered before the fault", ok_before == len(before), f"{ok_before}/{len(before)}"
    )
    report.check(
        "gunicorn answered while the database was down (no refused connection or timeout)",
        0 not in during,
        f"status codes {sorted(set(during))}",
    )


def worker_pid() -> int:
    return int((Path(ENV["PROD_DIR"]) / "run" / "worker.pid").read_text())


def drill_worker_killed():
    print("\n== 2. Worker killed mid-job")
    sh(str(STACK), "worker")  # as systemd would: a worker that died in drill 1 is started again
    # Leftovers of an interrupted earlier run would queue before this job.
    sql("DELETE FROM django_tasks_database_dbtaskresult WHERE task_path LIKE 'learningcity.ops.tasks.%'")
    label = uuid.uuid4().hex[:8]
    rows, pause = 300, 20  # about 6 s of work
    code = (
        "from learningcity.ops.tasks import drill_import; "
        f"print(drill_import.enqueue({label!r}, {rows}, {pause}).id)"
    )
    task_id = sh(str(STACK), "manage", "shell", "-c", code).stdout.strip().splitlines()[-1]
    started = time.monotonic()
    while sql(f"SELECT status FROM django_tasks_database_dbtaskresult WHERE id='{task_id}'") != "RUNNING":
        if time.monotonic() - started > 30:
            report.check("the worker started the drill task", False, "not within 30 s")
            return
        time.sleep(0.2)
    progress = Path(ENV["PROD_DIR"]) / f"drill-{label}.progress"
    while not progress.exists() or float(progress.read_text() or 0) < 0.4:
        if time.monotonic() - started > 60:
            report.check("the drill task made progress", False, "not within 60 s")
            return
        time.sleep(0.1)
    pid = worker_pid()
    os.kill(pid, signal.SIGKILL)
    print(f"killed the worker (pid {pid}) at {float(progress.read_text()) * 100:.0f} % of the job")
    time.sleep(1)
    left = int(sql(f"SELECT count(*) FROM core_auditentry WHERE object_type='ops.drill' AND note='{label}'"))
    status = sql(f"SELECT status FROM django_tasks_database_dbtaskresult WHERE id='{task_id}'")
    print(f"after the kill: {left} rows of the job in the database (expected 0), task {status}")
    report.figure("partial rows after the worker was killed", left, target=0, op="<=")
    t = time.monotonic()
    sh(str(STACK), "worker")  # requeue_tasks, then a new worker (the unit's ExecStartPre and ExecStart)
    while sql(f"SELECT status FROM django_tasks_database_dbtaskresult WHERE id='{task_id}'") != "SUCCESSFUL":
        if time.monotonic() - t > 60:
            break
        time.sleep(0.3)
    done = int(sql(f"SELECT count(*) FROM core_auditentry WHERE object_type='ops.drill' AND note='{label}'"))
    final = sql(f"SELECT status FROM django_tasks_database_dbtaskresult WHERE id='{task_id}'")
    print(
        f"after the restart: task {final} in {time.monotonic() - t:.1f} s, {done} rows (expected exactly {rows})"
    )
    report.check(
        "the requeued task finished",
        final == "SUCCESSFUL",
        f"task {final} after {time.monotonic() - t:.0f} s",
    )
    report.figure("rows after the rerun", done, target=rows, op="==", note="exactly the job's rows, once")
    sql(f"DELETE FROM core_auditentry WHERE object_type='ops.drill' AND note='{label}'")


def main() -> int:
    if os.geteuid() != 0:
        return report.cannot_run(
            "the fault drills need root (they create and restart their own PostgreSQL cluster)"
        )
    ensure_cluster()
    print("starting the stack on port", PORT)
    out = sh(str(STACK), "up", check=False)
    if out.returncode:
        print(out.stdout, out.stderr)
        report.check("the production-like stack started", False, f"exit code {out.returncode}")
        return report.finish()
    try:
        drill_postgres_restart()
        drill_worker_killed()
    finally:
        sh(str(STACK), "down", check=False)
        sh("pg_ctlcluster", "--skip-systemctl-redirect", VERSION, CLUSTER, "stop", check=False)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
