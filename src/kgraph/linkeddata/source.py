"""Where the Linked Data pages read from: a Source runs SPARQL on the store and hands back terms.

Two implementations with the same two methods (`select`, `construct`):

- StoreSource: a read-only pyoxigraph handle opened in the web process. The pages run a handful of
  small, fixed queries per request; answering them in-process keeps them fast and keeps them from
  queueing behind a slow user query in the endpoint's worker pool.
- ExecutorSource: the endpoint's worker-process executor. Used when the store is writable (an
  update-enabled instance), because a read-only handle opened at start would not see updates.

Both evaluate with the union of the named graphs as the default graph, like the endpoint does.
No HTTP is involved in either.
"""

from __future__ import annotations

import json
from typing import Any, Protocol

import pyoxigraph as ox

from kgraph.sparql import Executor, negotiation

Solution = dict[str, Any]  # variable name -> pyoxigraph term (NamedNode, BlankNode, Literal)


class Source(Protocol):
    """Something that answers SELECT and CONSTRUCT queries over the dataset."""

    def select(self, query: str) -> list[Solution]:
        """The solutions of a SELECT query, unbound variables left out."""

    def construct(self, query: str) -> list[ox.Triple]:
        """The triples of a CONSTRUCT query."""


class StoreSource:
    """Queries on a pyoxigraph Store (opened read-only by the caller)."""

    def __init__(self, store: ox.Store):
        self.store = store

    @classmethod
    def open(cls, store_path: str) -> StoreSource:
        """A source on an on-disk store, opened read-only (several processes may share it)."""
        return cls(ox.Store.read_only(str(store_path)))

    def select(self, query: str) -> list[Solution]:
        results = self.store.query(query, use_default_graph_as_union=True)
        names = [v.value for v in results.variables]
        rows = []
        for solution in results:
            row = {}
            for name in names:
                value = solution[name]
                if value is not None:
                    row[name] = value
            rows.append(row)
        return rows

    def construct(self, query: str) -> list[ox.Triple]:
        return list(self.store.query(query, use_default_graph_as_union=True))


def _term(binding: dict[str, str]) -> Any:
    """A pyoxigraph term from a SPARQL JSON results binding."""
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    if "xml:lang" in binding:
        return ox.Literal(value, language=binding["xml:lang"])
    if "datatype" in binding:
        return ox.Literal(value, datatype=ox.NamedNode(binding["datatype"]))
    return ox.Literal(value)


class ExecutorSource:
    """Queries through the endpoint's executor (worker processes), read back from its serialisations."""

    def __init__(self, executor: Executor):
        self.executor = executor

    def select(self, query: str) -> list[Solution]:
        result = self.executor.query(query, {negotiation.SOLUTIONS: "application/sparql-results+json"})
        rows = json.loads(result.read())["results"]["bindings"]
        return [{name: _term(value) for name, value in row.items()} for row in rows]

    def construct(self, query: str) -> list[ox.Triple]:
        result = self.executor.query(query, {negotiation.GRAPH: "application/n-triples"})
        # One result, one parse: blank node labels stay consistent within it.
        return list(ox.parse(result.read(), ox.RdfFormat.N_TRIPLES))
