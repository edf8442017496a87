"""SPARQL Update through an external engine: applied to the served release's graphs only, its
default graph the release's data, with the embedded store's token rules, and nothing kept of the
old data (answers, pages) served after it. Real engines on loopback."""

from __future__ import annotations

from typing import Iterator

import pytest
import requests

from kgraph.backend import pointer
from kgraph.backend.naming import GraphNames
from kgraph.backend.updates import UpdateNotSupported, for_engine
from kgraph.config import ConfigError, Settings
from tests.backend.conftest import ENGINE_STARTERS, ENGINES, published_server
from tests.backend.engines import Engine

TOKEN = "backend-update-token"
G1, G2 = "http://example.org/graph/one", "http://example.org/graph/two"


# --------------------------------------------------------------------------- the text the engine gets

def test_an_update_names_only_the_release_graphs_and_its_default_graph_is_the_union():
    names = GraphNames.of("t1", [G1, G2])
    union = names.union
    written = for_engine(f'INSERT DATA {{ <http://x/s> <http://x/p> "o" . GRAPH <{G1}> {{ <http://x/s> <http://x/q> <{G2}> }} }}',
                         names)
    assert written.text.count(f"GRAPH <{union}>") == 2  # the default-graph triple, and G1's mirrored
    assert f"GRAPH <{G1}#kgraph-release-t1>" in written.text and f"<{G2}#kgraph-release-t1>" in written.text
    cleared = for_engine("CLEAR ALL", names).text
    assert sorted(line.split("<")[1].rstrip("> ;") for line in cleared.splitlines()) == sorted(names.all)
    made = for_engine("INSERT { GRAPH <http://example.org/new> { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }", names)
    assert made.new_graphs == ("http://example.org/new",)
    assert f"USING <{union}>" in made.text and f"USING NAMED <{G2}#kgraph-release-t1>" in made.text
    assert "GRAPH <http://example.org/new#kgraph-release-t1>" in made.text


@pytest.mark.parametrize("text", ["MOVE <http://example.org/graph/one> TO DEFAULT",
                                  "INSERT DATA { GRAPH <http://example.org/g#part> { <http://x/s> <http://x/p> 1 } }"])
def test_what_cannot_be_applied_to_a_release_is_refused_in_words(text):
    with pytest.raises(UpdateNotSupported, match="SPARQL engine|fragment"):
        for_engine(text, GraphNames.of("t1", [G1, G2]))


def test_an_update_token_with_a_backend_needs_its_update_url():
    with pytest.raises(ConfigError, match="backend_update_url"):
        Settings().replace(backend_query_url="http://127.0.0.1:7878/query", update_token="secret")
    Settings().replace(backend_query_url="http://127.0.0.1:7878/query", backend_update_url="http://127.0.0.1:7878/update",
                       update_token="secret")


# --------------------------------------------------------------------------- through kgraph, on each engine

@pytest.fixture(scope="module", params=ENGINES)
def writable(request, built_release, project_settings, tmp_path_factory) -> Iterator[tuple[str, Engine]]:
    """kgraph with the update token, over a fresh engine of each kind holding the 2018 release
    (its own: the updates change it)."""
    work = tmp_path_factory.mktemp(f"updates-{request.param}")
    settings = project_settings.replace(update_token=TOKEN, query_timeout=120.0)
    with ENGINE_STARTERS[request.param]() as engine, \
            published_server(engine, built_release.path, settings, work) as base_url:
        yield base_url, engine


def _sparql(base: str, query: str) -> requests.Response:
    return requests.get(f"{base}/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"},
                        timeout=120)


def _update(base: str, text: str, token: str | None = TOKEN) -> requests.Response:
    headers = {"Content-Type": "application/sparql-update"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return requests.post(f"{base}/sparql", data=text.encode(), headers=headers, timeout=120)


def test_an_authorised_insert_is_seen_by_the_next_query_and_page(writable, project_settings):
    base, _ = writable
    gent = f"{project_settings.base}id/organisatie/gent"
    label = "Gent, na een update door de SPARQL-engine"
    ask = f'ASK {{ <{gent}> ?p "{label}"@nl }}'
    page = f"{base}/doc/organisatie/gent.ttl"
    assert _sparql(base, ask).json()["boolean"] is False
    before = requests.get(page, timeout=120)
    assert before.status_code == 200 and label not in before.text  # now kept by the render-once cache
    response = _update(base, f'INSERT DATA {{ <{gent}> <http://www.w3.org/2000/01/rdf-schema#label> "{label}"@nl }}')
    assert response.status_code == 204, response.text
    assert _sparql(base, ask).json()["boolean"] is True
    after = requests.get(page, timeout=120)
    assert after.status_code == 200 and label in after.text
    assert after.headers["ETag"] != before.headers["ETag"]


def test_an_update_without_the_token_is_401_and_with_a_wrong_one_403(writable):
    base, _ = writable
    text = "INSERT DATA { <http://example.org/s> <http://example.org/p> <http://example.org/o> }"
    missing = _update(base, text, token=None)
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"].lower().startswith("bearer")
    assert _update(base, text, token="wrong").status_code == 403
    assert _sparql(base, "ASK { <http://example.org/s> ?p ?o }").json()["boolean"] is False


def test_service_and_load_stay_refused_with_the_token(writable):
    base, _ = writable
    for text in ("LOAD <http://127.0.0.1:1/data.ttl>",
                 "INSERT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"):
        response = _update(base, text)
        assert response.status_code == 400 and ("LOAD" in response.text or "SERVICE" in response.text), response.text


def test_a_graph_an_update_makes_is_the_release_s_and_stays_so(writable, engine_client):
    base, engine = writable
    graph = "http://example.org/graph/made-by-an-update"
    response = _update(base, f"INSERT DATA {{ GRAPH <{graph}> {{ <http://example.org/a> <http://example.org/b> 1 }} }}")
    assert response.status_code == 204, response.text
    assert _sparql(base, f"ASK {{ GRAPH <{graph}> {{ <http://example.org/a> ?p 1 }} }}").json()["boolean"] is True
    assert _sparql(base, "ASK { <http://example.org/a> <http://example.org/b> 1 }").json()["boolean"] is True  # default graph
    listed = _sparql(base, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }").json()["results"]["bindings"]
    assert graph in {row["g"]["value"] for row in listed}
    assert graph in pointer.read(engine_client(engine)).names.public  # a restarted replica names it too
    syntax = _update(base, "INSERT DATA { GRAPH <x> { ")
    assert syntax.status_code == 400 and "line 1, column" in syntax.text, syntax.text  # as the embedded store says it
