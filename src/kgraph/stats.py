"""Counts over the built store: triples, resources per class, links per property."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from kgraph import namespaces

TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
PER_CLASS = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class }
GROUP BY ?class ORDER BY DESC(?n) ?class
"""
PER_PROPERTY = """
SELECT ?property (COUNT(*) AS ?n) WHERE { ?s ?property ?o }
GROUP BY ?property ORDER BY DESC(?n) ?property
"""


@dataclass(frozen=True)
class Stats:
    """The numbers `kgraph stats` prints."""

    triples: int
    per_class: list[tuple[str, int]]
    per_property: list[tuple[str, int]]

    def count_of(self, iri: str) -> int:
        """How many resources have class iri (0 if none)."""
        return dict(self.per_class).get(iri, 0)


def _pairs(store: ox.Store, query: str, key: str) -> list[tuple[str, int]]:
    return [
        (row[key].value, int(row["n"].value))
        for row in store.query(query, use_default_graph_as_union=True)
    ]


def compute(store: ox.Store) -> Stats:
    """Statistics of the union of the store's graphs."""
    triples = next(iter(store.query(TRIPLES, use_default_graph_as_union=True)))["n"].value
    return Stats(int(triples), _pairs(store, PER_CLASS, "class"), _pairs(store, PER_PROPERTY, "property"))


def shorten(iri: str, prefixes: dict[str, str]) -> str:
    """iri as prefix:local when a prefix covers it (the longest one wins), else <iri>."""
    return namespaces.shorten(iri, prefixes) or f"<{iri}>"
