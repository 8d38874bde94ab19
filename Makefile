# Tabayyun: `make run` opens the review app on the demo corpus; `make test` runs every test.
# Both do all set-up on a fresh machine (virtualenv, pinned packages, system packages).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: help install system-deps run test test-fast lint typecheck bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(BIN)/.installed: requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-dev.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $@

install: $(BIN)/.installed  ## create .venv and install the pinned packages

system-deps:  ## Debian packages for the browser and PostgreSQL tests (chromium, postgresql)
	bash scripts/install_system_deps.sh

run: install  ## open the review app on http://127.0.0.1:8501 with the demo corpus
	$(BIN)/tabayyun app --port $(PORT)

test: install system-deps  ## ruff, mypy and the whole test suite (slow tests with real weights included)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

test-fast: install  ## unit tests only (no real weights, no browser, no PostgreSQL)
	$(BIN)/python -m pytest -q -m "not slow and not browser and not postgres"

lint: install  ## ruff
	$(BIN)/ruff check .

typecheck: install  ## mypy
	$(BIN)/mypy

bench: install  ## run the benchmarks in bench/ and write bench/results/
	for f in bench/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:  ## remove the virtualenv and caches
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
