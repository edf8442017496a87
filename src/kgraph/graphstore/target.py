"""Which graph of the Graph Store a request is about (GSP section 4: direct and indirect
identification): the store's default graph, or a named graph by its IRI."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from kgraph.sparql.errors import GraphIdentificationError


@dataclass(frozen=True)
class GraphTarget:
    """The default graph (`iri` None) or the named graph `iri`."""

    iri: str | None = None

    @property
    def is_default(self) -> bool:
        return self.iri is None

    @classmethod
    def default(cls) -> "GraphTarget":
        """The store's own default graph (`?default`)."""
        return cls(None)

    @classmethod
    def named(cls, iri: str, where: str = "the graph IRI") -> "GraphTarget":
        """A named graph; GraphIdentificationError unless `iri` is an absolute IRI."""
        if not iri or ":" not in iri.split("/", 1)[0]:
            raise GraphIdentificationError(f"{where} {iri!r} is not an absolute IRI (it needs a scheme, e.g. http:)")
        try:
            ox.NamedNode(iri)
        except ValueError as exc:
            raise GraphIdentificationError(f"{where} {iri!r} is not a valid IRI: {exc}") from None
        return cls(iri)

    def sparql(self) -> str:
        """The graph as SPARQL Update names it: DEFAULT, or GRAPH <iri>."""
        return "DEFAULT" if self.iri is None else f"GRAPH {ox.NamedNode(self.iri)}"

    def __str__(self) -> str:
        return "the default graph" if self.iri is None else f"the graph <{self.iri}>"
