# nextseason — set-up, the main job, tests and benchmarks.
# Needs only Python 3.11+ and make; everything else is installed into .venv from PyPI.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
DATA   ?= ../shared/data/raw
SEEDS  ?= ../shared/seeds
STAMP  := $(VENV)/.installed

.PHONY: help setup run test lint cog bench clean

help:
	@echo "make run    set up, build the database from $(DATA), show and forecast Higehiro,"
	@echo "            ingest the articles in $(SEEDS) and reconcile their claims"
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
	$(BIN)/nextseason show Higehiro
	$(BIN)/nextseason forecast Higehiro
	$(BIN)/nextseason ingest $(SEEDS)
	$(BIN)/nextseason claims Higehiro

test: $(STAMP)
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
	$(BIN)/python benchmarks/bench_forecast.py --db .dev/bench.db --report-dir reports
	$(BIN)/python benchmarks/bench_extract.py --seeds $(SEEDS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
