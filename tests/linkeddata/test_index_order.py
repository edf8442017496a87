"""A category index's pages, cut from the order kept per data version (kgraph.linkeddata.indexes:
the whole order of a category is kept with the facts, so later pages are slices), are the pages
the store cuts with ORDER BY ... LIMIT / OFFSET, for every category, sort and language."""

from __future__ import annotations

import pytest

from kgraph.linkeddata import Context, StoreSource, Vocabulary
from kgraph.linkeddata.collections import CATEGORY_TITLES
from kgraph.linkeddata.indexes import ORDER_KEPT_UP_TO, SORTS, paged_index

BASE = "https://data.kenniscentrumvlaamsesteden.be/"


@pytest.fixture(scope="module")
def ctx(store):
    source = StoreSource(store)
    return Context(source, BASE, Vocabulary.load(source))


def _pages(ctx, category, sort, lang, facts, size=7):
    first = paged_index(ctx, category, lang, CATEGORY_TITLES[category], sort, None, 1, size, facts)
    pages = [first] + [paged_index(ctx, category, lang, CATEGORY_TITLES[category], sort, None, n, size, facts)
                       for n in range(2, first.pages + 1)]
    return [[item.link.iri for item in page.items] for page in pages]


@pytest.mark.parametrize("category", ["organisatie", "activiteit", "evenement", "document", "sectie"])
@pytest.mark.parametrize("sort", SORTS)
def test_pages_from_the_kept_order_are_the_stores_pages(ctx, category, sort):
    for lang in ("nl", "en"):
        facts: dict = {}
        kept = _pages(ctx, category, sort, lang, facts)
        assert any(key[0] == "order" for key in facts)  # the order was kept, and the pages cut from it
        assert kept == _pages(ctx, category, sort, lang, None)  # no facts: each page by LIMIT / OFFSET
        assert sum(len(page) for page in kept) == len({iri for page in kept for iri in page})  # no member twice


def test_a_category_larger_than_the_bound_is_paged_by_the_store(ctx, monkeypatch):
    from kgraph.linkeddata import indexes

    monkeypatch.setattr(indexes, "ORDER_KEPT_UP_TO", 3)
    facts: dict = {}
    assert _pages(ctx, "organisatie", "label", "nl", facts) == _pages(ctx, "organisatie", "label", "nl", None)
    assert not any(key[0] == "order" for key in facts)
    assert ORDER_KEPT_UP_TO >= 100_000
