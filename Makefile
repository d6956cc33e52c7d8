# nextseason — set-up, the main job, tests and benchmarks.
# Needs only Python 3.11+ and make; everything else is installed into .venv from PyPI.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
DATA   ?= ../shared/data/raw
SEEDS  ?= ../shared/seeds
STAMP  := $(VENV)/.installed
AXE    := tests/browser/node_modules/axe-core/axe.min.js

.PHONY: help setup run test lint cog bench clean browser axe postgres

help:
	@echo "make run    set up, build the database from $(DATA), ingest the articles in"
	@echo "            $(SEEDS), print the outlook for Higehiro"
	@echo "make test   set up, run the tests and check the README's CLI reference"
	@echo "make lint   ruff and mypy"
	@echo "make cog    regenerate the README's CLI reference from --help"
	@echo "make bench  run the benchmarks on the real data (writes .dev/bench.db)"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "nextseason needs Python 3.11+"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/nextseason build --data $(DATA)
	$(BIN)/nextseason ingest $(SEEDS)
	$(BIN)/nextseason outlook Higehiro

# Debian's chromium for the real-browser test (root, as on CI; elsewhere the test skips)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium \
	    >/dev/null) || echo "chromium could not be installed: the browser test will skip (or fail on CI)"; }

# PostgreSQL's server binaries for the tests on PostgreSQL (each test session starts its own
# throwaway cluster; Debian's package, root only as on CI; elsewhere those tests skip)
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || { \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql \
	    >/dev/null) || echo "postgresql could not be installed: the PostgreSQL tests will skip (or fail on CI)"; }

# axe-core for the browser test's accessibility checks, pinned in tests/browser/package.json
# (installed once here; the test injects the file, nothing is fetched at test time)
$(AXE): tests/browser/package.json
	@command -v npm >/dev/null 2>&1 || { echo "npm is needed for axe-core (apt-get install -y npm)"; exit 1; }
	npm install --prefix tests/browser --no-audit --no-fund --silent
	@touch $(AXE)

axe: $(AXE)

test: $(STAMP) browser postgres $(AXE)
	$(BIN)/python -m pytest
	$(BIN)/cog --check README.md
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy src/nextseason

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy src/nextseason
	$(BIN)/mypy src/nextseason

cog: $(STAMP)
	$(BIN)/cog -r README.md

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_build.py --data $(DATA) --db .dev/bench.db
	$(BIN)/python benchmarks/bench_search.py --db .dev/bench.db
	$(BIN)/python benchmarks/bench_linker.py --db .dev/bench.db
	$(BIN)/python benchmarks/bench_linker_upcoming.py --db .dev/bench.db
	$(BIN)/python benchmarks/bench_status.py --db .dev/bench.db
	$(BIN)/python benchmarks/bench_forecast.py --db .dev/bench.db --report-dir reports
	$(BIN)/python benchmarks/bench_extract.py --seeds $(SEEDS)
	$(BIN)/python benchmarks/bench_hostile.py
	$(BIN)/python benchmarks/bench_outlook.py --db .dev/bench.db
	$(BIN)/python benchmarks/bench_forecast_query.py --db .dev/bench.db
	$(BIN)/python benchmarks/bench_api.py --db .dev/bench.db
	$(BIN)/python benchmarks/bench_ingest_scale.py --n 10000 --small 1000 --template .dev/bench.db

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
