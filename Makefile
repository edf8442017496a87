# Two commands do everything on a fresh clone: `make run` and `make test`.
#
# Each job installs only what it needs, recorded by its own stamp: `make run` the runtime
# (`pip install -e .`, the npm "dependencies": the browser files the app serves); `make test` and
# `make bench` add their extras and the npm "devDependencies" (Comunica, ldes-client, axe-core, ...).
# An install only ever adds: `make run` after `make test` keeps the test packages.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
SIZE   ?= 100k
PREFIX ?= /opt/kgraph
NPM    := npm --no-audit --no-fund --loglevel=error
NPM_INPUTS := $(wildcard package.json package-lock.json)

PY_RUN   := $(VENV)/.installed-run
PY_TEST  := $(VENV)/.installed-test
PY_BENCH := $(VENV)/.installed-bench
JS_RUN   := node_modules/.installed-run
JS_DEV   := node_modules/.installed-dev
# Everything (test, bench, dev npm): `make install`, what a developer's worktree starts from.
STAMP    := $(VENV)/.installed

.PHONY: install install-run install-test install-bench install-prod build run test bench bench-fragments bench-hotpath clean

$(PY_RUN): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(PY_TEST): $(PY_RUN)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

$(PY_BENCH): $(PY_RUN)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	touch $@

# `npm ci` always starts from an empty node_modules: once the dev packages are there, a runtime
# install after a change of the lock file installs them again rather than dropping them.
$(JS_RUN): $(NPM_INPUTS)
	$(if $(wildcard $(JS_DEV)),$(NPM) ci && touch $(JS_DEV),$(NPM) ci --omit=dev)
	touch $@

$(JS_DEV): $(NPM_INPUTS)
	$(NPM) ci
	touch $@ $(JS_RUN)

install-run: $(PY_RUN) $(JS_RUN)
# The suite smoke-runs every benchmark (tests/bench), so a test install has the bench extra too.
install-test: $(PY_TEST) $(PY_BENCH) $(JS_DEV)
install-bench: $(PY_BENCH) $(JS_DEV)

$(STAMP): $(PY_TEST) $(PY_BENCH) $(JS_DEV)
	touch $@

install: $(STAMP)

# A production install: a venv of its own with the runtime only (no editable link to this
# checkout) and the served browser files; see deploy/README.md.
install-prod:
	deploy/install.sh $(PREFIX)

build: install-run
	$(BIN)/kgraph build

run: build
	@echo "kgraph: serving the graph on http://$(HOST):$(PORT)/ (SPARQL at http://$(HOST):$(PORT)/sparql)"
	$(BIN)/kgraph serve --host $(HOST) --port $(PORT)

# Two xdist workers: the suite's live servers and query processes keep both cores busy.
test: install-test
	$(BIN)/python -m pytest -q -n 2

bench: install-bench
	$(BIN)/python -m benchmarks.run --size $(SIZE)

# /fragments against @ldf/server 3.3.0 (npm ci of benchmarks/ldf-server/ into a folder of its own).
bench-fragments: install-bench
	$(BIN)/python -m benchmarks.fragments --size $(SIZE)

# The hot path (issue 16 point 1): kgraph on each WSGI server, bare Flask, Oxigraph server, wrk side by side.
bench-hotpath: install-bench
	$(BIN)/python -m benchmarks.hotpath

clean:
	rm -rf build .pytest_cache test-artifacts
