"""The named queries as a REST API (issue 15): a thin adapter over kgraph.api.

    /api/                   the interactive API page (Swagger UI from the npm install)
    /api/openapi.json       the OpenAPI 3.1 document, generated from the .rq headers
    /api/queries            the named queries with their parameters (JSON)
    /api/queries/{name}[.json|.csv]?param=…&limit=&offset=   one page of a query's answer

JSON or CSV by the suffix, else by Accept. An ETag from the release and the request is checked
before the query runs (304 without work); errors are kgraph.sparql.errors, answered by the one
handler of kgraph.web.errors.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import urlencode

from flask import Response, jsonify, request, url_for
from werkzeug.exceptions import NotAcceptable

from kgraph.api import openapi, parameters
from kgraph.api.rows import to_csv
from kgraph.api.run import run_page
from kgraph.named_queries import NamedQuery, load_catalogue
from kgraph.sparql.errors import UnknownQuery
from kgraph.web import negotiation
from kgraph.web.errors import echo
from kgraph.web.explore_text import explore_text
from kgraph.web.ld_views import page_language, render
from kgraph.web.state import get_state
from kgraph.web.ui_views import asset_url
from kgraph.web.urls import public_root

JSON, CSV = "application/json", "text/csv"


def _catalogue() -> dict[str, NamedQuery]:
    # Read per request, like the query UI's examples: queries/ may change on disk (a few small files).
    return load_catalogue(Path(get_state().settings.queries_dir))


def _describe(query: NamedQuery) -> dict:
    return {
        "name": query.name,
        "title": query.title,
        "description": query.description,
        "parameters": [{"name": p.name, "type": p.type, "default": p.default, "label": p.label} for p in query.parameters],
        "url": f"{public_root()}api/queries/{query.name}",
    }


def list_queries() -> Response:
    """GET /api/queries: every named query, with its typed parameters."""
    return jsonify({"queries": [_describe(q) for q in _catalogue().values()]})


def openapi_document() -> Response:
    """GET /api/openapi.json: the OpenAPI 3.1 document."""
    return jsonify(openapi.document(_catalogue(), public_root()))


def api_page() -> Response:
    """GET /api/: Swagger UI on the OpenAPI document."""
    lang = page_language()
    return render("explore/api.html", lang=lang, x=explore_text(lang), queries=list(_catalogue().values()),
                  swagger_js=asset_url("swagger-ui", "swagger-ui-bundle.js"),
                  swagger_css=asset_url("swagger-ui", "swagger-ui.css"))


def _format(suffix: str | None) -> str:
    if suffix == "csv":
        return CSV
    if suffix == "json":
        return JSON
    chosen = negotiation.choose(request.headers.get("Accept"), (JSON, CSV))
    if chosen is None:
        raise NotAcceptable("this answer is available as application/json or text/csv (or add .json / .csv)")
    return chosen


def _etag(*parts: object) -> str:
    digest = hashlib.sha256(get_state().data_version.encode())
    for part in parts:
        digest.update(b"\x00" + repr(part).encode())
    return digest.hexdigest()[:32]


def run_named_query(name: str) -> Response:
    """GET /api/queries/{name}[.json|.csv]: one page of the query's answer."""
    stem, dot, suffix = name.rpartition(".")
    if not dot or suffix not in ("json", "csv"):
        stem, suffix = name, None
    query = _catalogue().get(stem)
    if query is None:
        raise UnknownQuery(f"there is no named query {echo(stem)}; see /api/queries")
    state = get_state()
    media_type = _format(suffix)
    given = {k: v for k, v in request.args.items()}
    terms = parameters.bindings(query, given, state.settings.base)
    limit, offset = parameters.paging(given)
    lang = parameters.language(given)
    etag = _etag(stem, sorted((k, str(v)) for k, v in terms.items()), limit, offset, lang, media_type, query.sparql)
    if etag in request.if_none_match:
        return _headers(Response(status=304), etag, media_type, suffix)
    page = run_page(state.executor, query, state.settings.base, terms, limit, offset, state.settings.service_allowlist,
                    lang)
    next_url = None
    if page.more:
        kept = {k: v for k, v in given.items() if k not in parameters.PAGING}
        next_url = f"{public_root()}api/queries/{name}?{urlencode({**kept, 'limit': limit, 'offset': offset + limit})}"
    if media_type == CSV:
        response = Response(to_csv(page.variables, page.rows), content_type="text/csv; charset=utf-8")
    else:
        response = jsonify({"query": stem, "variables": page.variables, "rows": page.rows,
                            "limit": limit, "offset": offset, "next": next_url})
    if next_url:
        response.headers["Link"] = f'<{next_url}>; rel="next"'
    return _headers(response, etag, media_type, suffix)


def _headers(response: Response, etag: str, media_type: str, suffix: str | None) -> Response:
    response.set_etag(etag)
    state = get_state()
    response.headers["Cache-Control"] = "no-cache" if state.update_enabled else f"public, max-age={state.settings.cache_max_age}"
    if suffix is None:
        response.vary.add("Accept")
    return response
