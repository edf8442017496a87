"""A named query's parameters from request values: checked by their declared type and turned into
RDF terms (pyoxigraph NamedNode / Literal), which the executor binds by substitution. A value is
never put into the query text, so no value can change what the query does."""

from __future__ import annotations

from typing import Mapping

import pyoxigraph as ox

from kgraph.named_queries import LANGUAGES, NamedQuery
from kgraph.querying import QueryError as ValueProblem, term_value
from kgraph.sparql.errors import InvalidParameter

PAGING = ("limit", "offset")
DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000


def _whole(name: str, raw: str | None, default: int, low: int, high: int) -> int:
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise InvalidParameter(f"parameter {name!r}: expected a whole number from {low} to {high}, got {raw[:60]!r}")
    return int(raw)


def paging(given: Mapping[str, str]) -> tuple[int, int]:
    """(limit, offset) from the request values; InvalidParameter naming the parameter if malformed."""
    return (_whole("limit", given.get("limit"), DEFAULT_LIMIT, 1, MAX_LIMIT),
            _whole("offset", given.get("offset"), 0, 0, 10**9))


def language(given: Mapping[str, str]) -> str:
    """The language of the answer's labels (`lang`, nl by default); InvalidParameter if not nl or en."""
    lang = given.get("lang") or "nl"
    if lang not in LANGUAGES:
        raise InvalidParameter(f"parameter 'lang': expected one of {', '.join(LANGUAGES)}, got {lang[:60]!r}")
    return lang


def bindings(query: NamedQuery, given: Mapping[str, str], base: str) -> dict[str, ox.NamedNode | ox.Literal]:
    """Terms for the query's parameters (given values, else defaults); unknown names refused."""
    known = {p.name: p for p in query.parameters}
    unknown = sorted(set(given) - set(known) - set(PAGING) - {"lang"})
    if unknown:
        expected = ", ".join([*known, *PAGING, "lang"])
        raise InvalidParameter(f"unknown parameter(s) for {query.name}: {', '.join(unknown)[:200]} (expected {expected})")
    bound: dict[str, ox.NamedNode | ox.Literal] = {}
    for name, parameter in known.items():
        raw = given.get(name) or parameter.default
        if raw is None:
            continue
        if "\x00" in raw or len(raw) > 2000:
            raise InvalidParameter(f"parameter {name!r} ({parameter.type}): value too long or with a NUL character")
        try:
            term = term_value(parameter, raw, base)
        except ValueProblem as exc:
            raise InvalidParameter(str(exc)) from None
        if isinstance(term, ox.NamedNode) and not _absolute(term.value):
            raise InvalidParameter(f"parameter {name!r} (iri): {raw[:60]!r} is not an IRI (e.g. organisatie:gent or <https://…>)")
        bound[name] = term
    return bound


def _absolute(iri: str) -> bool:
    scheme, colon, rest = iri.partition(":")
    return bool(colon and scheme and scheme[0].isalpha() and rest)
