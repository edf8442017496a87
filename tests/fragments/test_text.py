"""The TriG and N-Quads writer of fragment pages (kgraph.fragments.text) against page_document:
every page shape (data or none, several pages, an estimated count, blank nodes, named graphs,
literals that need escaping in the pattern, a root with a path) parses back to exactly the
quads page_document makes."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kgraph.fragments import FragmentContext, page_document
from kgraph.fragments import matching
from kgraph.fragments.controls import HYDRA, SD
from kgraph.fragments.pattern import DEFAULT_GRAPH, Pattern
from kgraph.fragments.text import FORMATS, NQUADS, TRIG, write_page
from kgraph.namespaces import STANDARD_PREFIXES

DEFAULT = ox.NamedNode(DEFAULT_GRAPH)
PREFIXES = {**STANDARD_PREFIXES, "hydra": HYDRA, "sd": SD}
SYNTAX = {TRIG: ox.RdfFormat.TRIG, NQUADS: ox.RdfFormat.N_QUADS}
CONTEXTS = [
    FragmentContext("http://127.0.0.1:8000/", "https://data.vlaanderen.be/id/licentie/modellicentie-gratis-hergebruik/v1.0",
                    "2018-12-31T23:00:00+00:00", "https://data.example.org/id/dataset/kgraph",
                    "https://data.example.org/.well-known/genid/"),
    FragmentContext("https://data.example.org/kg/", "http://creativecommons.org/publicdomain/zero/1.0/", None,
                    "https://data.example.org/id/dataset/kgraph", "https://data.example.org/.well-known/genid/"),
]


def pages(store: ox.Store) -> list[matching.FragmentPage]:
    """Pages of the real graph of every shape the writer meets."""
    quads = list(store.quads_for_pattern(None, None, None, None))
    blank = next(q for q in quads if isinstance(q.subject, ox.BlankNode))
    long_text = max((q for q in quads if isinstance(q.object, ox.Literal)), key=lambda q: len(q.object.value))
    tricky = ox.Literal('een "aanhalingsteken", een \\ en\neen nieuwe regel', language="nl-BE")
    rdf_type = ox.NamedNode(STANDARD_PREFIXES["rdf"] + "type")
    matcher = matching.StoreMatcher(store)
    made = [
        matching.page(matcher, Pattern(subject=quads[0].subject, graph=DEFAULT), 1, 100),
        matching.page(matcher, Pattern(subject=blank.subject, graph=DEFAULT), 1, 100),  # skolem IRIs
        matching.page(matcher, Pattern(object=long_text.object, graph=DEFAULT), 1, 100),
        matching.page(matcher, Pattern(predicate=rdf_type, graph=DEFAULT), 2, 5),  # previous, next, last
        matching.page(matcher, Pattern(predicate=rdf_type), 3, 7),  # GRAPH ?g: data in named graphs
        matching.page(matcher, Pattern(object=tricky, graph=DEFAULT), 1, 100),  # no data at all
        matching.page(matcher, Pattern(subject=blank.subject, graph=blank.graph_name), 1, 100),
    ]
    estimated = matching.page(matcher, Pattern(predicate=rdf_type, graph=DEFAULT), 1, 10)
    # Data that needs escaping, typed literals, and quads in a named graph, written line by line.
    s, p, g = blank.predicate, long_text.predicate, ox.NamedNode("http://example.org/graph")
    odd = [tricky, ox.Literal("5", datatype=ox.NamedNode(STANDARD_PREFIXES["xsd"] + "integer")), long_text.object]
    made.append(matching.FragmentPage(Pattern(subject=s, graph=DEFAULT), 1, 100, [ox.Triple(s, p, o) for o in odd],
                                      3, True, False))
    made.append(matching.FragmentPage(Pattern(subject=s), 1, 100, [ox.Quad(s, p, o, g) for o in odd], 3, True, False))
    made.append(matching.FragmentPage(estimated.pattern, 1, 10, estimated.quads, matching.COUNT_CAP, False, True))
    return made


@pytest.mark.parametrize("media_type", FORMATS)
@pytest.mark.parametrize("context", CONTEXTS, ids=["local", "public-base-with-path"])
def test_written_pages_are_page_documents(store, media_type, context):
    shapes = pages(store)
    assert any(not p.quads for p in shapes) and any(p.has_next and p.number > 1 for p in shapes)
    for page in shapes:
        written = write_page(page, context, media_type, PREFIXES)
        got = list(ox.parse(written, format=SYNTAX[media_type]))
        assert len(got) == len(set(got))  # no statement twice
        assert set(got) == set(page_document(page, context)), (page.pattern, written.decode()[-2000:])


def test_trig_pages_use_the_prefixes_they_declare(store):
    page = pages(store)[3]
    written = write_page(page, CONTEXTS[0], TRIG, PREFIXES).decode()
    assert "hydra:totalItems" in written and "void:triples" in written and "<http://www.w3.org/ns/hydra" not in written.split("{", 1)[1]
    empty = next(p for p in pages(store) if not p.quads)
    assert write_page(empty, CONTEXTS[0], TRIG, PREFIXES).decode().startswith("@prefix ")
