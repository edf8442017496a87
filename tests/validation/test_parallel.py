"""The faster paths of validation give what the serial one gives: the prefilter's queries
answered by threads ahead of their use (kgraph.validation.ahead), and a report that places its
findings only when they are read (kgraph.validation.findings.report_of)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kgraph.namespaces import all_prefixes
from kgraph.validation import Attribution, Graph, validate
from kgraph.validation import evaluator, prefilter
from kgraph.validation.ahead import Ahead, Keys, key_of, keys_of_tsv
from kgraph.validation.findings import report_of, sort_key
from kgraph.validation.shapes import load_shapes_graph
from tests.validation.test_engines import BACKGROUND, CASES, quads_of, sources_of


@pytest.fixture(scope="module")
def corpus(project_settings, tmp_path_factory):
    """Every shapes case at once (blank nodes, literals the store writes differently, findings
    of every kind), as the build holds it: a store of named graphs and its N-Quads spool."""
    found = sources_of(project_settings, [BACKGROUND, *CASES])
    quads = quads_of(project_settings, found)
    store = ox.Store()
    store.extend(quads)
    spool = tmp_path_factory.mktemp("spool") / "spool.nq"
    ox.serialize(quads, output=spool, format=ox.RdfFormat.N_QUADS)
    literals = {q.object for q in quads if isinstance(q.object, ox.Literal)}
    attribution = Attribution(store, {s.graph: s.path for s in found}, project_settings.base,
                              all_prefixes(project_settings.base))
    return store, spool, literals, attribution


def test_threads_give_the_serial_report(project_settings, corpus):
    store, spool, literals, attribution = corpus
    graph = Graph(store, spool, literals)
    serial = validate(graph, project_settings.shapes_dir, project_settings.base, "en", attribution, workers=1)
    parallel = validate(graph, project_settings.shapes_dir, project_settings.base, "en", attribution, workers=2)
    assert parallel.findings == serial.findings
    assert serial.count("Violation") > len(CASES) / 2 and any(f.via for f in serial.findings)


def test_threads_give_the_serial_report_on_generated_data(project_settings, tmp_path):
    from benchmarks import generate

    generate.generate(tmp_path / "data", 3000, seed=11)
    quads = quads_of(project_settings, sources_of(project_settings, sorted((tmp_path / "data").rglob("*.ttl"))))
    store = ox.Store()
    store.extend(quads)
    spool = tmp_path / "spool.nq"
    ox.serialize(quads, output=spool, format=ox.RdfFormat.N_QUADS)
    literals = {q.object for q in quads if isinstance(q.object, ox.Literal)}
    shapes = load_shapes_graph(project_settings.shapes_dir, project_settings.base)
    found = [prefilter.prefiltered_findings(store, spool, literals, shapes, project_settings.base, workers=n)
             for n in (1, 2)]
    assert report_of(found[1]).findings == report_of(found[0]).findings


def test_every_prefilter_query_answered_ahead_equals_its_rows(project_settings, corpus):
    """The threads' answers are the serial answers, query for query (as keys), and they really
    are answered ahead: Keys, not the rows the serial path reads."""
    store = corpus[0]
    shapes = load_shapes_graph(project_settings.shapes_dir, project_settings.base)
    ev = evaluator.Evaluator(shapes, store, project_settings.base, union=True, targets_from_store=True)
    narrowing = prefilter.Prefilter(ev, set())
    queries = list(dict.fromkeys(query for shape in ev.node_shapes() for prop, path in ev.properties(shape)
                                 for _, query in narrowing.queries(prop, path) or ()))
    assert len(queries) > 20
    ahead = Ahead(ev.select, 2, wanted=lambda query: True)
    try:
        ahead.plan(queries)
        for query in queries:
            answer = ahead.answer(query)
            assert isinstance(answer, Keys), query
            assert answer == {key_of(row[0]) for row in ev.select(query) if row[0] is not None}, query
    finally:
        ahead.close()
    assert any(key.startswith(b"_:") for query in queries for key in ahead._fetch(query)), "blank nodes compared too"


def test_tsv_keys_hold_only_iris_and_blank_nodes():
    store = ox.Store()
    s, p = ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p")
    blank = ox.BlankNode()
    store.extend([ox.Quad(s, p, blank), ox.Quad(blank, p, ox.Literal("1", datatype=ox.NamedNode(
        "http://www.w3.org/2001/XMLSchema#integer")))])
    tsv = store.query("SELECT ?x WHERE { ?x ?p ?o }").serialize(format=ox.QueryResultsFormat.TSV)
    assert keys_of_tsv(tsv) == {key_of(s), key_of(blank)}
    literal = store.query("SELECT ?o ?x WHERE { ?x ?p ?o }").serialize(format=ox.QueryResultsFormat.TSV)
    assert keys_of_tsv(literal) is None  # the serial path reads such an answer's rows
    unbound = store.query("SELECT ?x WHERE { OPTIONAL { ?x <urn:none> ?o } }").serialize(
        format=ox.QueryResultsFormat.TSV)
    assert keys_of_tsv(unbound) == set()


def test_a_report_places_its_findings_when_they_are_read(project_settings, corpus):
    store, spool, literals, attribution = corpus
    placed = []

    def counting(finding):
        placed.append(finding)
        return attribution(finding)

    graph = Graph(store, spool, literals)
    report = validate(graph, project_settings.shapes_dir, project_settings.base, "en", counting)
    assert not report.placed and not report.conforms and report.count("Violation") > 0
    assert placed == []  # conforms and count need no places
    findings = report.findings
    assert report.placed and len(placed) == len(findings)
    # what placing every finding first, then dropping duplicates and sorting, gave before
    eager = sorted(dict.fromkeys(attribution(f) for f in placed), key=sort_key)
    assert findings == eager and any(f.sources for f in findings)
    again = report.findings
    assert again is findings and len(placed) == len(findings)  # placed once
    counted = report_of(placed, attribution).counted()
    assert counted.count("Violation") == report.count("Violation") and not counted.conforms
    with pytest.raises(RuntimeError):
        counted.findings
