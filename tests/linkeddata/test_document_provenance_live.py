"""Timestamps and licence in the data (issue 12.6): every /doc/ description in every format, the
catalogue and the VoID description, as the live server returns them, state dcterms:license (the
Flemish CC0 IRI) and prov:generatedAtTime (when the release was generated: the dataset's own
prov:generatedAtTime, which the build writes) about the document itself, in its RDF."""

from __future__ import annotations

import pytest
import rdflib
import requests
from rdflib import Literal, URIRef

from kgraph.provenance import LICENCE

pytestmark = pytest.mark.live

DCT = rdflib.Namespace("http://purl.org/dc/terms/")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
XSD_DATETIME = URIRef("http://www.w3.org/2001/XMLSchema#dateTime")
FORMATS = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt", "rdf": "xml"}
ACCEPT = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt",
          "application/rdf+xml": "xml"}
CATEGORIES = ("organisatie", "activiteit", "evenement", "document", "persoon", "plaats", "thema")


def _select(base: str, query: str) -> list[dict]:
    answer = requests.get(f"{base}/sparql", params={"query": query},
                          headers={"Accept": "application/sparql-results+json"}, timeout=60)
    assert answer.status_code == 200, answer.text
    return answer.json()["results"]["bindings"]


@pytest.fixture(scope="module")
def generated(live_2018) -> Literal:
    """The dataset's prov:generatedAtTime, asked of the endpoint."""
    (row,) = _select(live_2018, "PREFIX prov: <http://www.w3.org/ns/prov#> SELECT ?t WHERE "
                                "{ ?d a <http://www.w3.org/ns/dcat#Dataset> ; prov:generatedAtTime ?t }")
    assert row["t"]["datatype"] == str(XSD_DATETIME)
    return Literal(row["t"]["value"], datatype=XSD_DATETIME)


@pytest.fixture(scope="module")
def documents(live_2018) -> list[tuple[str, str]]:
    """(document IRI, path) of the first resource of each category, in IRI order."""
    found = []
    for category in CATEGORIES:
        rows = _select(live_2018, f'SELECT ?s WHERE {{ ?s ?p ?o FILTER(isIRI(?s) && CONTAINS(STR(?s), "/id/{category}/")) }} '
                                  "ORDER BY ?s LIMIT 1")
        assert rows, category
        iri = rows[0]["s"]["value"]
        found.append((iri.replace("/id/", "/doc/"), "/doc/" + iri.split("/id/", 1)[1]))
    return found


def _states_licence_and_time(graph: rdflib.Graph, node: str, generated: Literal) -> None:
    subject = URIRef(node)
    assert (subject, DCT.license, URIRef(LICENCE)) in graph, node
    times = list(graph.objects(subject, PROV.generatedAtTime))
    assert times == [generated], (node, times)
    assert times[0].datatype == XSD_DATETIME


@pytest.mark.parametrize("extension", sorted(FORMATS))
def test_every_doc_description_states_its_licence_and_generation_time(live_2018, documents, generated, extension):
    for document, path in documents:
        answer = requests.get(f"{live_2018}{path}.{extension}", timeout=30)
        assert answer.status_code == 200, (path, answer.status_code)
        graph = rdflib.Graph().parse(data=answer.content, format=FORMATS[extension])
        _states_licence_and_time(graph, document, generated)


def test_the_html_description_shows_them_too(live_2018, documents, generated):
    document, path = documents[0]
    answer = requests.get(f"{live_2018}{path}", headers={"Accept": "text/html"}, timeout=30)
    assert answer.status_code == 200
    # The lexical form the store answers (rdflib would write the same instant with +00:00 for Z).
    (row,) = _select(live_2018, "SELECT ?t WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> ; "
                                "<http://www.w3.org/ns/prov#generatedAtTime> ?t }")
    assert f'<time datetime="{row["t"]["value"]}">' in answer.text, path
    assert f'rel="license" href="{LICENCE}"' in answer.text


@pytest.mark.parametrize("media_type", sorted(ACCEPT))
def test_the_catalogue_and_void_state_their_licence_and_generation_time(live_2018, generated, media_type):
    catalogue = requests.get(f"{live_2018}/catalog", headers={"Accept": media_type}, timeout=60)
    graph = rdflib.Graph().parse(data=catalogue.content, format=ACCEPT[media_type])
    (catalog,) = graph.subjects(rdflib.RDF.type, URIRef("http://www.w3.org/ns/dcat#Catalog"))
    _states_licence_and_time(graph, str(catalog), generated)
    void = requests.get(f"{live_2018}/.well-known/void", headers={"Accept": media_type}, timeout=60)
    graph = rdflib.Graph().parse(data=void.content, format=ACCEPT[media_type])
    (description,) = graph.subjects(rdflib.RDF.type, URIRef("http://rdfs.org/ns/void#DatasetDescription"))
    _states_licence_and_time(graph, str(description), generated)
