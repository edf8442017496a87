"""The embedded store's pages, read from its indexes, against the SPARQL texts a QuerySource
runs (kgraph.fragments.matching): the same quads, each once, page after page, and the same counts."""

from __future__ import annotations

import random

import pyoxigraph as ox
import pytest

from kgraph.fragments import matching
from kgraph.fragments.pattern import DEFAULT_GRAPH, Pattern

DEFAULT = ox.NamedNode(DEFAULT_GRAPH)


class SparqlMatcher:
    """The SPARQL path on the same store (what QueryMatcher sends a QuerySource)."""

    def __init__(self, store: ox.Store):
        self._store = matching.StoreMatcher(store)

    def select(self, query, substitutions):
        return self._store.select(query, substitutions)


def all_pages(matcher, pattern: Pattern, size: int) -> list[list[ox.Quad]]:
    pages, number = [], 1
    while True:
        page = matching.page(matcher, pattern, number, size)
        pages.append(page.quads)
        if not page.has_next:
            return pages
        number += 1


def patterns(store: ox.Store) -> list[Pattern]:
    """Patterns of every kind, with terms sampled from the store (fixed seed)."""
    rnd = random.Random(7)
    quads = list(store.quads_for_pattern(None, None, None, None))
    picked = rnd.sample(quads, 12)
    blank = next(q for q in quads if isinstance(q.subject, ox.BlankNode))
    found = []
    for q in picked + [blank]:
        for graph in (DEFAULT, None, q.graph_name):
            found += [Pattern(subject=q.subject, graph=graph), Pattern(predicate=q.predicate, graph=graph),
                      Pattern(predicate=q.predicate, object=q.object, graph=graph), Pattern(object=q.object, graph=graph),
                      Pattern(q.subject, q.predicate, q.object, graph)]
    return list(dict.fromkeys(found))


@pytest.mark.parametrize("list_limit", [matching.LIST_LIMIT, 20])  # 20: larger fragments paged by SPARQL
def test_store_pages_are_the_sparql_matches_each_once(store, list_limit):
    direct, sparql = matching.StoreMatcher(store, list_limit=list_limit), SparqlMatcher(store)
    checked = 0
    for pattern in patterns(store):
        size = 7  # small pages: several per fragment, so offsets are walked
        pages = all_pages(direct, pattern, size)
        expected = all_pages(sparql, pattern, size)
        got = [q for page in pages for q in page]
        assert len(got) == len(set(got)), pattern  # no quad on two pages, none twice
        assert set(got) == {q for page in expected for q in page}, pattern
        assert all(len(page) == size for page in pages[:-1]), pattern
        assert matching.count(direct, pattern) == (len(got), True), pattern
        if pattern.in_default_graph:
            assert all(isinstance(q.graph_name, ox.DefaultGraph) for q in got)
        elif pattern.graph is None:
            assert all(isinstance(q.graph_name, ox.NamedNode) for q in got)
        checked += 1
    assert checked > 100


def test_a_triple_in_several_graphs_is_once_in_the_default_graph():
    store = ox.Store()
    a, b, c = (ox.NamedNode(f"http://example.org/{n}") for n in "abc")
    for graph in (ox.NamedNode("http://example.org/g1"), ox.NamedNode("http://example.org/g2"), ox.DefaultGraph()):
        store.add(ox.Quad(a, b, c, graph))
    store.add(ox.Quad(a, b, a, ox.NamedNode("http://example.org/g1")))
    direct = matching.StoreMatcher(store)
    union = matching.page(direct, Pattern(subject=a, graph=DEFAULT), 1, 10)
    assert sorted(map(str, union.quads)) == sorted(map(str, [ox.Quad(a, b, c), ox.Quad(a, b, a)]))
    assert union.total == 2 and union.exact
    named = matching.page(direct, Pattern(subject=a), 1, 10)
    assert len(named.quads) == 3  # GRAPH ?g: the two named graphs' quads, not the default graph's
    second = matching.page(direct, Pattern(subject=a, graph=DEFAULT), 2, 1)
    first = matching.page(direct, Pattern(subject=a, graph=DEFAULT), 1, 1)
    assert first.has_next and not second.has_next and first.quads != second.quads


@pytest.mark.parametrize("offset", [0, 1, 5])
def test_offsets_skip_exactly(store, offset):
    direct = matching.StoreMatcher(store)
    pattern = Pattern(predicate=ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), graph=DEFAULT)
    whole = matching.matches(direct, pattern, 0, 50)
    assert matching.matches(direct, pattern, offset, 10) == whole[offset:offset + 10]


def test_a_fragment_of_several_pages_is_listed_once_in_canonical_order(store):
    kept: dict = {}

    class Kept:
        get, put = kept.get, kept.__setitem__

    direct = matching.StoreMatcher(store, kept=Kept(), list_limit=50)
    small = next(p for p in patterns(store) if matching.count(direct, p)[0] in range(2, 6))
    big = Pattern(predicate=ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), graph=DEFAULT)
    middle = next(p for p in patterns(store) if matching.count(direct, p)[0] in range(8, 51))
    assert matching.count(direct, big)[0] > 50
    first = matching.page(direct, middle, 1, 7)
    assert list(kept) == [middle]  # read whole once, kept; a one-page fragment is not kept
    listed = kept[middle]
    assert listed == sorted(listed, key=lambda s: tuple(map(str, s)))
    assert (first.total, first.exact, first.statements) == (len(listed), True, listed[:7])
    kept[middle] = listed[::-1]  # the next page is a slice of what is kept, not read again
    assert matching.page(direct, middle, 2, 7, (len(listed), True)).statements == listed[::-1][7:14]
    matching.page(direct, small, 1, 7)
    matching.page(direct, big, 1, 7)
    assert list(kept) == [middle]  # too small to need an order, too large to list
