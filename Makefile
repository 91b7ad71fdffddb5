# Ceasefire: `make demo` runs the demo on SQLite; `make test` runs every test pass. See README.md.
PYTHON ?= python3.12
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export CEASEFIRE_DATA_DIR ?= $(CURDIR)/var

.PHONY: demo serve test lint bench install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

# The demo runs in production mode (no DEBUG) on plain HTTP on this machine, with a secret made once in var/,
# and starts the worker and one log witness per party beside the server (scripts/demo).
demo: install
	@HOST=$(HOST) PORT=$(PORT) scripts/demo

serve: install
	@scripts/demo-env $(BIN)/ceasefire serve --host $(HOST) --port $(PORT)

test: install
	@scripts/test

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

bench: install
	$(BIN)/python bench/run.py
	$(BIN)/python bench/log_bench.py
	$(BIN)/python bench/log_bench.py --postgres
	$(BIN)/python bench/ledger_bench.py
	$(BIN)/python bench/ingest_bench.py

clean:
	rm -rf $(VENV) var test-artifacts
