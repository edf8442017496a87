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


def in_language(triples: list[ox.Triple], lang: str, fallback: str = "nl") -> list[ox.Triple]:
    """The triples with, per subject and property, only the texts in `lang` (else in `fallback`,
    else all): untagged literals and every other triple stay.

    pyLODE 3.4.1 has no language option: its OntPub profile prints every rdfs:label, skos:definition
    and dcterms:title it finds, whatever their language tag (so "activityactiviteit"), and neither
    the class nor make_html() take a language (read in .venv/.../pylode/profiles/ontpub.py and
    utils.py: no reference to a literal's language at all). Giving it the graph in one language is
    the only way to configure it; its HTML is not edited afterwards.
    """
    tags: dict[tuple[str, str], set[str]] = {}
    for t in triples:
        if isinstance(t.object, ox.Literal) and t.object.language:
            tags.setdefault((str(t.subject), t.predicate.value), set()).add(t.object.language)
    # pyLODE heads the page with the ontology's title and its label run together: keep the title.
    titled = {str(t.subject) for t in triples if t.predicate.value == "http://purl.org/dc/terms/title"}
    ontologies = {str(t.subject) for t in triples if t.object == ox.NamedNode("http://www.w3.org/2002/07/owl#Ontology")}
    kept = []
    for t in triples:
        if str(t.subject) in titled & ontologies and t.predicate.value == "http://www.w3.org/2000/01/rdf-schema#label":
            continue
        if isinstance(t.object, ox.Literal) and t.object.language:
            present = tags[(str(t.subject), t.predicate.value)]
            wanted = lang if lang in present else fallback if fallback in present else None
            if wanted is not None and t.object.language != wanted:
                continue
        kept.append(t)
    return kept


def ontology_html(triples: list[ox.Triple], lang: str | None = None) -> str:
    """The HTML documentation pyLODE (OntPub profile) generates for the ontology, in one
    language when `lang` is given (see in_language), else with every language as pyLODE prints it.

    Takes about two seconds for kgraph's ontology, so callers cache the result per release.
    The page is self-contained (CSS inlined, icons as data: URLs), no CDN.
    """
    OntPub = _import_ontpub()
    chosen = in_language(triples, lang) if lang else triples
    return OntPub(ontology=to_rdflib_graph(chosen), sort_subjects=True).make_html()


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
