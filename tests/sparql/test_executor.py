"""The worker-process executor: formats, dataset, real timeouts, row limits, errors, updates."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import io
import json
import threading
import time

import pytest
import rdflib

from kgraph.sparql import negotiation as n
from kgraph.sparql.executor import (
    Executor,
    NotAcceptable,
    QuerySyntaxError,
    QueryTimeout,
    ResultTooLarge,
)
from tests.live import make_release

JSON_ALL = {n.SOLUTIONS: "application/sparql-results+json", n.BOOLEAN: "application/sparql-results+json", n.GRAPH: "text/turtle"}
# 14 triple patterns over 60 triples: far more solutions than any deadline allows
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(14)) + " }"


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    graphs = {
        f"http://example.org/g{g}": "".join(
            f'<http://example.org/s{i}> <http://example.org/p> "value {i}" .\n' for i in range(g * 20, g * 20 + 20)
        )
        for g in range(3)
    }
    return make_release(tmp_path_factory.mktemp("executor") / "release", graphs)


@pytest.fixture(scope="module")
def executor(release):
    with Executor(release / "store", workers=2, timeout=2, max_rows=50) as ex:
        yield ex


def test_select_in_every_results_format(executor):
    query = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 5"
    body = executor.query(query, JSON_ALL).read()
    assert len(json.loads(body)["results"]["bindings"]) == 5
    xml = executor.query(query, {n.SOLUTIONS: "application/sparql-results+xml"}).read()
    assert xml.count(b"<result>") == 5
    rows = list(csv.reader(io.StringIO(executor.query(query, {n.SOLUTIONS: "text/csv"}).read().decode())))
    assert rows[0] == ["s", "o"] and len(rows) == 6
    tsv = executor.query(query, {n.SOLUTIONS: "text/tab-separated-values"}).read().decode().splitlines()
    assert tsv[0] == "?s\t?o" and len(tsv) == 6


@pytest.mark.parametrize("media_type, fmt", [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld"),
    ("application/rdf+xml", "xml"), ("application/n-quads", "nquads"), ("application/trig", "trig"),
])
def test_construct_in_every_rdf_format(executor, media_type, fmt):
    result = executor.query("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 7", {n.GRAPH: media_type})
    assert result.kind == n.GRAPH and result.media_type == media_type
    assert len(rdflib.Dataset().parse(data=result.read(), format=fmt)) == 7


def test_default_graph_is_the_union_unless_the_request_names_graphs(executor):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    value = lambda r: int(json.loads(r.read())["results"]["bindings"][0]["n"]["value"])  # noqa: E731
    assert value(executor.query(count, JSON_ALL)) == 60
    assert value(executor.query(count, JSON_ALL, default_graphs=["http://example.org/g1"])) == 20
    named = executor.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", JSON_ALL,
                           named_graphs=["http://example.org/g2"]).read()
    assert [b["g"]["value"] for b in json.loads(named)["results"]["bindings"]] == ["http://example.org/g2"]


def test_syntax_error_has_message_and_position(executor):
    with pytest.raises(QuerySyntaxError) as info:
        executor.query("SELECT * WHERE {\n  ?s ?p \n", JSON_ALL)
    assert (info.value.line, info.value.column) == (3, 1)
    assert info.value.message and not info.value.message.startswith("error at")


def test_timeout_stops_the_query_and_others_still_run(executor):
    started = time.monotonic()
    outcome = {}

    def slow():
        try:
            executor.query(SLOW, JSON_ALL)
        except QueryTimeout as exc:
            outcome["timeout"] = exc

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.3)
    # the second worker answers while the first is busy
    assert json.loads(executor.query("ASK {}", JSON_ALL).read())["boolean"] is True
    thread.join()
    assert "timeout" in outcome and "time limit" in str(outcome["timeout"])
    # The cross product of 14 patterns would run for hours: coming back at all means it was stopped.
    assert time.monotonic() - started < 60
    # the killed worker was replaced: the pool still answers twice in parallel
    assert json.loads(executor.query("ASK {}", JSON_ALL).read())["boolean"] is True


@pytest.mark.parametrize("media_type", sorted(n.RESULTS_SERIALISERS))
def test_row_limit_is_exact_in_every_format(executor, media_type):
    ok = executor.query("SELECT * { ?s ?p ?o } LIMIT 50", {n.SOLUTIONS: media_type})
    assert ok.rows == 50
    ok.close()
    with pytest.raises(ResultTooLarge, match="more than 50 rows"):
        executor.query("SELECT * { ?s ?p ?o } LIMIT 51", {n.SOLUTIONS: media_type})


def test_not_acceptable_for_the_kind_of_result(executor):
    with pytest.raises(NotAcceptable):
        executor.query("ASK {}", {n.SOLUTIONS: "text/csv", n.BOOLEAN: None, n.GRAPH: None})


def test_results_stream_in_chunks_and_files_are_removed(executor):
    result = executor.query("SELECT * { ?s ?p ?o } LIMIT 50", {n.SOLUTIONS: "application/sparql-results+xml"})
    chunks = list(result.chunks(size=256))
    assert len(chunks) > 1 and sum(map(len, chunks)) == result.size
    assert not result.path.exists()


def test_updates_on_a_writable_store(tmp_path):
    release = make_release(tmp_path / "release", {"http://example.org/g": "<http://a> <http://b> <http://c> .\n"})
    with Executor(release / "store", writable=True, timeout=5) as ex:
        ex.update("INSERT DATA { GRAPH <http://example.org/h> { <http://a> <http://b> <rel> } }", base_iri="http://x/sparql")
        assert ex.generation == 1
        body = ex.query("SELECT ?o { GRAPH <http://example.org/h> { ?s ?p ?o } }", JSON_ALL).read()
        assert json.loads(body)["results"]["bindings"][0]["o"]["value"] == "http://x/rel"
        with pytest.raises(QuerySyntaxError):
            ex.update("CLEAR XYZ")


@pytest.mark.parametrize("media_type, header, end", [("text/csv", "_askResult", "\r\n"),
                                                     ("text/tab-separated-values", "?_askResult", "\n")])
def test_ask_as_csv_and_tsv_in_jenas_form(executor, media_type, header, end):
    for query, value in (("ASK { ?s ?p ?o }", "true"), ("ASK { ?s <http://example.org/nothing> ?o }", "false")):
        result = executor.query(query, {n.BOOLEAN: media_type})
        assert (result.kind, result.media_type, result.rows) == (n.BOOLEAN, media_type, None)
        assert result.read() == f"{header}{end}{value}{end}".encode()


def _children(pid: int) -> list[int]:
    """The live (not zombie) processes whose parent is `pid`, from /proc."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = open(f"/proc/{entry}/stat").read()
            except OSError:
                continue
            state, ppid = stat.rsplit(")", 1)[1].split()[:2]
            if int(ppid) == pid and state != "Z":
                found.append(int(entry))
    return found


def _cpu_ticks(pid: int) -> int:
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def _gone(pid: int) -> bool:
    try:
        return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def test_query_workers_stop_when_their_parent_is_killed(release):
    """A server worker killed with SIGKILL (past its time limit) cannot stop its query workers:
    they notice the parent gone and exit, rather than evaluate a query nobody waits for to its
    end (pyoxigraph has no timeout of its own)."""
    code = (f"import sys; from kgraph.sparql.executor import Executor; from kgraph.sparql import negotiation as n\n"
            f"ex = Executor({str(release / 'store')!r}, workers=1, slow_queries=0, timeout=600)\n"
            f"ex.start(); print('started', flush=True)\n"
            f"ex.query({SLOW!r}, {{n.SOLUTIONS: 'application/sparql-results+json'}})\n")
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout.readline().strip() == "started"
        deadline = time.monotonic() + 30
        busy = []
        while not busy and time.monotonic() < deadline:  # the worker evaluating the query
            workers = _children(parent.pid)
            before = {pid: _cpu_ticks(pid) for pid in workers}
            time.sleep(0.5)
            busy = [pid for pid in workers if not _gone(pid) and _cpu_ticks(pid) - before[pid] > 20]
        assert busy, "no query worker was evaluating the query"
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not all(_gone(pid) for pid in busy):
        time.sleep(0.1)
    assert all(_gone(pid) for pid in busy), "a query worker outlived its parent"
