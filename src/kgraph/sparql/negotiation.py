"""Content negotiation for the SPARQL endpoint, as lookup tables plus one pure function.

The tables say which media types each kind of result can be written in (and which pyoxigraph
serialiser writes it); `choose` picks one from an Accept header, honouring q-values and
specificity (an explicit `text/csv` beats `text/*`, which beats `*/*`), or from a `format`
parameter, which overrides the header. Nothing here knows about Flask or the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

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


@dataclass(frozen=True)
class MediaRange:
    """One element of an Accept header."""

    type: str
    subtype: str
    q: float

    @property
    def specificity(self) -> int:
        """2 for type/subtype, 1 for type/*, 0 for */*."""
        if self.type == "*":
            return 0
        return 1 if self.subtype == "*" else 2

    def matches(self, media_type: str) -> bool:
        """Whether this range covers a concrete media type."""
        kind, _, sub = media_type.partition("/")
        return self.type == "*" or (self.type == kind and self.subtype in ("*", sub))


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header; a missing or empty header means */*.

    Malformed elements are skipped rather than rejected: a client sending junk gets the default.
    """
    if not header or not header.strip():
        return [MediaRange("*", "*", 1.0)]
    ranges = []
    for element in header.split(","):
        parts = [p.strip() for p in element.split(";")]
        kind, slash, sub = parts[0].lower().partition("/")
        if not slash or not kind or not sub or (kind == "*" and sub != "*"):
            continue
        q = 1.0
        for param in parts[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0  # an unreadable q-value: treat as not acceptable, the safe reading
        ranges.append(MediaRange(kind, sub, q))
    return ranges


def _quality(ranges: Sequence[MediaRange], media_type: str) -> tuple[float, int]:
    """q-value and specificity of the most specific range matching a media type (RFC 9110 12.5.1)."""
    best: MediaRange | None = None
    for media_range in ranges:
        if media_range.matches(media_type) and (best is None or media_range.specificity > best.specificity):
            best = media_range
    return (best.q, best.specificity) if best else (0.0, -1)


def choose(accept_header: str | None, available: Sequence[str], format_param: str | Iterable[str] | None = None) -> str | None:
    """The media type to answer with, from `available` (in server preference order), or None for 406.

    A `format` parameter (a short name like "json"/"turtle" or a media type; several values may be
    given, the first usable one wins) overrides the Accept header. Otherwise the available type with
    the highest q-value wins; ties go to the type matched by the more specific range, then to the
    server's order.
    """
    values = [format_param] if isinstance(format_param, str) else list(format_param or [])
    values = [v.strip().lower() for v in values if v and v.strip()]
    if values:
        graphs = any(t in RDF_SERIALISERS for t in available)
        for value in values:
            candidate = value if "/" in value else None
            if candidate is None and value in _FORMAT_NAMES:
                candidate = _FORMAT_NAMES[value][1 if graphs else 0]
            if candidate and candidate in available:
                return candidate
        return None
    ranges = parse_accept(accept_header)
    best: tuple[float, int, int] | None = None
    chosen = None
    for index, media_type in enumerate(available):
        q, specificity = _quality(ranges, media_type)
        if q <= 0:
            continue
        key = (q, specificity, -index)
        if best is None or key > best:
            best, chosen = key, media_type
    return chosen


def canonical(media_type: str, kind: str) -> str:
    """The media type a serialiser writes for an offered (possibly alias) media type."""
    graphs = kind in (GRAPH, SERVICE_DESCRIPTION)
    if (media_type, graphs) in _GENERIC:
        return _GENERIC[(media_type, graphs)]
    return ALIASES.get(media_type) or media_type


def negotiate(kind: str, accept_header: str | None, format_param: str | Iterable[str] | None = None) -> str | None:
    """The canonical media type for a kind of result (SOLUTIONS, BOOLEAN, GRAPH, ...), or None (406)."""
    offered = OFFERS[kind]
    if format_param is not None and not isinstance(format_param, str):
        format_param = list(format_param)
    if format_param:
        # A format parameter names canonical types, so offer those (alias-free) to it.
        canon = tuple(dict.fromkeys(canonical(t, kind) for t in offered))
        picked = choose(None, canon, format_param)
        if picked is None:
            picked = choose(None, offered, format_param)
    else:
        picked = choose(accept_header, offered)
    return canonical(picked, kind) if picked else None


def serialiser_name(media_type: str) -> str:
    """The pyoxigraph format attribute (e.g. 'JSON', 'TURTLE') writing a canonical media type."""
    return RESULTS_SERIALISERS.get(media_type) or RDF_SERIALISERS[media_type]


def content_type_header(media_type: str) -> str:
    """The Content-Type header value: UTF-8 stated for the textual formats."""
    if media_type in ("application/sparql-results+json", "application/ld+json", "application/n-triples", "application/n-quads"):
        return media_type  # JSON and N-Triples/N-Quads are UTF-8 by definition
    return f"{media_type}; charset=utf-8"


def wants_html(accept_header: str | None) -> bool:
    """Whether a client (a browser) prefers an HTML page over any RDF serialisation."""
    html = choose(accept_header, ("text/html", *OFFERS[GRAPH]))
    return html == "text/html" and _quality(parse_accept(accept_header), "text/html")[1] == 2
