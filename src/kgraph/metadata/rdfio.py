"""Writing metadata graphs in the RDF formats the web layer negotiates.

The media types and pyoxigraph serialisers are those of kgraph.sparql.negotiation (one table for
the whole app); this adds the file extensions of the `.ttl`-style URL variants and prefixes so
Turtle, TriG and RDF/XML stay readable.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from kgraph.metadata.terms import PREFIXES
from kgraph.namespaces import dataset_prefixes
from kgraph.sparql import negotiation

# URL extension -> media type (the `.html` variant is the web layer's business).
EXTENSIONS: dict[str, str] = {
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "rdf": "application/rdf+xml",
    "nq": "application/n-quads",
    "trig": "application/trig",
}
EXTENSION_OF = {media_type: extension for extension, media_type in EXTENSIONS.items()}

_WITH_PREFIXES = {"text/turtle", "application/trig", "application/rdf+xml"}


def prefixes(base: str, triples: Iterable[ox.Triple] | None = None) -> dict[str, str]:
    """Standard, metadata and dataset prefixes for a base; with triples, only those they use
    (pyoxigraph declares every prefix it is given, used or not)."""
    known = {**PREFIXES, **dataset_prefixes(base)}
    if triples is None:
        return known
    used = set()
    for triple in triples:
        for term in (triple.subject, triple.predicate, triple.object):
            if isinstance(term, ox.NamedNode):
                used.add(term.value)
            elif isinstance(term, ox.Literal):
                used.add(term.datatype.value)
    return {name: ns for name, ns in known.items() if any(value.startswith(ns) for value in used)}


def canonical_triples(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """The triples with RDFC-1.0 canonical blank node labels, in a fixed order.

    The metadata builders make blank nodes with random labels (ox.BlankNode()) and read others
    from rdflib or a CONSTRUCT, which label them anew in every process: without this, the same
    catalogue came out with other labels, hence another body and ETag, in each gunicorn worker.
    """
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted((ox.Triple(q.subject, q.predicate, q.object) for q in dataset), key=str)


def serialise(triples: Iterable[ox.Triple], media_type: str, base: str) -> bytes:
    """The triples in a canonical RDF media type of negotiation.RDF_SERIALISERS: the same bytes
    for the same graph in every process (canonical blank nodes, sorted)."""
    fmt = getattr(ox.RdfFormat, negotiation.serialiser_name(media_type))
    triples = canonical_triples(triples)
    if media_type in _WITH_PREFIXES:
        return ox.serialize(triples, format=fmt, prefixes=prefixes(base, triples))
    return ox.serialize(triples, format=fmt)
