"""The /sparql view: the SPARQL 1.1 Protocol as a thin adapter over kgraph.sparql.

Reads the operation from the request (GET, POST form, POST direct), negotiates the format, checks
SERVICE/LOAD and the update token, then hands the text to the executor and streams its result.
Errors are raised as exceptions and turned into responses by kgraph.web.errors.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field

from flask import Response, request
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import BadRequest, Forbidden, NotAcceptable, Unauthorized, UnsupportedMediaType
from werkzeug.wsgi import wrap_file

from kgraph.sparql import guard
from kgraph.sparql.cache import CachedAnswer
from kgraph.sparql.protocol import add_using
from kgraph.sparql.service_description import describe, serialise
from kgraph.web import negotiation
from kgraph.web.errors import echo
from kgraph.web.render_once import dynamic
from kgraph.web.state import EndpointState, get_state
from kgraph.web.ui_views import render_ui
from kgraph.web.urls import external_url

FORM = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"


@dataclass
class Operation:
    """What a protocol request asks for."""

    kind: str | None  # "query", "update" or None (no operation: the service description)
    text: str = ""
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    using: list[str] = field(default_factory=list)
    using_named: list[str] = field(default_factory=list)


def _one(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise BadRequest(f"the request has {len(values)} '{name}' parameters; send exactly one")
    return values[0] if values else None


def _check_charset() -> None:
    charset = (request.mimetype_params.get("charset") or "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"charset {echo(charset)} is not supported: send the body in UTF-8")


def _body_text() -> str:
    _check_charset()
    try:
        return request.get_data(cache=False).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(f"the request body is not valid UTF-8 ({exc.reason} at byte {exc.start})") from None


def read_operation() -> Operation:
    """The operation and dataset of the request, per SPARQL 1.1 Protocol sections 2.1 and 2.2."""
    args = request.args
    if request.method in ("GET", "HEAD"):  # HEAD is GET without the body (RFC 9110 9.3.2)
        if "update" in args:
            raise BadRequest(f"SPARQL Update must be sent with POST, not {request.method}")
        params, query, update = args, _one(args.getlist("query"), "query"), None
    else:
        mimetype = request.mimetype
        if mimetype == FORM:
            _check_charset()
            form = request.form
            params = form
            query = _one(form.getlist("query") + args.getlist("query"), "query")
            update = _one(form.getlist("update") + args.getlist("update"), "update")
        elif mimetype == QUERY_TYPE:
            params, query, update = args, _body_text(), None
        elif mimetype == UPDATE_TYPE:
            params, query, update = args, None, _body_text()
        else:
            raise UnsupportedMediaType(
                f"a POST to this endpoint must be {FORM}, {QUERY_TYPE} or {UPDATE_TYPE}"
                + (f", not {echo(mimetype)}" if mimetype else " (no Content-Type was sent)")
            )
    if query is not None and update is not None:
        raise BadRequest("the request has both a query and an update; send one")

    def merged(name: str) -> list[str]:
        values = args.getlist(name) + (params.getlist(name) if params is not args else [])
        return [v for v in values if v]

    if query is not None:
        return Operation("query", query, merged("default-graph-uri"), merged("named-graph-uri"))
    if update is not None:
        return Operation("update", update, using=merged("using-graph-uri"), using_named=merged("using-named-graph-uri"))
    if request.method == "POST":
        raise BadRequest("the request has no 'query' or 'update'")
    return Operation(None)


def _endpoint_url() -> str:
    return external_url("sparql.query")


def _check_token(state: EndpointState) -> None:
    """401 without credentials, 403 with wrong ones or when updates are not enabled at all."""
    if not state.update_enabled:
        raise Forbidden(
            "updates are not accepted here: this endpoint serves a published, read-only release of the "
            "data (no update token is configured). To change the data, edit the sources and rebuild"
        )
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized(
            "SPARQL Update needs 'Authorization: Bearer <token>'",
            www_authenticate=WWWAuthenticate("bearer", {"realm": "kgraph"}),
        )
    # compare_digest: the time taken does not tell how much of the token was right.
    if not hmac.compare_digest(token.strip().encode(), state.settings.update_token.encode()):
        raise Forbidden("the update token is not valid")


def _formats() -> dict[str, str | None]:
    accept = request.headers.get("Accept")
    format_values = [v for name in negotiation.FORMAT_PARAMS for v in request.values.getlist(name) if v]
    return {
        kind: negotiation.negotiate(kind, accept, format_values or None)
        for kind in (negotiation.SOLUTIONS, negotiation.BOOLEAN, negotiation.GRAPH)
    }


def _etag(state: EndpointState, *parts: object) -> str:
    digest = hashlib.sha256(state.data_version.encode())
    for part in parts:
        digest.update(b"\x00" + repr(part).encode())
    return digest.hexdigest()[:32]


def _cache_headers(response: Response, state: EndpointState, etag: str) -> Response:
    response.set_etag(etag)
    if state.update_enabled:
        response.headers["Cache-Control"] = "no-cache"  # data may change at any update: revalidate
    else:
        response.headers["Cache-Control"] = f"public, max-age={state.settings.cache_max_age}"
    response.vary.add("Accept")
    return response


def _not_modified(etag: str) -> bool:
    return request.method in ("GET", "HEAD") and etag in request.if_none_match


def run_query(state: EndpointState, operation: Operation) -> Response:
    """Check, negotiate, answer 304 if the client has it, else execute and stream the result."""
    guard.check(operation.text, state.settings.service_allowlist)
    formats = _formats()
    if not any(formats.values()):
        raise NotAcceptable(
            "none of the formats this endpoint writes is acceptable; it offers "
            + ", ".join((*negotiation.RESULTS_SERIALISERS, *negotiation.RDF_SERIALISERS))
        )
    # The endpoint URL is the base of relative IRIs in the query, so it is part of the answer too.
    etag = _etag(state, operation.text, operation.default_graphs, operation.named_graphs,
                 sorted(formats.items()), _endpoint_url())
    if _not_modified(etag):
        return _cache_headers(Response(status=304), state, etag)
    answer = state.cache.get(etag)
    hit = answer is not None
    if answer is None:
        result = state.executor.query(
            operation.text,
            formats,
            default_graphs=operation.default_graphs,
            named_graphs=operation.named_graphs,
            base_iri=_endpoint_url(),
        )
        answer = state.cache.put(etag, result) or CachedAnswer(result.open_body(), result.media_type, result.size, result.rows)
    # A file body lets gunicorn use sendfile(): no Python loop over the bytes.
    response = Response(wrap_file(request.environ, answer.body), direct_passthrough=True,
                        content_type=negotiation.content_type_header(answer.media_type))
    response.call_on_close(answer.body.close)  # a client that hangs up early still frees the file
    response.content_length = answer.size
    response.headers["X-Cache"] = "HIT" if hit else "MISS"
    if answer.rows is not None:
        response.headers["X-Result-Rows"] = str(answer.rows)
    return _cache_headers(response, state, etag)


def run_update(state: EndpointState, operation: Operation) -> Response:
    """Token check, SERVICE/LOAD check, protocol dataset into the text, then the update."""
    _check_token(state)
    guard.check(operation.text, state.settings.service_allowlist, is_update=True)
    text = add_using(operation.text, operation.using, operation.using_named)
    state.executor.update(text, base_iri=_endpoint_url())
    return Response(status=204)


def service_description(state: EndpointState) -> Response:
    """The service description in the negotiated RDF format, or the query UI for a browser."""
    accept = request.headers.get("Accept")
    format_values = [v for name in negotiation.FORMAT_PARAMS for v in request.args.getlist(name) if v]
    if not format_values and negotiation.wants_html(accept):
        response = Response(render_ui(_endpoint_url()), content_type="text/html; charset=utf-8")
        response.headers["Cache-Control"] = "no-cache"  # the examples change with queries/ on disk
        dynamic()  # so it is made again each time (not kept per release)
        response.vary.add("Accept")
        return response
    media_type = negotiation.negotiate(negotiation.SERVICE_DESCRIPTION, accept, format_values or None)
    if media_type is None:
        raise NotAcceptable("the service description is available in " + ", ".join(negotiation.RDF_SERIALISERS))
    etag = _etag(state, "service-description", _endpoint_url(), media_type)
    if _not_modified(etag):
        return _cache_headers(Response(status=304), state, etag)
    triples = describe(
        _endpoint_url(),
        state.statistics(),
        update_enabled=state.update_enabled,
        federation=bool(state.settings.service_allowlist),
        graph_store=external_url("store.indirect"),
    )
    response = Response(serialise(triples, media_type), content_type=negotiation.content_type_header(media_type))
    return _cache_headers(response, state, etag)


def sparql():
    """GET/POST /sparql: a query, an update, or (GET without either) the service description."""
    state = get_state()
    operation = read_operation()
    if operation.kind == "query":
        return run_query(state, operation)
    if operation.kind == "update":
        return run_update(state, operation)
    return service_description(state)
