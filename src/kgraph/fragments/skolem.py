"""Blank nodes of the store written as skolem IRIs (RDF 1.1 Concepts, section 3.5), and read back.

A blank node label means something only inside one document: a client that reads `_:c14n3` in
one fragment renames it as it parses (Comunica's parser prefixes every label), so it could never
ask for the fragment of that node. Fragments therefore write each blank node of the store as
`{base}.well-known/genid/{label}` (the store's labels are canonical per release), and a pattern
naming such an IRI asks for that blank node.
"""

from __future__ import annotations

import pyoxigraph as ox

GENID = ".well-known/genid/"


def genid_prefix(base: str) -> str:
    """The prefix of the skolem IRIs under the dataset's base IRI."""
    return f"{base}{GENID}"


def skolemise(term, prefix: str):
    """A blank node as its skolem IRI; any other term as it is."""
    return ox.NamedNode(prefix + term.value) if isinstance(term, ox.BlankNode) else term


def skolemise_statements(statements: list, prefix: str) -> list:
    """The quads (or triples) with every blank node (subject, object, graph) as its skolem IRI."""
    out = []
    for statement in statements:
        if isinstance(statement, ox.Triple):
            if isinstance(statement.subject, ox.BlankNode) or isinstance(statement.object, ox.BlankNode):
                statement = ox.Triple(skolemise(statement.subject, prefix), statement.predicate,
                                      skolemise(statement.object, prefix))
        elif isinstance(statement.subject, ox.BlankNode) or isinstance(statement.object, ox.BlankNode) \
                or isinstance(statement.graph_name, ox.BlankNode):
            statement = ox.Quad(skolemise(statement.subject, prefix), statement.predicate,
                                skolemise(statement.object, prefix), skolemise(statement.graph_name, prefix))
        out.append(statement)
    return out


def unskolemise(term, prefix: str):
    """A skolem IRI as the store's blank node (None for a label that cannot be one); any other
    term as it is."""
    if isinstance(term, ox.NamedNode) and term.value.startswith(prefix):
        try:
            return ox.BlankNode(term.value[len(prefix):])
        except ValueError:
            return None
    return term
