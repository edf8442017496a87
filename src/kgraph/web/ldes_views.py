"""The history over HTTP: the Linked Data Event Stream, version IRIs and change pages.

    /ldes                                  the ldes:EventStream (its tree:view, paths, licence, dates)
    /ldes/view                             the view: one time-bounded page per release
    /ldes/{stamp}/{n}                      a page of a release's members
    /ldes/release/{stamp}[.nq]             what changed in a release: HTML, or its members (the
                                           machine-readable change log, a catalogue distribution)
    /id/{category}/{ref}/versie/{stamp}    303 -> /doc/{category}/{ref}/versie/{stamp}
    /doc/{category}/{ref}/versie/{stamp}   a version's description (TriG, N-Quads, Turtle, JSON-LD, HTML)
    /ldes/sparql                           SPARQL over every version, a named graph each (read-only)

RDF by Accept (TriG, N-Quads, Turtle, JSON-LD; `format=` too). Pages of earlier releases never
change: `Cache-Control: public, max-age=31536000, immutable`; the stream, the view and the
newest release's pages are short-lived, each with a strong ETag from its bytes. The documents
themselves come from kgraph.history (no HTTP there); this module only negotiates and frames.
"""

from __future__ import annotations

import hashlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from flask import Response, redirect, request, send_file
from werkzeug.exceptions import Forbidden

from kgraph.history import terms
from kgraph.history import stream
from kgraph.history.index import HistoryIndex
from kgraph.namespaces import all_prefixes
from kgraph.sparql.cache import ResultCache
from kgraph.web import negotiation
from kgraph.web.errors import echo, text_response
from kgraph.web.ld_views import page_language, render
from kgraph.web.state import get_state
from kgraph.web.urls import public_root

IMMUTABLE = "public, max-age=31536000, immutable"
FORMATS = {  # media type -> pyoxigraph format, in the server's order of preference
    "application/trig": "TRIG",
    "application/n-quads": "N_QUADS",
    "text/turtle": "TURTLE",
    "application/ld+json": "JSON_LD",
}
EXTENSIONS = {"trig": "application/trig", "nq": "application/n-quads", "ttl": "text/turtle",
              "jsonld": "application/ld+json", "html": "text/html"}


@contextmanager
def history_index() -> Iterator[HistoryIndex | None]:
    """The served release's history index (None when it has none), for one request."""
    folder = Path(get_state().store.store_path).parent
    index = HistoryIndex.of_release(folder)
    try:
        yield index
    finally:
        if index is not None:
            index.close()


def _short_lived() -> str:
    """Cache-Control of what a new release changes: the stream, the view, the newest pages."""
    return f"public, max-age={get_state().settings.cache_max_age}, must-revalidate"


def _no_history() -> Response:
    return text_response(404, "Not found: this release has no history (it was built before the history was kept)")


def _media_type(extension: str | None = None, html: bool = False) -> str | None:
    if extension:
        return EXTENSIONS.get(extension)
    available = (["text/html"] if html else []) + list(FORMATS)
    if html and not request.accept_mimetypes.accept_html and not request.args.get("format"):
        available = list(FORMATS) + ["text/html"]
    return negotiation.choose(request.headers.get("Accept"), available, request.args.getlist("format"))


def _not_acceptable() -> Response:
    return text_response(406, "Not acceptable: the stream is available as " + ", ".join(FORMATS), Vary="Accept")


def _rdf(quads, media_type: str, cache_control: str) -> Response:
    body = stream.serialise(quads, FORMATS[media_type], all_prefixes(get_state().settings.base)
                            | {"tree": terms.TREE, "ldes": terms.LDES})
    response = Response(body, content_type=negotiation.content_type_header(media_type))
    response.headers["Cache-Control"] = cache_control
    response.set_etag(hashlib.sha256(body).hexdigest()[:32])
    response.vary.add("Accept")
    return response.make_conditional(request)


def _short_lived_document(make) -> Response:
    """A stream document that changes with every release (make(root, index) -> RDF), by Accept."""
    media_type = _media_type()
    if media_type is None:
        return _not_acceptable()
    with history_index() as index:
        if index is None:
            return _no_history()
        return _rdf(make(public_root(), index), media_type, _short_lived())


def event_stream() -> Response:
    """GET /ldes."""
    return _short_lived_document(stream.event_stream)


def view() -> Response:
    """GET /ldes/view."""
    return _short_lived_document(stream.view)


def page(stamp: str, number: int) -> Response:
    """GET /ldes/{stamp}/{n}: immutable unless it belongs to the newest release."""
    media_type = _media_type()
    if media_type is None:
        return _not_acceptable()
    with history_index() as index:
        if index is None:
            return _no_history()
        release = index.release(stamp)
        quads = stream.page(public_root(), index, release, number) if release else None
        if quads is None:
            return text_response(404, f"Not found: the stream has no page {number} for release {echo(stamp)}")
        newest = index.releases()[-1].stamp == stamp
        return _rdf(quads, media_type, _short_lived() if newest else IMMUTABLE)


def version_redirect(category: str, ref: str, stamp: str) -> Response:
    """GET /id/{category}/{ref}/versie/{stamp}: the version is described by its document (only
    a version the history has is redirected, so no client text goes into a Location)."""
    resource = f"{get_state().settings.base}id/{category}/{ref}"
    with history_index() as index:
        member = index.member(terms.version_iri(resource, stamp)) if index else None
    if member is None:
        return text_response(404, "Not found: no such version of this resource")
    return redirect(_version_url(member), code=303)


def version_document(category: str, ref: str, stamp: str) -> Response:
    """GET /doc/{category}/{ref}/versie/{stamp}[.ext]: what the resource said at that release."""
    stamp, _, extension = stamp.partition(".")
    media_type = _media_type(extension or None, html=True)
    if media_type is None:
        return _not_acceptable()
    base = get_state().settings.base
    resource = f"{base}id/{category}/{ref}"
    with history_index() as index:
        member = index.member(terms.version_iri(resource, stamp)) if index else None
        if member is None:
            return text_response(404, "Not found: no such version of this resource")
        if media_type == "text/html":
            added, removed = stream.change_of(index, member)
            versions = index.versions_of(resource)
            response = render("ld/version.html", lang=page_language(), member=member, added=added,
                              removed=removed, versions=versions, time=terms.xsd_datetime(member.stamp),
                              doc=f"{public_root()}doc/{category}/{ref}")
            response.headers["Cache-Control"] = IMMUTABLE
            response.vary.add("Accept")
            return response
        return _rdf(stream.version_quads(index, member), media_type, IMMUTABLE)


CHANGES_LISTED = 500  # rows of the HTML change page; the change log has every member


def release_changes(stamp: str) -> Response:
    """GET /ldes/release/{stamp}[.nq|.html]: what changed in a release, for people (HTML, the
    first CHANGES_LISTED members with the statements each added and removed), or its change log:
    the release's members as the log holds them (N-Quads, each version in its named graph)."""
    stamp, _, extension = stamp.partition(".")
    if extension:
        media_type = {"nq": "application/n-quads", "html": "text/html"}.get(extension)
    else:
        media_type = negotiation.choose(request.headers.get("Accept"), ["text/html", "application/n-quads"],
                                        request.args.getlist("format"))
    if media_type is None:
        return text_response(406, "Not acceptable: a release's changes are available as text/html and "
                                  "application/n-quads", Vary="Accept")
    with history_index() as index:
        release = index.release(stamp) if index else None
        if release is None:
            return text_response(404, "Not found: no such release in the history")
        newest = index.releases()[-1].stamp == stamp
        caching = _short_lived() if newest else IMMUTABLE
        if media_type == "application/n-quads":
            response = send_file(index.members_file(release), mimetype="application/n-quads", conditional=True,
                                 etag=release.members_sha256[:32], max_age=None)
            response.headers["Cache-Control"] = caching
            return response
        members = index.members(stamp, 0, min(release.members, CHANGES_LISTED))
        changes = [(m, *stream.change_of(index, m)) for m in members]
        response = render("ld/changes.html", lang=page_language(), release=release, changes=changes,
                          time=terms.xsd_datetime(stamp), releases=index.releases(), listed=CHANGES_LISTED)
        response.headers["Cache-Control"] = caching
        response.vary.add("Accept")
        return response


def gone(category: str, ref: str) -> Response | None:
    """410 Gone for a resource the history says was deleted, linking its last version; None if
    the history does not know it as deleted (then it is simply not found)."""
    resource = f"{get_state().settings.base}id/{category}/{ref}"
    with history_index() as index:
        versions = index.versions_of(resource) if index else []
    if not versions or versions[-1].kind != terms.DELETED:
        return None
    last = [m for m in versions if m.kind != terms.DELETED]
    text = f"Gone: {resource} was removed in the release of {terms.xsd_datetime(versions[-1].stamp)}."
    response = text_response(410, text + (f"\nIts last version: {_version_url(last[-1])}" if last else ""))
    if last:
        response.headers["Link"] = f'<{_version_url(last[-1])}>; rel="predecessor-version"'
    return response


def _version_path(member) -> str:
    """The version's document, relative to the site's root ("doc/{category}/{ref}/versie/{stamp}")."""
    base = get_state().settings.base
    return member.version[len(base):].replace("id/", "doc/", 1)


def _version_url(member) -> str:
    return public_root() + _version_path(member)


def versions_of(iri: str) -> list[dict]:
    """What a resource page lists of its versions: when, the link, and statements added and removed."""
    with history_index() as index:
        if index is None:
            return []
        listed = []
        for member in index.versions_of(iri):
            added, removed = stream.change_of(index, member)
            listed.append({"time": terms.xsd_datetime(member.stamp), "kind": member.kind, "url": _version_url(member),
                           "path": _version_path(member), "added": added, "removed": removed})
        return listed


@dataclass
class _HistoryEndpoint:
    """What kgraph.web.sparql_views.run_query needs of an endpoint, for the history store."""

    settings: object
    executor: object
    cache: ResultCache
    data_version: str
    update_enabled: bool = False


def sparql() -> Response:
    """GET/POST /ldes/sparql: SPARQL queries over every version (a named graph each), read-only."""
    from kgraph.web.sparql_views import read_operation, run_query

    state = get_state()
    served = state.served
    executor = served.history_executor()
    if executor is None:
        return _no_history()
    operation = read_operation()
    if operation.kind == "update":
        raise Forbidden("the history is read-only: it is written by the build, never by SPARQL Update")
    if operation.kind is None:
        return text_response(200, HISTORY_SPARQL_HELP)
    endpoint = _HistoryEndpoint(state.settings, executor, ResultCache(Path(executor.tmp_dir) / "none", 0),
                                f"history-{served.store.version}")
    return run_query(endpoint, operation)


HISTORY_SPARQL_HELP = """SPARQL over the history of the data (read-only): every version of every resource is a
named graph, named by its version IRI ({resource}/versie/{stamp}), holding the resource's statements
about the version IRI, dcterms:isVersionOf the resource and prov:generatedAtTime the release time;
a removal is a version typed as:Delete. Send a query as ?query=... (GET or POST), e.g.

  SELECT ?version ?time WHERE { GRAPH ?version { ?version dcterms:isVersionOf <resource> ;
                                                    prov:generatedAtTime ?time } } ORDER BY ?time
"""
