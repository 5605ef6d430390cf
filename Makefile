# Stadspanel: `make run` serves the demo on http://127.0.0.1:5000, `make test` runs the suite.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
FLASK := FLASK_APP=app $(VENV)/bin/flask
STAMP := $(VENV)/.installed-stamp

.PHONY: install system-deps run test lint i18n bench

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

bench: install
	for script in benchmarks/bench_*.py; do $(PY) $$script || exit 1; done
