"""kgraph on an external SPARQL engine: settings, the publish cycle, the limits that must hold
through the engine, and an engine that goes away. Real engines on loopback (tests/backend/engines.py)."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox
import pytest
import requests
from click.testing import CliRunner

from kgraph.backend import EngineClient, PublishError, RemoteExecutor, publish
from kgraph.backend import pointer
from kgraph.backend.naming import GraphNames
from kgraph.backend.values import bind
from kgraph.cli import main
from kgraph.config import ConfigError, Settings, load_settings
from kgraph.sparql import negotiation
from kgraph.sparql.errors import ForbiddenOperation, QueryTimeout
from tests.backend.conftest import ENGINE_STARTERS, ENGINES, backend_settings, without_local_stores
from tests.backend.engines import Engine, oxigraph_server
from tests.live import live_server, make_release

G1, G2 = "http://example.org/graph/one", "http://example.org/graph/two"
FORMATS = {negotiation.SOLUTIONS: "application/sparql-results+json", negotiation.BOOLEAN: "application/sparql-results+json",
           negotiation.GRAPH: "application/n-triples"}


def release_data(marker: str) -> dict[str, str]:
    """Two graphs; the graph IRIs also occur as resources (as a release's metadata has them)."""
    return {
        G1: f'<http://example.org/thing> <http://www.w3.org/2000/01/rdf-schema#label> "{marker}" .\n'
            f'<http://example.org/dataset> <http://purl.org/dc/terms/hasPart> <{G1}> .\n',
        G2: f'<http://example.org/thing> <http://example.org/in> <{G2}> .\n'
            '<http://example.org/thing> <http://example.org/n> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
            '<http://example.org/other> <http://example.org/n> "2"^^<http://www.w3.org/2001/XMLSchema#integer> .\n',
    }


def build_folder(root: Path, name: str, marker: str) -> Path:
    """A build folder with one release (named `name`) as current."""
    make_release(root / "releases" / name, release_data(marker), version=f"{marker}-version")
    current = root / "current"
    if current.is_symlink():
        current.unlink()
    current.symlink_to(Path("releases") / name)
    return root


def engine_graphs(client: EngineClient) -> set[str]:
    """Every named graph the engine holds (but its own system graphs: Virtuoso keeps many)."""
    from io import BytesIO

    body = BytesIO()
    client.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "application/sparql-results+xml", body,
                 deadline=time.monotonic() + 30)
    return {row["g"].value for row in ox.parse_query_results(body.getvalue(), ox.QueryResultsFormat.XML)
            if "example.org" in row["g"].value or row["g"].value.startswith("urn:kgraph")}


# --------------------------------------------------------------------------- settings

@pytest.mark.parametrize(("key", "value"), [("KGRAPH_BACKEND_QUERY_URL", "ftp://127.0.0.1/sparql"),
                                            ("KGRAPH_BACKEND_QUERY_URL", "127.0.0.1:7878/query"),
                                            ("KGRAPH_BACKEND_STORE_URL", "http:///store")])
def test_a_backend_url_must_be_http(key, value):
    env = {"KGRAPH_BACKEND_QUERY_URL": "http://127.0.0.1:7878/query", key: value}
    with pytest.raises(ConfigError, match=key.removeprefix("KGRAPH_").lower()):
        load_settings(None, env={"KGRAPH_CONFIG": "/dev/null", **env})


def test_the_backend_is_off_by_default_and_named_by_the_query_url():
    assert not Settings().backend
    settings = load_settings(None, env={"KGRAPH_CONFIG": "/dev/null", "KGRAPH_BACKEND_QUERY_URL": "https://db.example.org/sparql"})
    assert settings.backend and settings.backend_query_url == "https://db.example.org/sparql"
    with pytest.raises(ConfigError, match="backend_query_url"):
        load_settings(None, env={"KGRAPH_CONFIG": "/dev/null", "KGRAPH_BACKEND_STORE_URL": "http://db/store"})


def test_publish_without_a_backend_says_what_to_set(tmp_path):
    (tmp_path / "kgraph.toml").write_text("")
    result = CliRunner().invoke(main, ["--config", str(tmp_path / "kgraph.toml"), "publish"])
    assert result.exit_code == 2 and "backend_query_url" in result.output


def test_serve_with_a_backend_refuses_a_store_folder_instead_of_ignoring_it(tmp_path):
    (tmp_path / "kgraph.toml").write_text('backend_query_url = "http://127.0.0.1:9/sparql"\n')
    result = CliRunner().invoke(main, ["--config", str(tmp_path / "kgraph.toml"), "serve", "--store", str(tmp_path)])
    assert result.exit_code == 2
    assert f"--store {tmp_path}" in result.output and "http://127.0.0.1:9/sparql" in result.output


# --------------------------------------------------------------------------- names and parameters

def test_graph_iris_are_renamed_in_query_texts_and_back_in_answers():
    names = GraphNames.of("t1", [G1, G2])
    text = (f"PREFIX g: <http://example.org/graph/> BASE <http://example.org/> SELECT * FROM g:one FROM <graph/two> "
            f'{{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g = <{G1}> && STR(?g) != "{G1}") }}')
    rewritten = names.rewrite(text)
    assert rewritten.count("#kgraph-release-t1>") == 3  # FROM g:one, FROM <graph/two>, <G1>
    assert "PREFIX g: <http://example.org/graph/>" in rewritten and f'"{G1}"' in rewritten  # declarations, strings kept
    assert names.to_public(f"<{G1}#kgraph-release-t1> <x> .".encode()) == f"<{G1}> <x> .".encode()
    with pytest.raises(ValueError, match="fragment"):
        GraphNames.of("t1", ["http://example.org/g#x"])


def test_parameters_become_a_values_block_in_the_where_group():
    lit = ox.Literal('say "hi"\n} INSERT', language="en")
    text = bind("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o { SELECT ?s { ?s ?q ?r } } }", {"o": lit})
    assert text.startswith("CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?o) { (\"say \\\"hi\\\"\\n} INSERT\"@en) }")
    assert bind("SELECT * { ?s ?p ?o }", {}) == "SELECT * { ?s ?p ?o }"


# --------------------------------------------------------------------------- the publish cycle

@pytest.fixture(scope="module", params=ENGINES)
def fresh_engine(request) -> Iterator[Engine]:
    """An engine of each kind for this module alone (publishing switches what it serves)."""
    with ENGINE_STARTERS[request.param]() as engine:
        yield engine


def test_publish_twice_switches_the_pointer_and_removes_the_previous_graphs(fresh_engine, engine_client, tmp_path):
    client = engine_client(fresh_engine)
    build = build_folder(tmp_path / "build", "r1", "first")
    settings = backend_settings(Settings(), fresh_engine, build_dir=build)
    first = publish(settings, grace=0, say=lambda _: None)
    assert first.counts == {f"{G1}#kgraph-release-{first.tag}": 2, f"{G2}#kgraph-release-{first.tag}": 3,
                            f"urn:kgraph:union#kgraph-release-{first.tag}": 5}
    assert pointer.read(client).tag == first.tag
    replica = without_local_stores(build / "releases" / "r1", tmp_path / "replica")
    query = "SELECT ?label ?part WHERE { ?t <http://www.w3.org/2000/01/rdf-schema#label> ?label . ?d <http://purl.org/dc/terms/hasPart> ?part }"
    with live_server(None, backend_settings(Settings(), fresh_engine, build_dir=replica)) as base:
        def answer() -> list:
            response = requests.get(f"{base}/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=30)
            assert response.status_code == 200, response.text
            return [(b["label"]["value"], b["part"]["value"]) for b in response.json()["results"]["bindings"]]

        assert answer() == [("first", G1)]  # the public graph IRI, as in the data
        build_folder(build, "r2", "second")
        shutil.copytree(build / "releases" / "r2", replica / "releases" / "r2", ignore=shutil.ignore_patterns("store"))
        second = publish(settings, grace=0, say=lambda _: None)
        assert second.previous == first.tag and second.removed == 3  # two graphs and the union
        deadline = time.monotonic() + 20
        while answer() != [("second", G1)]:  # the server follows the pointer (it looks every second)
            assert time.monotonic() < deadline, "the server did not follow the new pointer"
            time.sleep(0.2)
    graphs = engine_graphs(client)
    assert graphs == {pointer.CONTROL, *(g for g in second.counts)}, graphs  # the first release's graphs are gone


def test_a_wrong_count_aborts_the_switch(fresh_engine, engine_client, tmp_path):
    client = engine_client(fresh_engine)
    build = build_folder(tmp_path / "build", "good", "good")
    settings = backend_settings(Settings(), fresh_engine, build_dir=build)
    served = publish(settings, grace=0, say=lambda _: None)
    bad = build_folder(build, "bad", "bad")
    manifest_path = bad / "releases" / "bad" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["triples"] += 1  # the release's manifest disagrees with what was loaded
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(PublishError, match="counts differ.*not switched.*manifest says 6"):
        publish(settings, grace=0, say=lambda _: None)
    assert pointer.read(client).tag == served.tag  # unchanged
    assert engine_graphs(client) == {pointer.CONTROL, *served.counts}  # the aborted load was removed


def test_kgraph_publish_on_the_command_line(fresh_engine, tmp_path):
    build = build_folder(tmp_path / "build", "cli", "cli")
    config = tmp_path / "kgraph.toml"
    keys = "\n".join(f'{key} = "{value}"' for key, value in fresh_engine.settings().items())
    config.write_text(f'build_dir = "{build}"\n{keys}\n')
    result = CliRunner().invoke(main, ["--config", str(config), "publish", "--grace", "0"])
    assert result.exit_code == 0, result.output
    assert "published cli: 2 graphs, 5 statements" in result.output
    bad = CliRunner().invoke(main, ["--config", str(config), "publish", "--grace", "-1"])
    assert bad.exit_code == 2 and "--grace" in bad.output


# --------------------------------------------------------------------------- limits through the engine

def test_service_and_load_are_refused_before_the_engine(published_2018, engine_client):
    client = engine_client(published_2018)
    executor = RemoteExecutor(client, pointer.read(client).names)
    for text in ("SELECT * { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
                 "PREFIX e: <http://127.0.0.1:1/> SELECT * { SERVICEe:x { ?s ?p ?o } }"):
        with pytest.raises(ForbiddenOperation, match="SERVICE"):
            executor.query(text, FORMATS)


def test_service_is_refused_through_the_endpoint(live_2018):
    response = requests.get(f"{live_2018}/sparql", params={"query": "SELECT * { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }"}, timeout=30)
    assert response.status_code == 400 and "SERVICE" in response.text
    update = requests.post(f"{live_2018}/sparql", data={"update": "LOAD <http://127.0.0.1:1/x>"}, timeout=30)
    assert update.status_code in (400, 403) and "Traceback" not in update.text


SLOW = ("SELECT (COUNT(*) AS ?n) WHERE { ?a a ?c . ?d ?e ?f FILTER(STR(?c) < STR(?f)) }")


def test_a_slow_query_is_stopped_at_the_time_limit(published_2018, engine_client):
    client = engine_client(published_2018)
    executor = RemoteExecutor(client, pointer.read(client).names, timeout=0.5)
    with pytest.raises(QueryTimeout, match="time limit"):
        executor.query(SLOW, FORMATS)


ROUTES = ("/", "/doc/", "/id/", "/graph/", "/doc/organisatie/gent", "/doc/organisatie/gent.ttl", "/search?q=gent",
          "/fragments", "/catalog", "/.well-known/void", "/api/", "/explore", "/explore/data.json", "/reconcile",
          "/store?default",
          "/ldes", "/readyz")


def test_without_any_local_store_everything_answers(published_2018, built_release, project_settings, tmp_path):
    bare = tmp_path / "bare"
    without_local_stores(built_release.path, bare)
    assert not (bare / "releases" / built_release.path.name / "history-store").exists()
    settings = backend_settings(project_settings, published_2018, build_dir=bare, query_timeout=120.0)
    with live_server(None, settings) as base:
        for route in ROUTES:
            response = requests.get(f"{base}{route}", timeout=150)
            assert response.status_code == 200, (route, response.status_code, response.text[:300])
        history = requests.get(f"{base}/ldes/sparql", params={"query": "ASK { GRAPH ?v { ?s ?p ?o } }"},
                               headers={"Accept": "application/sparql-results+json"}, timeout=30)
        assert history.status_code == 200 and history.json()["boolean"] is True  # from the engine


def test_answers_are_byte_alike_to_the_embedded_store(live_2018, built_release, project_settings):
    queries = {
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?s ?l WHERE { ?s rdfs:label ?l } ORDER BY ?s STR(?l) LANG(?l) LIMIT 40": (
            "application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values"),
        "ASK { ?s a ?t }": ("application/sparql-results+json", "application/sparql-results+xml", "text/csv"),
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g": ("application/sparql-results+json",),
    }
    with live_server(built_release.path, project_settings) as embedded:
        for query, media_types in queries.items():
            for media_type in media_types:
                ours, theirs = (requests.get(f"{base}/sparql", params={"query": query}, headers={"Accept": media_type}, timeout=30)
                                for base in (live_2018, embedded))
                assert ours.status_code == theirs.status_code == 200
                assert ours.content == theirs.content, (query, media_type)
        construct = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <https://data.kenniscentrumvlaamsesteden.be/graph/metadata> { ?s ?p ?o } }"
        ours, theirs = (requests.get(f"{base}/sparql", params={"query": construct}, headers={"Accept": "application/n-triples"}, timeout=30)
                        for base in (live_2018, embedded))
        assert sorted(ours.text.splitlines()) == sorted(theirs.text.splitlines())  # the same triples, graph IRIs public


# --------------------------------------------------------------------------- an engine that goes away

def test_an_unreachable_engine_is_a_503_with_a_clear_message(built_release, project_settings, tmp_path):
    build_dir = built_release.path.parent.parent
    replica = without_local_stores(built_release.path, tmp_path / "replica")
    with oxigraph_server() as engine:
        publish(backend_settings(project_settings, engine, build_dir=build_dir), grace=0, say=lambda _: None)
        server = live_server(None, backend_settings(project_settings, engine, build_dir=replica))
        base = server.__enter__()
        assert requests.get(f"{base}/readyz", timeout=10).status_code == 200
    try:  # the engine is stopped now; the server still runs
        for path, params in (("/sparql", {"query": "ASK { ?s ?p ?o }"}), ("/readyz", {}),
                             ("/doc/organisatie/turnhout.ttl", {})):
            response = requests.get(f"{base}{path}", params=params, timeout=30)
            assert response.status_code == 503, (path, response.status_code, response.text[:300])
            assert "Traceback" not in response.text and "127.0.0.1" not in response.text
        answer = requests.get(f"{base}/sparql", params={"query": "SELECT * { ?s ?p ?o } LIMIT 1"}, timeout=30)
        assert "SPARQL engine" in answer.text and answer.headers.get("Retry-After")
    finally:
        server.__exit__(None, None, None)
