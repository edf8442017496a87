"""/fragments on the real server (gunicorn, loopback) over the built 2018 graph: the Hydra
controls as rdflib reads them, paging that walks to exactly the store's triples, the graph's
awkward terms (language tags, datatypes, long texts, IRIs with %20, blank nodes), negotiation,
caching headers, CORS, the HTML view and 400s naming the parameter."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
import rdflib
import requests

pytestmark = pytest.mark.live

HYDRA = rdflib.Namespace("http://www.w3.org/ns/hydra/core#")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
FOAF = rdflib.Namespace("http://xmlns.com/foaf/0.1/")
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
LICENCE = "https://data.vlaanderen.be/id/licentie/creative-commons-zero-verklaring/v1.0"
DEFAULT_GRAPH = "urn:ldf:defaultGraph"


def fragment_url(base_url: str, **terms: str) -> str:
    query = "&".join(f"{name}={quote(value, safe='')}" for name, value in terms.items())
    return f"{base_url}/fragments" + (f"?{query}" if query else "")


def sparql(base_url: str, query: str) -> list[dict]:
    response = requests.post(f"{base_url}/sparql", data={"query": query},
                             headers={"Accept": "application/sparql-results+json"}, timeout=30)
    response.raise_for_status()
    return response.json()["results"]["bindings"]


def fetch(url: str) -> tuple[rdflib.Dataset, str]:
    """A page as an rdflib Dataset (from TriG), and the page's metadata graph name."""
    response = requests.get(url, headers={"Accept": "application/trig"}, timeout=30)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("application/trig")
    dataset = rdflib.Dataset()
    dataset.parse(data=response.text, format="trig")
    return dataset, f"{url}#metadata"


def data_quads(dataset: rdflib.Dataset, metadata: str) -> set[tuple]:
    """The page's data: every quad outside its metadata graph (graph None: the default graph)."""
    out = set()
    for s, p, o, g in dataset.quads((None, None, None, None)):
        name = str(g.identifier if isinstance(g, rdflib.Graph) else g) if g is not None else None
        if name == metadata:
            continue
        out.add((s, p, o, None if name in (None, str(rdflib.graph.DATASET_DEFAULT_GRAPH_ID)) else name))
    return out


def metadata_graph(dataset: rdflib.Dataset, metadata: str) -> rdflib.Graph:
    return dataset.graph(rdflib.URIRef(metadata))


def test_the_hydra_controls_and_metadata_are_in_the_metadata_graph(live_2018):
    url = fragment_url(live_2018, predicate=RDF_TYPE, graph=DEFAULT_GRAPH)
    dataset, metadata = fetch(url)
    meta = metadata_graph(dataset, metadata)
    page = rdflib.URIRef(url)
    # Comunica tells metadata from data by these two: <meta> foaf:primaryTopic <ds>, <ds> void:subset <page>.
    (topic,) = meta.objects(rdflib.URIRef(metadata), FOAF.primaryTopic)
    assert (topic, VOID.subset, page) in meta
    (search,) = meta.objects(topic, HYDRA.search)
    assert str(meta.value(search, HYDRA.template)) == f"{live_2018}/fragments{{?subject,predicate,object,graph}}"
    assert meta.value(search, HYDRA.variableRepresentation) == HYDRA.ExplicitRepresentation
    mappings = {str(meta.value(m, HYDRA.variable)): str(meta.value(m, HYDRA.property))
                for m in meta.objects(search, HYDRA.mapping)}
    assert mappings == {"subject": "http://www.w3.org/1999/02/22-rdf-syntax-ns#subject",
                        "predicate": "http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate",
                        "object": "http://www.w3.org/1999/02/22-rdf-syntax-ns#object",
                        "graph": "http://www.w3.org/ns/sparql-service-description#graph"}
    expected = len(sparql(live_2018, "SELECT DISTINCT ?s ?o WHERE { ?s a ?o }"))
    assert expected > 100  # so that there is a next page
    assert meta.value(page, HYDRA.totalItems).toPython() == expected
    assert meta.value(page, VOID.triples).toPython() == expected
    assert meta.value(page, HYDRA.itemsPerPage).toPython() == 100
    assert str(meta.value(page, HYDRA.first)) == url
    assert str(meta.value(page, HYDRA.next)) == url + "&page=2"
    assert meta.value(page, HYDRA.previous) is None
    assert (rdflib.URIRef(url), HYDRA.view, page) in meta
    assert str(meta.value(page, DCT.license)) == LICENCE
    built_at = meta.value(page, PROV.generatedAtTime)
    assert built_at is not None and built_at.datatype == rdflib.XSD.dateTime and built_at.toPython().year >= 2024
    assert len(data_quads(dataset, metadata)) == 100


@pytest.mark.parametrize("graph", [DEFAULT_GRAPH, None], ids=["default-graph", "every-named-graph"])
def test_paging_walks_every_page_to_exactly_the_stores_triples(live_2018, graph):
    terms = {"predicate": RDFS_LABEL, **({"graph": graph} if graph else {})}
    url, seen, pages, total = fragment_url(live_2018, **terms), [], 0, None
    while url:
        dataset, metadata = fetch(url)
        meta = metadata_graph(dataset, metadata)
        page = rdflib.URIRef(url)
        total = meta.value(page, HYDRA.totalItems).toPython()
        quads = data_quads(dataset, metadata)
        assert len(quads) <= 100
        seen += sorted(quads)
        pages += 1
        following = meta.value(page, HYDRA.next)
        if pages > 1:
            assert meta.value(page, HYDRA.previous) is not None
        url = str(following) if following is not None else None
    if graph:
        rows = sparql(live_2018, f"SELECT DISTINCT ?s ?o WHERE {{ ?s <{RDFS_LABEL}> ?o }}")
        expected = {(value(r["s"]), value(r["o"]), r["o"].get("xml:lang")) for r in rows}
        got = {(str(s), str(o), o.language) for s, _, o, g in seen}
        assert all(g is None for *_, g in seen)  # the default graph, each triple once
    else:
        rows = sparql(live_2018, f"SELECT ?s ?o ?g WHERE {{ GRAPH ?g {{ ?s <{RDFS_LABEL}> ?o }} }}")
        expected = {(value(r["s"]), value(r["o"]), r["o"].get("xml:lang"), r["g"]["value"]) for r in rows}
        got = {(str(s), str(o), o.language, g) for s, _, o, g in seen}
    assert len(seen) == len(got) == len(rows) == total  # no triple twice, none missing
    assert got == expected
    assert pages == -(-total // 100)


GENID = "https://data.kenniscentrumvlaamsesteden.be/.well-known/genid/"


def value(binding: dict) -> str:
    """A SPARQL JSON term's value as the fragments write it (a blank node as its skolem IRI)."""
    return GENID + binding["value"] if binding["type"] == "bnode" else binding["value"]


def one(live_2018: str, query: str) -> dict:
    rows = sparql(live_2018, query)
    assert rows, query
    return rows[0]


def n3(binding: dict) -> str:
    """A SPARQL JSON term in the fragments' URL syntax."""
    if binding["type"] == "uri":
        return binding["value"]
    if "xml:lang" in binding:
        return f'"{binding["value"]}"@{binding["xml:lang"]}'
    if binding.get("datatype") and not binding["datatype"].endswith("#string"):
        return f'"{binding["value"]}"^^{binding["datatype"]}'
    return f'"{binding["value"]}"'


AWKWARD_TERMS = {
    "language-tag": 'SELECT ?o WHERE { ?s ?p ?o FILTER(LANG(?o) = "nl" && CONTAINS(?o, "’")) } LIMIT 1',
    "datatype-date": "SELECT ?o WHERE { ?s ?p ?o FILTER(DATATYPE(?o) = <http://www.w3.org/2001/XMLSchema#date>) } LIMIT 1",
    "datatype-decimal": "SELECT ?o WHERE { ?s ?p ?o FILTER(DATATYPE(?o) = <http://www.w3.org/2001/XMLSchema#decimal>) } LIMIT 1",
    "long-text": "SELECT ?o WHERE { ?s ?p ?o FILTER(isLiteral(?o)) } ORDER BY DESC(STRLEN(STR(?o))) LIMIT 1",
    "iri-with-%20": 'SELECT ?o WHERE { ?s ?p ?o FILTER(isIRI(?o) && CONTAINS(STR(?o), "%20")) } LIMIT 1',
}


@pytest.mark.parametrize("kind", sorted(AWKWARD_TERMS))
def test_awkward_terms_as_object_give_exactly_their_triples(live_2018, kind):
    term = one(live_2018, AWKWARD_TERMS[kind])["o"]
    if kind == "long-text":
        assert len(term["value"]) > 500
    url = fragment_url(live_2018, object=n3(term), graph=DEFAULT_GRAPH)
    dataset, metadata = fetch(url)
    quads = data_quads(dataset, metadata)
    literal = json.dumps(term["value"])  # a SPARQL string for the same value
    written = f"<{term['value']}>" if term["type"] == "uri" else (
        literal + (f"@{term['xml:lang']}" if "xml:lang" in term else f"^^<{term['datatype']}>" if term.get("datatype") else ""))
    rows = sparql(live_2018, f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p {written} }}")
    assert {(str(s), str(p)) for s, p, _, _ in quads} == {(value(r["s"]), r["p"]["value"]) for r in rows}
    assert rows
    for _, _, o, _ in quads:
        assert str(o) == term["value"]
        if "xml:lang" in term:
            assert o.language == term["xml:lang"]
        elif term.get("datatype"):
            assert str(o.datatype) == term["datatype"]


def test_blank_nodes_are_skolem_iris_that_lead_to_their_own_fragment(live_2018):
    # The budget amounts are blank nodes (schema:MonetaryAmount): a client must be able to follow one.
    dataset, metadata = fetch(fragment_url(live_2018, predicate="https://data.kenniscentrumvlaamsesteden.be/ns/kgraph#budget",
                                           graph=DEFAULT_GRAPH))
    amounts = [o for _, _, o, _ in data_quads(dataset, metadata)]
    assert amounts and all(str(o).startswith("https://data.kenniscentrumvlaamsesteden.be/.well-known/genid/") for o in amounts)
    dataset, metadata = fetch(fragment_url(live_2018, subject=str(amounts[0]), graph=DEFAULT_GRAPH))
    properties = {str(p) for _, p, _, _ in data_quads(dataset, metadata)}
    assert "http://schema.org/value" in properties and "http://schema.org/currency" in properties


@pytest.mark.parametrize("media_type,rdflib_format", [
    ("application/trig", "trig"), ("application/n-quads", "nquads"), ("text/turtle", "turtle"),
    ("application/n-triples", "nt"), ("application/ld+json", "json-ld"),
])
def test_every_rdf_format_carries_the_controls(live_2018, media_type, rdflib_format):
    url = fragment_url(live_2018, subject="https://data.kenniscentrumvlaamsesteden.be/id/organisatie/gent", graph=DEFAULT_GRAPH)
    response = requests.get(url, headers={"Accept": media_type}, timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == media_type
    assert "Accept" in response.headers["Vary"]
    graph = rdflib.Dataset() if rdflib_format in ("trig", "nquads") else rdflib.Graph()
    graph.parse(data=response.text, format=rdflib_format)
    triples = set(graph.triples((None, None, None))) if isinstance(graph, rdflib.Graph) and not isinstance(graph, rdflib.Dataset) \
        else {(s, p, o) for s, p, o, _ in graph.quads((None, None, None, None))}
    page = rdflib.URIRef(url)
    assert any(p == HYDRA.search for _, p, _ in triples)
    assert any(s == page and p == HYDRA.totalItems for s, p, _ in triples)
    assert (page, DCT.license, rdflib.URIRef(LICENCE)) in triples
    assert any(s == page and p == PROV.generatedAtTime for s, p, _ in triples)


def test_caching_headers_conditional_requests_and_cors(live_2018):
    url = fragment_url(live_2018, predicate=RDF_TYPE)
    first = requests.get(url, headers={"Accept": "application/n-quads", "Origin": "http://example.org"}, timeout=30)
    assert first.status_code == 200
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    assert "max-age=" in first.headers["Cache-Control"]
    assert f'<{LICENCE}>; rel="license"' in first.headers["Link"]
    etag = first.headers["ETag"]
    again = requests.get(url, headers={"Accept": "application/n-quads", "If-None-Match": etag}, timeout=30)
    assert again.status_code == 304 and again.headers["ETag"] == etag
    cached = requests.get(url, headers={"Accept": "application/n-quads"}, timeout=30)
    assert cached.headers.get("X-Cache") == "HIT" and cached.content == first.content  # the page cache, same bytes
    other = requests.get(url, headers={"Accept": "text/turtle"}, timeout=30)
    assert other.headers["ETag"] != etag  # another representation, another validator
    preflight = requests.options(url, headers={"Origin": "http://example.org", "Access-Control-Request-Method": "GET"}, timeout=30)
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"


def test_the_html_view_has_the_pattern_fields_the_triples_and_paging(live_2018):
    url = fragment_url(live_2018, predicate=RDF_TYPE, graph=DEFAULT_GRAPH)
    response = requests.get(url, headers={"Accept": "text/html"}, timeout=30)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/html")
    html = response.text
    for name in ("subject", "predicate", "object", "graph"):
        assert f'name="{name}"' in html
    assert f'value="{RDF_TYPE}"' in html
    assert html.count("<tr>") == 101  # the header row and a page of triples
    assert 'rel="next"' in html and "page=2" in html
    assert "/fragments?subject=https%3A%2F%2Fdata.kenniscentrumvlaamsesteden.be%2Fid%2F" in html  # terms link on


@pytest.mark.parametrize("query,parameter", [
    ("subject=gent", "subject"),
    ("predicate=%22label%22", "predicate"),
    ("object=%22unclosed", "object"),
    ("object=%22x%22%40not%20a%20tag", "object"),
    ("object=%22x%22%5E%5Enot-an-iri", "object"),
    ("graph=_%3Ab0", "graph"),
    ("page=0", "page"),
    ("page=two", "page"),
])
def test_bad_terms_get_400_naming_the_parameter(live_2018, query, parameter):
    response = requests.get(f"{live_2018}/fragments?{query}", headers={"Accept": "application/trig"}, timeout=30)
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("text/plain")
    assert f"parameter '{parameter}'" in response.text
    assert "Traceback" not in response.text


def test_void_names_the_fragments(live_2018):
    response = requests.get(f"{live_2018}/.well-known/void", headers={"Accept": "text/turtle"}, timeout=30)
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    dataset = rdflib.URIRef("https://data.kenniscentrumvlaamsesteden.be/id/dataset/kgraph")
    assert str(graph.value(dataset, VOID.uriLookupEndpoint)) == "https://data.kenniscentrumvlaamsesteden.be/fragments?subject="
    search = graph.value(dataset, HYDRA.search)
    assert str(graph.value(search, HYDRA.template)) == \
        "https://data.kenniscentrumvlaamsesteden.be/fragments{?subject,predicate,object,graph}"
    assert {str(graph.value(m, HYDRA.variable)) for m in graph.objects(search, HYDRA.mapping)} == \
        {"subject", "predicate", "object", "graph"}


def test_the_page_size_is_configuration(sample_release, live_server_factory):
    from kgraph.config import Settings

    base_url = live_server_factory(sample_release, Settings(fragment_page_size=2))
    url = fragment_url(base_url)
    dataset, metadata = fetch(url)
    meta = metadata_graph(dataset, metadata)
    page = rdflib.URIRef(url)
    assert meta.value(page, HYDRA.itemsPerPage).toPython() == 2
    assert meta.value(page, HYDRA.totalItems).toPython() == 5  # the sample's five quads
    assert len(data_quads(dataset, metadata)) == 2
    assert str(meta.value(page, HYDRA.next)) == url + "?page=2"
    assert str(meta.value(page, HYDRA.last)) == url + "?page=3"
    last, metadata = fetch(url + "?page=3")
    assert len(data_quads(last, metadata)) == 1 and metadata_graph(last, metadata).value(rdflib.URIRef(url + "?page=3"), HYDRA.next) is None


def test_a_page_size_out_of_range_is_a_configuration_error():
    from kgraph.config import ConfigError, Settings

    with pytest.raises(ConfigError, match="fragment_page_size"):
        Settings().replace(fragment_page_size=0)
    with pytest.raises(ConfigError, match="fragment_memory_quads"):
        Settings().replace(fragment_memory_quads=-1)
    assert Settings().replace(fragment_memory_quads=0).fragment_memory_quads == 0
