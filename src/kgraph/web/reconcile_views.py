"""The reconciliation service over HTTP (W3C Reconciliation Service API 0.2, as OpenRefine 3.x
speaks it): thin adapters from requests to kgraph.reconcile.

    GET  /reconcile                          the manifest (JSONP with ?callback=)
    GET|POST /reconcile  queries=<JSON>      a reconciliation batch (form field on POST)
    GET|POST /reconcile  extend=<JSON>       data extension
    GET  /reconcile/suggest/entity|type|property?prefix=&cursor=[&type=]
    GET  /reconcile/propose_properties?type=&limit=
    GET  /reconcile/preview?id=              the HTML card of OpenRefine's preview iframe
    GET  /reconcile/flyout?id=               the suggest flyout (JSON)
    GET  /reconcile/view?id=                 303 to the resource's page on this host

CORS comes from create_app's hook (every response); JSONP is offered for every JSON answer, with
the callback name checked and the JSON escaped so that it cannot end the script early.
The index is built once per release (kgraph.web.state.ServedRelease.derived).
"""

from __future__ import annotations

import json
import re

from flask import Response, redirect, request

from kgraph.linkeddata import to_local
from kgraph.reconcile import (
    ReconcileInputError,
    ReconciliationIndex,
    extend,
    flyout,
    manifest,
    parse_extend_query,
    parse_query_batch,
    preview_html,
    propose_properties,
    reconcile_batch,
    suggest_entities,
    suggest_properties,
    suggest_types,
)
from kgraph.reconcile.queries import parse_types
from kgraph.web.errors import echo, text_response
from kgraph.web.ld_views import page_language
from kgraph.web.state import get_state
from kgraph.web.urls import public_root

CALLBACK = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]{0,63}(?:\.[A-Za-z_$][A-Za-z0-9_$]{0,63}){0,4}$")
# Characters that would end a <script> or a JS string when JSONP is inlined or evaluated.
_JS_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _index() -> ReconciliationIndex:
    state = get_state()
    return state.served.derived("reconciliation", lambda source: ReconciliationIndex.build(source, state.settings.base))


def _bad(exc: ReconcileInputError) -> Response:
    return text_response(exc.status, f"{exc.title}: {exc}", **exc.headers())


def json_answer(value: object) -> Response:
    """JSON, or JSONP (application/javascript) when a valid `callback` parameter is given."""
    body = json.dumps(value, ensure_ascii=True, separators=(",", ":"))
    callback = request.args.get("callback")
    if callback is None:
        return Response(body, content_type="application/json")
    if not CALLBACK.fullmatch(callback):  # fullmatch: "$" alone would let a trailing newline through
        return text_response(400, f"Bad reconciliation request: callback: {echo(callback)} is not a JavaScript "
                                  "function name (letters, digits, _ and $, dotted at most 5 deep)")
    for character, escaped in _JS_UNSAFE.items():
        body = body.replace(character, escaped)
    # The comment keeps a leading byte sequence from being read as something else (Rosetta Flash).
    return Response(f"/**/{callback}({body});", content_type="application/javascript; charset=utf-8")


def reconcile() -> Response:
    """GET|POST /reconcile: a batch (`queries`), a data extension (`extend`), else the manifest."""
    lang = page_language()
    try:
        if "queries" in request.values:
            return json_answer(reconcile_batch(_index(), parse_query_batch(request.values["queries"]), lang))
        if "extend" in request.values:
            return json_answer(extend(_index(), parse_extend_query(request.values["extend"]), lang))
    except ReconcileInputError as exc:
        return _bad(exc)
    return json_answer(manifest(public_root(), get_state().settings.base, lang))


def _cursor() -> int:
    value = request.args.get("cursor", "0")
    if not value.isdigit() or len(value) > 6:
        raise ReconcileInputError("cursor", f"{echo(value)} is not a whole number")
    return int(value)


def suggest_entity() -> Response:
    """GET /reconcile/suggest/entity?prefix=…[&type=…]: entities to pick from."""
    try:
        types = parse_types(request.args.get("type") or None, "type")
        return json_answer(suggest_entities(_index(), request.args.get("prefix", "")[:200], types, _cursor(), page_language()))
    except ReconcileInputError as exc:
        return _bad(exc)


def suggest_type() -> Response:
    """GET /reconcile/suggest/type?prefix=…: the service's types."""
    try:
        return json_answer(suggest_types(request.args.get("prefix", "")[:200], _cursor(), page_language()))
    except ReconcileInputError as exc:
        return _bad(exc)


def suggest_property() -> Response:
    """GET /reconcile/suggest/property?prefix=…: properties to match on or fetch."""
    try:
        return json_answer(suggest_properties(request.args.get("prefix", "")[:200], _cursor(), page_language()))
    except ReconcileInputError as exc:
        return _bad(exc)


def propose() -> Response:
    """GET /reconcile/propose_properties?type=…&limit=…: what data extension can fetch."""
    limit = request.args.get("limit", "")
    try:
        if limit and (not limit.isdigit() or len(limit) > 4):
            raise ReconcileInputError("limit", f"{echo(limit)} is not a whole number")
        return json_answer(propose_properties(request.args.get("type") or None, int(limit) if limit else None, page_language()))
    except ReconcileInputError as exc:
        return _bad(exc)


def _page_url(iri: str) -> str:
    return to_local(iri, get_state().settings.base, public_root())


def _not_held(iri: str) -> Response:
    return text_response(404, f"Not found: id {echo(iri)} is no resource this service reconciles with")


def preview() -> Response:
    """GET /reconcile/preview?id=…: the HTML card shown in OpenRefine's preview."""
    iri = request.args.get("id", "")
    body = preview_html(_index(), iri, _page_url(iri), page_language())
    if body is None:
        return _not_held(iri)
    response = Response(body, content_type="text/html; charset=utf-8")
    response.vary.add("Accept-Language")
    return response


def flyout_view() -> Response:
    """GET /reconcile/flyout?id=…: the suggest flyout ({"id", "html"})."""
    iri = request.args.get("id", "")
    answer = flyout(_index(), iri, _page_url(iri), page_language())
    return _not_held(iri) if answer is None else json_answer(answer)


def view() -> Response:
    """GET /reconcile/view?id=…: 303 See Other to the page describing the resource, on this host."""
    iri = request.args.get("id", "")
    if _index().get(iri) is None:
        return _not_held(iri)
    return redirect(_page_url(iri), code=303)
