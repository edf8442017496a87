"""The W3C SPARQL 1.1 Graph Store HTTP Protocol tests, run against the real server.

The runner reads manifest.ttl and the two manifests it includes (5 direct and 9 indirect
mf:GraphStoreProtocolTest entries, HTTP exchanges in the ht: vocabulary), maps every
ht:absolutePath from /gsp to our /store, sends each request as written with the update token
added (the server has one configured: the tests write), and checks the status against
mf:expectedStatus, the Content-Type's media type, and the body against ht:body by graph
isomorphism; a `mf:expectedLocation` template ($LOCATION$) is replaced by the Location header in
the later requests of the test.

The manifests assume every test starts from a store without the graphs it uses (several tests
expect 201 Created for a PUT of http://www.example/gsp/person/1.ttl): before each test the runner
DELETEs the graphs its requests name, and empties the default graph, through the protocol itself.
"""

from __future__ import annotations

import http.client
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, urlsplit

import pytest
import rdflib
from rdflib import RDF
from rdflib.collection import Collection
from rdflib.compare import isomorphic

from kgraph.config import Settings
from tests.live import live_server, make_release
from tests.shared_material import shared_path

SUITE = shared_path("standards/w3c-sparql11-graph-store-protocol")
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
TOKEN = "w3c-graph-store-test-token"
STATUS_CODES = {"OK": 200, "Created": 201, "NoContent": 204, "NotFound": 404}
LOCATION = "$LOCATION$"


@dataclass
class Exchange:
    """One request of a test and what its response must be."""

    method: str
    path: str
    headers: list[tuple[str, str]]
    body: bytes | None
    statuses: set[int]
    content_type: str | None  # the expected media type (without parameters)
    expected_body: str | None
    location_template: str | None


@dataclass
class GraphStoreTest:
    name: str
    title: str
    exchanges: list[Exchange]


def _items(graph: rdflib.Graph, head) -> list:
    return list(Collection(graph, head)) if head is not None else []


def _body(graph: rdflib.Graph, node) -> bytes | None:
    content = graph.value(node, HT.body)
    if content is None:
        return None
    encoding = str(graph.value(content, CNT.characterEncoding) or "UTF-8")
    return str(graph.value(content, CNT.chars)).encode(encoding)


def _header(graph: rdflib.Graph, node, name: str) -> str | None:
    for header in _items(graph, graph.value(node, HT.headers)):
        if str(graph.value(header, HT.fieldName)).lower() == name:
            return str(graph.value(header, HT.fieldValue))
    return None


def load_manifests() -> list[GraphStoreTest]:
    """The tests of the manifests manifest.ttl includes, in their entry order."""
    top = rdflib.Graph().parse(SUITE / "manifest.ttl", format="turtle", publicID=(SUITE / "manifest.ttl").as_uri())
    tests = []
    for included in _items(top, top.value(next(top.subjects(RDF.type, MF.Manifest)), MF.include)):
        path = SUITE / urlsplit(str(included)).path.rsplit("/", 1)[-1]
        graph = rdflib.Graph().parse(path, format="turtle", publicID=path.as_uri())
        manifest = next(graph.subjects(RDF.type, MF.Manifest))
        listed = _items(graph, graph.value(manifest, MF.entries))
        # manifest-direct.ttl defines head_non_existing_direct but leaves it out of mf:entries:
        # every mf:GraphStoreProtocolTest of the file runs, the listed ones first, in their order.
        unlisted = sorted(set(graph.subjects(RDF.type, MF.GraphStoreProtocolTest)) - set(listed))
        for entry in [*listed, *unlisted]:
            exchanges = []
            for request in _items(graph, graph.value(graph.value(entry, MF.action), HT.requests)):
                response = graph.value(request, HT.resp)
                content_type = _header(graph, response, "content-type")
                body = _body(graph, response)
                location = graph.value(response, MF.expectedLocation)
                exchanges.append(Exchange(
                    method=str(graph.value(request, HT.methodName)),
                    path=str(graph.value(request, HT.absolutePath)),
                    headers=[(str(graph.value(h, HT.fieldName)), str(graph.value(h, HT.fieldValue)))
                             for h in _items(graph, graph.value(request, HT.headers))],
                    body=_body(graph, request),
                    statuses={STATUS_CODES[str(s).rsplit("#", 1)[-1]] for s in graph.objects(response, MF.expectedStatus)},
                    content_type=content_type.split(";")[0].strip() if content_type else None,
                    expected_body=body.decode("utf-8") if body is not None else None,
                    location_template=str(location) if location is not None else None,
                ))
            tests.append(GraphStoreTest(str(entry).rsplit("#", 1)[-1], str(graph.value(entry, MF.name)), exchanges))
    return tests


TESTS = load_manifests()


def test_the_manifests_hold_the_14_graph_store_tests():
    """The parametrised run below is the whole suite: 5 direct and 9 indirect tests (one direct
    test is defined but not listed in its manifest's mf:entries; it runs too)."""
    assert len(TESTS) == 14, [t.name for t in TESTS]
    assert sum(t.name.endswith("_direct") for t in TESTS) == 5
    assert "head_non_existing_direct" in {t.name for t in TESTS}
    assert all(t.exchanges for t in TESTS)


@pytest.fixture(scope="module")
def graph_store(tmp_path_factory) -> str:
    """An update-enabled server over a small store (the tests' graphs are their own)."""
    release = make_release(tmp_path_factory.mktemp("w3c-gsp") / "release",
                           {"http://example.org/graph/other": "<http://example.org/a> <http://example.org/b> \"c\" ."},
                           "w3c-gsp")
    with live_server(release, Settings(update_token=TOKEN)) as base_url:
        yield base_url


def our_path(path: str) -> str:
    """The manifest's /gsp path on our endpoint /store."""
    assert path == "/gsp" or path.startswith(("/gsp/", "/gsp?")), path
    return "/store" + path[len("/gsp"):]


def send(base_url: str, method: str, path: str, headers: list[tuple[str, str]], body: bytes | None):
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.putrequest(method, path)
        for name, value in headers:
            connection.putheader(name, value)
        connection.putheader("Authorization", f"Bearer {TOKEN}")
        if body is not None or method in ("POST", "PUT"):
            connection.putheader("Content-Length", str(len(body or b"")))
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type") or "", response.getheader("Location"), response.read()
    finally:
        connection.close()


def clean(base_url: str, test: GraphStoreTest) -> None:
    """Remove the graphs the test names (and empty the default graph): a fresh start for it."""
    targets = {"/store?default"}
    for exchange in test.exchanges:
        path = our_path(exchange.path)
        if LOCATION in path:
            continue
        graphs = parse_qs(urlsplit(path).query).get("graph")
        targets.add(f"/store?graph={quote(graphs[0], safe='')}" if graphs else path.split("?")[0])
    for path in sorted(targets - {"/store"}):
        status, *_ = send(base_url, "DELETE", path, [], None)
        assert status in (204, 404), (path, status)


@pytest.mark.live
@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_w3c_graph_store_protocol(test: GraphStoreTest, graph_store: str, w3c_counts):
    clean(graph_store, test)
    location = None
    for number, exchange in enumerate(test.exchanges, 1):
        path, body = our_path(exchange.path), exchange.body
        if location is not None and exchange.location_template is None:
            path = path.replace(LOCATION, location)
            body = body.replace(LOCATION.encode(), location.encode()) if body is not None else None
        status, content_type, new_location, answer = send(graph_store, exchange.method, path, exchange.headers, body)
        where = f"{test.name} request {number}: {exchange.method} {path} -> {status} {content_type}"
        assert status in exchange.statuses, f"{where}, expected {sorted(exchange.statuses)}\n{answer[:500]!r}"
        if exchange.location_template is not None:
            assert new_location, f"{where}: no Location header"
            location = new_location
        if exchange.content_type is not None:
            assert content_type.split(";")[0].strip() == exchange.content_type, where
        if exchange.expected_body is not None:
            expected = rdflib.Graph().parse(data=exchange.expected_body, format="turtle")
            got = rdflib.Graph().parse(data=answer, format="turtle")
            assert isomorphic(expected, got), f"{where}: the graph differs\n{answer.decode()}"
    w3c_counts["Graph Store Protocol tests passed"] += 1
