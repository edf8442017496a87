"""The W3C SPARQL 1.1 Protocol conformance tests, run against the real server.

The runner reads the suite's manifest.ttl (34 mf:ProtocolTest entries, HTTP exchanges in the
ht: vocabulary), maps every ht:absolutePath starting with /sparql/ to our /sparql endpoint, loads
data1..3.nt as the named graphs the manifest names (the rdfs:label of each ut:graphData), sends
each request byte for byte, and checks status, result format and ASK boolean.

Query tests run against a read-only instance; update tests (and the bad_update ones) against an
update-enabled instance with the token configured and sent, since they change the data.
"""

from __future__ import annotations

import http.client
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import rdflib
from rdflib import RDF, RDFS, Namespace
from rdflib.collection import Collection

from kgraph.config import Settings
from tests.live import live_server, make_release
from tests.shared_material import shared_path

# Read at collection (the tests are parametrised by the manifest); its presence is checked before
# collection starts (tests/shared_material.py), so a missing suite is one message, not an error here.
SUITE = shared_path("standards/w3c-sparql11-protocol")
MANIFEST = SUITE / "manifest.ttl"

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")

TOKEN = "w3c-protocol-test-token"
RESULTS_TYPES = {"application/sparql-results+json", "application/sparql-results+xml"}
TABULAR_TYPES = RESULTS_TYPES | {"text/csv", "text/tab-separated-values"}
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
    "application/n-quads": "nquads",
    "application/trig": "trig",
}


@dataclass
class Exchange:
    """One HTTP request of a test and what its response must be."""

    method: str
    path: str
    headers: list[tuple[str, str]]
    body: bytes | None
    statuses: set[str]
    expected_format: str | None
    expected_boolean: bool | None


@dataclass
class ProtocolTest:
    name: str
    title: str
    exchanges: list[Exchange]
    graphs: dict[str, Path] = field(default_factory=dict)

    @property
    def needs_update_instance(self) -> bool:
        return self.name.startswith(("update_", "bad_update_"))


def _items(graph: rdflib.Graph, head) -> list:
    return list(Collection(graph, head)) if head is not None else []


def load_manifest() -> list[ProtocolTest]:
    """The manifest's tests, in entry order."""
    graph = rdflib.Graph().parse(MANIFEST, format="turtle", publicID=MANIFEST.as_uri())
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in _items(graph, graph.value(manifest, MF.entries)):
        graphs = {}
        for data in graph.objects(entry, UT.graphData):
            source = graph.value(data, UT.graph)
            graphs[str(graph.value(data, RDFS.label))] = Path(urlsplit(str(source)).path)
        action = graph.value(entry, MF.action)
        exchanges = []
        for request in _items(graph, graph.value(action, HT.requests)):
            headers = [
                (str(graph.value(h, HT.fieldName)), str(graph.value(h, HT.fieldValue)))
                for h in _items(graph, graph.value(request, HT.headers))
            ]
            body = None
            content = graph.value(request, HT.body)
            if content is not None:
                encoding = str(graph.value(content, CNT.characterEncoding) or "UTF-8")
                body = str(graph.value(content, CNT.chars)).encode(encoding)
            response = graph.value(request, HT.resp)
            boolean = graph.value(response, MF.expectedBoolean)
            fmt = graph.value(response, MF.expectedFormat)
            exchanges.append(
                Exchange(
                    method=str(graph.value(request, HT.methodName)),
                    path=str(graph.value(request, HT.absolutePath)),
                    headers=headers,
                    body=body,
                    statuses={str(s).rsplit("#", 1)[-1] for s in graph.objects(response, MF.expectedStatus)},
                    expected_format=str(fmt) if fmt is not None else None,
                    expected_boolean=boolean.toPython() if boolean is not None else None,
                )
            )
        name = str(entry).rsplit("#", 1)[-1]
        tests.append(ProtocolTest(name, str(graph.value(entry, MF.name)), exchanges, graphs))
    return tests


TESTS = load_manifest()


def test_the_manifest_holds_the_34_protocol_tests_and_their_data():
    """The parametrised run below is the whole suite: 34 tests, each with its exchanges, and data1..3.nt."""
    assert len(TESTS) == 34, [t.name for t in TESTS]
    assert all(t.exchanges for t in TESTS), [t.name for t in TESTS if not t.exchanges]
    assert [p.name for p in sorted(SUITE.glob("data*.nt"))] == ["data1.nt", "data2.nt", "data3.nt"]


def _all_graphs() -> dict[str, Path]:
    graphs: dict[str, Path] = {}
    for test in TESTS:
        for label, source in test.graphs.items():
            graphs[label] = SUITE / source.name
    assert graphs, "the manifest names no graph data"
    return graphs


@pytest.fixture(scope="module")
def query_server(tmp_path_factory) -> str:
    release = make_release(tmp_path_factory.mktemp("w3c-query") / "release", _all_graphs(), "w3c-query")
    with live_server(release, Settings()) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def update_server(tmp_path_factory) -> str:
    release = make_release(tmp_path_factory.mktemp("w3c-update") / "release", _all_graphs(), "w3c-update")
    with live_server(release, Settings(update_token=TOKEN)) as base_url:
        yield base_url


def send(base_url: str, exchange: Exchange, token: str | None) -> tuple[int, str, bytes]:
    """Send one exchange as written (our endpoint in place of /sparql/); status, media type, body."""
    assert exchange.path.startswith("/sparql/")
    path = "/sparql" + exchange.path[len("/sparql/") - 1:].removeprefix("/")
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.putrequest(exchange.method, path)
        for name, value in exchange.headers:
            connection.putheader(name, value)
        if token:
            connection.putheader("Authorization", f"Bearer {token}")
        if exchange.body is not None or exchange.method in ("POST", "PUT"):
            connection.putheader("Content-Length", str(len(exchange.body or b"")))
        connection.endheaders(exchange.body)
        response = connection.getresponse()
        media_type = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
        return response.status, media_type, response.read()
    finally:
        connection.close()


def status_matches(status: int, expected: set[str]) -> bool:
    return any(code.startswith("StatusCode") and str(status)[0] == code[len("StatusCode")] for code in expected)


def parse_boolean(media_type: str, body: bytes) -> bool:
    if media_type == "application/sparql-results+json":
        return json.loads(body)["boolean"]
    root = ET.fromstring(body)
    element = root.find("{http://www.w3.org/2005/sparql-results#}boolean")
    assert element is not None, body
    return element.text.strip() == "true"


@pytest.mark.live
@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_w3c_protocol(test: ProtocolTest, request: pytest.FixtureRequest):
    if test.needs_update_instance:
        base_url, token = request.getfixturevalue("update_server"), TOKEN
    else:
        base_url, token = request.getfixturevalue("query_server"), None
    for number, exchange in enumerate(test.exchanges, 1):
        status, media_type, body = send(base_url, exchange, token)
        where = f"{test.name} request {number}: {exchange.method} {exchange.path} -> {status} {media_type}"
        assert status_matches(status, exchange.statuses), f"{where}, expected {exchange.statuses}\n{body[:500]!r}"
        assert status < 500, where  # bad input is never a server error
        if exchange.expected_format == "boolean":
            assert media_type in RESULTS_TYPES, where
        elif exchange.expected_format == "tabular":
            assert media_type in TABULAR_TYPES, where
            if media_type == "application/sparql-results+json":
                assert json.loads(body)["results"]["bindings"] == [{"value": {"type": "literal", "value": "1", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]
        elif exchange.expected_format == "RDF":
            assert media_type in RDF_TYPES, where
            rdflib.Graph().parse(data=body, format=RDF_TYPES[media_type])
        if exchange.expected_boolean is not None:
            assert parse_boolean(media_type, body) is exchange.expected_boolean, where
