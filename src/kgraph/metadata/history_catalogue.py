"""The history in the catalogue: each release's change log (its members, N-Quads) as a
distribution of the dataset, with the event stream (a row of kgraph.metadata.services) as its
access service."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from kgraph.metadata import terms as t

T = ox.Triple
L = ox.Literal
NQUADS = "application/n-quads"


def stream_service_iri(base: str) -> str:
    return f"{base}ldes#service"


def change_log_iri(base: str, stamp: str) -> str:
    return f"{base}catalog#changes-{stamp}"


def history_entries(base: str, manifest: dict[str, Any], dataset: ox.NamedNode) -> list[ox.Triple]:
    """One change-log distribution per release, for a release's manifest (nothing for a release
    built before the history was kept)."""
    history = manifest.get("history")
    if not isinstance(history, dict):
        return []
    # The stream itself is a row of kgraph.metadata.services (with the other interfaces); this
    # module adds what only the history has: one change log per release, served by the stream.
    service = ox.NamedNode(stream_service_iri(base))
    triples: list[ox.Triple] = []
    for stamp in history.get("releases", [history.get("stamp")]):
        node = ox.NamedNode(change_log_iri(base, stamp))
        url = ox.NamedNode(f"{base}ldes/release/{stamp}.nq")
        triples += [
            T(dataset, t.iri("dcat", "distribution"), node),
            T(node, t.RDF_TYPE, t.iri("dcat", "Distribution")),
            T(node, t.iri("dcterms", "identifier"), L(node.value)),  # DCAT-AP Vlaanderen: on every distribution
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
