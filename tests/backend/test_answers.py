"""How the engine's answer becomes kgraph's: passed through when the engine writes as pyoxigraph
does (Oxigraph server of the same version), parsed and written again otherwise (Virtuoso), rows
counted and limited either way, engine names cut out even from answers written on one line."""

from __future__ import annotations

import json
import time

import pytest

from kgraph.backend import RemoteExecutor, pointer
from kgraph.backend.client import CHUNK, _lines
from kgraph.backend.naming import GraphNames
from kgraph.sparql import negotiation
from kgraph.sparql.errors import ResultTooLarge

JSON = {negotiation.SOLUTIONS: "application/sparql-results+json", negotiation.BOOLEAN: "application/sparql-results+json",
        negotiation.GRAPH: "application/n-triples"}
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g LIMIT 3"


def test_one_line_answers_are_recut_where_no_engine_name_can_be_split():
    names = GraphNames.of("20261202T0000-abc", [f"http://example.org/graph/{i}" for i in range(15000)])
    one_line = json.dumps({"bindings": [{"g": {"type": "uri", "value": g}} for g in names.engine]},
                          separators=(",", ":")).encode()
    assert b"\n" not in one_line and len(one_line) > 16 * CHUNK  # past what a block may carry
    inside = one_line.index(names.suffix.encode(), 16 * CHUNK) + 5  # a boundary inside a suffix, past the carry
    for first, step in ((inside, CHUNK), (CHUNK, 4093), (37, 37)):
        blocks = [one_line[:first]] + [one_line[i:i + step] for i in range(first, len(one_line), step)]
        recut = list(_lines(iter(blocks), time.monotonic() + 60))
        assert b"".join(recut) == one_line
        assert b"".join(names.to_public(block) for block in recut) == names.to_public(one_line), step


def test_the_engine_that_writes_as_pyoxigraph_is_passed_through(published_2018, engine_client):
    client = engine_client(published_2018)
    executor = RemoteExecutor(client, pointer.read(client).names, max_rows=100)
    first = executor.query(GRAPHS, JSON)  # the first answer tells which engine writes how
    assert executor.same_writer is (published_2018.name == "oxigraph-server")
    second = executor.query(GRAPHS + " # again", JSON)
    body = second.read()
    assert first.read() == body and second.rows == 3
    assert all("kgraph-release" not in b["g"]["value"] for b in json.loads(body)["results"]["bindings"])
    for media_type in ("application/sparql-results+xml", "text/csv", "text/tab-separated-values"):
        answer = executor.query(GRAPHS, {**JSON, negotiation.SOLUTIONS: media_type})
        assert answer.media_type == media_type and answer.rows == 3
        assert b"kgraph-release" not in answer.read()


def test_the_row_limit_holds_on_a_passed_through_answer(published_2018, engine_client):
    client = engine_client(published_2018)
    executor = RemoteExecutor(client, pointer.read(client).names, max_rows=5)
    executor.query("ASK { ?s ?p ?o }", JSON)
    with pytest.raises(ResultTooLarge, match="more than 5 rows"):
        executor.query("SELECT ?s WHERE { ?s ?p ?o } LIMIT 6", JSON)
    assert executor.query("SELECT ?s WHERE { ?s ?p ?o } LIMIT 5", JSON).rows == 5
