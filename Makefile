# The two commands of the README: `make demo` and `make test`. Both build .venv themselves.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.voicetrace-setup
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: setup demo test test-fast lint typecheck bench browser clean

setup: $(STAMP)

# torch first, from the CPU wheel, so nothing later pulls a CUDA build.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $(STAMP)

demo: setup
	$(BIN)/voicetrace demo

# Debian's Chromium for the browser tests (never a downloaded browser build).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  (apt-get update -qq && apt-get install -y -qq chromium) >/dev/null 2>&1 \
	  || echo "warning: could not install chromium; browser tests will be skipped"; }

test: setup browser
	$(BIN)/python -m pytest -q -p no:cacheprovider

test-fast: setup
	$(BIN)/python -m pytest -q -m "not slow"

typecheck: setup
	$(BIN)/python -m mypy

lint: setup
	$(BIN)/python -m ruff check src tests

bench: setup
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) voicetrace-demo build dist .pytest_cache
