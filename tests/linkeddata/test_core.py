"""kgraph.linkeddata without Flask: the /doc/ graph from either source, the text folding of the
search, and the pages of an update-enabled server following the data after an update."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kgraph.config import Settings
from kgraph.linkeddata import (
    Context,
    ExecutorSource,
    LabelIndex,
    Ref,
    StoreSource,
    Vocabulary,
    describe,
    normalise,
    resource_page,
)
from kgraph.sparql import Executor
from kgraph.web import create_app
from tests.live import make_release

BASE = "https://data.kenniscentrumvlaamsesteden.be/"
GENT = Ref("organisatie", "gent")


def _shape(triples: list[ox.Triple]) -> list[tuple[str, str, str]]:
    """Triples with blank node labels blanked out (each source names them its own way)."""
    def show(term: object) -> str:
        return "_" if isinstance(term, ox.BlankNode) else str(term)
    return sorted((show(t.subject), show(t.predicate), show(t.object)) for t in triples)


def test_describe_is_the_same_from_the_store_and_through_the_executor(built_release, store):
    direct = describe(StoreSource(store), BASE, GENT)
    assert direct
    with Executor(built_release.store_path, workers=1) as executor:
        through = describe(ExecutorSource(executor), BASE, GENT)
    assert _shape(direct) == _shape(through)


def test_describe_accepts_an_iri_and_knows_what_it_does_not_describe(store):
    source = StoreSource(store)
    assert describe(source, BASE, BASE + "id/organisatie/gent") == describe(source, BASE, GENT)
    assert describe(source, BASE, BASE + "id/organisatie/bestaat-niet") == []
    assert describe(source, BASE, "http://example.org/elsewhere") == []


@pytest.mark.parametrize("text, folded", [
    ("Sint-Niklaas", "sint niklaas"),
    ("sint niklaas", "sint niklaas"),
    ("SINT–NIKLAAS", "sint niklaas"),
    ("Europarlementariërs", "europarlementariers"),
    ("ANPR-camera’s", "anpr camera s"),
    ("  Café  Ｇent ", "cafe gent"),  # NFKD folds the full-width letter too
])
def test_normalise_folds_accents_case_and_hyphens(text, folded):
    assert normalise(text) == folded


def test_label_search_ranks_the_exact_label_first(store):
    source = StoreSource(store)
    ctx = Context(source, BASE, Vocabulary.load(source))
    hits = LabelIndex.build(ctx).search(ctx, "gent").hits
    assert hits and hits[0].link.iri == BASE + "id/organisatie/gent"
    assert resource_page(ctx, GENT, "en").label == "City of Ghent"


def test_update_enabled_server_pages_follow_the_data(tmp_path):
    """With a token the store is writable and pages are read through the executor: after an update
    the page shows the new label (a read-only handle opened at start would not)."""
    thing = f"{BASE}id/organisatie/test"
    label = "http://www.w3.org/2000/01/rdf-schema#label"
    release = make_release(tmp_path / "release", {f"{BASE}graph/test": f'<{thing}> <{label}> "Oud"@nl .\n'})
    app = create_app(Settings(update_token="token"), release, query_workers=1)
    try:
        client = app.test_client()
        assert "Oud" in client.get("/doc/organisatie/test", headers={"Accept": "text/html"}).get_data(as_text=True)
        update = f'DELETE DATA {{ GRAPH <{BASE}graph/test> {{ <{thing}> <{label}> "Oud"@nl }} }} ; ' \
                 f'INSERT DATA {{ GRAPH <{BASE}graph/test> {{ <{thing}> <{label}> "Nieuw"@nl }} }}'
        answer = client.post("/sparql", data={"update": update}, headers={"Authorization": "Bearer token"})
        assert answer.status_code in (200, 204), answer.get_data(as_text=True)
        page = client.get("/doc/organisatie/test", headers={"Accept": "text/html"}).get_data(as_text=True)
        assert "Nieuw" in page and "Oud" not in page
    finally:
        app.extensions["kgraph"].executor.close()
