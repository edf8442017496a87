"""The Hydra controls and metadata of a fragment page, as quads (the data is the page's quads).

Laid out as @ldf/server lays out a Quad Pattern Fragment, so that Comunica finds them:
- all of it in a metadata graph `<page#metadata>`, which is `foaf:primaryTopic` of the dataset
  (`<…/fragments#dataset>`), and the dataset has the page as `void:subset` (Comunica's
  primary-topic actor looks for exactly this pair to tell metadata from data);
- the dataset: `hydra:search` an `hydra:IriTemplate` `…/fragments{?subject,predicate,object,graph}`
  with ExplicitRepresentation and one `hydra:mapping` per position (`rdf:subject`,
  `rdf:predicate`, `rdf:object`, `sd:graph`), and `sd:defaultGraph <urn:ldf:defaultGraph>`;
- the fragment `hydra:view` its page; the page a `hydra:PartialCollectionView` with
  `hydra:totalItems` and `void:triples` (the same count; only this one count, since Comunica
  takes the first it meets), `hydra:itemsPerPage`, `hydra:first`/`previous`/`next` (and `last`
  when the count is exact), `dcterms:license` and `prov:generatedAtTime` (the release's build
  time: the page's data is that release's).

In a triple format (Turtle, N-Triples, JSON-LD) the graph names fall away, as in @ldf/server.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox

from kgraph.fragments.matching import FragmentPage
from kgraph.fragments.pattern import DEFAULT_GRAPH, PARAMETERS, Pattern
from kgraph.fragments.skolem import skolemise_statements
from kgraph.namespaces import STANDARD_PREFIXES as NS

HYDRA = "http://www.w3.org/ns/hydra/core#"
SD = "http://www.w3.org/ns/sparql-service-description#"
PATH = "fragments"
MAPPED_PROPERTIES = {
    "subject": NS["rdf"] + "subject",
    "predicate": NS["rdf"] + "predicate",
    "object": NS["rdf"] + "object",
    "graph": SD + "graph",
}


@dataclass(frozen=True)
class FragmentContext:
    """What a page's metadata needs beyond the page: the service's root URL (ending with '/'),
    the licence IRI, the release's build time (ISO 8601), the published dataset's IRI and the
    prefix of the skolem IRIs its blank nodes are written as."""

    root: str
    licence: str
    generated_at: str | None
    dataset: str
    genid: str


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


@lru_cache(maxsize=64)  # the metadata's own terms (a fixed few): checked as IRIs once, not on every page
def _vocabulary(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def search_template(root: str) -> str:
    """The hydra:template of the fragments' search form."""
    return f"{root}{PATH}{{?{','.join(PARAMETERS)}}}"


def fragment_url(root: str, pattern: Pattern, number: int = 1) -> str:
    """The URL of page `number` of a pattern's fragment (page 1: the fragment's own URL)."""
    query = pattern.query_string()
    if number > 1:
        query = f"{query}&page={number}" if query else f"page={number}"
    return f"{root}{PATH}" + (f"?{query}" if query else "")


def dataset_node(root: str) -> ox.NamedNode:
    """The fragments' dataset (the collection every fragment is a subset of)."""
    return _n(f"{root}{PATH}#dataset")


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_vocabulary(NS["xsd"] + "integer"))


def controls(root: str, graph: ox.NamedNode | ox.DefaultGraph) -> list[ox.Quad]:
    """The dataset's description and its search form (the same on every page)."""
    return [ox.Quad(s, p, o, graph) for s, p, o in control_statements(root)]


@lru_cache(maxsize=16)  # a few roots (one per Host a server answers for); every page repeats them
def control_statements(root: str) -> tuple[tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, ox.NamedNode | ox.BlankNode | ox.Literal], ...]:
    dataset, search = dataset_node(root), ox.BlankNode("search")
    rdf_type = _n(NS["rdf"] + "type")
    statements = [
        (dataset, rdf_type, _n(NS["void"] + "Dataset")),
        (dataset, rdf_type, _vocabulary(HYDRA + "Collection")),
        (dataset, _n(SD + "defaultGraph"), _n(DEFAULT_GRAPH)),
        (dataset, _n(HYDRA + "search"), search),
        (search, rdf_type, _n(HYDRA + "IriTemplate")),
        (search, _n(HYDRA + "template"), ox.Literal(search_template(root))),
        (search, _n(HYDRA + "variableRepresentation"), _n(HYDRA + "ExplicitRepresentation")),
    ]
    for name, prop in MAPPED_PROPERTIES.items():
        mapping = ox.BlankNode(name)
        statements += [
            (search, _n(HYDRA + "mapping"), mapping),
            (mapping, _n(HYDRA + "variable"), ox.Literal(name)),
            (mapping, _n(HYDRA + "property"), _n(prop)),
        ]
    return tuple(statements)


def page_texts(page: FragmentPage) -> tuple[str, str]:
    """The page's title and description (English)."""
    pattern = page.pattern
    title = f"Triple Pattern Fragment of kgraph: {pattern.describe()}"
    if page.number > 1:
        title += f", page {page.number}"
    counted = "" if page.exact else "at least "
    return title, (f"The triples of kgraph matching {pattern.describe()}: {counted}{page.total} in all, "
                   f"{page.size} a page.")


def page_metadata(page: FragmentPage, context: FragmentContext) -> list[ox.Quad]:
    """The metadata graph of a page: controls, counts, paging links, licence and time."""
    root, pattern = context.root, page.pattern
    url = fragment_url(root, pattern, page.number)
    graph = _n(f"{url}#metadata")
    dataset, fragment, view = dataset_node(root), _n(fragment_url(root, pattern)), _n(url)
    title, description = page_texts(page)

    def q(subject: ox.NamedNode | ox.BlankNode, prop: str, obj: ox.NamedNode | ox.BlankNode | ox.Literal) -> ox.Quad:
        return ox.Quad(subject, _vocabulary(prop), obj, graph)

    quads = [
        q(graph, NS["foaf"] + "primaryTopic", dataset),
        q(dataset, NS["void"] + "subset", view),
        *controls(root, graph),
        q(dataset, NS["dcterms"] + "license", _vocabulary(context.licence)),
        q(dataset, NS["dcterms"] + "source", _vocabulary(context.dataset)),
        q(fragment, NS["rdf"] + "type", _vocabulary(HYDRA + "Collection")),
        q(fragment, HYDRA + "view", view),
        q(view, NS["rdf"] + "type", _vocabulary(HYDRA + "PartialCollectionView")),
        q(view, NS["dcterms"] + "title", ox.Literal(title, language="en")),
        q(view, NS["dcterms"] + "description", ox.Literal(description, language="en")),
        q(view, NS["dcterms"] + "source", dataset),
        q(view, NS["dcterms"] + "license", _vocabulary(context.licence)),
        q(view, HYDRA + "totalItems", _integer(page.total)),
        q(view, NS["void"] + "triples", _integer(page.total)),
        q(view, HYDRA + "itemsPerPage", _integer(page.size)),
        q(view, HYDRA + "first", _n(fragment_url(root, pattern, 1))),
    ]
    if fragment != view:
        quads.append(q(dataset, NS["void"] + "subset", fragment))
    if context.generated_at:
        quads.append(q(view, NS["prov"] + "generatedAtTime", ox.Literal(context.generated_at, datatype=_vocabulary(NS["xsd"] + "dateTime"))))
    if page.number > 1:
        quads.append(q(view, HYDRA + "previous", _n(fragment_url(root, pattern, page.number - 1))))
    if page.has_next:
        quads.append(q(view, HYDRA + "next", _n(fragment_url(root, pattern, page.number + 1))))
    if page.exact:
        last = max(1, -(-page.total // page.size))
        quads.append(q(view, HYDRA + "last", _n(fragment_url(root, pattern, last))))
    return quads


def page_document(page: FragmentPage, context: FragmentContext) -> list[ox.Quad]:
    """Every quad of a page's document: its data (blank nodes as skolem IRIs), then its metadata graph."""
    return [*skolemise_statements(page.quads, context.genid), *page_metadata(page, context)]


def void_triples(dataset: ox.NamedNode, base: str) -> list[ox.Triple]:
    """What the VoID description says of the fragments, as @ldf/server describes its datasets:
    a URI lookup endpoint (append a URL-encoded IRI: the fragment of that subject) and the
    `hydra:search` form, with its four mappings."""
    search = ox.BlankNode("fragments-search")
    triples = [
        ox.Triple(dataset, _n(NS["void"] + "uriLookupEndpoint"), _n(f"{base}{PATH}?subject=")),
        ox.Triple(dataset, _n(HYDRA + "search"), search),
        ox.Triple(search, _n(NS["rdf"] + "type"), _n(HYDRA + "IriTemplate")),
        ox.Triple(search, _n(HYDRA + "template"), ox.Literal(search_template(base))),
        ox.Triple(search, _n(HYDRA + "variableRepresentation"), _n(HYDRA + "ExplicitRepresentation")),
    ]
    for name, prop in MAPPED_PROPERTIES.items():
        mapping = ox.BlankNode(f"fragments-{name}")
        triples += [ox.Triple(search, _n(HYDRA + "mapping"), mapping),
                    ox.Triple(mapping, _n(HYDRA + "variable"), ox.Literal(name)),
                    ox.Triple(mapping, _n(HYDRA + "property"), _n(prop))]
    return triples
