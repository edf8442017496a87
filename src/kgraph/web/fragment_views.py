"""GET /fragments: Triple (Quad) Pattern Fragments of the served release (kgraph.fragments).

RDF by content negotiation (TriG and N-Quads keep the metadata graph apart from the data; Turtle,
N-Triples and JSON-LD flatten it), an HTML view for people (the pattern fields, the matching
triples with links, paging), `Vary: Accept`. The ETag depends only on the data version, the
media type and the canonical page URL, so a conditional request is answered 304 before any
matching is done; Cache-Control, the licence Link and CORS come from the app's common hooks.
Per app (Fragments, attached by init_fragments), match counts, listings of fragments of several
pages (kgraph.fragments.matching) and serialised RDF pages are kept per data version (bounded):
a page is the same for every request to a release; pages are read from each worker's in-memory
copy of a small enough release (kgraph.fragments.memory). A plain
GET of an RDF page is answered by Fragments.answer from kgraph.web.front before Flask runs, with
the answer this view gives (tests/fragments/test_fast_path.py).

A term in the URL that is none (an IRI that is not absolute, an unclosed literal, a bad language
tag) or a page that is not a positive number: 400 naming the parameter.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import quote, unquote_plus

import pyoxigraph as ox
from flask import Response, current_app, request
from werkzeug.exceptions import BadRequest, NotAcceptable
from werkzeug.wrappers import Request as WerkzeugRequest

from kgraph.config import Settings
from kgraph.fragments import (FragmentContext, FragmentTermError, Pattern, QueryMatcher, StoreMatcher,
                              fragment_url, page_document, parse_pattern, search_template)
from kgraph.fragments import matching, text
from kgraph.fragments.controls import HYDRA, SD
from kgraph.fragments.memory import MemoryCopies
from kgraph.fragments.pattern import DEFAULT_GRAPH
from kgraph.fragments.skolem import genid_prefix, skolemise_statements
from kgraph.fragments.terms import term_to_string
from kgraph.metadata import rdfio
from kgraph.namespaces import dataset_prefixes
from kgraph.provenance import LICENCE, dataset_iri
from kgraph.query_source import StoreSource
from kgraph.sparql import negotiation as tables
from kgraph.sparql.store import NQUADS_DUMP
from kgraph.web import negotiation
from kgraph.web.caching import CONDITIONAL_HEADERS, weak_etag
from kgraph.web.errors import echo
from kgraph.web.ld_views import page_language, render
from kgraph.web.state import EXTENSION, get_state
from kgraph.web.urls import public_root

WERKZEUG_ERRORS = "werkzeug.url_quote"  # the codec error handler werkzeug reads query strings with
FRAGMENTS = "kgraph.fragments"  # app.extensions: the app's Fragments
TRIG_PREFIXES = ("rdf", "rdfs", "xsd", "dcterms", "foaf", "prov", "void")
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


class BoundedCache:
    """Values per key, at most `budget` of their weight (len: a page's bytes, a listing's
    statements) kept, least recently used first out; a value of more than a sixteenth of the
    budget is not kept. A release's fragments never change, and clients such as Comunica ask
    for the same ones again (the predicate fragments, in every query) and page through them."""

    def __init__(self, budget: int):
        self.budget = budget
        self._values: OrderedDict[Any, Any] = OrderedDict()
        self._weight = 0
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def put(self, key: Any, value: Any) -> None:
        if len(value) > self.budget // 16:
            return
        with self._lock:
            if key in self._values:
                return
            self._values[key] = value
            self._weight += len(value)
            while self._weight > self.budget:
                _, old = self._values.popitem(last=False)
                self._weight -= len(old)


class ReleaseListings:
    """The listings (kgraph.fragments.matching) of one release, kept in the app's BoundedCache."""

    def __init__(self, kept: BoundedCache, version: str):
        self._kept, self._version = kept, version

    def get(self, key: Pattern) -> list | None:
        return self._kept.get((self._version, key))

    def put(self, key: Pattern, value: list) -> None:
        self._kept.put((self._version, key), value)


# A client sends the same Accept header with every fragment it asks for (Comunica: hundreds a
# query), and parsing and matching it cost a tenth of a fragment's time: the answer is a pure
# function of the header, kept for the last headers seen.
@lru_cache(maxsize=256)
def _media_type_for(accept: str | None) -> str | None:
    if negotiation.wants_html(accept):
        return HTML
    picked = negotiation.choose(accept, (*OFFERED, *ALIASES))
    return tables.canonical(picked, tables.GRAPH) if picked is not None else None


def media_type(accept: str | None) -> str:
    """The media type a request's Accept header gets (HTML or one of OFFERED); 406 if none."""
    picked = _media_type_for(accept)
    if picked is None:
        raise NotAcceptable("fragments are available as " + ", ".join(OFFERED) + " and text/html")
    return picked


@lru_cache(maxsize=64)  # a few hosts a server answers for
def _request_root(scheme: str, host: str | None, server_name: str | None, server_port: str | None,
                  script_name: str) -> str:
    environ = {"wsgi.url_scheme": scheme, "SCRIPT_NAME": script_name}
    for name, value in (("HTTP_HOST", host), ("SERVER_NAME", server_name), ("SERVER_PORT", server_port)):
        if value is not None:
            environ[name] = value
    return WerkzeugRequest(environ, populate_request=False).root_url


def request_root(environ: dict[str, Any]) -> str:
    """The request's root URL (werkzeug's Request.url_root, made once per host and scheme);
    werkzeug's SecurityError for a Host it rejects."""
    return _request_root(environ["wsgi.url_scheme"], environ.get("HTTP_HOST"), environ.get("SERVER_NAME"),
                         environ.get("SERVER_PORT"), environ.get("SCRIPT_NAME", ""))


DEFAULT_GRAPH_PARAMETER = quote(DEFAULT_GRAPH, safe="")  # "urn%3Aldf%3AdefaultGraph"


def first_values(query: str) -> dict[str, str]:
    """Each parameter's first value of an ASCII query string, as werkzeug's request.args.get
    gives it ('+' a space, %XX as UTF-8, bytes that are none left percent-encoded: werkzeug's own
    error handler), decoding only what needs it (parse_qsl decodes every part)."""
    args: dict[str, str] = {}
    for part in query.split("&"):
        if not part:
            continue
        name, _, value = part.partition("=")
        if "%" in name or "+" in name:
            name = unquote_plus(name, errors=WERKZEUG_ERRORS)
        if name not in args:
            if value == DEFAULT_GRAPH_PARAMETER:  # in every URL Comunica builds: decoded once
                args[name] = DEFAULT_GRAPH
            else:
                args[name] = unquote_plus(value, errors=WERKZEUG_ERRORS) if "%" in value or "+" in value else value
    return args


class Fragments:
    """The fragments of one app: their match counts and RDF pages kept per data version, and the
    RDF answer to a request, made without Flask (the view below and kgraph.web.front's fast path,
    which answers a plain GET of an RDF fragment before Flask runs, both call it)."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.counts = CountCache()
        self.pages = BoundedCache(64 << 20)  # serialised pages, bytes
        # Listings of fragments of several pages, statements: about 0.3 kB each (measured), so
        # some 30 MB a worker at most, a hundred listings of the largest kind.
        self.listings = BoundedCache(100_000)
        self.copies = MemoryCopies(settings.fragment_memory_quads)
        self._dumps: dict[str, Path] = {}
        self._prefixes: dict[str, dict[str, str]] = {}
        self._genid = genid_prefix(settings.base)

    def pattern_and_page(self, args: Mapping[str, str]) -> tuple[Pattern, int]:
        """The pattern and page number a request's parameters name (400 naming a bad one)."""
        try:
            pattern = parse_pattern(args, self._genid)
        except FragmentTermError as exc:
            raise BadRequest(f"parameter {exc.parameter!r}: {echo(exc.value)} is no term here: {exc.reason}") from None
        page = args.get("page", "1")
        if not page.isdigit() or not 1 <= int(page) <= MAX_PAGE:
            raise BadRequest(f"parameter 'page': {echo(page)} is not a page number (1 to {MAX_PAGE})")
        return pattern, int(page)

    def etag(self, served: Any, media_type: str, url: str, language: str = "") -> str:
        """The page's validator: it depends only on the data version, the media type, the page
        size, the canonical page URL (and an HTML page's language)."""
        size = self.settings.fragment_page_size
        return weak_etag(served.data_version, f"{media_type}\n{size}\n{url}\n{language}".encode())

    def context(self, served: Any, root: str) -> FragmentContext:
        """What a page's metadata needs beyond the page (see FragmentContext)."""
        return FragmentContext(root, LICENCE, served.store.manifest.get("built_at"), dataset_iri(self.settings.base),
                               self._genid)

    def page(self, served: Any, pattern: Pattern, number: int) -> matching.FragmentPage:
        """Page `number` of the pattern's matches in the served release (400 for a pattern this
        server cannot match)."""
        source = served.linked_data_source()
        if isinstance(source, StoreSource):
            matcher: matching.Matcher = StoreMatcher(source.store, self.memory_store(served),
                                                     ReleaseListings(self.listings, served.data_version))
        else:
            matcher = QueryMatcher(source)
        key = (served.data_version, pattern)
        try:
            counted = self.counts.get(key)
            page = matching.page(matcher, pattern, number, self.settings.fragment_page_size, counted)
            if counted is None:
                self.counts.put(key, (page.total, page.exact))
            return page
        except matching.BlankNodeUnsupported as exc:
            raise BadRequest(f"parameter 'subject' or 'object': {exc}") from None
        except SyntaxError as exc:  # a term pyoxigraph accepts but SPARQL cannot write (none known)
            raise BadRequest(f"the pattern cannot be matched: {exc}") from None

    def memory_store(self, served: Any) -> ox.Store | None:
        """The served release's in-memory copy when it is ready (kgraph.fragments.memory; started
        here for a read-only embedded release small enough); None: read pages from disk."""
        if served.remote or served.executor.writable:
            return None
        store = served.store
        dump = self._dumps.get(store.version)
        if dump is None:  # a Path made once per release, not on every page
            dump = self._dumps[store.version] = Path(store.store_path).parent / "dumps" / NQUADS_DUMP
        return self.copies.store_for(store.version, dump, store.manifest.get("quads"))

    def rdf(self, served: Any, pattern: Pattern, number: int, media_type: str, root: str,
            url: str) -> tuple[bytes, bool]:
        """The page's RDF in `media_type` (one of OFFERED), and whether it was kept already."""
        key = (served.data_version, media_type, url)
        body = self.pages.get(key)
        if body is not None:
            return body, True
        page = self.page(served, pattern, number)
        context = self.context(served, root)
        if media_type in text.FORMATS:
            body = text.write_page(page, context, media_type, self.prefixes(media_type))
        else:
            body = _serialise(page_document(page, context), media_type, self.prefixes(media_type))
        self.pages.put(key, body)
        return body, False

    def prefixes(self, media_type: str) -> dict[str, str]:
        """The prefixes a page declares: a Turtle page the dataset's, the metadata's and hydra's;
        a TriG page only those its metadata graph uses (TriG pages are the ones clients ask for
        by the thousand, and 26 prefixes would be 1.4 kB more of each; people read the HTML)."""
        if media_type not in self._prefixes:
            base = self.settings.base
            names = TRIG_PREFIXES if media_type == text.TRIG else PAGE_PREFIXES
            made = {"hydra": HYDRA, "sd": SD, **{name: rdfio.prefixes(base)[name] for name in names}}
            self._prefixes[media_type] = made if media_type == text.TRIG else {**made, **dataset_prefixes(base)}
        return self._prefixes[media_type]

    def answer(self, environ: dict[str, Any], served: Any) -> tuple[list[tuple[str, str]], bytes] | None:
        """For kgraph.web.front: the headers and body of a plain GET of an RDF fragment page
        (the view's answer to it, but for the headers Front adds to every answer), or None when
        the view is to answer (HTML, a conditional request, a bad parameter, a server taking
        updates or on an external engine: whatever the view does beyond the common case)."""
        if served.remote or served.executor.writable or not environ.keys().isdisjoint(CONDITIONAL_HEADERS):
            return None
        picked = _media_type_for(environ.get("HTTP_ACCEPT"))
        if picked is None or picked == HTML:
            return None
        query = environ.get("QUERY_STRING", "")
        if not query.isascii():  # raw bytes in the URL: werkzeug's reading of them, in the view
            return None
        args = first_values(query)
        try:
            pattern, number = self.pattern_and_page(args)
            if self.settings.public_base:
                root, vary = self.settings.public_base, "Accept"
            else:
                root, vary = request_root(environ), "Accept, Host"
            url = fragment_url(root, pattern, number)
            body, kept = self.rdf(served, pattern, number, picked, root, url)
        except Exception:  # noqa: BLE001  a bad parameter or Host, a store error: the view answers it, through the
            return None    # app's one error handler (its 400 naming the parameter, a clean 500)
        headers = [("Content-Type", tables.content_type_header(picked)), ("Content-Length", str(len(body)))]
        if kept:
            headers.append(("X-Cache", "HIT"))
        headers += [("ETag", f'W/"{self.etag(served, picked, url)}"'), ("Vary", vary)]
        return headers, body


def init_fragments(app: Any, settings: Settings) -> Fragments:
    """Attach the app's fragments (caches per data version, in-memory copies), for the view and
    kgraph.web.front; the copy of the release served now is started at once (a later release's
    on its first fragment)."""
    fragments = app.extensions[FRAGMENTS] = Fragments(settings)
    fragments.memory_store(app.extensions[EXTENSION].served_for({}))
    return fragments


def _serialise(quads: list[ox.Quad], media_type: str, prefixes: dict[str, str]) -> bytes:
    fmt = getattr(ox.RdfFormat, tables.serialiser_name(media_type))
    if media_type in QUAD_TYPES:
        return ox.serialize(quads, format=fmt)
    triples = list(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads))
    if media_type == "text/turtle":
        return ox.serialize(triples, format=fmt, prefixes=prefixes)
    return ox.serialize(triples, format=fmt)


def fragments() -> Response:
    """GET /fragments?subject=&predicate=&object=&graph=&page=: one page of a quad pattern's matches."""
    state = get_state()
    served = state.served
    answers: Fragments = current_app.extensions[FRAGMENTS]
    pattern, number = answers.pattern_and_page(request.args)
    picked = media_type(request.headers.get("Accept"))
    root = public_root()
    url = fragment_url(root, pattern, number)
    etag = answers.etag(served, picked, url, page_language() if picked == HTML else "")
    if request.if_none_match.contains_weak(etag):
        response = Response(status=304)
        response.set_etag(etag, weak=True)
        response.vary.add("Accept")
        return response
    if picked == HTML:
        response = _html(answers.page(served, pattern, number), answers.context(served, root), url)
    else:
        body, kept = answers.rdf(served, pattern, number, picked, root, url)
        response = Response(body, content_type=tables.content_type_header(picked))
        if kept:
            response.headers["X-Cache"] = "HIT"
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
            for q in skolemise_statements(page.quads, context.genid)]
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
                  first_item=(page.number - 1) * page.size + (1 if page.statements else 0),
                  last_item=(page.number - 1) * page.size + len(page.statements))
