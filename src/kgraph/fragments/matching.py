"""A page of the quads matching a pattern, and how many match, from the store.

On the embedded store a fragment is read from the store's own indexes (`quads_for_pattern`): a
SPARQL query's parse and plan cost several times the reading of a page (measured: 0.23 ms a
query against 0.03 ms for a page of 100), and a fragment is one pattern. A fragment of more than
one page and at most LIST_LIMIT matches is read whole once, put in one canonical order (the
statements' N-Triples texts) and kept (by the caller, per release: Listings); its pages are
slices of it. The order is the statements' own, not a store's: an in-memory copy of the release
(kgraph.fragments.memory) gives its matches in another order than the on-disk store, and every
server worker, with a copy or not yet, must page a fragment alike. Measured at 100k triples,
in memory, first requests of `??o` page 1: a listing of 200 matches on average took 0.5 ms, the
SPARQL page and count it replaces 0.9 ms. And each call into pyoxigraph's engine (a query, a
quads_for_pattern, a serialize; not a row or a term) lets go of the GIL, which the other request
threads of a server worker then take: beside one busy thread, a query took 5 ms to come back.

Larger fragments, and every fragment through a QuerySource (a server taking updates), are paged
by SPARQL: fixed texts with the pattern's terms written in (pyoxigraph writes terms in N-Triples
syntax, so no text from the URL reaches the query unparsed); blank nodes, which SPARQL would read
as variables, are bound by substitution. There is no ORDER BY: a store gives its matches in
index order, the same for every request to the same release, so offset paging is stable and
costs no sort.

Counting stops at COUNT_CAP matches: beyond that the count is an estimate (at least COUNT_CAP),
so that a fragment of a million triples costs no more to describe than one of a hundred thousand.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from typing import Any, Iterable, Protocol

import pyoxigraph as ox

from kgraph.fragments.pattern import Pattern
from kgraph.fragments.terms import Term
from kgraph.query_source import QuerySource

COUNT_CAP = 100_000
LIST_LIMIT = 1_000  # matches of a fragment read whole and kept in canonical order (10 pages of 100)
POSITIONS = ("s", "p", "o")


@dataclass(frozen=True)
class FragmentPage:
    """Page `number` (from 1) of `size` of a pattern's matches: the statements (triples for a
    pattern in the default graph, else quads), the count (exact, or at least COUNT_CAP when
    not), and whether more follow."""

    pattern: Pattern
    number: int
    size: int
    statements: list[ox.Triple] | list[ox.Quad]
    total: int
    exact: bool
    has_next: bool

    @property
    def quads(self) -> list[ox.Quad]:
        """The statements as quads (in the default graph for a pattern in the default graph)."""
        if self.pattern.in_default_graph:
            return [ox.Quad(t.subject, t.predicate, t.object) for t in self.statements]
        return self.statements  # type: ignore[return-value]


class Matcher(Protocol):
    """Runs the fragment queries: SELECT texts, with blank-node substitutions."""

    def select(self, query: str, substitutions: dict[ox.Variable, Term]) -> Iterable[dict[str, Any]]:
        """Solutions as {variable name: term}."""


class Listings(Protocol):
    """Where listings are kept between requests (the web layer's, per release and pattern)."""

    def get(self, key: Pattern) -> list | None:
        """The listing kept for a pattern, if any."""

    def put(self, key: Pattern, value: list) -> None:
        """Keep a pattern's listing (or not: the keeper is bounded)."""


class StoreMatcher:
    """The fragments of a pyoxigraph Store (read-only in the server), in process: fragments read
    from its indexes (listings of at most `list_limit` matches, see the module doc), counts of
    larger ones by a SPARQL COUNT (counted in the engine, not quad by quad here).

    `pages_from`: a store with the same quads (an in-memory copy, kgraph.fragments.memory) that
    read() uses instead; its order may differ, and the listings' canonical order makes the pages
    the same. Larger fragments are paged by the SPARQL texts on `store`, in the one order offsets
    count in, whichever copy a server worker has. `kept`: where listings are kept."""

    def __init__(self, store: ox.Store, pages_from: ox.Store | None = None, kept: Listings | None = None,
                 list_limit: int = LIST_LIMIT):
        self.store = store
        self.pages_from = pages_from if pages_from is not None else store
        self.kept = kept
        self.list_limit = list_limit

    def listing(self, pattern: Pattern, size: int) -> list[ox.Triple] | list[ox.Quad] | None:
        """Every statement matching the pattern, in canonical order when they are more than
        `size` (one page: its order is no other page's concern); None when more than
        list_limit match."""
        kept = self.kept.get(pattern) if self.kept is not None else None
        if kept is not None:
            return kept
        found = self.read(pattern, 0, self.list_limit + 1)
        if len(found) > self.list_limit:
            return None
        if len(found) > size:
            found.sort(key=_canonical)
            if self.kept is not None:
                self.kept.put(pattern, found)
        return found

    def select(self, query: str, substitutions: dict[ox.Variable, Term]) -> Iterable[dict[str, Any]]:
        solutions = self.store.query(query, use_default_graph_as_union=True, substitutions=substitutions or None)
        names = [v.value for v in solutions.variables]
        return ({name: solution[name] for name in names} for solution in solutions)

    def read(self, pattern: Pattern, offset: int, limit: int) -> list[ox.Triple] | list[ox.Quad]:
        """Up to `limit` statements matching the pattern after `offset`, from the store's
        indexes, with the semantics of the SPARQL texts below: in the default graph (the union
        of every graph) each triple once; with a graph variable, the quads of the named graphs."""
        s, p, o = pattern.subject, pattern.predicate, pattern.object
        if pattern.in_default_graph:
            # Triples as the quads give them (Quad.triple): pyoxigraph's Quad and Triple
            # constructors cost 1.5 us each and twice that with eight threads of a server worker
            # making them at once (measured), a page's data up to a hundred of them.
            seen: set[ox.Triple] = set()
            found: list[ox.Triple] = []
            for quad in self.pages_from.quads_for_pattern(s, p, o, None):
                triple = quad.triple
                if triple in seen:  # stated in several graphs: once here
                    continue
                seen.add(triple)
                if len(seen) > offset:
                    found.append(triple)
                    if len(found) == limit:
                        break
            return found
        quads: Iterable[ox.Quad] = self.pages_from.quads_for_pattern(s, p, o, pattern.graph)
        if pattern.graph is None:  # GRAPH ?g: the named graphs only
            quads = (q for q in quads if not isinstance(q.graph_name, ox.DefaultGraph))
        return list(islice(quads, offset, offset + limit))


def _canonical(statement: ox.Triple | ox.Quad) -> tuple[str, ...]:
    """A statement's place in a listing: its terms' N-Triples texts (each term has one)."""
    return tuple(map(str, statement))


class BlankNodeUnsupported(ValueError):
    """A blank node in a pattern where the queries cannot bind it (a writable server's executor)."""


class QueryMatcher:
    """The fragment queries through a QuerySource (the executor of a server taking updates, whose
    read-only handles would not see them). It cannot bind blank nodes."""

    def __init__(self, source: QuerySource):
        self.source = source

    def select(self, query: str, substitutions: dict[ox.Variable, Term]) -> Iterable[dict[str, Any]]:
        if substitutions:
            raise BlankNodeUnsupported("blank nodes in a pattern are answered only by a read-only server")
        return self.source.select(query)


def _where(pattern: Pattern) -> tuple[str, dict[ox.Variable, Term], list[str]]:
    """The group pattern, the blank-node substitutions and the variables of a pattern."""
    texts, substitutions, variables = [], {}, []
    for name, term in zip(POSITIONS, (pattern.subject, pattern.predicate, pattern.object)):
        if term is None or isinstance(term, ox.BlankNode):
            texts.append(f"?{name}")
            variables.append(name)
            if term is not None:
                substitutions[ox.Variable(name)] = term
        else:
            texts.append(str(term))
    triple = " ".join(texts)
    if pattern.in_default_graph:
        return f"{{ {triple} }}", substitutions, variables
    graph = str(pattern.graph) if pattern.graph is not None else "?g"
    if pattern.graph is None:
        variables.append("g")
    return f"{{ GRAPH {graph} {{ {triple} }} }}", substitutions, variables


def _statement(pattern: Pattern, row: dict[str, Any]) -> ox.Triple | ox.Quad:
    subject = row.get("s") or pattern.subject
    predicate = row.get("p") or pattern.predicate
    obj = row.get("o") or pattern.object
    if pattern.in_default_graph:
        return ox.Triple(subject, predicate, obj)
    return ox.Quad(subject, predicate, obj, row.get("g") or pattern.graph)


def matches(matcher: Matcher, pattern: Pattern, offset: int, limit: int) -> list[ox.Triple] | list[ox.Quad]:
    """Up to `limit` statements matching the pattern (triples in the default graph, each once
    though several named graphs state it; else quads), after skipping `offset` of them."""
    where, substitutions, variables = _where(pattern)
    projection = " ".join(f"?{v}" for v in variables) or "*"
    distinct = "DISTINCT " if pattern.in_default_graph else ""
    query = f"SELECT {distinct}{projection} WHERE {where} LIMIT {limit} OFFSET {offset}"
    return [_statement(pattern, row) for row in matcher.select(query, substitutions)]  # type: ignore[return-value]


def count(matcher: Matcher, pattern: Pattern, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """How many quads match (at most cap+1 counted), and whether that is the exact number."""
    where, substitutions, variables = _where(pattern)
    if substitutions:  # a blank node: few matches, and substitutions cannot reach a subquery
        found = len(matches(matcher, pattern, 0, cap + 1))
    else:
        projection = " ".join(f"?{v}" for v in variables) or "*"
        distinct = "DISTINCT " if pattern.in_default_graph else ""
        inner = f"SELECT {distinct}{projection} WHERE {where} LIMIT {cap + 1}"
        rows = list(matcher.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {inner} }}", {}))
        found = int(rows[0]["n"].value) if rows else 0
    return (found, True) if found <= cap else (cap, False)


def page(matcher: Matcher, pattern: Pattern, number: int, size: int,
         counted: tuple[int, bool] | None = None) -> FragmentPage:
    """Page `number` (from 1) of the pattern's matches; `counted` is a count already known
    (the web layer keeps them per release), else it is counted here."""
    start = (number - 1) * size
    if isinstance(matcher, StoreMatcher) and (counted is None or counted[1] and counted[0] <= matcher.list_limit):
        listed = matcher.listing(pattern, size)
        if listed is not None:
            statements = listed[start:start + size]
            return FragmentPage(pattern, number, size, statements, len(listed), True, start + size < len(listed))
    # A fragment too large to list, or through a QuerySource: paged by the SPARQL texts, every
    # page (the engine skips an offset far faster than Python reading the index would).
    found = matches(matcher, pattern, start, size + 1)
    if counted is None and number == 1 and len(found) <= size:
        counted = (len(found), True)  # the whole fragment is on this page: no need to count it
    total, exact = counted if counted is not None else count(matcher, pattern)
    has_next = len(found) > size
    statements = found[:size]
    if exact:
        total = max(total, start + len(statements))
    return FragmentPage(pattern, number, size, statements, total, exact, has_next)
