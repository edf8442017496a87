"""A fragment page's document written as TriG or N-Quads, as text: the page's data a statement
a line, each term written by pyoxigraph's own term writer, then its metadata graph (the
statements of kgraph.fragments.controls.page_metadata).

    write_page(page, context, "application/trig", prefixes)   # bytes

Why not serialise page_metadata's quads: they are some forty, thirty of them the same on every
page; making them as pyoxigraph objects and serialising them took 60 us of a fragment's 530 (in
process, 100k triples), writing them as text about 8. The words that never change (the controls,
the vocabulary, the dataset, licence and build time) are written once per FragmentContext and
syntax by pyoxigraph's own term writer (N-Triples syntax, escaped); per page only the URLs
(made of the root, checked as an IRI once, and Pattern.query_string, percent-encoded, so nothing
from the request reaches the text unencoded), the counts and the title and description
(literals written by pyoxigraph) vary. tests/fragments/test_text.py parses pages of every shape
back and compares them with page_document's quads.

In TriG the metadata's vocabulary is written with the prefixes the page declares, `a` for
rdf:type and counts as integers; the data's IRIs are written whole.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pyoxigraph as ox

from kgraph.fragments.controls import (HYDRA, FragmentContext, control_statements, dataset_node, fragment_url,
                                       page_texts)
from kgraph.fragments.matching import FragmentPage
from kgraph.fragments.pattern import Pattern
from kgraph.fragments.skolem import skolemise_statements
from kgraph.namespaces import STANDARD_PREFIXES as NS

TRIG = "application/trig"
NQUADS = "application/n-quads"
FORMATS = (TRIG, NQUADS)
XSD_STRING = NS["xsd"] + "string"
_EMPTY = Pattern()
_LOCAL = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")  # a local name TriG can write as it is
_WORDS = {
    "type": NS["rdf"] + "type", "primaryTopic": NS["foaf"] + "primaryTopic", "subset": NS["void"] + "subset",
    "license": NS["dcterms"] + "license", "source": NS["dcterms"] + "source", "title": NS["dcterms"] + "title",
    "description": NS["dcterms"] + "description", "Collection": HYDRA + "Collection", "view": HYDRA + "view",
    "PartialCollectionView": HYDRA + "PartialCollectionView", "totalItems": HYDRA + "totalItems",
    "triples": NS["void"] + "triples", "itemsPerPage": HYDRA + "itemsPerPage", "first": HYDRA + "first",
    "previous": HYDRA + "previous", "next": HYDRA + "next", "last": HYDRA + "last",
    "generatedAtTime": NS["prov"] + "generatedAtTime", "integer": NS["xsd"] + "integer",
    "dateTime": NS["xsd"] + "dateTime",
}


class _Words:
    """What every page of one context says alike, written in one syntax (TriG or N-Quads)."""

    def __init__(self, context: FragmentContext, trig: bool, prefixes: dict[str, str]):
        self.trig = trig
        self._prefixes = sorted(prefixes.items(), key=lambda item: -len(item[1])) if trig else []
        self.header = "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in prefixes.items()) if trig else ""
        ox.NamedNode(fragment_url(context.root, _EMPTY))  # the root makes IRIs (ValueError if not)
        self.root = context.root
        self.w = {name: self.iri(iri) for name, iri in _WORDS.items()}
        self.controls = [f"{self.term(s)} {self.term(p)} {self.term(o)}" for s, p, o in control_statements(context.root)]
        self.dataset = self.term(dataset_node(context.root))
        self.licence = self.iri(ox.NamedNode(context.licence).value)
        self.source = self.iri(ox.NamedNode(context.dataset).value)
        self.generated = (self.term(ox.Literal(context.generated_at, datatype=ox.NamedNode(_WORDS["dateTime"])))
                          if context.generated_at else None)

    def iri(self, iri: str) -> str:
        """An IRI of the vocabulary or the controls (never one from a request)."""
        if self.trig:
            if iri == _WORDS["type"]:
                return "a"
            for name, namespace in self._prefixes:
                if iri.startswith(namespace) and _LOCAL.match(iri[len(namespace):]):
                    return f"{name}:{iri[len(namespace):]}"
        return f"<{iri}>"

    def term(self, term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
        if isinstance(term, ox.NamedNode):
            return self.iri(term.value)
        if isinstance(term, ox.Literal) and self.trig and not term.language and term.datatype.value != XSD_STRING:
            return f"{ox.Literal(term.value)}^^{self.iri(term.datatype.value)}"
        return str(term)  # N-Triples syntax, escaped by pyoxigraph

    def integer(self, value: int) -> str:
        return str(value) if self.trig else f'"{value}"^^{self.w["integer"]}'


@lru_cache(maxsize=32)  # one per service root, release and syntax: a handful
def _words(context: FragmentContext, trig: bool, prefixes: tuple[tuple[str, str], ...]) -> _Words:
    return _Words(context, trig, dict(prefixes))


def write_page(page: FragmentPage, context: FragmentContext, media_type: str,
               prefixes: dict[str, str]) -> bytes:
    """The page's document (its data, then its metadata graph) in TriG or N-Quads (FORMATS);
    `prefixes` are those a TriG page declares (not used for N-Quads)."""
    trig = media_type == TRIG
    words = _words(context, trig, tuple(prefixes.items()) if trig else ())
    return (words.header + _data(page.statements, trig, context.genid) + _metadata(page, context, words)).encode()


def _data(statements: list, trig: bool, genid: str) -> str:
    """The page's data, a statement a line in N-Triples syntax (str() of a pyoxigraph triple or
    quad: its terms as N-Triples writes them, escaped by pyoxigraph; one call a statement, not
    one a term), which TriG reads too: a triple of the default graph as N-Triples writes it; a
    quad in its graph (`<g> { s p o }` in TriG); blank nodes as their skolem IRIs under `genid`
    (skolemise_statements, for the few statements that have one). Not by ox.serialize: that call
    lets go of the GIL, and with eight request threads in a server worker each such call became
    a wait for the GIL (measured: a serialize beside a busy thread took 107 us, a term's str()
    0.4)."""
    lines = []
    for statement in statements:
        if isinstance(statement.subject, ox.BlankNode) or isinstance(statement.object, ox.BlankNode) or (
                isinstance(statement, ox.Quad) and isinstance(statement.graph_name, ox.BlankNode)):
            statement = skolemise_statements([statement], genid)[0]
        if isinstance(statement, ox.Triple) or isinstance(statement.graph_name, ox.DefaultGraph):
            lines.append(f"{statement} .\n")  # a quad of the default graph is written without it
        elif trig:
            lines.append(f"{statement.graph_name} {{ {statement.triple} }}\n")
        else:
            lines.append(f"{statement} .\n")
    return "".join(lines)


def _metadata(page: FragmentPage, context: FragmentContext, words: _Words) -> str:
    """The metadata graph's text, statement for statement as page_metadata makes it."""
    root, pattern, w = context.root, page.pattern, words.w
    url = fragment_url(root, pattern, page.number)
    fragment, view = f"<{fragment_url(root, pattern)}>", f"<{url}>"
    dataset = words.dataset
    title, description = page_texts(page)
    total = words.integer(page.total)
    lines = [
        f"<{url}#metadata> {w['primaryTopic']} {dataset}",
        f"{dataset} {w['subset']} {view}",
        *words.controls,
        f"{dataset} {w['license']} {words.licence}",
        f"{dataset} {w['source']} {words.source}",
        f"{fragment} {w['type']} {w['Collection']}",
        f"{fragment} {w['view']} {view}",
        f"{view} {w['type']} {w['PartialCollectionView']}",
        f"{view} {w['title']} {ox.Literal(title, language='en')}",
        f"{view} {w['description']} {ox.Literal(description, language='en')}",
        f"{view} {w['source']} {dataset}",
        f"{view} {w['license']} {words.licence}",
        f"{view} {w['totalItems']} {total}",
        f"{view} {w['triples']} {total}",
        f"{view} {w['itemsPerPage']} {words.integer(page.size)}",
        f"{view} {w['first']} {fragment}",
    ]
    if fragment != view:
        lines.append(f"{dataset} {w['subset']} {fragment}")
    if words.generated:
        lines.append(f"{view} {w['generatedAtTime']} {words.generated}")
    if page.number > 1:
        lines.append(f"{view} {w['previous']} <{fragment_url(root, pattern, page.number - 1)}>")
    if page.has_next:
        lines.append(f"{view} {w['next']} <{fragment_url(root, pattern, page.number + 1)}>")
    if page.exact:
        lines.append(f"{view} {w['last']} <{fragment_url(root, pattern, max(1, -(-page.total // page.size)))}>")
    graph = f"<{url}#metadata>"
    if words.trig:
        return "\n" + graph + " {\n\t" + " .\n\t".join(lines) + " .\n}\n"
    return "".join(f"{line} {graph} .\n" for line in lines)
