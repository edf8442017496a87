"""The dump helpers on small input/expected pairs: canonical blank node labels computed on
the quads with blank nodes only, and IRI compaction in the JSON-LD writer."""

from __future__ import annotations

import io
import json

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from kgraph import dumps, jsonld

EX = "http://example.org/"
TTL = f"""
@prefix ex: <{EX}> .
ex:a ex:knows [ ex:name "b" ; ex:knows [ ex:name "c" ] ] ; ex:name "a"@nl , "7"^^<http://www.w3.org/2001/XMLSchema#integer> .
ex:d ex:knows [ ex:name "b" ] .
ex:a ex:name "a"@nl .
"""


def parsed() -> list[ox.Quad]:
    graph = ox.NamedNode(f"{EX}g")
    return [ox.Quad(t.subject, t.predicate, t.object, graph) for t in ox.parse(TTL, format=ox.RdfFormat.TURTLE)]


def test_canonical_labels_are_those_of_the_whole_dataset():
    whole = ox.Dataset(parsed())
    whole.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    found = dumps.canonical(parsed())
    assert found == sorted(whole, key=str)
    assert any(isinstance(q.subject, ox.BlankNode) for q in found)
    assert len(found) == len(set(found))  # duplicates removed


def test_canonical_ignores_how_the_parser_labelled_blank_nodes():
    assert dumps.canonical(parsed()) == dumps.canonical(parsed())


@pytest.mark.parametrize("iri, expected", [
    (f"{EX}a", "ex:a"),
    (f"{EX}sub/b", "sub:b"),  # the longest namespace wins
    (f"{EX}", EX),  # nothing after the namespace: left whole
    (f"{EX}//x", f"{EX}//x"),  # would read as an absolute IRI
    ("http://other.org/x", "http://other.org/x"),
])
def test_compaction(iri, expected):
    assert jsonld.Compactor({"ex": EX, "sub": f"{EX}sub/"}).iri(iri) == expected


def test_an_iri_whose_scheme_is_a_prefix_name_is_refused():
    with pytest.raises(ValueError, match="scheme"):
        jsonld.Compactor({"urn": EX}).iri("urn:isbn:123")


def test_jsonld_document_reads_back_as_the_same_graph():
    triples = [q.triple for q in dumps.canonical(parsed())]
    out = io.BytesIO()
    jsonld.write(triples, {"ex": EX, "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}, out)
    document = json.loads(out.getvalue())
    assert document["@context"]["ex"] == EX
    assert any(node["id"] == "ex:a" for node in document["@graph"])
    expected = rdflib.Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    assert isomorphic(rdflib.Graph().parse(data=out.getvalue(), format="json-ld"), expected)
