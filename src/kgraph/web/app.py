"""The Flask application factory: the only place an app is made (no module-level app, no globals).

    app = create_app(settings)                   # serves the current release of settings.build_dir
    app = create_app(settings, store_dir=path)   # serves a given release or store folder
    close_app(app)                               # when the process stops serving it (gunicorn worker_exit)

Per-app resources (the endpoint state, the Linked Data and metadata caches) are attached in
init_* functions, as the Flask tutorial's init_app does: nothing lives at module level.
"""

from __future__ import annotations

import logging
import time
import weakref
from pathlib import Path

from flask import Flask, Response, g, request

from kgraph.config import Settings
from kgraph.web.caching import init_caching
from kgraph.web.errors import init_errors
from kgraph.web.language import init_language
from kgraph.web.explore_views import init_network
from kgraph.web.ld_views import init_linked_data
from kgraph.web.meta_views import init_metadata
from kgraph.web.routes import ROUTES, Route, register_routes
from kgraph.web.security import init_security
from kgraph.web.state import EXTENSION, EndpointState, init_release_pinning

access_log = logging.getLogger("kgraph.access")

PREFLIGHT_HEADERS = "Accept, Authorization, Content-Type, If-None-Match"


def init_state(app: Flask, settings: Settings, store_dir: str | Path | None = None, query_workers: int = 2) -> EndpointState:
    """Locate the store and attach the endpoint state (see kgraph.web.state: executor, caches,
    following new builds); worker processes start on the first query."""
    state = EndpointState.open(settings, store_dir, query_workers)
    app.extensions[EXTENSION] = state
    # The cache is RAM-backed: leave nothing behind when the app goes away, even if nobody calls
    # close_app (a sibling worker still serving just misses). Tied to this app, not to the process.
    weakref.finalize(app, state.close)
    return state


def close_app(app: Flask) -> None:
    """Stop the app's query workers and remove its cached answers (call once, when done serving)."""
    state: EndpointState = app.extensions[EXTENSION]
    state.close()


def init_cors(app: Flask, settings: Settings) -> None:
    """Access-Control-Allow-Origin on every response; preflight (OPTIONS) answered with methods and headers."""
    origin = settings.cors_origin

    @app.after_request
    def add_cors(response: Response) -> Response:
        if not origin:
            return response
        response.headers["Access-Control-Allow-Origin"] = origin
        # Link (licence, alternates), Last-Modified, Content-Range: readable by cross-origin scripts too.
        response.headers["Access-Control-Expose-Headers"] = (
            "ETag, Content-Length, X-Result-Rows, X-Cache, Link, Last-Modified, Content-Location, Content-Range"
        )
        if origin != "*":
            response.vary.add("Origin")
        if request.method == "OPTIONS":
            allowed = response.headers.get("Allow") or "GET, HEAD, POST, OPTIONS"
            response.headers["Access-Control-Allow-Methods"] = allowed
            response.headers["Access-Control-Allow-Headers"] = PREFLIGHT_HEADERS
            response.headers["Access-Control-Max-Age"] = "86400"
        return response


def init_access_log(app: Flask) -> None:
    """One log line per request: method, path, status, response bytes, duration."""

    @app.before_request
    def start_clock() -> None:
        g.kgraph_started = time.perf_counter()

    @app.after_request
    def log_request(response: Response) -> Response:
        started = g.get("kgraph_started")
        duration_ms = (time.perf_counter() - started) * 1000 if started else 0.0
        access_log.info(
            "%s %s %s %s bytes %.1f ms rows=%s",
            request.method,
            request.path,
            response.status_code,
            response.content_length if response.content_length is not None else "-",
            duration_ms,
            response.headers.get("X-Result-Rows", "-"),
        )
        return response


def create_app(
    settings: Settings,
    store_dir: str | Path | None = None,
    *,
    query_workers: int = 2,
    routes: list[Route] | None = None,
) -> Flask:
    """A configured Flask app serving the store (current release, or `store_dir`)."""
    app = Flask("kgraph.web")
    # Werkzeug answers 413 by itself for bodies (form or raw) longer than this.
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.config["MAX_FORM_MEMORY_SIZE"] = settings.max_body_bytes
    app.config["KGRAPH_SETTINGS"] = settings
    init_state(app, settings, store_dir, query_workers)
    init_release_pinning(app)  # each request on one release; a new build is picked up between requests
    init_linked_data(app)
    init_network(app)  # /explore's network facts, per release
    init_metadata(app)
    init_errors(app)
    init_access_log(app)
    init_cors(app, settings)
    init_caching(app, settings)  # after CORS: licence Link, Cache-Control, ETag, 304
    init_security(app)  # nosniff on everything, Vary: Host where the Host header was used
    init_language(app)  # last: runs first, so its Cache-Control on a Set-Cookie page stands
    register_routes(app, ROUTES if routes is None else routes)
    return app
