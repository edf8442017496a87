"""Graph names by release: what a public graph IRI is called in the engine, both ways.

A release published as tag T keeps every public graph G in the engine graph `G#kgraph-release-T`
(G + SUFFIX). A suffix, not a new namespace, keeps STRSTARTS / CONTAINS / REGEX on graph IRIs
working. The graph IRIs also occur as resources (`<dataset> dcterms:hasPart <graph>`), so the
data is loaded with every term equal to a release graph IRI renamed the same way, and so is
every such IRI in a query text: joins, VALUES and FILTER(?g = <G>) stay consistent. Answers are
mapped back by removing the suffix from the engine's bytes (it is plain ASCII that no
serialisation escapes), before they are parsed and written again.

Limits (README): a string built from a graph IRI inside the query (STR(?g) compared to a
literal, STRLEN, a hash of it) sees the engine name; a literal in the data that contains the
suffix itself would be shortened on the way out (the tag holds the release's version hash, so
no real data does).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterable, Iterator, Mapping
from urllib.parse import urljoin

import pyoxigraph as ox

from kgraph.sparql.lexer import tokenize, unescape

MARK = "kgraph-release-"
UNION = "urn:kgraph:union"
_TAG = re.compile(r"^[A-Za-z0-9._-]{1,80}$")
_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


class NamingError(ValueError):
    """A graph IRI or tag the mapping cannot carry (a fragment already, a bad tag)."""


def suffix(tag: str) -> str:
    """The suffix of every engine graph name of the release published as `tag`."""
    if not _TAG.match(tag):
        raise NamingError(f"a release tag is letters, digits, '.', '_' and '-' only: {tag!r}")
    return f"#{MARK}{tag}"


@dataclass(frozen=True)
class GraphNames:
    """The public graph IRIs of one published release and their engine names."""

    tag: str
    public: tuple[str, ...]
    _engine: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)
    union_base: str = UNION  # the default graph's name before the suffix (the history has its own)

    @classmethod
    def of(cls, tag: str, public: Iterable[str], union: str = UNION) -> "GraphNames":
        """The names for a release's graphs; NamingError if one already has a fragment."""
        end = suffix(tag)
        graphs = tuple(sorted(set(public)))
        for graph in graphs:
            if "#" in graph:
                raise NamingError(f"graph <{graph}> has a fragment; engine graph names add one (#{MARK}...)")
        return cls(tag, graphs, {graph: graph + end for graph in graphs}, union)

    @property
    def suffix(self) -> str:
        return suffix(self.tag)

    @cached_property
    def engine(self) -> tuple[str, ...]:
        """The engine graph names, in the order of `public` (made once: every query names them)."""
        return tuple(self._engine[g] for g in self.public)

    @property
    def union(self) -> str:
        """The engine graph holding every statement of the release once: the default graph of a
        query without FROM (one graph, not a list: engines plan a list of graphs much more slowly)."""
        return f"{self.union_base}{self.suffix}"

    @property
    def all(self) -> tuple[str, ...]:
        """Every engine graph of the release: the named ones and the union."""
        return (*self.engine, self.union)

    def to_engine(self, iri: str) -> str:
        """The engine name of a release graph IRI; any other IRI unchanged."""
        return self._engine.get(iri, iri)

    def to_public(self, data: bytes) -> bytes:
        """An engine answer with the release's engine names turned back into public ones."""
        return data.replace(self.suffix.encode(), b"")

    # -- data
    def term(self, term: ox.NamedNode | ox.BlankNode | ox.Literal) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        """A term of the data as the engine stores it."""
        if isinstance(term, ox.NamedNode) and term.value in self._engine:
            return ox.NamedNode(self._engine[term.value])
        return term

    def triples(self, quads: Iterable[ox.Quad]) -> Iterator[ox.Triple]:
        """The triples of a graph's quads, with graph IRIs in them renamed (quoted triples untouched)."""
        term = self.term
        for quad in quads:
            yield ox.Triple(term(quad.subject), quad.predicate, term(quad.object))

    # -- query texts
    def rewrite(self, text: str) -> str:
        """A query or update text with every IRI (or prefixed name, after PREFIX / BASE) that is a
        release graph written as its engine name. Declarations themselves are left alone."""
        if not self._engine:
            return text
        out: list[str] = []
        last = 0
        prefixes: dict[str, str] = {}
        base = ""
        tokens = list(tokenize(text))
        skip = -1
        for i, token in enumerate(tokens):
            if i <= skip:
                continue
            upper = token.text.upper() if token.kind in ("word", "pname") else ""
            if token.kind == "word" and upper == "PREFIX" and i + 2 < len(tokens):
                name, iri = tokens[i + 1], tokens[i + 2]
                if name.kind == "pname" and iri.kind == "iri" and name.text.endswith(":"):
                    prefixes[name.text[:-1]] = _resolve(base, iri.text)
                skip = i + 2
                continue
            if token.kind == "pname" and upper.startswith("PREFIX") and i + 1 < len(tokens) \
                    and tokens[i + 1].kind == "iri" and token.text.endswith(":"):  # PREFIXex: <...> (glued)
                prefixes[token.text[6:-1]] = _resolve(base, tokens[i + 1].text)
                skip = i + 1
                continue
            if token.kind == "word" and upper == "BASE" and i + 1 < len(tokens) and tokens[i + 1].kind == "iri":
                base = _resolve(base, tokens[i + 1].text)
                skip = i + 1
                continue
            iri = None
            if token.kind == "iri":
                iri = _resolve(base, token.text)
            elif token.kind == "pname":
                prefix, _, local = token.text.partition(":")
                if prefix in prefixes:
                    iri = prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
            if iri is not None and iri in self._engine:
                out.append(text[last:token.start])
                out.append(f"<{self._engine[iri]}>")
                last = token.start + len(token.text)
        out.append(text[last:])
        return "".join(out)


def _resolve(base: str, iri_token: str) -> str:
    iri = unescape(iri_token[1:-1])
    return urljoin(base, iri) if base and not _ABSOLUTE.match(iri) else iri


def has_relative_iri(text: str) -> bool:
    """Whether a text has an IRI token that is relative and no BASE of its own."""
    relative = False
    for token in tokenize(text):
        if token.kind == "word" and token.text.upper() == "BASE":
            return False
        if token.kind == "iri" and not _ABSOLUTE.match(unescape(token.text[1:-1])):
            relative = True
    return relative
