"""The Graph Store Protocol at /store against the real server (issue 12.3): reads
of the 2018 build by content negotiation, 404s, writes only with the token exactly as /sparql
answers updates, 405 + Allow when read-only, body limits, and writes seen by /sparql."""

from __future__ import annotations

import pytest
import rdflib
import requests
from rdflib.compare import isomorphic

from kgraph.config import Settings

pytestmark = pytest.mark.live

TOKEN = "graph-store-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
FORMATS = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml",
           "application/ld+json": "json-ld"}
GRAPH = "http://example.org/graph/people"


@pytest.fixture(scope="module")
def writable(tmp_path_factory) -> str:
    """An update-enabled server with a small body limit, over its own copy of the sample graphs."""
    from tests.conftest import SAMPLE_GRAPHS
    from tests.live import live_server, make_release

    release = make_release(tmp_path_factory.mktemp("gsp") / "release", SAMPLE_GRAPHS, "gsp-1")
    with live_server(release, Settings(update_token=TOKEN, max_body_bytes=4096)) as base_url:
        yield base_url


def _sparql_graph(base: str, graph: str) -> rdflib.Graph:
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    answer = requests.get(f"{base}/sparql", params={"query": query}, headers={"Accept": "application/n-triples"}, timeout=30)
    assert answer.status_code == 200, answer.text
    return rdflib.Graph().parse(data=answer.text, format="nt")


def _a_data_graph(base: str) -> str:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(CONTAINS(STR(?g), '/graph/data/2018/')) } ORDER BY ?g LIMIT 1"
    rows = requests.get(f"{base}/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"},
                        timeout=30).json()["results"]["bindings"]
    assert rows, "the build has no data graph"
    return rows[0]["g"]["value"]


@pytest.mark.parametrize("media_type", sorted(FORMATS))
def test_a_graph_of_the_build_in_every_format_is_the_graph_sparql_sees(live_2018, media_type):
    graph = _a_data_graph(live_2018)
    answer = requests.get(f"{live_2018}/store", params={"graph": graph}, headers={"Accept": media_type}, timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.headers["Content-Type"].split(";")[0] == media_type
    assert answer.headers["ETag"] and "Accept" in answer.headers["Vary"]
    got = rdflib.Graph().parse(data=answer.content, format=FORMATS[media_type])
    expected = _sparql_graph(live_2018, graph)
    assert len(expected) > 10 and isomorphic(got, expected)
    head = requests.head(f"{live_2018}/store", params={"graph": graph}, headers={"Accept": media_type}, timeout=30)
    assert head.status_code == 200 and head.content == b"" and head.headers["ETag"] == answer.headers["ETag"]
    again = requests.get(f"{live_2018}/store", params={"graph": graph}, headers={"Accept": media_type,
                         "If-None-Match": answer.headers["ETag"]}, timeout=30)
    assert again.status_code == 304


def test_an_unknown_graph_is_404_and_bad_identification_400(live_2018):
    for params in ({"graph": "http://example.org/no-such-graph"},):
        assert requests.get(f"{live_2018}/store", params=params, timeout=30).status_code == 404
        assert requests.head(f"{live_2018}/store", params=params, timeout=30).status_code == 404
    assert requests.get(f"{live_2018}/store/no/such/graph", timeout=30).status_code == 404
    bad = requests.get(f"{live_2018}/store", params={"graph": "not an iri"}, timeout=30)
    assert bad.status_code == 400 and "'graph' parameter" in bad.text
    both = requests.get(f"{live_2018}/store?default&graph=http://example.org/g", timeout=30)
    assert both.status_code == 400 and "one graph" in both.text
    assert requests.get(f"{live_2018}/store", timeout=30).status_code == 400  # names no graph
    assert requests.get(f"{live_2018}/store?default", timeout=30).status_code == 200  # always exists


def test_a_read_only_server_answers_writes_405_with_allow(live_2018):
    graph = _a_data_graph(live_2018)
    before = _sparql_graph(live_2018, graph)
    for method in ("PUT", "POST", "DELETE"):
        answer = requests.request(method, f"{live_2018}/store", params={"graph": graph}, data=b"<http://a> <http://b> <http://c> .",
                                  headers={"Content-Type": "text/turtle", **AUTH}, timeout=30)
        assert answer.status_code == 405, (method, answer.text)
        assert {m.strip() for m in answer.headers["Allow"].split(",")} >= {"GET", "HEAD"}
        assert "read-only" in answer.text
    assert isomorphic(_sparql_graph(live_2018, graph), before)


def test_writes_need_the_token_exactly_as_sparql_updates_do(writable):
    update = {"update": f"INSERT DATA {{ GRAPH <{GRAPH}> {{ <http://a> <http://b> 'c' }} }}"}
    for headers in ({}, {"Authorization": "Bearer wrong-token"}, {"Authorization": "Basic abc"}):
        sparql = requests.post(f"{writable}/sparql", data=update, headers=headers, timeout=30)
        for method in ("PUT", "POST", "DELETE"):
            store = requests.request(method, f"{writable}/store", params={"graph": GRAPH}, data=b"<http://a> <http://b> 'c' .",
                                     headers={"Content-Type": "text/turtle", **headers}, timeout=30)
            assert store.status_code == sparql.status_code in (401, 403), (headers, method)
            assert store.headers.get("WWW-Authenticate") == sparql.headers.get("WWW-Authenticate")
            assert store.text == sparql.text
    assert len(_sparql_graph(writable, GRAPH)) == 3  # nothing was written


def test_put_post_delete_reach_the_store_sparql_serves(writable):
    target = f"{writable}/store/test/people-copy"
    iri = target  # direct identification: the graph IRI is the request URL
    etag = requests.get(f"{writable}/store", params={"graph": GRAPH}, timeout=30).headers["ETag"]
    put = requests.put(target, data=b'@prefix foaf: <http://xmlns.com/foaf/0.1/> . <http://example.org/carol> foaf:name "Carol"@nl .',
                       headers={"Content-Type": "text/turtle", **AUTH}, timeout=30)
    assert put.status_code == 201, put.text
    assert [str(o) for o in _sparql_graph(writable, iri).objects()] == ["Carol"]
    post = requests.post(target, data=b'<http://example.org/carol> <http://xmlns.com/foaf/0.1/age> "41"^^<http://www.w3.org/2001/XMLSchema#integer> .',
                         headers={"Content-Type": "application/n-triples", **AUTH}, timeout=30)
    assert post.status_code == 204 and len(_sparql_graph(writable, iri)) == 2
    replaced = requests.put(target, data=b'{"@id": "http://example.org/dan", "http://xmlns.com/foaf/0.1/name": "Dan"}',
                            headers={"Content-Type": "application/ld+json", **AUTH}, timeout=30)
    assert replaced.status_code == 204 and [str(o) for o in _sparql_graph(writable, iri).objects()] == ["Dan"]
    # The data version changed: validators of every graph change with it.
    assert requests.get(f"{writable}/store", params={"graph": GRAPH}, timeout=30).headers["ETag"] != etag
    assert requests.delete(target, headers=AUTH, timeout=30).status_code == 204
    assert requests.get(target, timeout=30).status_code == 404
    assert requests.delete(target, headers=AUTH, timeout=30).status_code == 404
    created = requests.post(f"{writable}/store", data=b"<http://a> <http://b> 'new' .", headers={"Content-Type": "text/turtle", **AUTH}, timeout=30)
    assert created.status_code == 201 and created.headers["Location"].startswith(f"{writable}/store/")
    assert requests.get(created.headers["Location"], headers={"Accept": "application/n-triples"}, timeout=30).text.strip() \
        == '<http://a> <http://b> "new" .'


def test_bad_bodies_are_4xx_naming_where(writable):
    def put(data: bytes, content_type: str):
        return requests.put(f"{writable}/store/test/bad", data=data, headers={"Content-Type": content_type, **AUTH}, timeout=30)

    syntax = put(b"<http://a> <http://b> .\n", "text/turtle")
    assert syntax.status_code == 400 and "line 1, column" in syntax.text and "request body (text/turtle)" in syntax.text
    assert put(b"<http://a> <http://b> <http://c> .", "text/csv").status_code == 415
    assert put(b"<http://a> <http://b> <http://c> <http://g> .", "application/n-quads").status_code == 415
    assert put(b"<http://a> <http://b> <http://c> .\n" * 200, "application/n-triples").status_code == 413
    assert requests.get(f"{writable}/store/test/bad", timeout=30).status_code == 404  # none of them wrote


def test_the_service_description_advertises_the_graph_store(live_2018):
    answer = requests.get(f"{live_2018}/sparql", headers={"Accept": "text/turtle"}, timeout=30)
    graph = rdflib.Graph().parse(data=answer.text, format="turtle")
    DCAT, DCT = rdflib.Namespace("http://www.w3.org/ns/dcat#"), rdflib.Namespace("http://purl.org/dc/terms/")
    stores = list(graph.subjects(DCAT.endpointURL, rdflib.URIRef(f"{live_2018}/store")))
    assert len(stores) == 1
    assert (stores[0], DCT.conformsTo, rdflib.URIRef("https://www.w3.org/TR/sparql11-http-rdf-update/")) in graph
    assert (rdflib.URIRef(f"{live_2018}/sparql#service"), rdflib.RDFS.seeAlso, stores[0]) in graph


def test_every_named_graph_of_the_service_description_is_served_whole(live_2018):
    """Every named graph the service description lists is a 200 at /store, with as many triples
    as the description counts for it."""
    SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
    description = rdflib.Graph().parse(
        data=requests.get(f"{live_2018}/sparql", headers={"Accept": "text/turtle"}, timeout=30).text, format="turtle")
    counts = {str(description.value(named, SD.name)): int(description.value(description.value(named, SD.graph), VOID.triples))
              for named in description.subjects(rdflib.RDF.type, SD.NamedGraph)}
    assert len(counts) > 5
    with requests.Session() as session:
        for name, count in counts.items():
            answer = session.get(f"{live_2018}/store", params={"graph": name}, headers={"Accept": "application/n-triples"}, timeout=30)
            assert answer.status_code == 200, name
            assert len(rdflib.Graph().parse(data=answer.text, format="nt")) == count, name


def test_a_multipart_post_merges_each_file_part_and_refuses_plain_fields(writable):
    target = f"{writable}/store/test/multipart"
    files = {"a": ("a.ttl", b"<http://example.org/x> <http://example.org/p> 'one' .", "text/turtle"),
             "b": ("b.nt", b'<http://example.org/x> <http://example.org/p> "two" .\n', "application/n-triples")}
    posted = requests.post(target, files=files, headers=AUTH, timeout=30)
    assert posted.status_code == 201, posted.text
    got = requests.get(target, headers={"Accept": "application/n-triples"}, timeout=30)
    assert sorted(str(o) for o in rdflib.Graph().parse(data=got.text, format="nt").objects()) == ["one", "two"]
    plain = requests.post(target, files={"a": (None, "<http://a> <http://b> 'c' .")}, headers=AUTH, timeout=30)
    assert plain.status_code == 400 and "'a' has no file name" in plain.text
    assert requests.delete(target, headers=AUTH, timeout=30).status_code == 204
