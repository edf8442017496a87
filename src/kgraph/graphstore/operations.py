"""The Graph Store Protocol's operations on the served store, through the SPARQL executor.

GET is a CONSTRUCT of the graph; PUT, POST and DELETE are each one SPARQL Update request, which
Oxigraph applies in one transaction: a PUT never leaves a graph half replaced. Whether a graph
exists is asked first (the answer decides 201 Created against 204, and 404): a named graph exists
when the store holds it (an empty graph made by CREATE GRAPH included); the default graph always.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import pyoxigraph as ox

from kgraph.graphstore.target import GraphTarget
from kgraph.sparql import negotiation
from kgraph.sparql.errors import GraphNotFound
from kgraph.sparql.executor import Executor, Result

_ASK_FORMAT = {negotiation.BOOLEAN: "application/sparql-results+json"}


def exists(executor: Executor, target: GraphTarget) -> bool:
    """Whether the store holds the graph (the default graph always exists)."""
    if target.is_default:
        return True
    # An empty group inside GRAPH matches once when the named graph exists, even an empty one.
    result = executor.query(f"ASK {{ {target.sparql()} {{ }} }}", _ASK_FORMAT)
    return bool(json.loads(result.read())["boolean"])


def get(executor: Executor, target: GraphTarget, media_type: str) -> Result:
    """The graph serialised in `media_type` (a canonical RDF media type); GraphNotFound if absent."""
    if not exists(executor, target):
        raise GraphNotFound(f"the store holds no graph <{target.iri}>")
    pattern = "?s ?p ?o" if target.is_default else f"{target.sparql()} {{ ?s ?p ?o }}"
    return executor.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {pattern} }}", {negotiation.GRAPH: media_type},
                          stored_default_graph=target.is_default)


def _data(target: GraphTarget, triples: list[ox.Triple]) -> str:
    """INSERT DATA for the triples into the target graph ('' for none). Terms are written in
    N-Triples syntax, which SPARQL reads as is (blank node labels become fresh blank nodes)."""
    if not triples:
        return ""
    body = "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in triples)
    if target.is_default:
        return f"INSERT DATA {{\n{body}\n}}"
    return f"INSERT DATA {{ {target.sparql()} {{\n{body}\n}} }}"


def _run(executor: Executor, operations: Iterable[str]) -> None:
    text = " ;\n".join(op for op in operations if op)
    if text:  # a POST of no triples to the default graph changes nothing
        executor.update(text)


def put(executor: Executor, target: GraphTarget, triples: list[ox.Triple]) -> bool:
    """Replace the graph by the triples (GSP 5.3); True if the graph did not exist before."""
    created = not exists(executor, target)
    if target.is_default:
        _run(executor, ["DROP SILENT DEFAULT", _data(target, triples)])
    else:
        _run(executor, [f"DROP SILENT {target.sparql()}", f"CREATE SILENT {target.sparql()}", _data(target, triples)])
    return created


def post(executor: Executor, target: GraphTarget, triples: list[ox.Triple]) -> bool:
    """Merge the triples into the graph (GSP 5.5), making it if needed; True if it was made."""
    created = not exists(executor, target)
    _run(executor, ["" if target.is_default else f"CREATE SILENT {target.sparql()}", _data(target, triples)])
    return created


def delete(executor: Executor, target: GraphTarget) -> None:
    """Remove the graph (GSP 5.4; the default graph is emptied); GraphNotFound if absent."""
    if not exists(executor, target):
        raise GraphNotFound(f"the store holds no graph <{target.iri}>")
    _run(executor, [f"DROP SILENT {target.sparql()}"])
