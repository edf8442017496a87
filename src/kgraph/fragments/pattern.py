"""A quad pattern from the parameters of a fragment URL, and its canonical query string.

The graph position has three meanings, as in @ldf/server's Quad Pattern Fragments:
- absent or a variable: any named graph (quads, each in its graph);
- DEFAULT_GRAPH (`urn:ldf:defaultGraph`, which the fragments declare as their `sd:defaultGraph`):
  the dataset's default graph, which kgraph defines as the union of its named graphs (the graph
  /sparql answers by default), so each matching triple once;
- an IRI: that named graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping
from urllib.parse import quote

import pyoxigraph as ox

from kgraph.fragments.skolem import unskolemise
from kgraph.fragments.terms import FragmentTermError, Term, parse_term, term_to_string

PARAMETERS = ("subject", "predicate", "object", "graph")
# quote(text, safe="") for ASCII text, by one str.translate (2 us against 4 for an IRI: a page's
# URL is made on every fragment request).
_ENCODED = {i: chr(i) if chr(i).isalnum() or chr(i) in "_.-~" else f"%{i:02X}" for i in range(128)}
DEFAULT_GRAPH = "urn:ldf:defaultGraph"


class _computed_once:
    """functools.cached_property without its lock: Python 3.11's takes one lock for every
    instance, on every first use, and eight threads of a server worker queued on it (py-spy).
    Two threads may both compute a value the first time: it is pure, either is kept."""

    def __init__(self, compute):
        self.compute = compute
        self.name = compute.__name__

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.compute(instance)  # found there from now on
        return value


@dataclass(frozen=True)
class Pattern:
    """Subject, predicate, object and graph of a fragment; None is a variable."""

    subject: ox.NamedNode | ox.BlankNode | None = None
    predicate: ox.NamedNode | None = None
    object: Term | None = None
    graph: ox.NamedNode | None = None

    @property
    def in_default_graph(self) -> bool:
        """Whether the pattern asks for the default graph (the union of the named graphs)."""
        return self.graph is not None and self.graph.value == DEFAULT_GRAPH

    def terms(self) -> dict[str, Term | None]:
        """Parameter name -> term (None: variable), in PARAMETERS order."""
        return dict(zip(PARAMETERS, (self.subject, self.predicate, self.object, self.graph)))

    def query_string(self) -> str:
        """The canonical query string of this pattern: bound terms only, in PARAMETERS order,
        every character but the unreserved ones percent-encoded (as an RFC 6570 `{?subject,…}`
        template expands them, so the URL a client builds from the search form is this one)."""
        return self._query_string

    def describe(self) -> str:
        """The pattern in SPARQL-like text, for titles and descriptions."""
        return self._description

    # A page's document names its pattern's URL five or six times (page, fragment, first, next,
    # last, metadata graph): worked out once per pattern (the dataclass is frozen, so the cached
    # values cannot go stale; they are not fields, so equality and hashing ignore them).
    @_computed_once
    def _query_string(self) -> str:
        parts = [f"{name}={_quote(term_to_string(term))}"
                 for name, term in self.terms().items() if term is not None]
        return "&".join(parts)

    @_computed_once
    def _description(self) -> str:
        shown = [str(term) if term is not None else f"?{name[0]}" for name, term in self.terms().items()]
        if self.graph is None:
            return "{ GRAPH ?g { %s %s %s } }" % tuple(shown[:3])
        if self.in_default_graph:
            return "{ %s %s %s }" % tuple(shown[:3])
        return "{ GRAPH %s { %s %s %s } }" % (shown[3], *shown[:3])


def _quote(text: str) -> str:
    return text.translate(_ENCODED) if text.isascii() else quote(text, safe="")


def parse_pattern(parameters: Mapping[str, str], genid: str | None = None) -> Pattern:
    """The pattern named by URL parameters (FragmentTermError naming the bad one). With `genid`
    (kgraph.fragments.skolem.genid_prefix), skolem IRIs under it name the store's blank nodes."""
    terms = {name: parse_term(name, parameters.get(name), literals=name == "object") for name in PARAMETERS}
    if genid:
        for name in ("subject", "object"):
            if terms[name] is None:
                continue
            term = unskolemise(terms[name], genid)
            if term is None:
                raise FragmentTermError(name, parameters.get(name, ""), "not a blank node label of this dataset")
            terms[name] = term
    subject, predicate, graph = terms["subject"], terms["predicate"], terms["graph"]
    for name, term in (("predicate", predicate), ("graph", graph)):
        if isinstance(term, ox.BlankNode):
            raise FragmentTermError(name, parameters.get(name, ""), f"a blank node cannot be a {name}")
    return Pattern(subject, predicate, terms["object"], graph)  # type: ignore[arg-type]
