"""GET /fragments: Triple (Quad) Pattern Fragments of the served release (kgraph.fragments).

RDF by content negotiation (TriG and N-Quads keep the metadata graph apart from the data; Turtle,
N-Triples and JSON-LD flatten it), an HTML view for people (the pattern fields, the matching
triples with links, paging), `Vary: Accept`. The ETag depends only on the data version, the
media type and the canonical page URL, so a conditional request is answered 304 before any
matching is done; Cache-Control, the licence Link and CORS come from the app's common hooks.
Per app, match counts and serialised RDF pages are kept per data version (bounded): a page is
the same for every request to a release.

A term in the URL that is none (an IRI that is not absolute, an unclosed literal, a bad language
tag) or a page that is not a positive number: 400 naming the parameter.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import lru_cache

import pyoxigraph as ox
from flask import Response, current_app, request
from werkzeug.exceptions import BadRequest, NotAcceptable

from kgraph.fragments import (FragmentContext, FragmentTermError, Pattern, QueryMatcher, StoreMatcher,
                              fragment_url, page_document, parse_pattern, search_template)
from kgraph.fragments import matching
from kgraph.fragments.controls import HYDRA, SD
from kgraph.namespaces import dataset_prefixes
from kgraph.fragments.pattern import DEFAULT_GRAPH
from kgraph.fragments.skolem import genid_prefix, skolemise_quads
from kgraph.fragments.terms import term_to_string
from kgraph.metadata import rdfio
from kgraph.provenance import LICENCE, dataset_iri
from kgraph.query_source import StoreSource
from kgraph.sparql import negotiation as tables
from kgraph.web import negotiation
from kgraph.web.caching import weak_etag
from kgraph.web.errors import echo
from kgraph.web.ld_views import page_language, render
from kgraph.web.state import get_state
from kgraph.web.urls import public_root

COUNTS = "kgraph.fragment_counts"
PAGES = "kgraph.fragment_pages"
PREFIXES = "kgraph.fragment_prefixes"
PAGE_PREFIXES = ("rdf", "rdfs", "xsd", "owl", "skos", "dcterms", "foaf", "org", "prov", "schema", "void", "dcat")
HTML = "text/html"
QUAD_TYPES = ("application/trig", "application/n-quads")
OFFERED = (*QUAD_TYPES, "text/turtle", "application/n-triples", "application/ld+json")
# Aliases clients send for the offered types (from the app's negotiation table).
ALIASES = tuple(t for t in tables.OFFERS[tables.GRAPH] if tables.canonical(t, tables.GRAPH) in OFFERED)
MAX_PAGE = 10_000_000


class CountCache:
    """Match counts per (data version, pattern), bounded: a count is the same for every page of a
    fragment, and paging through one should not count it again each time."""

    def __init__(self, size: int = 20_000):
        self.size = size
        self._values: OrderedDict[tuple[str, Pattern], tuple[int, bool]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, Pattern]) -> tuple[int, bool] | None:
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def put(self, key: tuple[str, Pattern], value: tuple[int, bool]) -> None:
        with self._lock:
            self._values[key] = value
            while len(self._values) > self.size:
                self._values.popitem(last=False)


class PageCache:
    """Serialised fragment pages per (data version, media type, page URL), at most `budget` bytes
    (least recently used first out): a release's fragments never change, and clients such as
    Comunica ask for the same ones again (the predicate fragments, in every query)."""

    def __init__(self, budget: int = 64 << 20):
        self.budget = budget
        self._values: OrderedDict[tuple[str, str, str], bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str, str]) -> bytes | None:
        with self._lock:
            body = self._values.get(key)
            if body is not None:
                self._values.move_to_end(key)
            return body

    def put(self, key: tuple[str, str, str], body: bytes) -> None:
        if len(body) > self.budget // 16:
            return
        with self._lock:
            if key in self._values:
                return
            self._values[key] = body
            self._bytes += len(body)
            while self._bytes > self.budget:
                _, old = self._values.popitem(last=False)
                self._bytes -= len(old)


def _media_type() -> str:
    picked = _media_type_for(request.headers.get("Accept"))
    if picked is None:
        raise NotAcceptable("fragments are available as " + ", ".join(OFFERED) + " and text/html")
    return picked


# A client sends the same Accept header with every fragment it asks for (Comunica: hundreds a
# query), and parsing and matching it cost a tenth of a fragment's time: the answer is a pure
# function of the header, kept for the last headers seen.
@lru_cache(maxsize=256)
def _media_type_for(accept: str | None) -> str | None:
    if negotiation.wants_html(accept):
        return HTML
    picked = negotiation.choose(accept, (*OFFERED, *ALIASES))
    return tables.canonical(picked, tables.GRAPH) if picked is not None else None


def _pattern_and_page() -> tuple[Pattern, int]:
    try:
        pattern = parse_pattern(request.args, genid_prefix(get_state().settings.base))
    except FragmentTermError as exc:
        raise BadRequest(f"parameter {exc.parameter!r}: {echo(exc.value)} is no term here: {exc.reason}") from None
    page = request.args.get("page", "1")
    if not page.isdigit() or not 1 <= int(page) <= MAX_PAGE:
        raise BadRequest(f"parameter 'page': {echo(page)} is not a page number (1 to {MAX_PAGE})")
    return pattern, int(page)


def _matcher():
    source = get_state().linked_data_source()
    return StoreMatcher(source.store) if isinstance(source, StoreSource) else QueryMatcher(source)


def _page(pattern: Pattern, number: int, size: int) -> matching.FragmentPage:
    state = get_state()
    cache: CountCache = current_app.extensions.setdefault(COUNTS, CountCache())
    key = (state.data_version, pattern)
    matcher = _matcher()
    try:
        counted = cache.get(key)
        page = matching.page(matcher, pattern, number, size, counted)
        if counted is None:
            cache.put(key, (page.total, page.exact))
        return page
    except matching.BlankNodeUnsupported as exc:
        raise BadRequest(f"parameter 'subject' or 'object': {exc}") from None
    except SyntaxError as exc:  # a term pyoxigraph accepts but SPARQL cannot write (none known)
        raise BadRequest(f"the pattern cannot be matched: {exc}") from None


def _prefixes(base: str) -> dict[str, str]:
    """The prefixes Turtle and TriG pages declare: the dataset's, the metadata's and hydra (a
    fixed set, so that no page pays for finding out which of them it uses)."""
    cache: dict[str, dict[str, str]] = current_app.extensions.setdefault(PREFIXES, {})
    if base not in cache:
        cache[base] = {"hydra": HYDRA, "sd": SD, **{name: rdfio.prefixes(base)[name] for name in PAGE_PREFIXES},
                       **dataset_prefixes(base)}
    return cache[base]


def _serialise(quads: list[ox.Quad], media_type: str, base: str) -> bytes:
    fmt = getattr(ox.RdfFormat, tables.serialiser_name(media_type))
    if media_type == "application/trig":
        return ox.serialize(quads, format=fmt, prefixes=_prefixes(base))
    if media_type in QUAD_TYPES:
        return ox.serialize(quads, format=fmt)
    triples = list(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads))
    if media_type == "text/turtle":
        return ox.serialize(triples, format=fmt, prefixes=_prefixes(base))
    return ox.serialize(triples, format=fmt)


def fragments() -> Response:
    """GET /fragments?subject=&predicate=&object=&graph=&page=: one page of a quad pattern's matches."""
    state = get_state()
    pattern, number = _pattern_and_page()
    media_type = _media_type()
    root = public_root()
    size = state.settings.fragment_page_size
    url = fragment_url(root, pattern, number)
    etag = weak_etag(state.data_version, f"{media_type}\n{size}\n{url}\n{page_language() if media_type == HTML else ''}".encode())
    if request.if_none_match.contains_weak(etag):
        response = Response(status=304)
        response.set_etag(etag, weak=True)
        response.vary.add("Accept")
        return response
    pages: PageCache = current_app.extensions.setdefault(PAGES, PageCache())
    key = (state.data_version, media_type, url)
    body = pages.get(key) if media_type != HTML else None
    if body is not None:
        response = Response(body, content_type=tables.content_type_header(media_type))
        response.headers["X-Cache"] = "HIT"
    else:
        page = _page(pattern, number, size)
        context = FragmentContext(root, LICENCE, state.store.manifest.get("built_at"), dataset_iri(state.settings.base),
                                  genid_prefix(state.settings.base))
        if media_type == HTML:
            response = _html(page, context, url)
        else:
            body = _serialise(page_document(page, context), media_type, state.settings.base)
            pages.put(key, body)
            response = Response(body, content_type=tables.content_type_header(media_type))
    response.set_etag(etag, weak=True)
    response.vary.add("Accept")
    return response


# --------------------------------------------------------------------------- the HTML view


def _cell(term: ox.NamedNode | ox.BlankNode | ox.Literal | None, position: str, root: str) -> dict[str, str]:
    """A term as the page shows it: its text, and a link to the fragment with it in its position."""
    if isinstance(term, ox.Literal):
        shown = term.value if len(term.value) <= 300 else term.value[:300] + "…"
        suffix = f"@{term.language}" if term.language else (
            "" if term.datatype.value.endswith("#string") else f" ^^{term.datatype.value.rsplit('#', 1)[-1]}")
        return {"text": shown, "suffix": suffix, "kind": "literal",
                "fragment": fragment_url(root, Pattern(object=term, graph=ox.NamedNode(DEFAULT_GRAPH)))}
    if term is None:
        return {"text": "", "suffix": "", "kind": "none", "fragment": ""}
    kinds = {"subject": Pattern(subject=term), "object": Pattern(object=term)}
    if isinstance(term, ox.NamedNode):
        kinds["predicate"] = Pattern(predicate=term)
        kinds["graph"] = Pattern(graph=term)
    chosen = kinds.get(position, Pattern(subject=term))
    default = Pattern(chosen.subject, chosen.predicate, chosen.object, chosen.graph or ox.NamedNode(DEFAULT_GRAPH))
    return {"text": term_to_string(term), "suffix": "", "kind": "iri" if isinstance(term, ox.NamedNode) else "blank",
            "fragment": fragment_url(root, default if position != "graph" else chosen),
            "iri": term.value if isinstance(term, ox.NamedNode) else ""}


def _html(page: matching.FragmentPage, context: FragmentContext, url: str) -> Response:
    root, pattern = context.root, page.pattern
    rows = [{"s": _cell(q.subject, "subject", root), "p": _cell(q.predicate, "predicate", root),
             "o": _cell(q.object, "object", root),
             "g": _cell(q.graph_name if isinstance(q.graph_name, ox.NamedNode) else None, "graph", root)}
            for q in skolemise_quads(page.quads, context.genid)]
    last = max(1, -(-page.total // page.size)) if page.exact else None
    links = {
        "first": fragment_url(root, pattern, 1) if page.number > 1 else "",
        "previous": fragment_url(root, pattern, page.number - 1) if page.number > 1 else "",
        "next": fragment_url(root, pattern, page.number + 1) if page.has_next else "",
        "last": fragment_url(root, pattern, last) if last and last != page.number else "",
    }
    fields = {name: term_to_string(term) for name, term in pattern.terms().items()}
    return render("fragments.html", lang=page_language(), page=page, rows=rows, fields=fields, links=links,
                  pattern_text=pattern.describe(), search_form=search_template(root), url=url,
                  default_graph=DEFAULT_GRAPH, generated_at=context.generated_at,
                  first_item=(page.number - 1) * page.size + (1 if page.quads else 0),
                  last_item=(page.number - 1) * page.size + len(page.quads))
