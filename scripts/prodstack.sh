#!/usr/bin/env bash
# A production-like stack on 127.0.0.1: PostgreSQL, gunicorn (deploy/gunicorn.conf.py, DEBUG=0, a generated
# secret) and the django-tasks worker. Used by `make prod-up` / `make prod-down`, the load test and the fault
# drills. Plain HTTP on loopback, so the TLS-only settings (secure cookies, https redirect) are off here.
#
#   scripts/prodstack.sh up | down | status | worker | manage ARGS... | env
#
# Settings (environment): PROD_PORT (8100), PROD_DB (lc_prod), PROD_DIR (var/prod), PROD_DEMO (1: load the demo),
# PROD_PGPORT (5432) and PROD_PGCLUSTER (main): another local cluster, as the fault drill uses;
# PROD_RESET=1 drops the database and the uploads first (a fresh demo).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY="$ROOT/.venv/bin/python"
PORT=${PROD_PORT:-8100}
DB=${PROD_DB:-lc_prod}
DIR=${PROD_DIR:-$ROOT/var/prod}
PGPORT=${PROD_PGPORT:-5432}
PGURL="postgres://postgres@127.0.0.1:$PGPORT"
mkdir -p "$DIR/run" "$DIR/log"

prod_env() {
  [ -s "$DIR/secret_key" ] || (umask 077 && "$PY" -c 'import secrets; print(secrets.token_urlsafe(50))' >"$DIR/secret_key")
  export SECRET_KEY; SECRET_KEY=$(cat "$DIR/secret_key")
  export DEBUG=0 TESTING=0 DATA_DIR="$DIR" DATABASE_URL="$PGURL/$DB" ALLOWED_HOSTS=127.0.0.1,localhost \
    SECURE_COOKIES=${SECURE_COOKIES:-0} SECURE_SSL_REDIRECT=${SECURE_SSL_REDIRECT:-0} \
    SECURE_HSTS_SECONDS=${SECURE_HSTS_SECONDS:-0} GUNICORN_BIND="127.0.0.1:$PORT" \
    GUNICORN_ACCESS_LOG="$DIR/log/access.log" LOG_LEVEL=${LOG_LEVEL:-WARNING}
}

postgres_up() {
  if ! pg_isready -h 127.0.0.1 -p "$PGPORT" -q; then
    echo "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" "${PROD_PGCLUSTER:-main}" start
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p "$PGPORT" -q && break; sleep 1; done
  fi
  psql "$PGURL/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='$DB'" | grep -q 1 \
    || psql "$PGURL/postgres" -qc "CREATE DATABASE \"$DB\""
}

# Running, and not a zombie (a killed process that nobody has reaped yet still answers kill -0).
alive() {
  [ -s "$1" ] || return 1
  local state; state=$(ps -o stat= -p "$(cat "$1")" 2>/dev/null) || return 1
  [ -n "$state" ] && [[ "$state" != Z* ]]
}

up() {
  if [ "${PROD_RESET:-0}" = "1" ]; then
    down
    echo "PROD_RESET=1: dropping database $DB and $DIR/media"
    psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" 2>/dev/null || true
    rm -rf "$DIR/media"
  fi
  postgres_up
  prod_env
  "$PY" manage.py migrate --noinput -v0
  "$PY" manage.py collectstatic --noinput -v0
  # Deployment checks, cookie flags and CSRF through real requests: once as on loopback (plain HTTP), once with
  # the production TLS settings, which must leave no warning at all.
  "$PY" manage.py security_check --loopback >"$DIR/log/security.txt" 2>&1 \
    && SECURE_COOKIES=1 SECURE_SSL_REDIRECT=1 SECURE_HSTS_SECONDS=31536000 "$PY" manage.py security_check \
      >>"$DIR/log/security.txt" 2>&1 \
    || { cat "$DIR/log/security.txt" >&2; exit 1; }
  if [ "${PROD_DEMO:-1}" = "1" ]; then "$PY" manage.py demo_load >"$DIR/log/demo.txt" && head -1 "$DIR/log/demo.txt"; fi
  if alive "$DIR/run/web.pid"; then
    echo "gunicorn already running (pid $(cat "$DIR/run/web.pid"))"
  else
    # Not --daemon: Django's own log (stderr) must reach the log file too.
    nohup "$ROOT/.venv/bin/gunicorn" -c deploy/gunicorn.conf.py config.wsgi \
      >>"$DIR/log/gunicorn.log" 2>&1 </dev/null &
    echo $! >"$DIR/run/web.pid"
  fi
  worker
  for _ in $(seq 1 60); do
    if curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; then
      echo "up: http://127.0.0.1:$PORT/son-la/ (gunicorn pid $(cat "$DIR/run/web.pid"), worker pid $(cat "$DIR/run/worker.pid"), database $DB)"
      return 0
    fi
    sleep 0.5
  done
  echo "gunicorn did not answer /healthz; see $DIR/log/gunicorn.log" >&2
  tail -20 "$DIR/log/gunicorn.log" >&2
  exit 1
}

# The task worker alone, as its systemd unit does: tasks it left RUNNING when it died go back to the queue first.
worker() {
  prod_env
  if alive "$DIR/run/worker.pid"; then
    echo "worker already running (pid $(cat "$DIR/run/worker.pid"))"
  else
    "$PY" manage.py requeue_tasks --worker-id prod-worker >>"$DIR/log/worker.log"
    nohup "$PY" manage.py db_worker --no-reload --interval 1 --worker-id prod-worker \
      >>"$DIR/log/worker.log" 2>&1 </dev/null &
    echo $! >"$DIR/run/worker.pid"
  fi
}

stop_pid() {
  local file=$1 name=$2
  if alive "$file"; then
    local pid; pid=$(cat "$file")
    kill -TERM "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    echo "stopped $name (pid $pid)"
  fi
  rm -f "$file"
}

down() {
  stop_pid "$DIR/run/web.pid" gunicorn
  stop_pid "$DIR/run/worker.pid" worker
}

status() {
  alive "$DIR/run/web.pid" && echo "gunicorn: pid $(cat "$DIR/run/web.pid")" || echo "gunicorn: stopped"
  alive "$DIR/run/worker.pid" && echo "worker: pid $(cat "$DIR/run/worker.pid")" || echo "worker: stopped"
  curl -sS "http://127.0.0.1:$PORT/healthz" 2>/dev/null || true; echo
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  worker) worker ;;
  status) status ;;
  manage) shift; prod_env; exec "$PY" manage.py "$@" ;;
  env) prod_env; echo "export SECRET_KEY=... DEBUG=0 DATA_DIR=$DATA_DIR DATABASE_URL=$DATABASE_URL PORT=$PORT" ;;
  *) echo "usage: $0 up|down|status|env" >&2; exit 2 ;;
esac
