"""Views of the dataset metadata: /catalog, /.well-known/void, /dumps/, /ns/kgraph and its shapes.

Thin adapters over kgraph.metadata: they pick a representation (HTML for browsers, an RDF
format by Accept or by a `.ttl`-style extension, with kgraph.sparql.negotiation), and cache what
they build per data version (the catalogue, VoID, the pyLODE page take tens of milliseconds to
two seconds to make, and change only with a new release or an update).

Dumps are served from the current release's dumps folder only, by exact file name (no path is
ever built from the URL). `.gz` files are served as `application/gzip`, without
`Content-Encoding`: the bytes on the wire are the file's bytes, so `curl -O`, `wget` and
`requests` save exactly the file the catalogue's size and SHA-256 describe, and no client
silently unpacks it. (rdflib's `Graph().parse(url)` reads the uncompressed variants.)
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from flask import Flask, Response, current_app, request, send_file, url_for
from werkzeug.exceptions import NotAcceptable, NotFound

from kgraph.metadata import ExecutorSource, dcat, rdfio, terms
from kgraph.metadata import catalogue as dcat_catalogue
from kgraph.metadata.services import SERVICES
from kgraph.metadata.vocabulary import ontology_html, ontology_triples, shapes_triples
from kgraph.metadata.void import void as void_of_store
from kgraph.provenance import dataset_iri
from kgraph.web import negotiation
from kgraph.web.caching import add_link
from kgraph.web.errors import echo
from kgraph.web.ld_views import page_language, render
from kgraph.web.vocabulary_page import vocabulary_parts
from kgraph.web.state import EndpointState, get_state
from kgraph.web.urls import absolute

CACHE = "kgraph.meta"
HTML = "text/html"


class MetaCache:
    """Built representations per (name, data version); one build at a time per name."""

    def __init__(self) -> None:
        self._values: dict[tuple[str, str], Any] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, name: str, version: str, build: Callable[[], Any]) -> Any:
        key = (name, version)
        if key in self._values:
            return self._values[key]
        with self._guard:
            lock = self._locks.setdefault(name, threading.Lock())
        with lock:  # a second request waits for the first build instead of repeating it
            if key not in self._values:
                for old in [k for k in self._values if k[0] == name]:
                    del self._values[old]  # keep only the current version
                self._values[key] = build()
            return self._values[key]


def init_metadata(app: Flask) -> None:
    """Attach the app's cache of built metadata representations (create_app calls it)."""
    app.extensions[CACHE] = MetaCache()


def _cache() -> MetaCache:
    return current_app.extensions[CACHE]


def _cached(name: str, build: Callable[[], Any]) -> Any:
    return _cache().get(name, get_state().data_version, build)


# --------------------------------------------------------------------------- negotiation


def _choose(ext: str | None, html: bool) -> str:
    """The media type asked for: by extension, else HTML for a browser (if offered), else Accept."""
    if ext is not None:
        if ext == "html" and html:
            return HTML
        if ext in rdfio.EXTENSIONS:
            return rdfio.EXTENSIONS[ext]
        raise NotFound(f"no .{echo(ext)} variant here; try one of .{', .'.join(rdfio.EXTENSIONS)}")
    accept = request.headers.get("Accept")
    if negotiation.wants_html(accept):
        return HTML if html else "text/turtle"
    media_type = negotiation.negotiate(negotiation.GRAPH, accept)
    if media_type is None:
        raise NotAcceptable("available as " + ", ".join(negotiation.RDF_SERIALISERS) + (", text/html" if html else ""))
    return media_type


def _alternates(response: Response, endpoint: str, html: bool, negotiated: bool, media_type: str) -> Response:
    """Vary, Content-Location and Link rel=alternate headers of a negotiated resource."""
    response.vary.add("Accept")
    extensions = {**({"html": HTML} if html else {}), **rdfio.EXTENSIONS}
    for ext, other in extensions.items():
        if other != media_type:
            add_link(response, f'<{url_for(endpoint + "_ext", ext=ext)}>; rel="alternate"; type="{other}"')
    if negotiated:
        ext = "html" if media_type == HTML else rdfio.EXTENSION_OF.get(media_type)
        if ext:
            response.headers["Content-Location"] = url_for(endpoint + "_ext", ext=ext)
    return response


def _rdf(name: str, triples: Callable[[], list[ox.Triple]], media_type: str) -> Response:
    base = get_state().settings.base
    body = _cached(f"{name}:{media_type}", lambda: rdfio.serialise(_cached(name, triples), media_type, base))
    return Response(body, content_type=negotiation.content_type_header(media_type))


# --------------------------------------------------------------------------- release files


def _dumps_folder(state: EndpointState) -> Path:
    """The dumps folder next to the served store (releases keep store/ and dumps/ side by side)."""
    return Path(state.store.store_path).parent / "dumps"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def dump_files(state: EndpointState) -> list[dict[str, Any]]:
    """Every file of the release's dumps folder: name, media type, encoding, bytes, sha256.

    The manifest describes the dumps; files it does not name (context.jsonld) are measured here.
    """
    folder = _dumps_folder(state)
    manifest = state.store.manifest
    described = {str(d["file"]): d for d in [*manifest.get("dumps", []), *manifest.get("linkset_dumps", []),
                                             *manifest.get("network", [])]}
    files = []
    for path in sorted(folder.iterdir()) if folder.is_dir() else []:
        if not path.is_file() or path.name.startswith("."):
            continue
        info = dict(described.get(path.name) or {})
        if not info:
            gz = path.name.endswith(".gz")
            stem = path.name.removesuffix(".gz").rsplit(".", 1)[-1]
            info = {"file": path.name, "media_type": rdfio.EXTENSIONS.get(stem, "application/octet-stream"),
                    "encoding": "gzip" if gz else None, "bytes": path.stat().st_size, "sha256": _sha256(path)}
        info["path"] = path
        files.append(info)
    return files


def _content_type(info: dict[str, Any]) -> str:
    if info.get("encoding") == "gzip":
        return terms.GZIP
    return negotiation.content_type_header(str(info["media_type"]))


# --------------------------------------------------------------------------- views


def _catalogue_triples() -> list[ox.Triple]:
    state = get_state()
    return dcat_catalogue(ExecutorSource(state.executor), state.settings.base, state.store.manifest)


def catalog(ext: str | None = None) -> Response:
    """GET /catalog[.ext]: the DCAT-AP catalogue as HTML (browsers) or RDF (Accept, extension)."""
    media_type = _choose(ext, html=True)
    if media_type == HTML:
        response = _catalog_page()
    else:
        response = _rdf("catalogue", _catalogue_triples, media_type)
    return _alternates(response, "meta.catalog", True, ext is None, media_type)


def _literals(triples: list[ox.Triple], subject: str, predicate: str) -> dict[str, str]:
    return {t.object.language or "": t.object.value for t in triples
            if t.subject.value == subject and t.predicate.value == predicate and isinstance(t.object, ox.Literal)}


def _catalog_page() -> Response:
    state = get_state()
    base = state.settings.base
    triples = _cached("catalogue", _catalogue_triples)
    dataset = dataset_iri(base)
    context = {
        "title": dcat.CATALOG_TITLE,
        "description": dcat.CATALOG_DESCRIPTION,
        "dataset_title": _literals(triples, dataset, terms.PREFIXES["dcterms"] + "title"),
        "dataset_description": _literals(triples, dataset, terms.PREFIXES["dcterms"] + "description"),
        "dataset_iri": dataset,
        "manifest": state.store.manifest,
        "dumps": dump_files(state),
        "contact": terms.PUBLISHER_SITE,
        "formats": {ext: media for ext, media in rdfio.EXTENSIONS.items()},
        # Every data service of the catalogue, linked on the serving host.
        "services": [{"title_nl": s.title[0], "title_en": s.title[1], "url": absolute(s.endpoint),
                      "standard": s.standard, "standard_title": s.standard_title} for s in SERVICES],
    }
    return render("meta_catalog.html", lang=page_language(), **context)


def void_description() -> Response:
    """GET /.well-known/void: the VoID description in an RDF format by Accept (Turtle by default,
    also for browsers)."""
    state = get_state()
    media_type = _choose(None, html=False)

    def build() -> list[ox.Triple]:
        # the store's statistics, and its linksets (kgraph.metadata.linksets)
        return void_of_store(ExecutorSource(state.executor), state.settings.base, state.store.manifest)

    response = _rdf("void", build, media_type)
    response.vary.add("Accept")
    return response


def dumps_index() -> Response:
    """GET /dumps/: the files of the current release with their sizes and checksums."""
    state = get_state()
    return render("meta_dumps.html", lang=page_language(), dumps=dump_files(state), manifest=state.store.manifest)


def dump_file(filename: str) -> Response:
    """GET /dumps/<file>: one file of the release's dumps folder, by its exact name.

    ETag is the file's SHA-256 (as in the catalogue), Last-Modified its modification time; Range,
    If-Range, If-None-Match and If-Modified-Since are answered by send_file(conditional=True).
    """
    state = get_state()
    info = next((d for d in dump_files(state) if d["file"] == filename), None)
    if info is None:
        raise NotFound(f"there is no dump file named {echo(filename)}; see /dumps/")
    path: Path = info["path"]
    response = send_file(
        path,
        mimetype=_content_type(info),
        conditional=True,
        etag=str(info["sha256"]),
        last_modified=path.stat().st_mtime,
        max_age=0 if state.update_enabled else state.settings.cache_max_age,
    )
    # send_file appends its own charset to text/* and +xml types: the header we chose stands alone.
    response.headers["Content-Type"] = _content_type(info)
    response.cache_control.public = True
    return response


def _ontology() -> list[ox.Triple]:
    state = get_state()
    return ontology_triples(ExecutorSource(state.executor), state.settings.base)


def vocabulary(ext: str | None = None) -> Response:
    """GET /ns/kgraph[.ext]: the ontology, documented by pyLODE for browsers, RDF by Accept."""
    media_type = _choose(ext, html=True)
    if media_type == HTML:
        lang = page_language()
        page = _cached(f"ontology.html:{lang}", lambda: ontology_html(_cached("ontology", _ontology), lang))
        response = render("meta_vocabulary.html", lang=lang, **vocabulary_parts(page))
    else:
        response = _rdf("ontology", _ontology, media_type)
    add_link(response, f'<{url_for("meta.shapes")}>; rel="describedby"; type="text/turtle"')
    return _alternates(response, "meta.vocabulary", True, ext is None, media_type)


def shapes(ext: str | None = None) -> Response:
    """GET /ns/kgraph/shapes[.ext]: the SHACL shapes the data is validated with (Turtle by default)."""
    settings = get_state().settings
    media_type = _choose(ext, html=False)
    response = _rdf("shapes", lambda: shapes_triples(settings.shapes_dir, settings.base), media_type)
    return _alternates(response, "meta.shapes", False, ext is None, media_type)
