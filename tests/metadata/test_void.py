"""The VoID description: its numbers equal the store's own counts (counted here in Python, not with
the queries the module uses), and it names the endpoint, dumps, URI space and vocabularies."""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
import pytest

from kgraph.metadata import StoreSource, build_void, statistics

VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@pytest.fixture(scope="module")
def union(store):
    """The distinct triples of the union default graph, counted by hand."""
    triples = {(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, None)}
    assert triples
    return triples


@pytest.fixture(scope="module")
def stats(store, built_release):
    return statistics(StoreSource(store), built_release.manifest["base"])


def test_counts_equal_the_store(stats, union, built_release):
    base = built_release.manifest["base"]
    assert stats["triples"] == len(union) == built_release.manifest["triples"]
    assert stats["distinct_subjects"] == len({s for s, _, _ in union})
    assert stats["distinct_objects"] == len({o for _, _, o in union})
    assert stats["properties"] == len({p for _, p, _ in union})
    entities = {s for s, _, _ in union if isinstance(s, ox.NamedNode) and s.value.startswith(f"{base}id/")}
    assert stats["entities"] == len(entities)
    typed = Counter()
    for cls in {o for _, p, o in union if p.value == RDF_TYPE and isinstance(o, ox.NamedNode)}:
        typed[cls.value] = len({s for s, p, o in union if p.value == RDF_TYPE and o == cls})
    assert stats["classes"] == len(typed)
    assert dict(stats["class_partitions"]) == dict(typed)
    assert dict(stats["property_partitions"]) == dict(Counter(p.value for _, p, _ in union))


def test_the_void_graph(stats, built_release):
    base = built_release.manifest["base"]
    triples = build_void(stats, base, built_release.manifest)
    dataset = f"{base}id/dataset/kgraph"

    def values(predicate, subject=dataset):
        return [t.object.value for t in triples if t.subject.value == subject and t.predicate.value == VOID + predicate]

    assert values("triples") == [str(stats["triples"])]
    assert values("entities") == [str(stats["entities"])]
    assert values("classes") == [str(stats["classes"])]
    assert values("properties") == [str(stats["properties"])]
    assert values("sparqlEndpoint") == [f"{base}sparql"]
    assert values("uriSpace") == [f"{base}id/"]
    dumps = [d["file"] for d in built_release.manifest["dumps"]]
    assert dumps and sorted(values("dataDump")) == sorted(f"{base}dumps/{f}" for f in dumps)
    vocabularies = values("vocabulary")
    assert f"{base}ns/kgraph" in vocabularies and "http://www.w3.org/ns/org#" in vocabularies
    examples = values("exampleResource")
    assert examples and all(e.startswith(f"{base}id/") for e in examples)
    assert len(values("classPartition")) == stats["classes"]
    assert len(values("propertyPartition")) == stats["properties"]
