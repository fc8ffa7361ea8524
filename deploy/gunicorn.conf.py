"""Gunicorn settings for the Learning City platform (read by `gunicorn -c deploy/gunicorn.conf.py config.wsgi`).

Every value can be overridden from the environment (systemd's EnvironmentFile), so one file serves the small
city server, the production-like stack of `make prod-up` and a larger app node.
"""

import multiprocessing
import os

# Behind nginx on the same host: listen on loopback only (or a unix socket: GUNICORN_BIND=unix:/run/learningcity/gunicorn.sock).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Threads hide the time a request waits on PostgreSQL; processes use the cores. 2 processes per core, 4 threads
# each: on the 2-core reference node that is 4 x 4 = 16 requests in flight (and at most 16 database connections
# per node with persistent connections: keep max_connections above nodes x 16 + the worker + maintenance).
workers = int(os.environ.get("GUNICORN_WORKERS", str(max(2, multiprocessing.cpu_count() * 2))))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

# A request that takes longer than this is killed and logged: exports and reports belong in the task worker.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5

# Recycle workers now and then so a slow leak can never take the node down.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500

# Trust X-Forwarded-* only from the local nginx.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

# Heartbeat files in memory, not on a slow or full disk.
_SHM = "/dev/shm"  # noqa: S108 - gunicorn heartbeat files, owned by the worker processes
worker_tmp_dir = _SHM if os.path.isdir(_SHM) else None

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
proc_name = "learningcity"
