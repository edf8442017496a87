"""The RDF payload of a PUT or POST (GSP 5.3, 5.5): one graph serialisation, or several in the
parts of a multipart/form-data body, parsed into triples with the line and column of an error."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from kgraph.sparql.errors import PayloadSyntaxError, UnsupportedPayload

# Media type -> pyoxigraph format: the graph serialisations (a Graph Store graph is one graph, so
# no N-Quads or TriG). The aliases are the ones kgraph's negotiation accepts (text/n3: Turtle is N3).
PAYLOAD_FORMATS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/turtle": ox.RdfFormat.TURTLE,
    "text/n3": ox.RdfFormat.N3,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
_POSITION = re.compile(r"line (\d+) column (\d+)")


@dataclass(frozen=True)
class Payload:
    """One RDF document of a request: its bytes, media type and what to call it in an error."""

    data: bytes
    media_type: str
    name: str = "the request body"


def _parse(payload: Payload, base_iri: str | None) -> list[ox.Triple]:
    fmt = PAYLOAD_FORMATS.get(payload.media_type.lower())
    if fmt is None:
        offered = ", ".join(PAYLOAD_FORMATS)
        shown = payload.media_type or "no Content-Type"
        raise UnsupportedPayload(f"{payload.name} is {shown!r}; a graph is accepted as {offered}")
    try:
        quads = list(ox.parse(payload.data, format=fmt, base_iri=base_iri))
    except SyntaxError as exc:
        message = " ".join(str(exc).split())
        match = _POSITION.search(message)
        where = f" at line {match.group(1)}, column {match.group(2)}" if match else ""
        if match:  # the position is said once, in front
            message = message[match.end():].lstrip(": ") or message
        raise PayloadSyntaxError(f"{payload.name} ({payload.media_type}){where}: {message}") from None
    except ValueError as exc:  # e.g. bytes that are not UTF-8
        raise PayloadSyntaxError(f"{payload.name} ({payload.media_type}): {exc}") from None
    named = [q for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)]
    if named:
        raise PayloadSyntaxError(
            f"{payload.name} names the graph {named[0].graph_name}: a Graph Store request carries the "
            "triples of one graph, which the request URL names"
        )
    return [q.triple for q in quads]


def parse_payloads(payloads: Iterable[Payload], base_iri: str | None) -> list[ox.Triple]:
    """The triples of every payload (their RDF merge: blank nodes stay apart per document, as
    each parse gives its blank nodes fresh labels), relative IRIs resolved against `base_iri`."""
    triples: list[ox.Triple] = []
    for payload in payloads:
        triples += _parse(payload, base_iri)
    return triples
