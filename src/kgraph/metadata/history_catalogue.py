"""The history in the catalogue: the event stream as a dcat:DataService conforming to LDES, and
each release's change log (its members, N-Quads) as a distribution of the dataset."""

from __future__ import annotations

from typing import Any, Callable

import pyoxigraph as ox

from kgraph.metadata import terms as t

T = ox.Triple
L = ox.Literal
LDES_SPECIFICATION = "https://w3id.org/ldes/specification"
NQUADS = "application/n-quads"


def stream_service_iri(base: str) -> str:
    return f"{base}catalog#ldes"


def change_log_iri(base: str, stamp: str) -> str:
    return f"{base}catalog#changes-{stamp}"


def history_entries(base: str, manifest: dict[str, Any], catalog: ox.NamedNode, dataset: ox.NamedNode,
                    common: Callable[[ox.NamedNode], list[ox.Triple]], modified: ox.Literal) -> list[ox.Triple]:
    """The stream's DataService and one change-log distribution per release, for a release's
    manifest (nothing for a release built before the history was kept). `common(node)` gives
    what the catalogue's services share (publisher, contact, themes...), about node."""
    history = manifest.get("history")
    if not isinstance(history, dict):
        return []
    service = ox.NamedNode(stream_service_iri(base))
    triples = [
        T(catalog, t.iri("dcat", "service"), service),
        T(service, t.RDF_TYPE, t.iri("dcat", "DataService")),
        T(service, t.iri("dcterms", "title"), L("Linked Data Event Stream van kgraph", language="nl")),
        T(service, t.iri("dcterms", "title"), L("kgraph Linked Data Event Stream", language="en")),
        T(service, t.iri("dcterms", "description"), L(
            "Elke release als versies van haar resources (LDES 1.0, TREE): wat er veranderde, toegevoegd "
            "of verwijderd werd, zodat een kopie bij blijft zonder alles opnieuw te downloaden.", language="nl")),
        T(service, t.iri("dcterms", "description"), L(
            "Every release as versions of its resources (LDES 1.0, TREE): what was changed, added or "
            "removed, so that a mirror stays in sync without downloading everything again.", language="en")),
        T(service, t.iri("dcat", "endpointURL"), ox.NamedNode(f"{base}ldes")),
        T(service, t.iri("dcat", "endpointDescription"), ox.NamedNode(f"{base}ldes")),
        T(service, t.iri("dcterms", "conformsTo"), ox.NamedNode(LDES_SPECIFICATION)),
        T(service, t.iri("dcat", "servesDataset"), dataset),
        T(service, t.iri("dcterms", "license"), ox.NamedNode(t.LICENCE)),
        T(service, t.iri("dcterms", "modified"), modified),
        *common(service),
        T(ox.NamedNode(LDES_SPECIFICATION), t.RDF_TYPE, t.iri("dcterms", "Standard")),
        T(ox.NamedNode(LDES_SPECIFICATION), t.iri("dcterms", "title"), L("Linked Data Event Streams 1.0", language="en")),
    ]
    for stamp in history.get("releases", [history.get("stamp")]):
        node = ox.NamedNode(change_log_iri(base, stamp))
        url = ox.NamedNode(f"{base}ldes/release/{stamp}.nq")
        triples += [
            T(dataset, t.iri("dcat", "distribution"), node),
            T(node, t.RDF_TYPE, t.iri("dcat", "Distribution")),
            T(node, t.iri("dcterms", "title"), L(f"Wijzigingen in de release {stamp} (N-Quads)", language="nl")),
            T(node, t.iri("dcterms", "title"), L(f"Changes in the release {stamp} (N-Quads)", language="en")),
            T(node, t.iri("dcterms", "description"), L(
                "De nieuwe versies en verwijderingen van deze release: de leden van de event stream.", language="nl")),
            T(node, t.iri("dcterms", "description"), L(
                "The new versions and removals of this release: its members of the event stream.", language="en")),
            T(node, t.iri("dcat", "accessURL"), url),
            T(node, t.iri("dcat", "downloadURL"), url),
            T(node, t.iri("dcat", "mediaType"), ox.NamedNode(t.media_type_iri(NQUADS))),
            T(node, t.iri("dcterms", "format"), ox.NamedNode(t.FILE_TYPES["nq"].iri)),
            T(node, t.iri("dcterms", "license"), ox.NamedNode(t.LICENCE)),
            T(node, t.iri("dcterms", "issued"), L(_xsd_datetime(stamp), datatype=t.iri("xsd", "dateTime"))),
            T(node, t.iri("dcatap", "availability"), ox.NamedNode(t.STABLE.iri)),
            T(node, t.iri("dcat", "accessService"), service),
        ]
    triples += t.media_type_triples(NQUADS)
    return triples


def _xsd_datetime(stamp: str) -> str:
    # 20181231T000000Z -> 2018-12-31T00:00:00Z
    return f"{stamp[0:4]}-{stamp[4:6]}-{stamp[6:8]}T{stamp[9:11]}:{stamp[11:13]}:{stamp[13:15]}Z"
