"""Content negotiation of /id/ and /doc/: every category times every format, by Accept header and
by extension, the RDF parsed back with rdflib and checked against the store: the resource's own
triples, its incoming links and the document's provenance. Plus the headers that go with it."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import DCTERMS, FOAF, PROV, RDFS

from kgraph.provenance import LICENCE
from tests.linkeddata_support import HTML_ACCEPT

# rdflib's JSON-LD parser uses its own deprecated ConjunctiveGraph internally: not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")

BASE = "https://data.kenniscentrumvlaamsesteden.be/"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
FORMATS = {  # extension: (media type, rdflib parser)
    "ttl": ("text/turtle", "turtle"),
    "jsonld": ("application/ld+json", "json-ld"),
    "nt": ("application/n-triples", "nt"),
    "rdf": ("application/rdf+xml", "xml"),
}
CATEGORIES_WITH_DATA = ("organisatie", "activiteit", "evenement", "document", "persoon", "plaats", "thema",
                        "rol", "sectie", "conceptschema", "dataset")


def to_rdflib(term: object) -> object:
    """A pyoxigraph term as rdflib's, so that both sides compare with rdflib's literal equality."""
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return None  # blank nodes are compared by count, their labels differ by design
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    if term.datatype.value == XSD_STRING:  # RDF 1.1: a plain literal is an xsd:string; rdflib keeps them apart
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def expected(store, iri: str) -> tuple[set, set, int]:
    """From the store: the resource's outgoing triples (IRI or literal objects), incoming links from
    named subjects, and how many outgoing triples point at blank nodes."""
    node = ox.NamedNode(iri)
    out, blanks = set(), 0
    for quad in store.quads_for_pattern(node, None, None):
        obj = to_rdflib(quad.object)
        if obj is None:
            blanks += 1
        else:
            out.add((rdflib.URIRef(iri), rdflib.URIRef(quad.predicate.value), obj))
    incoming = {
        (rdflib.URIRef(q.subject.value), rdflib.URIRef(q.predicate.value), rdflib.URIRef(iri))
        for q in store.quads_for_pattern(None, None, node)
        if isinstance(q.subject, ox.NamedNode)
    }
    return out, incoming, blanks


def check_document(graph: rdflib.Graph, store, iri: str) -> None:
    """The /doc/ graph holds everything the issue lists for it."""
    subject = rdflib.URIRef(iri)
    out, incoming, _ = expected(store, iri)
    assert out, iri
    assert out <= set(graph), sorted(out - set(graph))[:3]
    assert incoming <= set(graph), sorted(incoming - set(graph))[:3]
    linked_blanks = {o for o in graph.objects(subject, None) if isinstance(o, rdflib.BNode)}
    assert len(linked_blanks) == len({q.object for q in store.quads_for_pattern(ox.NamedNode(iri), None, None) if isinstance(q.object, ox.BlankNode)})
    for blank in linked_blanks:  # blank nodes followed: their own triples are there
        assert list(graph.predicate_objects(blank)), iri
    # Labels of every linked resource of the dataset that has one in the store.
    for _, _, obj in out:
        if (isinstance(obj, rdflib.URIRef) and obj.startswith(BASE + "id/")
                and any(True for _ in store.quads_for_pattern(ox.NamedNode(str(obj)), ox.NamedNode(str(RDFS.label)), None))):
            assert graph.value(obj, RDFS.label) is not None, obj
    # Provenance of the document itself.
    doc = rdflib.URIRef(iri.replace(BASE + "id/", BASE + "doc/"))
    assert (doc, FOAF.primaryTopic, subject) in graph
    assert (doc, DCTERMS.license, rdflib.URIRef(LICENCE)) in graph
    assert graph.value(doc, DCTERMS.modified) is not None
    assert (doc, PROV.wasDerivedFrom, rdflib.URIRef(BASE + "id/document/jaarverslag-2018")) in graph


def doc_path(iri: str) -> str:
    return iri.replace(BASE + "id/", "/doc/")


def test_every_category_has_a_sample(samples):
    assert set(samples) == set(CATEGORIES_WITH_DATA)


@pytest.mark.parametrize("extension", sorted(FORMATS))
@pytest.mark.parametrize("category", CATEGORIES_WITH_DATA)
def test_matrix_by_accept_header(client, store, samples, category, extension):
    media_type, parser = FORMATS[extension]
    iri = samples[category]
    response = client.get(doc_path(iri), headers={"Accept": media_type})
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert "Accept" in response.headers["Vary"]
    assert response.headers["Content-Location"] == f"http://localhost{doc_path(iri)}.{extension}"
    check_document(rdflib.Graph().parse(data=response.data, format=parser), store, iri)


@pytest.mark.parametrize("extension", sorted(FORMATS))
@pytest.mark.parametrize("category", CATEGORIES_WITH_DATA)
def test_matrix_by_extension(client, store, samples, category, extension):
    media_type, parser = FORMATS[extension]
    iri = samples[category]
    # The extension wins over whatever the client accepts.
    response = client.get(f"{doc_path(iri)}.{extension}", headers={"Accept": HTML_ACCEPT})
    assert response.status_code == 200
    assert response.mimetype == media_type
    check_document(rdflib.Graph().parse(data=response.data, format=parser), store, iri)


@pytest.mark.parametrize("category", CATEGORIES_WITH_DATA)
def test_matrix_html_by_header_and_extension(client, samples, category):
    iri = samples[category]
    by_header = client.get(doc_path(iri), headers={"Accept": HTML_ACCEPT})
    by_extension = client.get(doc_path(iri) + ".html", headers={"Accept": "text/turtle"})
    for response in (by_header, by_extension):
        assert response.status_code == 200 and response.mimetype == "text/html"
    assert by_header.headers["Content-Location"] == f"http://localhost{doc_path(iri)}.html"
    assert by_header.data == by_extension.data


@pytest.mark.parametrize("category", CATEGORIES_WITH_DATA)
def test_id_answers_303_to_doc_whatever_is_accepted(client, samples, category):
    iri = samples[category]
    for accept in (HTML_ACCEPT, "text/turtle", "application/ld+json", "*/*", None):
        response = client.get(iri.replace(BASE, "/"), headers={"Accept": accept} if accept else {})
        assert response.status_code == 303
        assert response.headers["Location"] == "http://localhost" + doc_path(iri)


@pytest.mark.parametrize("accept, chosen", [
    ("text/turtle;q=0.5, application/ld+json", "application/ld+json"),
    ("application/rdf+xml;q=0.9, text/turtle;q=0.95", "text/turtle"),
    ("application/n-triples, text/turtle;q=0.1", "application/n-triples"),
    ("text/plain", "application/n-triples"),
    ("application/x-turtle", "text/turtle"),
    ("application/json", "application/ld+json"),
    ("application/rdf+xml, text/n3;q=0.9, */*;q=0.1", "application/rdf+xml"),  # rdflib's own header
    ("text/*", "text/turtle"),
    ("*/*", "text/turtle"),
    (None, "text/turtle"),
    (HTML_ACCEPT, "text/html"),
    ("text/html;q=0.5, text/turtle", "text/turtle"),
    ("text/html, text/turtle;q=0.9", "text/html"),
])
def test_q_values_and_specificity(client, accept, chosen):
    response = client.get("/doc/organisatie/gent", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    assert response.mimetype == chosen


def test_nothing_acceptable_is_406(client):
    response = client.get("/doc/organisatie/gent", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "text/turtle" in response.get_data(as_text=True)


def test_link_headers_name_every_alternate_and_the_licence(client):
    for url in ("/doc/organisatie/gent", "/doc/organisatie/gent.ttl", "/doc/organisatie/gent.html"):
        link = client.get(url, headers={"Accept": "text/turtle"}).headers["Link"]
        for extension, (media_type, _) in FORMATS.items():
            assert f'<http://localhost/doc/organisatie/gent.{extension}>; rel="alternate"; type="{media_type}"' in link
        assert '<http://localhost/doc/organisatie/gent.html>; rel="alternate"; type="text/html"' in link
        assert f'<{LICENCE}>; rel="license"' in link
        assert link.count('rel="license"') == 1


def test_rdf_keeps_canonical_iris_whatever_host_served_it(client, store):
    response = client.get("/doc/organisatie/gent.nt", base_url="http://127.0.0.1:8000")
    graph = rdflib.Graph().parse(data=response.data, format="nt")
    subjects = {str(s) for s in graph.subjects() if isinstance(s, rdflib.URIRef)}
    assert f"{BASE}id/organisatie/gent" in subjects
    assert not [s for s in subjects if "127.0.0.1" in s]


def test_incoming_links_through_blank_nodes_carry_the_role(client):
    """Gent leads the databroker project: the activity, its qualified association and the role are
    in Gent's document, so a client sees the role without a second request."""
    graph = rdflib.Graph().parse(data=client.get("/doc/organisatie/gent.ttl").data, format="turtle")
    gent = rdflib.URIRef(BASE + "id/organisatie/gent")
    databroker = rdflib.URIRef(BASE + "id/activiteit/city-of-things-databroker")
    roles = {
        graph.value(association, PROV.hadRole)
        for association in graph.subjects(PROV.agent, gent)
        if (databroker, PROV.qualifiedAssociation, association) in graph
    }
    assert rdflib.URIRef(BASE + "id/rol/trekker") in roles
    assert graph.value(rdflib.URIRef(BASE + "id/rol/trekker"), RDFS.label) is not None
    assert str(graph.value(databroker, RDFS.label)) in ("Databroker (City of Things)", "Data broker (City of Things)")


def test_head_requests_are_answered_like_get(client):
    response = client.head("/doc/organisatie/gent", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.mimetype == "text/turtle" and not response.data
