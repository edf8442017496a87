"""The RDF formats a /doc/ is served in, by media type and file extension, and their serialisation."""

from __future__ import annotations

from dataclasses import dataclass

import io

import pyoxigraph as ox

from kgraph.build import jsonld
from kgraph.namespaces import all_prefixes


@dataclass(frozen=True)
class RdfFormat:
    """One serialisation of a /doc/ graph."""

    name: str
    extension: str
    media_type: str
    oxigraph: str  # attribute of pyoxigraph.RdfFormat


FORMATS: tuple[RdfFormat, ...] = (
    RdfFormat("Turtle", "ttl", "text/turtle", "TURTLE"),
    RdfFormat("JSON-LD", "jsonld", "application/ld+json", "JSON_LD"),
    RdfFormat("N-Triples", "nt", "application/n-triples", "N_TRIPLES"),
    RdfFormat("RDF/XML", "rdf", "application/rdf+xml", "RDF_XML"),
)
BY_EXTENSION = {f.extension: f for f in FORMATS}
BY_MEDIA_TYPE = {f.media_type: f for f in FORMATS}
HTML_EXTENSION = "html"


def serialise(triples: list[ox.Triple], media_type: str, base: str) -> bytes:
    """The triples in a format, with the dataset's prefixes where the format has prefixes.

    IRIs are written in full (no base IRI): the RDF keeps the canonical IRIs whatever host served it.
    """
    fmt = BY_MEDIA_TYPE[media_type]
    if fmt.oxigraph == "JSON_LD":
        # Compact JSON-LD with the dump's own @context (prefixes, id, type, a label language map):
        # pyoxigraph writes expanded JSON-LD only. Statements of a subject come together (describe sorts).
        out = io.BytesIO()
        jsonld.write(sorted(triples, key=lambda t: str(t.subject)), all_prefixes(base), out)
        return out.getvalue()
    prefixes = all_prefixes(base) if fmt.oxigraph in ("TURTLE", "RDF_XML", "JSON_LD") else None
    return ox.serialize(triples, format=getattr(ox.RdfFormat, fmt.oxigraph), prefixes=prefixes)
