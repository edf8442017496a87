"""Headers every response of the app carries: the open-licence Link, Cache-Control and an ETag,
with conditional GETs answered 304. One after_request hook, so every route (present and future)
gets them without doing anything.

- `Link: <licence>; rel="license"`: the data is CC0 (the Flemish portal's licence IRI), said on
  every response so a client holding any one of them knows the terms.
- `Cache-Control`: kept when the view set one (the SPARQL views, send_file); otherwise public with
  settings.cache_max_age, `no-cache` when updates are enabled (the data may change at any time),
  `no-store` for server errors (nothing worth keeping).
- `ETag`: kept when the view set one (SPARQL: version + request; dumps: the file's SHA-256).
  Otherwise, for a complete 200 body, a weak ETag from the data version and the body: weak
  because the same representation may be served with other framing (gzip by a proxy).
- `If-None-Match` / `If-Modified-Since` answered 304 by Werkzeug's make_conditional, also for
  views that set an ETag but did not check it. Streamed bodies (SPARQL results, files) are left
  alone: their views answer conditionals themselves before doing the work.
"""

from __future__ import annotations

import hashlib

from flask import Flask, Response, request

from kgraph.config import Settings
from kgraph.provenance import LICENCE
from kgraph.web.state import get_state

LICENCE_LINK = f'<{LICENCE}>; rel="license"'


def add_link(response: Response, value: str) -> None:
    """Append one Link value to the response's Link header (one header, comma-separated)."""
    current = response.headers.get("Link")
    if current and value in current:
        return
    response.headers["Link"] = f"{current}, {value}" if current else value


def weak_etag(version: str, body: bytes) -> str:
    """A validator for a body of a given data version."""
    digest = hashlib.sha256(version.encode())
    digest.update(b"\x00")
    digest.update(body)
    return digest.hexdigest()[:32]


def init_caching(app: Flask, settings: Settings) -> None:
    """Register the hook on an app (create_app calls it after init_cors)."""
    max_age = settings.cache_max_age

    @app.after_request
    def caching_headers(response: Response) -> Response:
        add_link(response, LICENCE_LINK)
        state = get_state()
        if "Cache-Control" not in response.headers:
            if response.status_code >= 500:
                response.headers["Cache-Control"] = "no-store"
            elif state.update_enabled:
                response.headers["Cache-Control"] = "no-cache"
            else:
                response.headers["Cache-Control"] = f"public, max-age={max_age}"
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if response.is_streamed or response.direct_passthrough:
            return response
        if response.get_etag()[0] is None:
            response.set_etag(weak_etag(state.data_version, response.get_data()), weak=True)
        return response.make_conditional(request)
