# One-word entry points. `make run` and `make test` do all set-up on a fresh machine.
PY := .venv/bin/python
LCGRAPH := .venv/bin/lcgraph

.PHONY: setup setup-test build serve run test test-fast lint bench

setup:
	scripts/setup.sh

setup-test:
	scripts/setup.sh --test

build: setup
	$(LCGRAPH) build

serve: setup
	$(LCGRAPH) serve

run: build serve   ## build the curated graph and serve it on the embedded store

test: setup-test lint   ## lint, types and the whole test suite (CI runs this)
	$(PY) -m pytest -q

test-fast: setup
	$(PY) -m pytest -q -m "not browser and not slow and not remote_store"

lint: setup
	$(PY) -m ruff check src tests benchmarks
	$(PY) -m ruff format --check src tests benchmarks
	$(PY) -m mypy

bench: setup
	$(PY) benchmarks/build.py
