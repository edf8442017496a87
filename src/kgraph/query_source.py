"""Where the page and metadata builders get their facts: one adapter over "run this SELECT, run
this CONSTRUCT", evaluated with the union of the named graphs as the default graph (as the
endpoint does). No HTTP is involved.

- StoreSource: a pyoxigraph Store, read-only on disk (the Linked Data pages run a handful of small
  fixed queries per request in-process: fast, and never queued behind a slow user query) or in
  memory (the build, the tests).
- ExecutorSource: the endpoint's worker-process executor (deadline, row limit). The metadata
  views use it, and the pages do when the store is writable: a read-only handle opened at start
  would not see updates.

kgraph.linkeddata and kgraph.metadata both take any QuerySource.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

import pyoxigraph as ox

from kgraph.sparql import negotiation

Solution = dict[str, Any]  # variable name -> pyoxigraph term (NamedNode, BlankNode, Literal)


class QuerySource(Protocol):
    """Anything that answers SELECT and CONSTRUCT queries over the union default graph."""

    def select(self, query: str) -> list[Solution]:
        """Rows as {variable: pyoxigraph term}; unbound variables are left out."""

    def construct(self, query: str) -> list[ox.Triple]:
        """The triples of a CONSTRUCT (or DESCRIBE) query."""


def _rows(solutions: Iterable[ox.QuerySolution], variables: Iterable[ox.Variable]) -> list[Solution]:
    names = [v.value for v in variables]
    # a solution iterates its values in the order of variables: one call per row, where
    # solution[name] twice per variable made (and looked up) each term twice
    return [{name: term for name, term in zip(names, solution) if term is not None} for solution in solutions]


class StoreSource:
    """Queries on a pyoxigraph Store (read-only or in memory)."""

    def __init__(self, store: ox.Store):
        self.store = store

    @classmethod
    def open(cls, store_path: str) -> "StoreSource":
        """A source on an on-disk store, opened read-only (several processes may share it)."""
        return cls(ox.Store.read_only(str(store_path)))

    def select(self, query: str) -> list[Solution]:
        solutions = self.store.query(query, use_default_graph_as_union=True)
        return _rows(solutions, solutions.variables)

    def construct(self, query: str) -> list[ox.Triple]:
        return list(self.store.query(query, use_default_graph_as_union=True))


class ExecutorSource:
    """Queries through kgraph.sparql.Executor (worker processes), read back from its serialisations."""

    def __init__(self, executor: Any):
        self.executor = executor

    def select(self, query: str) -> list[Solution]:
        result = self.executor.query(query, {negotiation.SOLUTIONS: "application/sparql-results+json"})
        solutions = ox.parse_query_results(result.read(), format=ox.QueryResultsFormat.JSON)
        return _rows(solutions, solutions.variables)

    def construct(self, query: str) -> list[ox.Triple]:
        result = self.executor.query(query, {negotiation.GRAPH: "application/n-triples"})
        # One result, one parse: blank node labels stay consistent within it. ox.parse yields
        # quads (in the default graph); the builders work with triples.
        return [ox.Triple(q.subject, q.predicate, q.object)
                for q in ox.parse(result.read(), format=ox.RdfFormat.N_TRIPLES)]


def integer(row: Solution, name: str) -> int:
    """An integer binding of a row (0 when unbound)."""
    term = row.get(name)
    return int(term.value) if term is not None else 0
