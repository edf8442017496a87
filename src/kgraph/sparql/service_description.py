"""The SPARQL 1.1 Service Description of the endpoint (https://www.w3.org/TR/sparql11-service-description/).

Answered at GET /sparql without a query: what the service is, where, which languages, result
formats and features it supports, and its default dataset with VoID statistics (the union default
graph's triple count and every named graph with its own count).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import pyoxigraph as ox

from kgraph.sparql import negotiation

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DCTERMS = "http://purl.org/dc/terms/"
FORMATS = "http://www.w3.org/ns/formats/"
DCAT = "http://www.w3.org/ns/dcat#"
RDFS_SEE_ALSO = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso")
GRAPH_STORE_PROTOCOL = "https://www.w3.org/TR/sparql11-http-rdf-update/"
_XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")

# Media type -> the W3C format IRI (https://www.w3.org/ns/formats/) sd:resultFormat names.
FORMAT_IRIS: dict[str, str] = {
    "application/sparql-results+json": "SPARQL_Results_JSON",
    "application/sparql-results+xml": "SPARQL_Results_XML",
    "text/csv": "SPARQL_Results_CSV",
    "text/tab-separated-values": "SPARQL_Results_TSV",
    "text/turtle": "Turtle",
    "application/n-triples": "N-Triples",
    "application/ld+json": "JSON-LD",
    "application/rdf+xml": "RDF_XML",
    "application/n-quads": "N-Quads",
    "application/trig": "TriG",
}


@dataclass(frozen=True)
class DatasetStatistics:
    """What the description says about the data: triples in all, and per named graph."""

    triples: int
    graphs: Mapping[str, int]


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def describe(
    endpoint: str,
    stats: DatasetStatistics,
    *,
    update_enabled: bool = False,
    federation: bool = False,
    title: str = "kgraph SPARQL endpoint",
    graph_store: str | None = None,
) -> list[ox.Triple]:
    """The triples of the service description of an endpoint URL (and of the Graph Store
    Protocol service at the URL `graph_store`, when given)."""
    service = ox.NamedNode(f"{endpoint}#service")
    triples = [
        ox.Triple(service, RDF_TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, ox.NamedNode(DCTERMS + "title"), ox.Literal(title)),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(service, _sd("defaultEntailmentRegime"), ox.NamedNode("http://www.w3.org/ns/entailment/Simple")),
        # The default graph is the union of the named graphs unless a request names a dataset.
        ox.Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
    ]
    if update_enabled:
        triples.append(ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Update")))
    if federation:
        triples.append(ox.Triple(service, _sd("feature"), _sd("BasicFederatedQuery")))
    for media_type in (*negotiation.RESULTS_SERIALISERS, *negotiation.RDF_SERIALISERS):
        triples.append(ox.Triple(service, _sd("resultFormat"), ox.NamedNode(FORMATS + FORMAT_IRIS[media_type])))
    if graph_store:
        triples += graph_store_triples(service, graph_store)
    dataset = ox.BlankNode()
    default_graph = ox.BlankNode()
    triples += [
        ox.Triple(service, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, _sd("Dataset")),
        ox.Triple(dataset, _sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, RDF_TYPE, _sd("Graph")),
        ox.Triple(default_graph, ox.NamedNode(VOID + "triples"), ox.Literal(str(stats.triples), datatype=_XSD_INTEGER)),
    ]
    for name, count in sorted(stats.graphs.items()):
        named, graph = ox.BlankNode(), ox.BlankNode()
        triples += [
            ox.Triple(dataset, _sd("namedGraph"), named),
            ox.Triple(named, RDF_TYPE, _sd("NamedGraph")),
            ox.Triple(named, _sd("name"), ox.NamedNode(name)),
            ox.Triple(named, _sd("graph"), graph),
            ox.Triple(graph, RDF_TYPE, _sd("Graph")),
            ox.Triple(graph, ox.NamedNode(VOID + "triples"), ox.Literal(str(count), datatype=_XSD_INTEGER)),
        ]
    return triples


def graph_store_triples(service: ox.NamedNode, graph_store: str) -> list[ox.Triple]:
    """The Graph Store beside the endpoint: the SD vocabulary has no term for the Graph Store
    Protocol, so it is described as the catalogue does, a dcat:DataService conforming to it."""
    store = ox.NamedNode(f"{graph_store}#service")
    return [
        ox.Triple(service, RDFS_SEE_ALSO, store),
        ox.Triple(store, RDF_TYPE, ox.NamedNode(DCAT + "DataService")),
        ox.Triple(store, ox.NamedNode(DCTERMS + "title"), ox.Literal("kgraph Graph Store (SPARQL 1.1 Graph Store HTTP Protocol)")),
        ox.Triple(store, ox.NamedNode(DCAT + "endpointURL"), ox.NamedNode(graph_store)),
        ox.Triple(store, ox.NamedNode(DCTERMS + "conformsTo"), ox.NamedNode(GRAPH_STORE_PROTOCOL)),
    ]


PREFIXES = {"sd": SD, "void": VOID, "dcterms": DCTERMS, "formats": FORMATS, "dcat": DCAT}


def serialise(triples: list[ox.Triple], media_type: str) -> bytes:
    """The description in an RDF media type (canonical, see negotiation.RDF_SERIALISERS)."""
    fmt = getattr(ox.RdfFormat, negotiation.serialiser_name(media_type))
    try:
        return ox.serialize(triples, format=fmt, prefixes=PREFIXES)
    except (TypeError, ValueError):
        # N-Triples/N-Quads take no prefixes.
        return ox.serialize(triples, format=fmt)


STATISTICS_QUERY = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
