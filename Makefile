# Effekt: make help lists the targets.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# pa11y (the second accessibility checker in the browser tests), from npm, driving Debian's Chromium.
PA11Y_DIR := tests/e2e/pa11y
PA11Y := $(PA11Y_DIR)/node_modules/.package-lock.json

.PHONY: help run test lint bench load capacity install demo screenshots
help:  ## list the targets
	@grep -E '^[a-z]+:.*##' Makefile | sed -E 's/:.*## /\t/'

$(STAMP): requirements.txt requirements-dev.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

$(PA11Y): $(PA11Y_DIR)/package.json $(PA11Y_DIR)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		cd $(PA11Y_DIR) && PUPPETEER_SKIP_DOWNLOAD=true npm ci --no-audit --no-fund; \
	else \
		echo "npm not found: pa11y not installed, its browser tests will skip (or fail with EFFEKT_REQUIRE_BROWSER=1)"; \
	fi

install: $(STAMP) $(PA11Y)  ## create the virtual environment with pinned dependencies

run: $(STAMP)  ## start the app (dashboard, sign-in page, API, open data) on the demo database
	$(PY) cli.py init
	$(PY) cli.py serve --host 127.0.0.1 --port 8501

# mypy: strict on metrics/, data/, reports/ and presentation/ by pyproject.toml's override; ui/ and web/ in default mode.
TYPED := metrics data reports presentation ui web

test: $(STAMP) $(PA11Y)  ## the whole check: ruff, the import layers, mypy, then pytest (PostgreSQL and browser tests when available)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy $(TYPED)
	$(PY) -m pytest

lint: $(STAMP)  ## ruff, the import layers and mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy $(TYPED)

bench: $(STAMP)  ## the national-scale benchmark (writes bench/results.json)
	$(PY) bench/run.py --scale national

load: $(STAMP)  ## the browser load test: 5 Chromium sessions for a minute on the national dataset
	$(PY) bench/load.py --scale national

capacity: $(STAMP)  ## sessions one process serves, each person reading 10 s a page (protocol-level clients, national scale): bench/capacity.json
	$(PY) bench/capacity.py --scale national --ramp 3,5,8,10,15 --think 10 --seconds 60 --output bench/capacity.json

demo: $(STAMP)  ## load the demo data into the database
	$(PY) cli.py demo

screenshots: $(STAMP)  ## regenerate the README's screenshots in Chromium and three board pack pages with pdftoppm (docs/*.png)
	$(PY) tools/screenshots.py
