# Two commands do everything on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
SIZE   ?= 100k

.PHONY: install build run test bench bench-fragments clean

$(STAMP): pyproject.toml $(wildcard package.json package-lock.json)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; fi
	touch $(STAMP)

install: $(STAMP)

build: install
	$(BIN)/kgraph build

run: build
	@echo "kgraph: serving the graph on http://$(HOST):$(PORT)/ (SPARQL at http://$(HOST):$(PORT)/sparql)"
	$(BIN)/kgraph serve --host $(HOST) --port $(PORT)

# Two xdist workers: the suite's live servers and query processes keep both cores busy.
test: install
	$(BIN)/python -m pytest -q -n 2

bench: install
	$(BIN)/python -m benchmarks.run --size $(SIZE)

# /fragments against @ldf/server 3.3.0 (npm ci of benchmarks/ldf-server/ into a folder of its own).
bench-fragments: install
	$(BIN)/python -m benchmarks.fragments --size $(SIZE)

# The hot path (issue 16 point 1): kgraph on each WSGI server, bare Flask, Oxigraph server, wrk side by side.
bench-hotpath: install
	$(BIN)/python -m benchmarks.hotpath

clean:
	rm -rf build .pytest_cache test-artifacts
