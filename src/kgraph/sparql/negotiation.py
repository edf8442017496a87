"""kgraph's own content-negotiation tables, as plain data: which media types each kind of result
is written in (and by which pyoxigraph serialiser), the aliases clients ask for, and the short
names of the `format` parameter.

Matching an Accept header against them is HTTP's business: kgraph.web.negotiation does it with
werkzeug's MIMEAccept. Nothing here knows about HTTP, Flask or the store.
"""

from __future__ import annotations

# Kinds of result a query can produce.
SOLUTIONS = "solutions"  # SELECT
BOOLEAN = "boolean"  # ASK
GRAPH = "graph"  # CONSTRUCT / DESCRIBE
SERVICE_DESCRIPTION = "service-description"  # GET /sparql without a query (any RDF format)

# Canonical media type -> name of the pyoxigraph format (QueryResultsFormat / RdfFormat attribute).
RESULTS_SERIALISERS: dict[str, str] = {
    "application/sparql-results+json": "JSON",
    "application/sparql-results+xml": "XML",
    "text/csv": "CSV",
    "text/tab-separated-values": "TSV",
}
RDF_SERIALISERS: dict[str, str] = {
    "text/turtle": "TURTLE",
    "application/n-triples": "N_TRIPLES",
    "application/ld+json": "JSON_LD",
    "application/rdf+xml": "RDF_XML",
    "application/n-quads": "N_QUADS",
    "application/trig": "TRIG",
}

# Media types offered per kind, in the server's order of preference (first wins a tie).
# Aliases map to a canonical type: clients (browsers, SPARQLWrapper) ask for these names.
OFFERS: dict[str, tuple[str, ...]] = {
    SOLUTIONS: (
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
        "application/json",
        "application/xml",
        "text/xml",
        "text/javascript",
        "application/javascript",
    ),
    BOOLEAN: (
        "application/sparql-results+json",
        "application/sparql-results+xml",
        # As Apache Jena writes an ASK result: one column `_askResult`, one row true/false.
        "text/csv",
        "text/tab-separated-values",
        "application/json",
        "application/xml",
        "text/xml",
        "text/javascript",
        "application/javascript",
    ),
    GRAPH: (
        "text/turtle",
        "application/n-triples",
        "application/ld+json",
        "application/rdf+xml",
        "application/n-quads",
        "application/trig",
        "application/turtle",
        "application/x-turtle",
        "text/n3",
        "text/rdf+n3",
        "application/n3",
        "text/plain",
        "application/x-json+ld",
        "application/json",
        "application/xml",
        "text/xml",
    ),
}
OFFERS[SERVICE_DESCRIPTION] = OFFERS[GRAPH]

ALIASES: dict[str, str] = {
    "application/json": "",  # resolved per kind below
    "application/xml": "",
    "text/xml": "",
    "text/javascript": "application/sparql-results+json",
    "application/javascript": "application/sparql-results+json",
    "application/turtle": "text/turtle",
    "application/x-turtle": "text/turtle",
    "text/n3": "text/turtle",  # Turtle is a subset of N3: an N3 reader reads it
    "text/rdf+n3": "text/turtle",
    "application/n3": "text/turtle",
    "text/plain": "application/n-triples",
    "application/x-json+ld": "application/ld+json",
}
# application/json and XML mean the results format for SELECT/ASK, the RDF one for graphs.
_GENERIC = {
    ("application/json", False): "application/sparql-results+json",
    ("application/json", True): "application/ld+json",
    ("application/xml", False): "application/sparql-results+xml",
    ("application/xml", True): "application/rdf+xml",
    ("text/xml", False): "application/sparql-results+xml",
    ("text/xml", True): "application/rdf+xml",
}

# `format` parameter values (as SPARQLWrapper, YASGUI and humans send them) -> media type per kind.
_FORMAT_NAMES: dict[str, tuple[str | None, str | None]] = {
    # name: (for SELECT/ASK, for CONSTRUCT/DESCRIBE)
    "json": ("application/sparql-results+json", "application/ld+json"),
    "srj": ("application/sparql-results+json", None),
    "xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "srx": ("application/sparql-results+xml", None),
    "csv": ("text/csv", None),
    "tsv": ("text/tab-separated-values", None),
    "turtle": (None, "text/turtle"),
    "ttl": (None, "text/turtle"),
    "n3": (None, "text/turtle"),
    "nt": (None, "application/n-triples"),
    "ntriples": (None, "application/n-triples"),
    "n-triples": (None, "application/n-triples"),
    "jsonld": (None, "application/ld+json"),
    "json-ld": (None, "application/ld+json"),
    "rdf": (None, "application/rdf+xml"),
    "rdfxml": (None, "application/rdf+xml"),
    "rdf+xml": (None, "application/rdf+xml"),
    "nq": (None, "application/n-quads"),
    "nquads": (None, "application/n-quads"),
    "n-quads": (None, "application/n-quads"),
    "trig": (None, "application/trig"),
}

FORMAT_PARAMS = ("format", "output", "results")  # SPARQLWrapper repeats the format in all three


def format_type(value: str, kind: str) -> str | None:
    """The media type a `format` parameter value names for a kind of result (a short name like
    "json"/"turtle", or a media type itself), or None when it names nothing for that kind."""
    value = value.strip().lower()
    if "/" in value:
        return value
    names = _FORMAT_NAMES.get(value)
    return names[1 if kind in (GRAPH, SERVICE_DESCRIPTION) else 0] if names else None


def offered_types(kind: str) -> list[str]:
    """The canonical media types a kind of result is written in, in the server's order."""
    return list(dict.fromkeys(canonical(t, kind) for t in OFFERS.get(kind, ())))


def canonical(media_type: str, kind: str) -> str:
    """The media type a serialiser writes for an offered (possibly alias) media type."""
    graphs = kind in (GRAPH, SERVICE_DESCRIPTION)
    if (media_type, graphs) in _GENERIC:
        return _GENERIC[(media_type, graphs)]
    return ALIASES.get(media_type) or media_type


def serialiser_name(media_type: str) -> str:
    """The pyoxigraph format attribute (e.g. 'JSON', 'TURTLE') writing a canonical media type."""
    return RESULTS_SERIALISERS.get(media_type) or RDF_SERIALISERS[media_type]


def content_type_header(media_type: str) -> str:
    """The Content-Type header value: UTF-8 stated for the textual formats."""
    if media_type in ("application/sparql-results+json", "application/ld+json", "application/n-triples", "application/n-quads"):
        return media_type  # JSON and N-Triples/N-Quads are UTF-8 by definition
    return f"{media_type}; charset=utf-8"


