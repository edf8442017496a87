"""The published vocabulary: the ontology (from the release's store), its pyLODE documentation,
and the SHACL shapes (from the shapes folder, base substituted by kgraph.validation.shapes).

pyLODE 3.4.1 cannot be imported as installed from a wheel: its `pylode.version` module reads
`pyproject.toml` from the site-packages folder (RDFLib/pyLODE issue #260, fixed upstream after
that release). `_import_ontpub` puts a stand-in `pylode.version` with the installed version
number in place before importing, and leaves a working pyLODE untouched.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import sys
import types
from pathlib import Path

import pyoxigraph as ox
import rdflib

from kgraph.query_source import QuerySource
from kgraph.rdfconv import to_rdflib_graph
from kgraph.validation.shapes import load_shapes_graph


def ontology_triples(source: QuerySource, base: str) -> list[ox.Triple]:
    """Every triple of the ontology graphs ({base}graph/ontology/...) of the store."""
    query = (
        "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } "
        f'FILTER(STRSTARTS(STR(?g), "{base}graph/ontology/")) }}'
    )
    return source.construct(query)


def _import_ontpub():
    try:
        from pylode import OntPub
    except FileNotFoundError:
        for name in [n for n in sys.modules if n == "pylode" or n.startswith("pylode.")]:
            del sys.modules[name]  # drop the half-imported package before trying again
        stand_in = types.ModuleType("pylode.version")
        stand_in.__version__ = importlib.metadata.version("pylode")
        sys.modules["pylode.version"] = stand_in
        OntPub = importlib.import_module("pylode").OntPub
    return OntPub


def ontology_html(triples: list[ox.Triple]) -> str:
    """The HTML documentation pyLODE (OntPub profile) generates for the ontology.

    Takes about two seconds for kgraph's ontology, so callers cache the result per release.
    The page is self-contained (CSS inlined, icons as data: URLs), no CDN.
    """
    OntPub = _import_ontpub()
    return OntPub(ontology=to_rdflib_graph(triples), sort_subjects=True).make_html()


def _from_rdflib(node: rdflib.term.Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(node, rdflib.URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, rdflib.BNode):
        return ox.BlankNode(str(node))
    if node.language:
        return ox.Literal(str(node), language=node.language)
    if node.datatype:
        return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
    return ox.Literal(str(node))


def shapes_triples(shapes_dir: Path, base: str) -> list[ox.Triple]:
    """The published shapes: every shapes file, base tokens replaced, as triples."""
    graph = load_shapes_graph(shapes_dir, base)
    return [ox.Triple(*(_from_rdflib(term) for term in triple)) for triple in graph]
