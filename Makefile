# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export VAR_DIR ?= $(CURDIR)/var

# Benchmarks print figures; they never fail a build.
# bench-web drops and re-creates the evidence_bench PostgreSQL database (about 6 minutes to seed).
.PHONY: bench-ingest bench-paste bench-web bench-load run web worker test test-unit test-worker test-fault test-browser lint format migrations-check install install-dev demo clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.dev-installed

## Set up everything and start the web server and a Celery worker together.
run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	scripts/run-all $(PY)

web: install
	$(PY) manage.py runserver 127.0.0.1:8000

worker: install
	$(PY) -m celery -A workspace worker --beat --loglevel=INFO --schedule=$(VAR_DIR)/celerybeat-schedule

demo: install
	$(PY) manage.py seed_demo

## The whole test suite (unit, worker, browser) on the configured database and broker.
test: install-dev
	VAR_DIR=$(CURDIR)/var/test $(PY) -m pytest

test-unit: install-dev
	VAR_DIR=$(CURDIR)/var/test $(PY) -m pytest -m "not worker and not browser and not slow"

test-worker: install-dev
	VAR_DIR=$(CURDIR)/var/test $(PY) -m pytest -m worker

test-fault: install-dev
	VAR_DIR=$(CURDIR)/var/test $(PY) -m pytest -m fault

test-browser: install-dev
	VAR_DIR=$(CURDIR)/var/test $(PY) -m pytest -m browser

lint: install-dev migrations-check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint --lint templates
	$(VENV)/bin/mypy

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf var/test staticfiles

## Ingestion: upload → worker → stored, against ../shared/benchmarks/article-extraction/.
bench-ingest: install-dev
	$(PY) -m benchmarks.ingest
	$(PY) -m benchmarks.ingest --worker --limit 30

## Pasted text: our cleaning of what a browser's clipboard holds (../shared/benchmarks/pasted-text/).
bench-paste: install-dev
	$(PY) -m benchmarks.paste --html

## Web pages: p50/p95 server time and DB time on a seeded PostgreSQL workspace.
bench-web: install-dev
	$(PY) -m benchmarks.web

## Load: 50 researchers for 2 minutes against gunicorn on loopback, on bench-web's seeded data (kept).
## locust is installed here only (requirements-bench.txt), never by CI.
bench-load: install
	$(PY) -m pip install --quiet -r requirements-bench.txt
	$(PY) -m benchmarks.load
