"""RDFS materialisation, as small input/expected example pairs (examples/materialise/)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.compare import isomorphic

from kgraph.build.materialise import entailed_quads
from kgraph.rdfconv import to_rdflib_graph

EXAMPLES = sorted((Path(__file__).parent / "examples" / "materialise").glob("*.input.ttl"))
GRAPH = "http://example.org/inferred"


def test_examples_exist():
    assert len(EXAMPLES) >= 3


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name.split(".")[0])
def test_entailed_quads_match_expected(example: Path):
    store = ox.Store()
    store.load(path=str(example), format=ox.RdfFormat.TURTLE)
    found = entailed_quads(store, GRAPH)
    assert {q.graph_name for q in found} <= {ox.NamedNode(GRAPH)}
    expected = list(ox.parse(path=str(example).replace(".input.", ".expected."), format=ox.RdfFormat.TURTLE))
    assert isomorphic(to_rdflib_graph(found), to_rdflib_graph(expected))
