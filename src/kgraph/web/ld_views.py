"""The Linked Data views: thin adapters from HTTP to kgraph.linkeddata.

    /id/{category}/{ref}           303 See Other -> /doc/{category}/{ref}
    /doc/{category}/{ref}[.ext]    HTML or RDF (Turtle, JSON-LD, N-Triples, RDF/XML) by Accept or extension
    /doc/{category}/               the index of a category (/id/{category}/ redirects here)
    /                              home: the dataset, counts, the timeline, search
    /search?q=                     label search (accent- and case-insensitive)
    /graph/organisatie/{ref}[.json]  the relationship view (HTML with vis-network, or JSON)

vis-network itself is served from the npm install by the query UI's asset route
(/assets/vis-network/…, kgraph.web.ui_views): no CDN. The open-licence Link header, ETag,
Cache-Control and 304s come from kgraph.web.caching, for every response.

The server answers by path: a request for /id/organisatie/gent on any host is about
{base}id/organisatie/gent. RDF keeps the canonical IRIs; links in HTML stay on the serving host.
Accept handling reuses kgraph.sparql.negotiation (one negotiation for the whole app).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from flask import Flask, Response, current_app, jsonify, redirect, render_template, request

from kgraph.linkeddata import (
    BY_EXTENSION,
    BY_MEDIA_TYPE,
    FORMATS,
    Context,
    LabelIndex,
    Vocabulary,
    category_index,
    category_title,
    dataset_title,
    show_date,
    describe,
    graph_json,
    home_page,
    negotiate_language,
    parse_ref,
    relation_graph,
    resource_page,
    serialise,
    to_local,
)
from kgraph.linkeddata.collections import CATEGORY_TITLES
from kgraph.linkeddata.indexes import PAGE_SIZE, paged_index
from kgraph.provenance import LICENCE
from kgraph.web import negotiation
from kgraph.web.errors import text_response
from kgraph.web.language import page_language, switch_url, with_language
from kgraph.web.ld_text import translator
from kgraph.web.state import get_state
from kgraph.web.ui_views import asset_url
from kgraph.web.urls import public_root

EXTENSION = "kgraph.linkeddata"
PROV_GENERATED = "http://www.w3.org/ns/prov#generatedAtTime"  # the document's time, from its triples
HTML = "text/html"


@dataclass
class LinkedDataState:
    """Per app: the page builders' context and the search index, for one version of the data."""

    ctx: Context
    version: str
    index: LabelIndex | None = None
    index_facts: dict = field(default_factory=dict)  # kinds, totals and orders of the category indexes


class LinkedDataHolder:
    """The app's current LinkedDataState, made on first use (after gunicorn has forked: the store
    handle is the worker's own) and remade when an update changes the data version."""

    def __init__(self) -> None:
        self.current: LinkedDataState | None = None
        self._lock = threading.Lock()  # one build of the state at a time, per app

    def get(self) -> LinkedDataState:
        state = get_state()
        version = f"{state.store.store_path}\n{state.data_version}"  # a new release or an update remakes it
        current = self.current
        if current is not None and current.version == version:
            return current
        with self._lock:
            current = self.current
            if current is None or current.version != version:
                source = state.linked_data_source()  # one per release (the executor when updates are on)
                base = state.settings.base
                current = LinkedDataState(Context(source, base, Vocabulary.load(source)), version)
                self.current = current
        return current


def init_linked_data(app: Flask) -> None:
    """Attach the app's Linked Data state holder (create_app calls it; no module-level state)."""
    app.extensions[EXTENSION] = LinkedDataHolder()


def ld_state() -> LinkedDataState:
    """The current app's Linked Data state."""
    return current_app.extensions[EXTENSION].get()


def _search_index(ld: LinkedDataState) -> LabelIndex:
    if ld.index is None:
        ld.index = LabelIndex.build(ld.ctx)
    return ld.index


def _root() -> str:
    """The root URL of the service: the configured public base, else the one the request came in
    on (links in pages then stay on this host, and the response varies on Host)."""
    return public_root()


def _href(iri: str) -> str:
    return to_local(iri, get_state().settings.base, _root())


def render(template: str, status: int = 200, lang: str = "nl", **context) -> Response:
    """A page rendered in a language, with the helpers every template uses: `href(iri)` (a
    resource's page on this host), `here(path)` (a path of the site), both keeping the language."""
    root = _root()
    body = render_template(
        template,
        lang=lang,
        t=translator(lang),
        href=lambda iri: with_language(_href(iri), lang),
        here=lambda path="": with_language(root + path, lang),
        switch_language=switch_url(lang),
        carry_language=with_language("", lang) != "",
        tr=lambda nl, en: en if lang == "en" else nl,  # a text written in the template, in both languages
        root=root,
        categories=[(c, category_title(c, lang)) for c in CATEGORY_TITLES],
        licence=LICENCE,
        **context,
    )
    response = Response(body, status=status, content_type="text/html; charset=utf-8")
    response.vary.add("Accept-Language")
    return response


def not_found(lang: str, wanted: str = "") -> Response:
    """404 with a search box, and suggestions from the words in the address."""
    ld = ld_state()
    # The reference (last segment) carries the words; the category would match nothing.
    words = wanted.rsplit("/", 1)[-1].split(".")[0].replace("-", " ").strip()
    hits = _search_index(ld).search(ld.ctx, words, lang, limit=10).hits if words else []
    return render("ld/not_found.html", status=404, lang=lang, wanted=wanted, hits=hits)


# --------------------------------------------------------------------------- /id/ and /doc/


def resource_redirect(category: str, ref: str) -> Response:
    """GET /id/{category}/{ref}: 303 See Other to the document describing the thing."""
    parsed = parse_ref(category, ref)
    ld = ld_state()
    if parsed is None or not describe(ld.ctx.source, ld.ctx.base, parsed):
        return not_found(page_language(), f"{category}/{ref}")
    return redirect(f"{_root()}doc/{category}/{ref}", code=303)


def _split_extension(ref: str) -> tuple[str, str | None]:
    stem, dot, extension = ref.rpartition(".")
    if dot and (extension in BY_EXTENSION or extension == "html"):
        return stem, extension
    return ref, None


def _negotiated_type() -> str | None:
    """text/html for browsers, else the RDF format the Accept header prefers; None: nothing acceptable."""
    accept = request.headers.get("Accept")
    if negotiation.wants_html(accept):
        return HTML
    offered = tuple(
        t for t in negotiation.OFFERS[negotiation.GRAPH]
        if negotiation.canonical(t, negotiation.GRAPH) in BY_MEDIA_TYPE
    )
    picked = negotiation.choose(accept, offered)
    if picked:
        return negotiation.canonical(picked, negotiation.GRAPH)
    return HTML if negotiation.choose(accept, (HTML,)) else None


def _alternates(category: str, ref: str) -> list[tuple[str, str, str]]:
    """(url, media type, name) of every representation of a /doc/."""
    stem = f"{_root()}doc/{category}/{ref}"
    return [(f"{stem}.html", HTML, "HTML")] + [(f"{stem}.{f.extension}", f.media_type, f.name) for f in FORMATS]


def document(category: str, ref: str) -> Response:
    """GET /doc/{category}/{ref}[.ext]: the description, as HTML or RDF."""
    ref, extension = _split_extension(ref)
    lang = page_language()
    parsed = parse_ref(category, ref)
    if parsed is None:
        return not_found(lang, f"{category}/{ref}")
    if extension == "html":
        media_type = HTML
    elif extension:
        media_type = BY_EXTENSION[extension].media_type
    else:
        media_type = _negotiated_type()
        if media_type is None:
            names = ", ".join([HTML] + [f.media_type for f in FORMATS])
            return text_response(406, f"Not acceptable: this document is available as {names}", Vary="Accept")
    ld = ld_state()
    triples = describe(ld.ctx.source, ld.ctx.base, parsed)
    if not triples:
        from kgraph.web.ldes_views import gone  # a removed resource: 410 with its last version

        return gone(category, ref) or not_found(lang, f"{category}/{ref}")
    alternates = _alternates(category, ref)
    if media_type == HTML:
        page = resource_page(ld.ctx, parsed, lang, triples)
        # The query UI, with the query filled in (a fragment: GET /sparql?query= would run it).
        sparql = f"{with_language(_root() + 'sparql', lang)}#query={quote(page.query, safe='')}"
        document_iri = parsed.document(ld.ctx.base)
        generated = next((t.object.value for t in triples if t.subject.value == document_iri
                          and t.predicate.value == PROV_GENERATED), None)
        pdfs = [d.url for d in page.documents if d.url and d.format == "application/pdf" and d.about is None]
        from kgraph.web.ldes_views import versions_of

        response = render("ld/resource.html", lang=lang, page=page, alternates=alternates, sparql_link=sparql,
                          generated=generated,
                          cite=citation(ld.ctx, lang, page.modified), pdfs=pdfs,
                          category_name=category_title(category, lang), versions=versions_of(page.iri))
    else:
        response = Response(serialise(triples, media_type, ld.ctx.base), content_type=negotiation.content_type_header(media_type))
    if extension is None:
        # The generic document: say which representation this is and that it depends on Accept.
        response.vary.add("Accept")
        chosen = "html" if media_type == HTML else BY_MEDIA_TYPE[media_type].extension
        response.headers["Content-Location"] = f"{_root()}doc/{category}/{ref}.{chosen}"
    links = [f'<{url}>; rel="alternate"; type="{kind}"' for url, kind, _ in alternates]
    links.append(f'<{_root()}id/{category}/{ref}>; rel="describes"')
    existing = response.headers.get("Link")
    response.headers["Link"] = ", ".join(([existing] if existing else []) + links)
    return response


def citation(ctx: Context, lang: str, modified: str | None) -> dict[str, str]:
    """What a citation of a resource names besides the resource: publisher, dataset, version, date."""
    manifest = get_state().store.manifest
    return {
        "publisher": "Kenniscentrum Vlaamse Steden",
        "dataset": dataset_title(ctx, lang),
        "version": str(manifest.get("version", ""))[:12],
        "date": show_date(modified, lang) if modified else "",
        "year": (modified or str(manifest.get("source_date", "")))[:4],
    }


def index_redirect(category: str) -> Response:
    """GET /id/{category}/: the list is a document, so 303 to /doc/{category}/."""
    if category not in CATEGORY_TITLES:
        return not_found(page_language(), category)
    return redirect(f"{_root()}doc/{category}/", code=303)


def _int_arg(name: str, default: int) -> int | Response:
    """A positive whole-number query parameter, or a 400 naming it."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or int(raw) < 1:
        return text_response(400, f"Bad request: parameter {name} must be a whole number of at least 1, not {raw[:40]!r}")
    return int(raw)


def index(category: str) -> Response:
    """GET /doc/{category}/?sort=label|date|number|count&kind=IRI&page=N&size=N: one page of a
    category, sorted, filtered and paged by the store."""
    lang = page_language()
    ld = ld_state()
    number, size = _int_arg("page", 1), _int_arg("size", PAGE_SIZE)
    for bad in (number, size):
        if isinstance(bad, Response):
            return bad
    titles = CATEGORY_TITLES.get(category, (category, category))
    page = paged_index(ld.ctx, category, lang, titles, request.args.get("sort"), request.args.get("kind") or None,
                       number, size, ld.index_facts)
    if page is None:
        return not_found(lang, category)

    def page_url(**changes) -> str:
        wanted = {"sort": page.sort, "kind": page.kind, "size": page.size if page.size != PAGE_SIZE else None}
        wanted.update(changes)
        query = urlencode({k: v for k, v in wanted.items() if v not in (None, "", 1) or k == "sort"})
        return with_language(f"{_root()}doc/{category}/?{query}", lang)

    return render("ld/index.html", lang=lang, page=page, page_url=page_url,
                  sorts=["number", "label", "date", "count"] if category == "sectie" else ["label", "date", "count"])


def lists(kind: str) -> Response:
    """GET /doc/, /id/ and /graph/: the lists of the dataset (for /graph/: the organisations, each
    with its relationship view)."""
    lang = page_language()
    ld = ld_state()
    counts = {c.category: c.count for c in home_page(ld.ctx, lang).counts} if kind != "graph" else {}
    organisations = None
    if kind == "graph":
        found = paged_index(ld.ctx, "organisatie", lang, CATEGORY_TITLES["organisatie"], "label", None, 1, 500)
        organisations = found.items if found else []
    return render("ld/lists.html", lang=lang, kind=kind, counts=counts, organisations=organisations)


def doc_lists() -> Response:
    """GET /doc/: every category's index."""
    return lists("doc")


def id_lists() -> Response:
    """GET /id/: what the things' URIs are, and the lists."""
    return lists("id")


def graph_lists() -> Response:
    """GET /graph/: the organisations with a relationship view."""
    return lists("graph")


# --------------------------------------------------------------------------- home, search, graph


def home() -> Response:
    """GET /: what the dataset is, counts, the timeline, a search box."""
    lang = page_language()
    return render("ld/home.html", lang=lang, page=home_page(ld_state().ctx, lang))


def search() -> Response:
    """GET /search?q=…: resources by label."""
    lang = page_language()
    query = request.args.get("q", "").strip()[:200]
    ld = ld_state()
    page = _search_index(ld).search(ld.ctx, query, lang)
    return render("ld/search.html", lang=lang, page=page)


def relations(ref: str) -> Response:
    """GET /graph/organisatie/{ref}: the relationship view; {ref}.json for its data."""
    as_json = ref.endswith(".json")
    ref = ref[: -len(".json")] if as_json else ref
    lang = page_language()
    parsed = parse_ref("organisatie", ref)
    ld = ld_state()
    graph = relation_graph(ld.ctx, parsed, lang) if parsed else None
    if graph is None:
        return not_found(lang, f"organisatie/{ref}")
    if as_json:
        response = jsonify(graph_json(graph, _href))
        response.vary.add("Accept-Language")
        return response
    vis = asset_url("vis-network", "vis-network.min.js")
    from kgraph.web.explore_views import relation_view_context  # issue 15: the explorer's filters here too

    return render("ld/graph.html", lang=lang, graph=graph, ref=ref, vis_network=vis, **relation_view_context(lang))

