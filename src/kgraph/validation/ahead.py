"""The prefilter's SPARQL answers worked out by threads, ahead of the moment they are asked for.

The prefilter (kgraph.validation.prefilter) asks the store some seventy queries, one after
another, between stretches of Python (focus nodes, the exact check of suspects). pyoxigraph
holds the GIL while it hands a solution row to Python, but not while it evaluates a query
and serialises the whole answer itself: so here each answer is serialised by Oxigraph as
SPARQL TSV, in a thread, and kept as the set of its first column's terms written as
N-Triples (bytes). Two such threads use both cores while the main thread goes on with the
Python parts, and the answer costs no Python object per row (at 1M triples, turning rows into
terms took longer than the queries themselves).

The terms compared are subjects (IRIs and blank nodes), which TSV writes exactly as their
N-Triples form (`str(term)`); an answer holding anything else (a literal, whose TSV form may
be abbreviated) is not given here, and the prefilter reads that query's rows as before.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from typing import Callable, Iterable

import pyoxigraph as ox


class Keys(frozenset):
    """A query's first column: each term as its N-Triples form, in bytes (key_of)."""


def key_of(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> bytes:
    """A term as Keys hold it."""
    return str(term).encode()


def keys_of_tsv(tsv: bytes) -> Keys | None:
    """The first column of a SPARQL TSV answer as Keys; None if it holds a term that is not an
    IRI or a blank node (unbound values, empty lines, are no term and are left out)."""
    rows = tsv.split(b"\n")
    several = b"\t" in rows[0]
    keys = []
    for row in rows[1:]:
        if several:
            row = row.split(b"\t", 1)[0]
        row = row.rstrip(b"\r")
        if not row:
            continue
        if not (row.startswith(b"<") or row.startswith(b"_:")):
            return None
        keys.append(row)
    return Keys(keys)


class Ahead:
    """Answers of planned queries, fetched by `workers` threads, at most `workers` of them
    waiting (worked on or done) ahead of the query being asked for, which bounds the memory
    held for answers not yet used. The plan is the order the queries will be asked in;
    wanted(query) says whether a planned query is still going to be asked."""

    def __init__(self, select: Callable[[str], ox.QuerySolutions], workers: int,
                 wanted: Callable[[str], bool]):
        self._select, self._wanted, self._window = select, wanted, workers
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="kgraph-prefilter")
        self._plan: list[str] = []
        self._position: dict[str, int] = {}
        self._next = 0  # the first planned query not yet started
        self._waiting: dict[str, Future] = {}

    def plan(self, queries: Iterable[str]) -> None:
        """Add queries (the ones not planned yet) at the end of the plan."""
        for query in queries:
            if query not in self._position:
                self._position[query] = len(self._plan)
                self._plan.append(query)
        self._start_ahead()  # the first answers are worked out while the focus nodes are

    def _fetch(self, query: str) -> Keys | None:
        return keys_of_tsv(self._select(query).serialize(format=ox.QueryResultsFormat.TSV))

    def _start_ahead(self) -> None:
        while len(self._waiting) < self._window and self._next < len(self._plan):
            query = self._plan[self._next]
            self._next += 1
            if query not in self._waiting and self._wanted(query):
                self._waiting[query] = self._pool.submit(self._fetch, query)

    def answer(self, query: str) -> Keys | None:
        """query's answer as Keys (None: see keys_of_tsv), waiting for it if need be; the
        queries planned after it start meanwhile. Raises what evaluating it raised."""
        self._next = max(self._next, self._position.get(query, -1) + 1)
        future = self._waiting.pop(query, None)
        self._start_ahead()
        if future is None:
            return self._fetch(query)  # not planned (or not started): here, while the others run
        return future.result()

    def drop(self, query: str) -> None:
        """Forget query's answer if it was started (it will not be asked for after all)."""
        future = self._waiting.pop(query, None)
        if future is not None:
            future.cancel()

    def close(self) -> None:
        """Stop the threads (answers still being worked out are waited for, not used)."""
        for future in self._waiting.values():
            future.cancel()
        self._waiting.clear()
        self._pool.shutdown(wait=True)
