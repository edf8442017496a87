"""Moving statements from pyoxigraph terms to rdflib terms, keeping blank node labels."""

from __future__ import annotations

from typing import Iterable

import pyoxigraph as ox
import rdflib

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> rdflib.term.Node:
    """The same RDF term for rdflib (blank nodes keep their label, so output is stable)."""
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    if term.datatype.value == XSD_STRING:  # rdflib tells plain and xsd:string literals apart
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value), normalize=False)


def to_rdflib_graph(statements: Iterable[ox.Triple | ox.Quad]) -> rdflib.Graph:
    """An rdflib graph of the triples (of quads: their union), in the order given."""
    graph = rdflib.Graph()
    for statement in statements:
        graph.add((to_rdflib_term(statement.subject), to_rdflib_term(statement.predicate),
                   to_rdflib_term(statement.object)))
    return graph
