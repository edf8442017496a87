"""Where the metadata builders get their facts: a store opened in-process, or the web executor.

The builders (dcat.py, void.py, vocabulary.py) only need "run this SELECT" and "run this
CONSTRUCT" over the union default graph. Two adapters give that: `StoreSource` over a
pyoxigraph Store (the build, the tests) and `ExecutorSource` over the web app's query workers
(so the web process never opens the store itself and metadata queries obey the same timeout).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

import pyoxigraph as ox

from kgraph.sparql import negotiation


class QuerySource(Protocol):
    """Anything that answers SELECT and CONSTRUCT queries over the union default graph."""

    def select(self, query: str) -> list[dict[str, Any]]:
        """Rows as {variable: pyoxigraph term}; unbound variables are missing."""

    def construct(self, query: str) -> list[ox.Triple]:
        """The triples of a CONSTRUCT (or DESCRIBE) query."""


def _rows(solutions: Iterable[ox.QuerySolution], variables: Iterable[ox.Variable]) -> list[dict[str, Any]]:
    names = [v.value for v in variables]
    rows = []
    for solution in solutions:
        rows.append({name: solution[name] for name in names if solution[name] is not None})
    return rows


class StoreSource:
    """Queries on a pyoxigraph Store (read-only or in memory)."""

    def __init__(self, store: ox.Store):
        self.store = store

    def select(self, query: str) -> list[dict[str, Any]]:
        solutions = self.store.query(query, use_default_graph_as_union=True)
        return _rows(solutions, solutions.variables)

    def construct(self, query: str) -> list[ox.Triple]:
        return list(self.store.query(query, use_default_graph_as_union=True))


class ExecutorSource:
    """Queries through kgraph.sparql.Executor (worker processes, deadline, row limit)."""

    def __init__(self, executor: Any):
        self.executor = executor

    def select(self, query: str) -> list[dict[str, Any]]:
        result = self.executor.query(query, {negotiation.SOLUTIONS: "application/sparql-results+json"})
        solutions = ox.parse_query_results(result.read(), format=ox.QueryResultsFormat.JSON)
        return _rows(solutions, solutions.variables)

    def construct(self, query: str) -> list[ox.Triple]:
        result = self.executor.query(query, {negotiation.GRAPH: "application/n-triples"})
        # ox.parse yields quads (in the default graph); the builders work with triples.
        return [ox.Triple(q.subject, q.predicate, q.object)
                for q in ox.parse(result.read(), format=ox.RdfFormat.N_TRIPLES)]


def integer(row: dict[str, Any], name: str) -> int:
    """An integer binding of a row (0 when unbound)."""
    term = row.get(name)
    return int(term.value) if term is not None else 0
