"""The W3C SPARQL suites through the real server, and the evaluation tests in-process too.

Syntax (sparql11/syntax-query, syntax-fed, sparql10/syntax-sparql1..5 where present): positive
tests answer 200 (400 when they hold a SERVICE: refused by policy), negative ones 400, nothing
ever 5xx. Evaluation (sparql11 query folders, sparql10/dataset): one server over one store with
every test's data (tests/conformance/w3c_evaluation.py says how the dataset is chosen per test),
the requests sent four at a time; the same tests in-process through the worker's _run_job on a
fresh in-memory store per test. Results are compared with the expected .srx/.srj/.tsv/.ttl files.
Counts go to the run's summary ("W3C SPARQL suites").
"""

from __future__ import annotations

import json
import tempfile
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from kgraph.config import Settings
from kgraph.sparql import negotiation
from kgraph.sparql.executor import _run_job
from tests.conformance import w3c_evaluation as ev
from tests.conformance.test_w3c_guard import _fetches
from tests.conformance.w3c_suite import SUITES, entries
from tests.live import live_server, make_release

pytestmark = pytest.mark.live

SYNTAX = [f for f in ["sparql11/syntax-query", "sparql11/syntax-fed", *(f"sparql10/syntax-sparql{i}" for i in range(1, 6))]
          if (SUITES / f / "manifest.ttl").is_file()]
EVALUATION = ev.evaluation_entries()
BY_FOLDER: dict[str, list] = defaultdict(list)
for _entry in EVALUATION:
    BY_FOLDER[_entry.folder].append(_entry)
ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"
FORMATS = {negotiation.SOLUTIONS: "application/sparql-results+json",
           negotiation.BOOLEAN: "application/sparql-results+json", negotiation.GRAPH: "application/n-triples"}


def test_the_suites_hold_the_dataset_tests_and_every_known_failure_names_a_test():
    assert "sparql10/dataset" in BY_FOLDER, "the W3C sparql10/dataset tests are missing"
    named = {e.id for e in EVALUATION} | {e.id for f in SYNTAX for e in entries(f)}
    assert not set(ev.KNOWN_FAILURES) - named, "a known failure names no test"


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> str:
    """One live server over a store holding every evaluation test's data, each file in its own graph."""
    release = make_release(tmp_path_factory.mktemp("w3c-live") / "release", {}, "w3c-live")
    store = ox.Store(str(release / "store"))
    ev.load(store, ev.data_files(EVALUATION))
    store.flush()
    manifest = json.loads((release / "manifest.json").read_text())
    manifest["triples"] = len(store)
    del store
    (release / "manifest.json").write_text(json.dumps(manifest))
    with live_server(release, Settings(), threads=4) as base_url:
        yield base_url


def _post(session: requests.Session, base_url: str, text: str, default=(), named=()) -> requests.Response:
    data = {"query": text, "default-graph-uri": list(default), "named-graph-uri": list(named)}
    return session.post(f"{base_url}/sparql", data=data, headers={"Accept": ACCEPT}, timeout=60)


def _in_parallel(function, items) -> list:
    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(function, items))


@pytest.mark.parametrize("folder", SYNTAX)
def test_w3c_syntax_through_the_endpoint(folder, server, w3c_counts):
    tests = [e for e in entries(folder) if e.query.is_file()]
    session = requests.Session()

    def send(entry):
        text = entry.query.read_text(encoding="utf-8")
        # on an empty dataset: the answer is the parser's (and the policy's), not the data's
        return entry, text, _post(session, server, text, [ev.EMPTY_GRAPH]).status_code

    problems = []
    for entry, text, status in _in_parallel(send, tests):
        if not entry.positive:
            expected = 400
        else:
            expected = 400 if _fetches(text, False, folder) else 200
        kind = "positive" if entry.positive else "negative"
        known = ev.KNOWN_FAILURES.get(entry.id)
        assert status < 500, f"{entry.id}: {status}"
        if known is not None:
            w3c_counts[f"endpoint syntax {kind} known engine failures"] += 1
            if status == expected:
                problems.append(f"{entry.id} now answers {status}: remove it from KNOWN_FAILURES ({known})")
            continue
        w3c_counts[f"endpoint syntax {kind} -> {status}"] += 1
        if status != expected:
            problems.append(f"{entry.id} ({entry.query.name}): {status}, expected {expected}")
    assert not problems, "\n".join(problems)


def _check(entry, outcome: str | None, problems: list[str], counts, where: str) -> None:
    """Record a comparison's outcome, holding the known failures to still failing."""
    known = ev.KNOWN_FAILURES.get(entry.id)
    if known is None:
        counts[f"{where} evaluation passed" if outcome is None else f"{where} evaluation FAILED"] += 1
        if outcome is not None:
            problems.append(f"{entry.id} ({entry.query.name}): {outcome}")
    elif outcome is None:
        problems.append(f"{entry.id} now passes: remove it from KNOWN_FAILURES ({known})")
    else:
        counts[f"{where} evaluation known engine failures"] += 1


def _in_process(entry) -> str | None:
    """Run one test in a fresh in-memory store through the worker's own job function."""
    store = ox.Store()
    ev.load(store, ev.data_files([entry]))
    default, named = ev.dataset(entry)
    with tempfile.NamedTemporaryFile(prefix="kgraph-w3c-") as out:
        job = {"op": "query", "text": ev.query_text(entry), "formats": FORMATS, "default_graphs": default,
               "named_graphs": named, "base_iri": None, "max_rows": 100_000, "out": out.name}
        try:
            reply = _run_job(store, job)
        except Exception as exc:  # noqa: BLE001 - an engine or policy refusal is this test's outcome
            return f"{type(exc).__name__}: {str(exc)[:200]}"
        return ev.compare(entry, ev.expected(entry), ev.actual(reply[2], Path(out.name).read_bytes()))


@pytest.mark.parametrize("folder", sorted(BY_FOLDER))
def test_w3c_evaluation_in_process(folder, w3c_counts):
    problems: list[str] = []
    for entry in BY_FOLDER[folder]:
        _check(entry, _in_process(entry), problems, w3c_counts, "in-process")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("folder", sorted(BY_FOLDER))
def test_w3c_evaluation_through_the_endpoint(folder, server, w3c_counts):
    session = requests.Session()

    def send(entry) -> requests.Response:  # only HTTP in the threads: rdflib's result parsers
        default, named = ev.dataset(entry)   # (pyparsing) are not thread-safe
        return _post(session, server, ev.query_text(entry), default, named)

    def outcome(entry, response: requests.Response) -> str | None:
        if response.status_code != 200:
            assert response.status_code < 500, f"{entry.id}: {response.status_code} {response.text[:300]}"
            return f"{response.status_code}: {response.text[:200]}"
        media_type = response.headers["Content-Type"].split(";")[0].strip()
        return ev.compare(entry, ev.expected(entry), ev.actual(media_type, response.content))

    problems: list[str] = []
    for entry, response in zip(BY_FOLDER[folder], _in_parallel(send, BY_FOLDER[folder])):
        _check(entry, outcome(entry, response), problems, w3c_counts, "endpoint")
    assert not problems, "\n".join(problems)
