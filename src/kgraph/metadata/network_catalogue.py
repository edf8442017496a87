"""The network exports of a release (kgraph.build.network) as DCAT-AP distributions of the dataset.

Each export gets what a dump's distribution has (download URL, media type, size, SHA-256,
licence), with a title and description saying what it is: the collaboration network of the
organisations, with measures per organisation.
"""

from __future__ import annotations

from typing import Any, Iterable

import pyoxigraph as ox

from kgraph.metadata import terms as t
from kgraph.metadata.dcat import distribution_iri, dump_url, file_facts

T, L = ox.Triple, ox.Literal

WHAT = {
    "network.graphml": ("GraphML", "het samenwerkingsnetwerk van de organisaties, met maten (Gephi, networkx)",
                        "the organisations' collaboration network, with measures (Gephi, networkx)"),
    "network.gexf": ("GEXF", "het samenwerkingsnetwerk van de organisaties, met maten (Gephi)",
                     "the organisations' collaboration network, with measures (Gephi)"),
    "network-nodes.csv": ("CSV", "de organisaties van het netwerk: labels nl/en, soorten, graad, gewogen graad, "
                          "betweenness, gemeenschap",
                          "the network's organisations: labels nl/en, kinds, degree, weighted degree, betweenness, "
                          "community"),
    "network-edges.csv": ("CSV", "de paren organisaties met hun gedeelde activiteiten (gewicht)",
                          "the pairs of organisations with their shared activities (weight)"),
    "network-bipartite.csv": ("CSV", "organisaties en activiteiten: wie nam deel aan wat, in welke rol",
                              "organisations and activities: who took part in what, in which role"),
}


def network_distributions(base: str, dataset: ox.NamedNode, files: Iterable[dict[str, Any]],
                          modified: ox.Literal) -> list[ox.Triple]:
    """A dcat:Distribution of dataset for each network export described in the manifest."""
    triples: list[ox.Triple] = []
    for described in files:
        file = str(described["file"])
        name, nl, en = WHAT.get(file, (file, file, file))
        node, url = ox.NamedNode(distribution_iri(base, file)), ox.NamedNode(dump_url(base, file))
        triples += [
            T(dataset, t.iri("dcat", "distribution"), node),
            T(node, t.RDF_TYPE, t.iri("dcat", "Distribution")),
            T(node, t.iri("dcterms", "identifier"), L(node.value)),  # DCAT-AP Vlaanderen: on every distribution
            T(node, t.iri("dcterms", "title"), L(f"{file} ({name})", language="nl")),
            T(node, t.iri("dcterms", "title"), L(f"{file} ({name})", language="en")),
            T(node, t.iri("dcterms", "description"), L(f"{nl[0].upper()}{nl[1:]}.", language="nl")),
            T(node, t.iri("dcterms", "description"), L(f"{en[0].upper()}{en[1:]}.", language="en")),
            *file_facts(node, url, described, modified),
        ]
        extension = file.rsplit(".", 1)[-1]
        if extension in t.FILE_TYPES:
            triples.append(T(node, t.iri("dcterms", "format"), ox.NamedNode(t.FILE_TYPES[extension].iri)))
    return triples
