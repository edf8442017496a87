"""Content negotiation: an Accept header or a `format` parameter against kgraph's tables.

Matching is werkzeug's MIMEAccept.best_match (q-values, and at equal q the more specific range:
an explicit `text/csv` beats `text/*`, which beats `*/*`; a tie goes to the server's order). What
is offered, the aliases clients ask for and the `format` short names are kgraph's own tables, in
kgraph.sparql.negotiation (plain data, shared with the query workers).
"""

from __future__ import annotations

from typing import Iterable, Sequence

from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

from kgraph.sparql.negotiation import (  # noqa: F401 (re-exported: one place to negotiate from)
    BOOLEAN,
    FORMAT_PARAMS,
    GRAPH,
    OFFERS,
    RDF_SERIALISERS,
    RESULTS_SERIALISERS,
    SERVICE_DESCRIPTION,
    SOLUTIONS,
    canonical,
    content_type_header,
    format_type,
    serialiser_name,
)

HTML = "text/html"


def parse_accept(header: str | None) -> MIMEAccept:
    """The Accept header as werkzeug's MIMEAccept; missing or empty means */*.

    Media-type parameters other than q are dropped (`text/turtle; charset=utf-8` asks for Turtle);
    elements werkzeug cannot read (no slash, a bad q) match nothing, so junk gets the default.
    """
    parsed = parse_accept_header(header if header and header.strip() else "*/*", MIMEAccept)
    return MIMEAccept([(value.split(";", 1)[0].strip().lower(), q) for value, q in parsed])


def _format_values(format_param: str | Iterable[str] | None) -> list[str]:
    values = [format_param] if isinstance(format_param, str) else list(format_param or [])
    return [v.strip().lower() for v in values if v and v.strip()]


def choose(accept_header: str | None, available: Sequence[str], format_param: str | Iterable[str] | None = None) -> str | None:
    """The media type to answer with, from `available` (in server preference order), or None for 406.

    A `format` parameter (a short name like "json"/"turtle" or a media type; several values may be
    given, the first usable one wins) overrides the Accept header.
    """
    values = _format_values(format_param)
    if values:
        kind = GRAPH if any(t in RDF_SERIALISERS for t in available) else SOLUTIONS
        for value in values:
            candidate = format_type(value, kind)
            if candidate and candidate in available:
                return candidate
        return None
    return parse_accept(accept_header).best_match(available)


def negotiate(kind: str, accept_header: str | None, format_param: str | Iterable[str] | None = None) -> str | None:
    """The canonical media type for a kind of result (SOLUTIONS, BOOLEAN, GRAPH, ...), or None (406)."""
    offered = OFFERS[kind]
    values = _format_values(format_param)
    if values:
        # A format parameter names canonical types, so offer those (alias-free) to it first.
        canon = tuple(dict.fromkeys(canonical(t, kind) for t in offered))
        picked = choose(None, canon, values) or choose(None, offered, values)
    else:
        picked = choose(accept_header, offered)
    return canonical(picked, kind) if picked else None


def wants_html(accept_header: str | None) -> bool:
    """Whether a client (a browser) names HTML and prefers it over any RDF serialisation."""
    accept = parse_accept(accept_header)
    named = any(value == HTML and q > 0 for value, q in accept)
    return named and choose(accept_header, (HTML, *OFFERS[GRAPH])) == HTML
