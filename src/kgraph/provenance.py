"""What the dataset says about itself: what it was built from, when, and which version."""

from __future__ import annotations

import datetime as dt

import pyoxigraph as ox

from kgraph.namespaces import STANDARD_PREFIXES as NS

# The Flemish open data portal's CC0 licence (../shared/standards/README.md): the one licence
# constant (the dataset, the catalogue, the Link header of every response all say this IRI).
LICENCE = "https://data.vlaanderen.be/id/licentie/creative-commons-zero-verklaring/v1.0"
DATASET_REF = "kgraph"

REPORTS = """
PREFIX schema: <http://schema.org/>
SELECT ?report WHERE { ?report a schema:Report } ORDER BY ?report
"""


def _iri(prefix: str, local: str) -> ox.NamedNode:
    return ox.NamedNode(NS[prefix] + local)


def dataset_iri(base: str) -> str:
    """The IRI of the dataset kgraph publishes."""
    return f"{base}id/dataset/{DATASET_REF}"


def dataset_metadata(
    store: ox.Store,
    *,
    base: str,
    graph: str,
    version: str,
    modified: dt.datetime,
    graphs: list[str],
) -> list[ox.Quad]:
    """Quads describing the dataset: derived from the reports in store, at modified, version.

    `modified` is the input's own date (not the wall clock) so that identical input gives
    identical output.
    """
    dataset = ox.NamedNode(dataset_iri(base))
    g = ox.NamedNode(graph)
    rdf_type = _iri("rdf", "type")
    stamp = ox.Literal(modified.isoformat(), datatype=_iri("xsd", "dateTime"))
    statements: list[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]] = [
        (dataset, rdf_type, _iri("dcat", "Dataset")),
        (dataset, rdf_type, _iri("void", "Dataset")),
        (dataset, rdf_type, _iri("prov", "Entity")),
        (dataset, _iri("rdfs", "label"), ox.Literal("Kenniscentrum Vlaamse Steden: werking als kennisgraaf", language="nl")),
        (dataset, _iri("rdfs", "label"), ox.Literal("Kenniscentrum Vlaamse Steden: activities as a knowledge graph", language="en")),
        (dataset, _iri("dcterms", "title"), ox.Literal("Kenniscentrum Vlaamse Steden: werking als kennisgraaf", language="nl")),
        (dataset, _iri("dcterms", "title"), ox.Literal("Kenniscentrum Vlaamse Steden: activities as a knowledge graph", language="en")),
        (dataset, _iri("dcterms", "description"), ox.Literal(
            "Activiteiten, organisaties, evenementen, documenten, personen, plaatsen en bedragen uit de "
            "jaarverslagen van het Kenniscentrum Vlaamse Steden, als linked open data.", language="nl")),
        (dataset, _iri("dcterms", "description"), ox.Literal(
            "Activities, organisations, events, documents, people, places and amounts from the annual "
            "reports of the Kenniscentrum Vlaamse Steden, as linked open data.", language="en")),
        (dataset, _iri("dcterms", "license"), ox.NamedNode(LICENCE)),
        (dataset, _iri("dcterms", "publisher"), ox.NamedNode(f"{base}id/organisatie/kenniscentrum-vlaamse-steden")),
        (dataset, _iri("dcterms", "modified"), stamp),
        (dataset, _iri("prov", "generatedAtTime"), stamp),
        (dataset, _iri("owl", "versionInfo"), ox.Literal(version)),
        (dataset, _iri("void", "uriSpace"), ox.Literal(f"{base}id/")),
        (dataset, _iri("void", "vocabulary"), ox.NamedNode(f"{base}ns/kgraph")),
    ]
    for solution in store.query(REPORTS, use_default_graph_as_union=True):
        report = solution["report"]
        statements.append((dataset, _iri("prov", "wasDerivedFrom"), report))
        statements.append((dataset, _iri("dcterms", "source"), report))
    for name in graphs:
        statements.append((dataset, _iri("dcterms", "hasPart"), ox.NamedNode(name)))
    return [ox.Quad(s, p, o, g) for s, p, o in statements]
