"""The Flask application factory: the only place an app is made (no module-level app, no globals).

    app = create_app(settings)                   # serves the current release of settings.build_dir
    app = create_app(settings, store_dir=path)   # serves a given release or store folder
    close_app(app)                               # when the process stops serving it (gunicorn worker_exit)

Per-app resources (the endpoint state, the Linked Data and metadata caches) are attached in
init_* functions, as the Flask tutorial's init_app does: nothing lives at module level.
"""

from __future__ import annotations

import weakref
from pathlib import Path

from flask import Flask

from kgraph.config import Settings
from kgraph.web.access_log import init_access_log
from kgraph.web.errors import init_errors
from kgraph.web.explore_views import init_network
from kgraph.web.headers import init_response_hook
from kgraph.web.ld_views import init_linked_data
from kgraph.web.meta_views import init_metadata
from kgraph.web.render_once import wrap_render_once
from kgraph.web.routes import ROUTES, Route, register_routes
from kgraph.web.state import EXTENSION, EndpointState, init_release_pinning


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
    state = init_state(app, settings, store_dir, query_workers)
    init_linked_data(app)
    init_network(app)  # /explore's network facts, per release
    init_metadata(app)
    init_errors(app)
    # Licence Link, Cache-Control, CORS, nosniff (one WSGI layer); language cookie, Vary: Host,
    # ETag and 304, render-once marking (one after_request hook).
    init_response_hook(app, settings, state)
    register_routes(app, ROUTES if routes is None else routes)
    wrap_render_once(app, state)  # a kept answer is sent before anything else runs
    init_release_pinning(app)  # each request on one release; a new build is picked up between requests
    init_access_log(app)  # outermost: logs kept answers too
    return app
