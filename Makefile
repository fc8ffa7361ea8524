# The two commands a newcomer needs: `make demo` and `make test`. Everything they need is installed here.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed
# Type-checked: all of learningcity/ (pyproject's mypy config leaves out migrations and tests).
TYPED = learningcity

.PHONY: demo test test-fast install system-deps lint types pytest messages lock bench bench-throughput clean serve

# Development installs requirements-dev.txt (the runtime pins of requirements.txt and the dev tools), hashes checked;
# a change to either lock (make lock) or to pyproject.toml installs again.
$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed.")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)
	@TESTING=1 $(PY) manage.py i18n_compile >/dev/null

# Debian's Chromium and fonts (browser tests, Vietnamese and Tai Viet glyphs), GNU gettext (catalogue checks), and
# nginx with openssl (tests/test_nginx_live.py runs the deployed site; the package's service is never started).
system-deps:
	@missing=""; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	test -f /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf || missing="$$missing fonts-noto-core"; \
	command -v xgettext >/dev/null || missing="$$missing gettext"; \
	test -x /usr/sbin/nginx || missing="$$missing nginx-light"; \
	command -v openssl >/dev/null || missing="$$missing openssl"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "The tests need these Debian packages:$$missing"; \
	    echo "Install them with: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

var/secret_key:
	@mkdir -p var && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key

demo: install var/secret_key
	@if [ "$(DEMO_RESET)" = "1" ]; then echo "DEMO_RESET=1: starting afresh"; rm -f var/learningcity.sqlite3*; rm -rf var/media; fi
	@export SECRET_KEY=$$(cat var/secret_key) DEBUG=0 SECURE_COOKIES=0 SECURE_SSL_REDIRECT=0 \
	  ALLOWED_HOSTS=127.0.0.1,localhost; \
	$(PY) manage.py migrate --noinput -v0 && \
	if [ ! -f var/.collected ] || [ $(STAMP) -nt var/.collected ] || \
	   [ -n "$$(find learningcity -path '*/static/*' -newer var/.collected -print -quit)" ]; then \
	  $(PY) manage.py collectstatic --noinput -v0 && touch var/.collected; fi && \
	$(PY) manage.py demo_load && \
	echo "Serving the demo city at http://127.0.0.1:$(PORT)/son-la/ (Ctrl+C stops it)" && \
	exec $(VENV)/bin/gunicorn config.wsgi --bind 127.0.0.1:$(PORT) --workers 2 --threads 4 --access-logfile - --log-level warning

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

types: install
	TESTING=1 $(VENV)/bin/mypy $(TYPED)

# The suite runs on every core (pytest-xdist; PYTEST_WORKERS=0 runs it in one process), a test file per worker so
# that a module's live servers and fixtures stay together.
PYTEST_WORKERS ?= auto
XDIST = -n $(PYTEST_WORKERS) --dist loadfile

pytest: install system-deps
	$(VENV)/bin/pytest $(XDIST) $(PYTEST_ARGS)

test: install system-deps lint types pytest

# The inner loop: lint and the suite without Chromium and without the whole-site walks (markers browser, walk).
test-fast: install lint
	$(VENV)/bin/pytest -q -m "not browser and not walk" $(XDIST) $(PYTEST_ARGS)

messages: install
	TESTING=1 $(PY) manage.py i18n_update $(APPS)

# Two locks with hashes, compiled from pyproject.toml by pip-tools in a throwaway venv: requirements.txt (the runtime
# dependencies, all that production installs) and requirements-dev.txt (with the dev extra, held to the runtime pins).
# pip-compile keeps the pins already in the files and adds or drops what pyproject.toml changed;
# `make lock LOCK_ARGS=--upgrade` moves every pin to the newest release allowed (then run the whole suite).
LOCK_VENV := /tmp/lc-lock-venv
PIP_COMPILE = $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
  --no-emit-index-url --no-emit-find-links $(LOCK_ARGS)
lock:
	rm -rf $(LOCK_VENV) && $(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install --quiet --upgrade pip pip-tools==7.7.0
	$(PIP_COMPILE) --output-file=requirements.txt pyproject.toml
	$(PIP_COMPILE) --extra=dev --constraint=requirements.txt --output-file=requirements-dev.txt pyproject.toml

# The benchmarks that need nothing but the checkout (each makes its own temporary database; full sizes, minutes
# each). Every bench prints its figures beside a baseline measured in the same run, writes var/bench/<name>.json and
# exits 1 when a target is missed or a check fails (bench/_report.py); all run, and `make bench` fails if one did.
# The ones that need the production-like stack are not here: make load, make faults, make bench-throughput.
STACK_BENCHES := bench/bench_load.py bench/bench_load_faults.py bench/bench_throughput.py
bench: install
	@failed=""; for b in $(filter-out $(STACK_BENCHES),$(wildcard bench/bench_*.py)); do \
	  echo "== $$b"; $(PY) $$b || failed="$$failed $$b"; done; \
	if [ -n "$$failed" ]; then echo "target missed or check failed in:$$failed (figures in var/bench/)"; exit 1; fi

# Unpaced load on every public page, a staff page and an API list beside a bare WSGI app (issue 17):
# BENCH_DB=postgres for PostgreSQL, BENCH_ARGS="--seconds 15 --connections 50" to change the run.
BENCH_DB ?= sqlite
bench-throughput: install
	$(PY) bench/bench_throughput.py --db $(BENCH_DB) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

# Production-like stack on 127.0.0.1 (PostgreSQL, gunicorn with deploy/gunicorn.conf.py, the task worker, DEBUG=0):
# see docs/operations.md. `make load` and `make faults` use it (not `make bench`); they write var/bench/load.json and
# var/bench/faults.json and exit 1 when a target is missed (faults: 2 when not root, it cannot run).
.PHONY: prod-up prod-down prod-status load faults audit audit-db
prod-up: install
	@scripts/prodstack.sh up

prod-down:
	@scripts/prodstack.sh down

prod-status:
	@scripts/prodstack.sh status

load: install
	$(PY) bench/bench_load.py

faults: install
	$(PY) bench/bench_load_faults.py

# Dependency audit of both locks (requirements.txt, requirements-dev.txt) against an offline copy of the PyPI
# advisories (OSV format), no network: scripts/audit_lock.py reads var/cache/osv (or OSV_DB=path). `make audit-db`
# fills that folder where the internet is reachable (OSV's PyPI export, or the advisory database that npm's
# @renovatebot/osv-offline downloads).
OSV_DB ?= var/cache/osv
OSV_OFFLINE_VERSION := 3.0.11
audit: install
	$(PY) scripts/audit_lock.py --db $(OSV_DB) requirements.txt requirements-dev.txt

audit-db:
	@mkdir -p $(OSV_DB)
	@if curl -fsS --max-time 120 -o $(OSV_DB)/PyPI-all.zip.part https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip; then \
	  mv $(OSV_DB)/PyPI-all.zip.part $(OSV_DB)/PyPI-all.zip && echo "OSV PyPI advisories saved in $(OSV_DB)"; \
	else rm -f $(OSV_DB)/PyPI-all.zip.part; echo "OSV's export is not reachable; trying npm @renovatebot/osv-offline"; \
	  npm install --silent --no-save --prefix var/cache/osv-npm @renovatebot/osv-offline@$(OSV_OFFLINE_VERSION) && \
	  OSV_OFFLINE_ROOT_DIR=$(abspath $(OSV_DB)) node -e "require('$(abspath var/cache/osv-npm)/node_modules/@renovatebot/osv-offline').OsvOffline.create().then(() => console.log('saved'))" || \
	  { echo "No advisory source is reachable from this machine: copy PyPI/all.zip into $(OSV_DB) (docs/operations.md)."; exit 2; }; \
	fi
