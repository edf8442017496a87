"""SPARQLWrapper, the usual Python client, against the live server on the 2018 graph: every return
format it knows, GET and POST, each checked for the right answer (not just a 200)."""

from __future__ import annotations

import csv
import io

import pytest
import rdflib
from SPARQLWrapper import CSV, GET, JSON, JSONLD, N3, POST, POSTDIRECTLY, RDFXML, TSV, TURTLE, URLENCODED, XML, SPARQLWrapper

from tests.clients import expected as E

pytestmark = pytest.mark.live

KG = rdflib.Namespace(E.KG)


def client(base_url: str, query: str, return_format: str, method: str = GET) -> SPARQLWrapper:
    sparql = SPARQLWrapper(f"{base_url}/sparql", agent="kgraph-tests")
    sparql.setQuery(query)
    sparql.setReturnFormat(return_format)
    sparql.setMethod(method)
    sparql.setTimeout(30)
    return sparql


def city_rows_from_json(doc: dict) -> list[tuple[str, str, str]]:
    assert doc["head"]["vars"] == ["city", "nis", "label"]
    rows = doc["results"]["bindings"]
    assert all(r["label"]["xml:lang"] == "nl" and r["city"]["type"] == "uri" for r in rows)
    return sorted((r["city"]["value"], r["nis"]["value"], r["label"]["value"]) for r in rows)


@pytest.mark.parametrize("method", [GET, POST])
def test_select_json(live_2018, method):
    doc = client(live_2018, E.SELECT_CITIES, JSON, method).queryAndConvert()
    assert city_rows_from_json(doc) == E.CITY_ROWS
    nis_in_order = [r["nis"]["value"] for r in doc["results"]["bindings"]]
    assert nis_in_order == sorted(E.CENTRAL_CITIES)  # ORDER BY honoured


def test_select_json_posted_directly(live_2018):
    sparql = client(live_2018, E.SELECT_CITIES, JSON, POST)
    sparql.setRequestMethod(POSTDIRECTLY)  # body is the query, Content-Type application/sparql-query
    assert city_rows_from_json(sparql.queryAndConvert()) == E.CITY_ROWS
    sparql.setRequestMethod(URLENCODED)
    assert city_rows_from_json(sparql.queryAndConvert()) == E.CITY_ROWS


def test_select_xml(live_2018):
    document = client(live_2018, E.SELECT_CITIES, XML).queryAndConvert()  # an xml.dom.minidom Document
    rows = []
    for result in document.getElementsByTagName("result"):
        values = {}
        for binding in result.getElementsByTagName("binding"):
            node = binding.firstChild
            while node.nodeType != node.ELEMENT_NODE:
                node = node.nextSibling
            values[binding.getAttribute("name")] = node.firstChild.data
            if binding.getAttribute("name") == "label":
                assert node.getAttribute("xml:lang") == "nl"
        rows.append((values["city"], values["nis"], values["label"]))
    assert sorted(rows) == E.CITY_ROWS


def test_select_csv(live_2018):
    body = client(live_2018, E.SELECT_CITIES, CSV).queryAndConvert()
    table = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    assert table[0] == ["city", "nis", "label"]
    assert sorted(tuple(row) for row in table[1:]) == E.CITY_ROWS


def test_select_tsv(live_2018):
    body = client(live_2018, E.SELECT_CITIES, TSV).queryAndConvert().decode("utf-8")
    lines = body.rstrip("\n").split("\n")
    assert lines[0].split("\t") == ["?city", "?nis", "?label"]
    rows = []
    for line in lines[1:]:
        city, nis, label = line.split("\t")
        # TSV writes terms in SPARQL syntax: <iri>, "literal", "literal"@lang.
        assert city.startswith("<") and label.endswith('"@nl')
        rows.append((city[1:-1], nis.strip('"'), label[1 : -len('"@nl')]))
    assert sorted(rows) == E.CITY_ROWS


def test_select_the_lead_of_the_anpr_project_is_turnhout(live_2018):
    doc = client(live_2018, E.SELECT_ANPR_LEAD, JSON).queryAndConvert()
    rows = [(r["lead"]["value"], r["label"]["value"]) for r in doc["results"]["bindings"]]
    assert rows == [(E.TURNHOUT, "Stad Turnhout")]


def boolean(base_url: str, query: str, return_format: str) -> bool:
    """An ASK answer read from the converted result (a dict for JSON, a DOM document for XML)."""
    converted = client(base_url, query, return_format).queryAndConvert()
    if return_format == JSON:
        assert isinstance(converted["boolean"], bool)
        return converted["boolean"]
    text = converted.getElementsByTagName("boolean")[0].firstChild.data
    assert text in ("true", "false")
    return text == "true"


@pytest.mark.parametrize("return_format", [JSON, XML])
def test_ask(live_2018, return_format):
    assert boolean(live_2018, E.ASK_TURNHOUT_LEADS_ANPR, return_format) is True
    assert boolean(live_2018, E.ASK_GENT_LEADS_ANPR, return_format) is False


@pytest.mark.parametrize("return_format, header, end", [(CSV, "_askResult", "\r\n"), (TSV, "?_askResult", "\n")])
def test_ask_in_csv_and_tsv_as_jena_writes_it(live_2018, return_format, header, end):
    """Apache Jena's CSVOutput / TSVOutput boolean form: a one-column `_askResult` table."""
    for query, value in ((E.ASK_TURNHOUT_LEADS_ANPR, "true"), (E.ASK_GENT_LEADS_ANPR, "false")):
        sparql = client(live_2018, query, return_format)
        response = sparql.query()
        assert response.info()["content-type"].startswith("text/csv" if return_format == CSV else "text/tab-separated-values")
        assert response.convert() == f"{header}{end}{value}{end}".encode()


def graph_from(sparql: SPARQLWrapper, rdflib_format: str, expected_type: str) -> rdflib.Graph:
    """Run a CONSTRUCT/DESCRIBE; check the response's type; return it as an rdflib graph."""
    result = sparql.query()
    content_type = result.response.headers["Content-Type"]
    assert content_type.split(";")[0].strip() == expected_type, content_type
    converted = result.convert()
    if isinstance(converted, rdflib.Graph):  # SPARQLWrapper parses RDF/XML and JSON-LD itself
        return converted
    return rdflib.Graph().parse(data=converted, format=rdflib_format)  # Turtle and N-Triples come as bytes


# (SPARQLWrapper return format, Accept override or None, rdflib parser, expected Content-Type)
GRAPH_FORMATS = [
    pytest.param(TURTLE, None, "turtle", "text/turtle", id="turtle"),
    pytest.param(N3, "application/n-triples", "nt", "application/n-triples", id="n-triples"),
    pytest.param(JSONLD, None, "json-ld", "application/ld+json", id="json-ld"),
    pytest.param(RDFXML, None, "xml", "application/rdf+xml", id="rdf-xml"),
    pytest.param(XML, None, "xml", "application/rdf+xml", id="xml-for-graphs"),
]


def with_format(base_url: str, query: str, return_format: str, accept: str | None) -> SPARQLWrapper:
    sparql = client(base_url, query, return_format)
    if accept:
        # SPARQLWrapper has no N-Triples format: ask for it by Accept alone (no format= parameter).
        sparql.setOnlyConneg(True)
        sparql.addCustomHttpHeader("Accept", accept)
    return sparql


@pytest.mark.parametrize(("return_format", "accept", "parser", "media_type"), GRAPH_FORMATS)
def test_construct(live_2018, return_format, accept, parser, media_type):
    graph = graph_from(with_format(live_2018, E.CONSTRUCT_NIS, return_format, accept), parser, media_type)
    assert len(graph) == 13
    assert {(str(s), str(o)) for s, _, o in graph} == {(city, nis) for city, nis, _ in E.CITY_ROWS}
    lead = graph_from(with_format(live_2018, E.CONSTRUCT_ANPR_LEAD, return_format, accept), parser, media_type)
    assert set(lead) == {(rdflib.URIRef(E.ANPR), KG.ledBy, rdflib.URIRef(E.TURNHOUT))}


@pytest.mark.parametrize(("return_format", "accept", "parser", "media_type"), GRAPH_FORMATS)
def test_describe(live_2018, return_format, accept, parser, media_type):
    graph = graph_from(with_format(live_2018, E.DESCRIBE_TURNHOUT, return_format, accept), parser, media_type)
    turnhout = rdflib.URIRef(E.TURNHOUT)
    assert graph.value(turnhout, KG.nisCode) == rdflib.Literal("13040")
    assert rdflib.Literal("Stad Turnhout", lang="nl") in set(graph.objects(turnhout, rdflib.RDFS.label))
    assert {s for s in graph.subjects() if isinstance(s, rdflib.URIRef)} == {turnhout}


def test_count_matches_the_store(live_2018, store):
    """An aggregate over every named graph gives what the store itself holds."""
    doc = client(live_2018, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", JSON).queryAndConvert()
    assert int(doc["results"]["bindings"][0]["n"]["value"]) == len(store) > 2000
