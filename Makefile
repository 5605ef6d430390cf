# Stadspanel: `make run` serves the demo on http://127.0.0.1:5000, `make test` runs the suite.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
FLASK := FLASK_APP=app $(VENV)/bin/flask
STAMP := $(VENV)/.installed-stamp

.PHONY: install system-deps bench-deps run test lint i18n bench

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip 2>&1 | grep -v "is ignored" || true
	$(PY) -m pip install --quiet -e '.[dev]' 2>&1 | grep -v "is ignored" || true
	$(PY) -c "import flask, pandas, playwright, pytest"
	touch $(STAMP)

install: $(STAMP)
	$(PY) tools/i18n.py --compile

# Debian packages the tests use: Chromium (browser tests) and poppler (PDF to PNG).
system-deps:
	@if [ ! -x /usr/bin/chromium ] || ! command -v pdftoppm >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      --no-install-recommends chromium poppler-utils fonts-dejavu-core; \
	  else echo "Install chromium and poppler-utils (Debian packages) first."; exit 1; fi; \
	fi

# Debian packages the benchmarks use: wrk (HTTP load) and R with the survey package (reference).
bench-deps:
	@if ! command -v wrk >/dev/null || ! Rscript -e 'library(survey)' >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      --no-install-recommends wrk r-base-core r-cran-survey; \
	  else echo "Install wrk, r-base-core and r-cran-survey (Debian packages) first."; exit 1; fi; \
	fi

run: install
	$(FLASK) db upgrade
	$(FLASK) demo
	$(FLASK) run --host 127.0.0.1 --port 5000

test: install system-deps
	$(VENV)/bin/pytest

lint: install
	$(VENV)/bin/ruff check .

i18n: install
	$(PY) tools/i18n.py

# Every benchmark runs, even after a miss; the misses are listed at the end (exit 1 if any).
# BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/<db> runs the scripts that use a
# database on it (passed as --database-url; default: a fresh SQLite file per script).
bench: install system-deps bench-deps
	@missed=""; for script in benchmarks/bench_*.py; do \
	  name=$$(basename $$script .py); echo "== $$name =="; database=""; \
	  if [ -n "$(BENCH_DATABASE_URL)" ] && grep -q add_database_option $$script; then \
	    database="--database-url=$(BENCH_DATABASE_URL)"; fi; \
	  $(PY) -m benchmarks.$$name $$database || missed="$$missed $$name"; \
	done; \
	if [ -n "$$missed" ]; then echo "Targets missed or benchmark failed in:$$missed"; exit 1; fi; \
	echo "Every benchmark met its targets."
