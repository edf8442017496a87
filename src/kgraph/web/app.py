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
from typing import Callable

from flask import Flask, Response

from kgraph.config import Settings
from kgraph.web.errors import init_errors
from kgraph.web.explore_views import init_network
from kgraph.web.fragment_views import init_fragments
from kgraph.web.front import init_front
from kgraph.web.headers import init_response_step
from kgraph.web.ld_views import init_linked_data
from kgraph.web.meta_views import init_metadata
from kgraph.web.routes import ROUTES, Route, register_routes
from kgraph.web.state import EXTENSION, EndpointState


class KgraphFlask(Flask):
    """Flask, with kgraph's per-response step (kgraph.web.headers.init_response_step) run where
    Flask runs after_request hooks, after any registered ones: the same place, and the same
    handling of an error it raises (Flask's 500), without Flask's per-hook dispatch (an
    iscoroutinefunction check and a call through its hook tables, ~1 us of a /healthz)."""

    respond: Callable[[Response], Response] | None = None

    def process_response(self, response: Response) -> Response:
        response = super().process_response(response)
        return self.respond(response) if self.respond is not None else response


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
    app = KgraphFlask("kgraph.web")
    # Werkzeug answers 413 by itself for bodies (form or raw) longer than this.
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.config["MAX_FORM_MEMORY_SIZE"] = settings.max_body_bytes
    app.config["KGRAPH_SETTINGS"] = settings
    state = init_state(app, settings, store_dir, query_workers)
    init_linked_data(app)
    init_network(app)  # /explore's network facts, per release
    init_metadata(app)
    init_errors(app)
    init_fragments(app, settings)  # the fragments' caches, for the view and the app's WSGI layer
    # Language cookie, Vary: Host, validators (304), render-once marking: one per-response step.
    init_response_step(app, state)
    register_routes(app, ROUTES if routes is None else routes)
    # One WSGI layer: release pinning, the render-once lookup (a kept answer is sent before Flask
    # runs), the weak ETag and the settings' headers (licence Link, Cache-Control, CORS, nosniff)
    # on the header list, and the access line (kept answers too).
    init_front(app, state, settings)
    return app
