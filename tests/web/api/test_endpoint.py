"""The /sparql endpoint through Flask's test client: protocol, formats, errors, safety, caching."""

from __future__ import annotations

import csv
import http.server
import io
import json
import logging
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import rdflib

from kgraph.config import Settings
from kgraph.web import create_app
from tests.conftest import SAMPLE_GRAPHS
from tests.live import make_release

SELECT = "SELECT ?name WHERE { ?p <http://xmlns.com/foaf/0.1/name> ?name } ORDER BY ?name"
CONSTRUCT = "CONSTRUCT WHERE { ?s ?p ?o }"
TOKEN = "s3cret-token"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(16)) + " }"


@pytest.fixture(scope="module")
def app(sample_release):
    app = create_app(Settings(query_timeout=2, max_body_bytes=4096, max_result_rows=4), sample_release)
    yield app
    app.extensions["kgraph"].executor.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def update_client(tmp_path):
    release = make_release(tmp_path / "release", SAMPLE_GRAPHS)
    app = create_app(Settings(update_token=TOKEN), release)
    yield app.test_client()
    app.extensions["kgraph"].executor.close()


def names_from(media_type: str, body: bytes) -> list[str]:
    """The ?name column parsed back from any results format."""
    if media_type == "application/sparql-results+json":
        return [b["name"]["value"] for b in json.loads(body)["results"]["bindings"]]
    if media_type == "application/sparql-results+xml":
        ns = "{http://www.w3.org/2005/sparql-results#}"
        return [e.text for e in ET.fromstring(body).iter(f"{ns}literal")]
    if media_type == "text/csv":
        return [row["name"] for row in csv.DictReader(io.StringIO(body.decode()))]
    rows = body.decode().splitlines()[1:]
    return [r.split("@")[0].strip('"') for r in rows]


@pytest.mark.parametrize("media_type", [
    "application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values",
])
def test_select_in_every_format_by_accept(client, media_type):
    response = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": media_type})
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert names_from(media_type, response.data) == ["Alice", "Bob"]


@pytest.mark.parametrize("media_type, fmt", [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld"),
    ("application/rdf+xml", "xml"), ("application/n-quads", "nquads"), ("application/trig", "trig"),
])
def test_construct_in_every_format(client, media_type, fmt):
    response = client.post("/sparql", data={"query": CONSTRUCT}, headers={"Accept": media_type})
    assert response.status_code == 200 and response.mimetype == media_type
    assert len(rdflib.Dataset().parse(data=response.data, format=fmt)) == 5


def test_three_ways_to_send_a_query(client):
    by_get = client.get("/sparql", query_string={"query": SELECT})
    by_form = client.post("/sparql", data={"query": SELECT})
    by_body = client.post("/sparql", data=SELECT, content_type="application/sparql-query")
    assert by_get.data == by_form.data == by_body.data
    assert by_get.mimetype == "application/sparql-results+json"


def test_format_parameter_overrides_accept(client):
    response = client.get("/sparql", query_string={"query": SELECT, "format": "csv"}, headers={"Accept": "application/sparql-results+xml"})
    assert response.mimetype == "text/csv"
    response = client.get("/sparql", query_string={"query": CONSTRUCT, "format": "json"})
    assert response.mimetype == "application/ld+json"


def test_browser_accept_gets_xml_results(client):
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": accept})
    assert response.mimetype == "application/sparql-results+xml"


def test_406_when_nothing_acceptable(client):
    response = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    response = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Accept": "image/png"})
    assert response.status_code == 406 and b"sparql-results+json" in response.data


def test_dataset_parameters(client):
    people = "http://example.org/graph/people"
    ask = "ASK { <http://example.org/gent> ?p ?o }"
    assert json.loads(client.get("/sparql", query_string={"query": ask}).data)["boolean"] is True
    response = client.get("/sparql", query_string={"query": ask, "default-graph-uri": people})
    assert json.loads(response.data)["boolean"] is False
    response = client.get("/sparql", query_string={"query": "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": people})
    assert [b["g"]["value"] for b in json.loads(response.data)["results"]["bindings"]] == [people]


def test_syntax_error_is_400_with_message_and_position(client):
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE {\n ?s ?p \n"})
    assert response.status_code == 400
    assert b"Syntax error at line 3, column 1" in response.data


@pytest.mark.parametrize("kwargs, status", [
    ({"data": "ASK {}", "content_type": "text/plain"}, 415),
    ({"data": "ASK {}"}, 415),  # no Content-Type
    ({"data": "ASK {}".encode("utf-16"), "content_type": "application/sparql-query; charset=UTF-16"}, 415),
    ({"data": b"ASK { \xff }", "content_type": "application/sparql-query"}, 400),
    ({"data": {"query": ["ASK {}", "ASK {}"]}}, 400),
    ({"data": {}, "content_type": "application/x-www-form-urlencoded"}, 400),
])
def test_bad_requests_are_4xx_never_500(client, kwargs, status):
    assert client.post("/sparql", **kwargs).status_code == status


def test_wrong_method_is_405(client):
    response = client.put("/sparql", query_string={"query": "ASK {}"})
    assert response.status_code == 405 and "POST" in response.headers["Allow"]
    assert client.delete("/sparql").status_code == 405


def test_update_via_get_is_refused(client):
    assert client.get("/sparql", query_string={"update": "CLEAR ALL"}).status_code == 400


def test_body_over_the_limit_is_413(client):
    big = "ASK {}" + " " * 5000
    assert client.post("/sparql", data=big, content_type="application/sparql-query").status_code == 413
    assert client.post("/sparql", data={"query": big}).status_code == 413


def test_result_over_the_row_limit_is_a_clear_error(client):
    response = client.get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o }"})
    assert response.status_code == 400 and b"more than 4 rows" in response.data
    assert client.get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o } LIMIT 4"}).status_code == 200


def test_timeout_is_503_and_the_server_keeps_answering(client, app):
    results = {}
    thread = threading.Thread(target=lambda: results.setdefault("slow", app.test_client().get("/sparql", query_string={"query": SLOW})))
    thread.start()
    fast = client.get("/sparql", query_string={"query": "ASK {}"})
    thread.join()
    assert fast.status_code == 200
    assert results["slow"].status_code == 503 and b"time limit" in results["slow"].data


def test_cors_and_preflight(client):
    assert client.get("/sparql", query_string={"query": "ASK {}"}).headers["Access-Control-Allow-Origin"] == "*"
    assert client.get("/sparql", query_string={"query": "ASK {"}).headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options("/sparql", headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST",
                                                   "Access-Control-Request-Headers": "authorization, content-type"})
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    allowed = preflight.headers["Access-Control-Allow-Headers"].lower()
    assert "authorization" in allowed and "content-type" in allowed


def test_etag_and_conditional_get(client):
    first = client.get("/sparql", query_string={"query": SELECT})
    etag = first.headers["ETag"]
    assert "max-age=300" in first.headers["Cache-Control"]
    again = client.get("/sparql", query_string={"query": SELECT}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    other_format = client.get("/sparql", query_string={"query": SELECT}, headers={"Accept": "text/csv", "If-None-Match": etag})
    assert other_format.status_code == 200 and other_format.headers["ETag"] != etag
    other_query = client.get("/sparql", query_string={"query": SELECT + " LIMIT 1"}, headers={"If-None-Match": etag})
    assert other_query.status_code == 200


def test_service_description_in_rdf_and_html(client):
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    graph = rdflib.Graph().parse(data=response.data, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    service = next(graph.subjects(rdflib.RDF.type, sd.Service))
    assert (service, sd.endpoint, rdflib.URIRef("http://localhost/sparql")) in graph
    assert (service, sd.feature, sd.UnionDefaultGraph) in graph
    assert len(list(graph.objects(service, sd.resultFormat))) == 10
    names = {str(o) for o in graph.objects(None, sd.name)}
    assert names == set(SAMPLE_GRAPHS)
    default = graph.value(graph.value(service, sd.defaultDataset), sd.defaultGraph)
    assert graph.value(default, void.triples).toPython() == 5
    jsonld = client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert len(rdflib.Graph().parse(data=jsonld.data, format="json-ld")) == len(graph)
    html = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert html.mimetype == "text/html" and b"http://localhost/sparql" in html.data
    assert client.get("/sparql").mimetype == "text/turtle"  # curl-like: no Accept


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json["status"] == "ok"


def test_access_log_line_per_query(client, caplog):
    with caplog.at_level(logging.INFO, logger="kgraph.access"):
        client.get("/sparql", query_string={"query": SELECT})
    lines = [r.getMessage() for r in caplog.records if r.name == "kgraph.access"]
    assert lines and "GET /sparql 200" in lines[-1] and "bytes" in lines[-1] and "ms" in lines[-1]


# ------------------------------------------------------------------ updates and tokens

def test_updates_refused_without_a_configured_token(client):
    response = client.post("/sparql", data="CLEAR ALL", content_type="application/sparql-update",
                           headers={"Authorization": "Bearer anything"})
    assert response.status_code == 403 and b"read-only" in response.data
    assert b"updates are not accepted here" in response.data and b"rebuild" in response.data  # what and why


def test_update_needs_the_token(update_client):
    update = "INSERT DATA { GRAPH <http://example.org/new> { <http://a> <http://b> <http://c> } }"
    missing = update_client.post("/sparql", data=update, content_type="application/sparql-update")
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"].lower().startswith("bearer")
    wrong = update_client.post("/sparql", data=update, content_type="application/sparql-update",
                               headers={"Authorization": "Bearer wrong"})
    assert wrong.status_code == 403
    ask = {"query": "ASK { GRAPH <http://example.org/new> { ?s ?p ?o } }"}
    assert json.loads(update_client.get("/sparql", query_string=ask).data)["boolean"] is False
    before = update_client.get("/sparql", query_string=ask).headers["ETag"]
    ok = update_client.post("/sparql", data={"update": update}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert ok.status_code == 204
    after = update_client.get("/sparql", query_string=ask)
    assert json.loads(after.data)["boolean"] is True and after.headers["ETag"] != before


def test_using_parameters_conflict_with_with_clause(update_client):
    response = update_client.post(
        "/sparql?using-graph-uri=http://example.org/g",
        data="WITH <http://x> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        content_type="application/sparql-update", headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert response.status_code == 400


# ------------------------------------------------------------------ SERVICE / LOAD never fetched

class _Recorder(http.server.BaseHTTPRequestHandler):
    """A tiny SPARQL endpoint on loopback that records every request it gets."""

    requests: list[str] = []

    def _answer(self) -> None:
        type(self).requests.append(self.path)
        body = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"remote"}}]}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def remote():
    _Recorder.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql", _Recorder.requests
    server.shutdown()
    server.server_close()


def test_service_is_refused_and_nothing_is_fetched(client, remote):
    url, requests_seen = remote
    for query in (
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?x ?y ?z }} }}",
        f"PREFIX r: <{url.rsplit('/', 1)[0]}/> SELECT * {{ {{ SELECT * {{ SERVICE SILENT r:sparql {{ ?x ?y ?z }} }} }} }}",
    ):
        response = client.get("/sparql", query_string={"query": query})
        assert response.status_code == 400 and b"not allowed" in response.data
    assert requests_seen == []


def test_allowlisted_service_is_fetched(sample_release, remote):
    # the control experiment: the recorder does see a request when SERVICE is allowed
    url, requests_seen = remote
    app = create_app(Settings(service_allowlist=(url,)), sample_release)
    try:
        response = app.test_client().get("/sparql", query_string={"query": f"SELECT ?x {{ SERVICE <{url}> {{ ?x ?y ?z }} }}"})
        assert response.status_code == 200 and b"remote" in response.data
        assert len(requests_seen) == 1
    finally:
        app.extensions["kgraph"].executor.close()


def test_load_is_refused_and_nothing_is_fetched(update_client, remote):
    url, requests_seen = remote
    response = update_client.post("/sparql", data=f"LOAD <{url}> INTO GRAPH <http://example.org/x>",
                                  content_type="application/sparql-update", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 400 and b"not allowed" in response.data
    assert requests_seen == []


def test_every_route_is_in_the_table(app):
    from kgraph.web.routes import ROUTES

    assert ROUTES
    rules = {rule.rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert rules == {route.rule for route in ROUTES}


def test_repeated_query_is_served_from_the_cache(sample_release, tmp_path):
    app = create_app(Settings(), sample_release)
    client = app.test_client()
    query = f"# {tmp_path}\n{SELECT}"  # a text no other test has sent (apps on one store share the cache)
    try:
        first = client.get("/sparql", query_string={"query": query}, headers={"Accept": "text/csv"})
        second = client.get("/sparql", query_string={"query": query}, headers={"Accept": "text/csv"})
        other = client.get("/sparql", query_string={"query": query}, headers={"Accept": "application/sparql-results+json"})
        assert (first.headers["X-Cache"], second.headers["X-Cache"], other.headers["X-Cache"]) == ("MISS", "HIT", "MISS")
        assert second.data == first.data and second.headers["X-Result-Rows"] == first.headers["X-Result-Rows"]
        assert second.headers["ETag"] == first.headers["ETag"]
        assert names_from("application/sparql-results+json", other.data) == names_from("text/csv", first.data)
    finally:
        app.extensions["kgraph"].executor.close()
        app.extensions["kgraph"].cache.clear()


def test_no_cache_when_updates_are_enabled(update_client):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    ask = "ASK { <http://example.org/new> ?p ?o }"
    assert update_client.get("/sparql", query_string={"query": ask}).json["boolean"] is False
    done = update_client.post("/sparql", data={"update": "INSERT DATA { <http://example.org/new> <http://example.org/p> 1 }"}, headers=auth)
    assert done.status_code in (200, 204)
    again = update_client.get("/sparql", query_string={"query": ask})
    assert again.json["boolean"] is True and again.headers["X-Cache"] == "MISS"


def test_cached_answers_keep_relative_iris_per_host(client):
    query = "SELECT ?x { BIND(<thing> AS ?x) }"  # resolved against the endpoint's own URL
    accept = {"Accept": "application/sparql-results+json"}
    a = client.get("/sparql", query_string={"query": query}, headers={**accept, "Host": "a.example"})
    b = client.get("/sparql", query_string={"query": query}, headers={**accept, "Host": "b.example"})
    assert a.json["results"]["bindings"][0]["x"]["value"] == "http://a.example/thing"
    assert b.json["results"]["bindings"][0]["x"]["value"] == "http://b.example/thing"
