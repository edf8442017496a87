"""The interfaces kgraph serves, as DCAT-AP data services: one row each in SERVICES.

Each is a dcat:DataService with dcat:endpointURL, dcat:endpointDescription, dcterms:conformsTo
(the specification's IRI, typed dcterms:Standard), dcat:servesDataset and what DCAT-AP
Vlaanderen 3.0 asks of a data service (title, contact point, access rights, identifier, licence,
publisher). Adding an interface (the event stream, say) is adding a row.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from kgraph.metadata import terms as t

T = ox.Triple
L = ox.Literal

GRAPH_STORE_PROTOCOL = "https://www.w3.org/TR/sparql11-http-rdf-update/"
TRIPLE_PATTERN_FRAGMENTS = "https://linkeddatafragments.org/specification/triple-pattern-fragments/"
LINKED_DATA_EVENT_STREAMS = "https://w3id.org/ldes/specification"


@dataclass(frozen=True)
class Service:
    """One interface: its node (under the base), endpoint and description paths, standard, texts."""

    node: str  # e.g. "sparql#service"
    endpoint: str  # path of dcat:endpointURL under the base ("" is the base itself)
    description: str  # path of dcat:endpointDescription
    standard: str  # IRI of the specification it follows (dcterms:conformsTo)
    standard_title: str
    title: tuple[str, str]  # nl, en
    text: tuple[str, str]  # nl, en; "{base}" is replaced by the base
    formats: tuple[str, ...] = ()  # keys of terms.FILE_TYPES (dcterms:format)


SERVICES: tuple[Service, ...] = (
    Service("sparql#service", "sparql", "sparql", t.SPARQL_PROTOCOL, "SPARQL 1.1 Protocol",
            ("SPARQL-endpoint van kgraph", "kgraph SPARQL endpoint"),
            ("Bevraag de kennisgraaf met SPARQL 1.1 (protocol, resultaten in JSON, XML, CSV, TSV en RDF).",
             "Query the knowledge graph with SPARQL 1.1 (protocol; results as JSON, XML, CSV, TSV and RDF).")),
    Service("catalog#linked-data", "", ".well-known/void", t.LINKED_DATA, "Linked Data",
            ("Linked data van kgraph", "kgraph linked data"),
            ("Elke resource {base}id/… verwijst (303) naar haar document {base}doc/… in HTML, Turtle, "
             "JSON-LD, N-Triples of RDF/XML naar keuze (content negotiation); de VoID-beschrijving "
             "noemt de URI-ruimte en de woordenlijsten.",
             "Every resource {base}id/… redirects (303) to its document {base}doc/… in HTML, Turtle, "
             "JSON-LD, N-Triples or RDF/XML by content negotiation; the VoID description gives the "
             "URI space and the vocabularies."),
            ("ttl", "jsonld", "nt", "rdf")),
    # The Graph Store has no description document of its own: the SPARQL service description
    # (GET {base}sparql) describes it beside the endpoint.
    Service("store#service", "store", "sparql", GRAPH_STORE_PROTOCOL, "SPARQL 1.1 Graph Store HTTP Protocol",
            ("Graph Store van kgraph", "kgraph Graph Store"),
            ("Lees elke graaf van de kennisgraaf als één document (SPARQL 1.1 Graph Store HTTP Protocol): "
             "{base}store?graph=<IRI> of {base}store?default, in Turtle, N-Triples, RDF/XML of JSON-LD.",
             "Read every graph of the knowledge graph as one document (SPARQL 1.1 Graph Store HTTP Protocol): "
             "{base}store?graph=<IRI> or {base}store?default, as Turtle, N-Triples, RDF/XML or JSON-LD."),
            ("ttl", "nt", "rdf", "jsonld")),
    # Served at /fragments by the Triple Pattern Fragments interface (issue 12.1); each fragment
    # describes its own search form (hydra:search), so the endpoint is its own description.
    Service("fragments#service", "fragments", "fragments", TRIPLE_PATTERN_FRAGMENTS, "Triple Pattern Fragments",
            ("Triple Pattern Fragments van kgraph", "kgraph Triple Pattern Fragments"),
            ("De kennisgraaf als fragmenten per triple- of quadpatroon met Hydra-zoekformulier en paginering "
             "(Linked Data Fragments), voor clients zoals Comunica.",
             "The knowledge graph as fragments per triple or quad pattern with a Hydra search form and paging "
             "(Linked Data Fragments), for clients such as Comunica.")),
    # The history as a Linked Data Event Stream (issue 13); the stream describes itself at /ldes.
    Service("ldes#service", "ldes", "ldes", LINKED_DATA_EVENT_STREAMS, "Linked Data Event Streams 1.0",
            ("Linked Data Event Stream van kgraph", "kgraph Linked Data Event Stream"),
            ("Elke release als versies van haar resources (LDES 1.0, TREE): wat er veranderde, toegevoegd "
             "of verwijderd werd, zodat een kopie bij blijft zonder alles opnieuw te downloaden.",
             "Every release as versions of its resources (LDES 1.0, TREE): what was changed, added or "
             "removed, so that a mirror stays in sync without downloading everything again."),
            ("trig", "nq", "ttl", "jsonld")),
)


def service_iri(base: str, service: Service) -> str:
    return f"{base}{service.node}"


def standard_triples(base: str) -> list[ox.Triple]:
    """Every standard the services conform to, typed dcterms:Standard and titled."""
    triples: list[ox.Triple] = []
    for service in SERVICES:
        node = ox.NamedNode(service.standard)
        triples += [T(node, t.RDF_TYPE, t.iri("dcterms", "Standard")),
                    T(node, t.iri("dcterms", "title"), L(service.standard_title, language="en"))]
    return triples


def data_service(base: str, service: Service, dataset: ox.NamedNode, common: list[ox.Triple]) -> list[ox.Triple]:
    """The triples of one data service; `common` are the publisher, contact and themes it shares
    with the dataset (made by the catalogue for the service's node)."""
    node = ox.NamedNode(service_iri(base, service))
    triples = [
        T(node, t.RDF_TYPE, t.iri("dcat", "DataService")),
        T(node, t.iri("dcterms", "identifier"), L(node.value)),
        T(node, t.iri("dcterms", "title"), L(service.title[0], language="nl")),
        T(node, t.iri("dcterms", "title"), L(service.title[1], language="en")),
        T(node, t.iri("dcterms", "description"), L(service.text[0].replace("{base}", base), language="nl")),
        T(node, t.iri("dcterms", "description"), L(service.text[1].replace("{base}", base), language="en")),
        T(node, t.iri("dcat", "endpointURL"), ox.NamedNode(base + service.endpoint)),
        T(node, t.iri("dcat", "endpointDescription"), ox.NamedNode(base + service.description)),
        T(node, t.iri("dcterms", "conformsTo"), ox.NamedNode(service.standard)),
        T(node, t.iri("dcat", "servesDataset"), dataset),
        T(node, t.iri("dcterms", "license"), ox.NamedNode(t.LICENCE)),
        *common,
    ]
    triples += [T(node, t.iri("dcterms", "format"), ox.NamedNode(t.FILE_TYPES[ext].iri)) for ext in service.formats]
    return triples
