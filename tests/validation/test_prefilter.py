"""kgraph.validation.prefilter: the SPARQL that picks which focus nodes the exact check must look at.

That its findings equal pyshacl's on the whole test corpus is tested with the other
validators in test_engines.py; here: the parts it relies on, on input/expected pairs,
and that it really leaves most focus nodes out (else it would be correct but no faster).
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from kgraph.build import inputs as sources
from kgraph.build.parse import parse_file
from kgraph.validation import evaluator as fastvalidate
from kgraph.validation import prefilter
from kgraph.validation import terms as sh
from kgraph.build.materialise import entailed_quads
from kgraph.validation.shapes import load_shapes_graph

ROOT = Path(__file__).resolve().parents[2]
XSD = "http://www.w3.org/2001/XMLSchema#"


def typed(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))


def test_renamed_literals_are_those_the_store_writes_differently():
    written = [typed("9.0", "decimal"), typed("9", "decimal"), typed("+5", "integer"), typed("5", "integer"),
               typed("2018", "gYear"), typed("2018-05-03", "date"), typed("not a date", "date"),
               ox.Literal("Brussel", language="nl"), ox.Literal("EUR")]
    assert prefilter.renamed_literals(written) == {typed("9", "decimal"), typed("5", "integer")}


def test_renamed_literals_of_nothing_unusual_is_empty():
    assert prefilter.renamed_literals([typed("2018", "gYear"), ox.Literal("x", language="en")]) == set()


@pytest.mark.parametrize("pattern, safe", [
    ("^https?://", True),
    ("^[0-9]{5}$", True),
    (r"^https://data\.example\.org/id/(organisatie|activiteit)/[a-z0-9]+(-[a-z0-9]+)*$", True),
    (r"^\d{4}-\d{2}$", True),
    (r"^\w+$", False),  # \w differs between Rust and Python
    (r"^(?i)abc$", False),  # inline flags
    (r"^(?=a)a$", False),  # look-ahead: Python only
    (r"\bword\b", False),
    ("^é$", False),  # non-ASCII text
])
def test_safe_patterns_mean_the_same_to_oxigraph_and_python(pattern, safe):
    assert prefilter.safe_pattern(pattern) is safe


@pytest.mark.parametrize("text, expected", [
    ('a"b', r'"a\"b"'),
    ("a\\b", r'"a\\b"'),
    ("line\nbreak", r'"line\nbreak"'),
])
def test_sparql_strings_are_escaped(text, expected):
    assert prefilter.sparql_string(text) == expected


def test_safe_patterns_match_alike_in_oxigraph_and_python():
    """The patterns of the shapes, run by both engines on values that do and do not match."""
    store = ox.Store()
    values = ["https://data.example.org/id/activiteit/open-data", "http://x", "ftp://x", "44021", "4402", "440211",
              "https://data.example.org/id/activiteit/Open", "abc\n"]
    shapes = load_shapes_graph(ROOT / "shapes", "https://data.example.org/")
    patterns = {str(p) for p in shapes.objects(None, sh.pattern)}
    assert patterns and all(prefilter.safe_pattern(p) for p in patterns)
    for pattern in patterns:
        for value in values:
            query = f"ASK {{ FILTER(REGEX({prefilter.sparql_string(value)}, {prefilter.sparql_string(pattern)})) }}"
            if store.query(query):
                assert re.search(pattern, value), (pattern, value)


def generated_store(settings, tmp_path) -> tuple[ox.Store, list[ox.Quad]]:
    from benchmarks import generate

    generate.generate(tmp_path / "data", 20_000, seed=11)  # with activities and events
    found = [s for s in sources.discover(settings.ontology_dir, tmp_path / "data", settings.base)]
    quads = [q for s in found for q in parse_file(s.path, settings.base, s.graph)]
    store = ox.Store()
    store.extend(quads)
    return store, quads + entailed_quads(store, f"{settings.base}graph/inferred")


def test_most_focus_nodes_are_left_out_on_conforming_data(project_settings, tmp_path):
    store, _ = generated_store(project_settings, tmp_path)
    evaluator = fastvalidate.Evaluator(load_shapes_graph(project_settings.shapes_dir, project_settings.base), store,
                                       project_settings.base, union=True, targets_from_store=True)
    pre = prefilter.Prefilter(evaluator, set())
    checked = suspects = 0
    for shape in evaluator.node_shapes():
        focus = set(evaluator.focus_nodes(shape))
        for prop, path in evaluator.properties(shape):
            found = pre.suspects(prop, path, focus)
            assert found <= focus
            checked += len(focus)
            suspects += len(found)
    assert checked > 1000
    # the generated data has warnings (events without a place, ...), and nothing else
    assert 0 < suspects < checked / 10


def test_a_broken_start_date_makes_its_event_a_suspect_and_a_good_one_does_not(project_settings, tmp_path):
    """One event's schema:startDate replaced, in otherwise conforming generated data: it is a
    suspect of EventStartDateShape exactly when the value could break the shape."""
    store, _ = generated_store(project_settings, tmp_path)
    base = project_settings.base
    evaluator = fastvalidate.Evaluator(load_shapes_graph(project_settings.shapes_dir, base), store, base,
                                       union=True, targets_from_store=True)
    pre = prefilter.Prefilter(evaluator, set())
    event = next(iter(store.query("SELECT ?e WHERE { ?e a <http://schema.org/Event> } LIMIT 1",
                                  use_default_graph_as_union=True)))[0]
    start = ox.NamedNode("http://schema.org/startDate")
    shape = next(s for s in evaluator.node_shapes() if str(s).endswith("#EventShape"))
    prop = next(p for p, _ in evaluator.properties(shape) if str(p).endswith("#EventStartDateShape"))
    focus = set(evaluator.focus_nodes(shape))
    cases = {
        "good": ([typed("2018-05-03", "date")], False),
        "out of range": ([typed("1999-12-31", "date")], True),
        "ill-typed": ([typed("2018-02-30", "date")], True),
        "with a time zone": ([typed("2018-05-03Z", "date")], True),  # not a plain form: checked exactly
        "wrong datatype": ([ox.Literal("2018-05-03")], True),
        "two values": ([typed("2018-05-03", "date"), typed("2018-05-04", "date")], True),
        "none": ([], True),
    }
    for name, (values, suspect) in cases.items():
        for old in list(store.quads_for_pattern(event, start, None)):
            store.remove(old)
        store.extend(ox.Quad(event, start, v, ox.NamedNode(f"{base}graph/broken")) for v in values)
        assert (event in pre.suspects(prop, start.value, focus)) is suspect, name


@pytest.mark.parametrize("value, datatype, plain", [
    ("42", "integer", True), ("-7", "integer", True), ("+7", "integer", False), ("007", "integer", True),
    ("4000.5", "decimal", True), ("4000", "decimal", True), ("4000.", "decimal", False), (".5", "decimal", False),
    ("2018-05-03", "date", True), ("2018-05-03Z", "date", False), ("0999-01-01", "date", False),
    ("2018", "gYear", True), ("0000", "gYear", False),
])
def test_only_plain_lexical_forms_are_vouched_for(value, datatype, plain):
    term = rdflib.Literal(value, datatype=rdflib.URIRef(XSD + datatype), normalize=False)
    assert (prefilter.literal_of(term) is not None) is plain
