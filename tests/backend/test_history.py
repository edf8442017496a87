"""/ldes/sparql through the engine: the release's history store is published with the data (every
version graph named by the release) and answered by the engine exactly as the embedded server
answers it from its local history store. The replica has no history-store/ (conftest)."""

from __future__ import annotations

import pytest
import requests

from kgraph.backend import pointer
from kgraph.backend.history import list_graph, read_names
from tests.live import live_server

QUERIES = [
    # every version graph, in order: the engine names are mapped back to the version IRIs
    "SELECT ?v WHERE { GRAPH ?v { ?s ?p ?o } } GROUP BY ?v ORDER BY ?v",
    # the default graph is the union of the versions, as embedded
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX prov: <http://www.w3.org/ns/prov#> "
    "SELECT ?r ?v ?t WHERE { GRAPH ?v { ?v dcterms:isVersionOf ?r ; prov:generatedAtTime ?t } } ORDER BY ?r ?v LIMIT 25",
    "ASK { GRAPH ?v { ?v a <https://www.w3.org/ns/activitystreams#Delete> } }",
]


@pytest.fixture(scope="module")
def embedded(built_release, project_settings):
    with live_server(built_release.path, project_settings) as base_url:
        yield base_url


def _ask(base: str, query: str, media_type: str) -> requests.Response:
    return requests.get(f"{base}/ldes/sparql", params={"query": query}, headers={"Accept": media_type}, timeout=120)


@pytest.mark.parametrize("query", QUERIES)
def test_history_answers_are_the_embedded_server_s(live_2018, embedded, query):
    for media_type in ("application/sparql-results+json", "text/csv"):
        ours, theirs = _ask(live_2018, query, media_type), _ask(embedded, query, media_type)
        assert ours.status_code == theirs.status_code == 200, (ours.text[:300], theirs.text[:300])
        assert ours.content == theirs.content, (query, media_type)
    if query.startswith("SELECT ?v"):
        assert len(ours.content.splitlines()) > 100  # the 2018 graph's ~200 versions, so the test compares something


def test_the_history_is_published_with_the_release_and_listed_once(published_2018, engine_client, built_release):
    client = engine_client(published_2018)
    served = pointer.read(client)
    assert served.history
    names = read_names(client, served.tag)
    import pyoxigraph as ox

    local = ox.Store.read_only(str(built_release.path / "history-store"))
    assert set(names.public) == {g.value for g in local.named_graphs()}
    assert list_graph(served.tag).endswith(served.names.suffix)
