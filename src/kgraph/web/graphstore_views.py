"""The /store views: the SPARQL 1.1 Graph Store HTTP Protocol as a thin adapter over kgraph.graphstore.

    /store?default | /store?graph=IRI     indirect identification (GSP 4.2)
    /store/{path}                         direct identification: the graph IRI is the request URL
                                          ({public root}store/{path}, GSP 4.1)
    POST /store                           a new graph {root}store/{uuid}, 201 with its Location

GET and HEAD by content negotiation (the RDF formats /sparql writes for CONSTRUCT), 404 for a
graph the store does not hold. PUT, POST and DELETE need the update token, checked exactly as
for a SPARQL Update on /sparql (401 with WWW-Authenticate: Bearer, 403 for a wrong token); a
read-only server answers them 405 with `Allow`. Bodies are bounded by max_body_bytes (413), as
on /sparql: Flask's MAX_CONTENT_LENGTH covers every route.
"""

from __future__ import annotations

import uuid
from urllib.parse import quote

from flask import Response, request
from werkzeug.exceptions import MethodNotAllowed, NotAcceptable
from werkzeug.wsgi import wrap_file

from kgraph import graphstore
from kgraph.graphstore import GraphTarget, Payload
from kgraph.sparql.errors import GraphIdentificationError, PayloadSyntaxError
from kgraph.web import negotiation
from kgraph.web.sparql_views import _cache_headers, _check_token, _etag, _not_modified
from kgraph.web.state import EndpointState, get_state
from kgraph.web.urls import public_root

READ_METHODS = ("GET", "HEAD", "OPTIONS")
MULTIPART = "multipart/form-data"


def _store_url(path: str = "") -> str:
    # Percent-encode what an IRI may not hold as such (spaces, quotes); keep the path's own syntax.
    return public_root() + "store" + ("/" + quote(path, safe="/:@!$&'()*+,;=~%-._") if path else "")


def _indirect_target() -> GraphTarget | None:
    """?default or ?graph=IRI (exactly one), or None when the request names neither."""
    graphs = request.args.getlist("graph")
    has_default = "default" in request.args
    if len(graphs) > 1 or (graphs and has_default):
        raise GraphIdentificationError("name one graph: either ?default or one ?graph=IRI")
    if has_default:
        return GraphTarget.default()
    if graphs:
        return GraphTarget.named(graphs[0], "the 'graph' parameter")
    return None


def _check_write(state: EndpointState) -> None:
    """A write needs updates enabled (else 405 + Allow) and the token (as /sparql checks it)."""
    if not state.update_enabled:
        raise MethodNotAllowed(
            valid_methods=list(READ_METHODS),
            description="this Graph Store serves a published, read-only release of the data (no update "
                        "token is configured): only GET and HEAD are answered. To change the data, edit "
                        "the sources and rebuild",
        )
    _check_token(state)


def _payloads() -> list[Payload]:
    """The request's RDF documents: the body, or each file part of a multipart/form-data body."""
    if request.mimetype == MULTIPART:
        parts = [Payload(part.read(), part.mimetype, f"the part {part.name!r}")
                 for part in request.files.values()]
        if request.form:
            name = next(iter(request.form))
            raise PayloadSyntaxError(
                f"the multipart part {name!r} has no file name: send each RDF document as a file part with its Content-Type")
        return parts
    return [Payload(request.get_data(cache=False), request.mimetype)]


def _read(state: EndpointState, target: GraphTarget) -> Response:
    accept = request.headers.get("Accept")
    format_values = [v for name in negotiation.FORMAT_PARAMS for v in request.args.getlist(name) if v]
    media_type = negotiation.negotiate(negotiation.GRAPH, accept, format_values or None)
    if media_type is None:
        raise NotAcceptable("a graph is available as " + ", ".join(negotiation.RDF_SERIALISERS))
    etag = _etag(state, "graph-store", target.iri, media_type)
    if _not_modified(etag):
        return _cache_headers(Response(status=304), state, etag)
    result = graphstore.get(state.executor, target, media_type)
    body = result.open_body()
    response = Response(wrap_file(request.environ, body), direct_passthrough=True,
                        content_type=negotiation.content_type_header(media_type))
    response.call_on_close(body.close)
    response.content_length = result.size
    return _cache_headers(response, state, etag)


def _write(state: EndpointState, target: GraphTarget | None) -> Response:
    _check_write(state)
    executor = state.executor
    if request.method == "DELETE":
        graphstore.delete(executor, target)
        return Response(status=204)
    location = None
    if target is None:  # POST to the service itself: a new graph (GSP 5.5)
        location = _store_url(uuid.uuid4().hex)
        target = GraphTarget.named(location)
    triples = graphstore.parse_payloads(_payloads(), target.iri or request.base_url)
    operation = graphstore.put if request.method == "PUT" else graphstore.post
    created = operation(executor, target, triples)
    response = Response(status=201 if created else 204)
    if location:
        response.headers["Location"] = location
    return response


def _answer(target: GraphTarget | None) -> Response:
    state = get_state()
    if request.method in ("GET", "HEAD"):
        if target is None:
            raise GraphIdentificationError("name the graph: /store?default, /store?graph=IRI or /store/{path}")
        return _read(state, target)
    if target is None and request.method != "POST":
        raise GraphIdentificationError(f"a {request.method} names its graph: ?default or ?graph=IRI")
    return _write(state, target)


def indirect():
    """GET/HEAD/PUT/POST/DELETE /store?default, /store?graph=IRI; POST /store makes a new graph."""
    return _answer(_indirect_target())


def direct(graph_path: str):
    """GET/HEAD/PUT/POST/DELETE /store/{path}: the graph whose IRI is this URL."""
    if "graph" in request.args or "default" in request.args:
        raise GraphIdentificationError("a graph's own URL (/store/…) takes no ?graph or ?default")
    return _answer(GraphTarget.named(_store_url(graph_path)))
