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
# What make_conditional answers (304, 412, 206); without any of them it has nothing to do.
CONDITIONAL_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE",
                       "HTTP_RANGE")


def add_link(response: Response, value: str) -> None:
    """Append one Link value to the response's Link header (one header, comma-separated)."""
    current = response.headers.getlist("Link")  # getlist: a missing header is no KeyError to build
    if not current:
        response.headers["Link"] = value
    elif not any(value in link for link in current):
        response.headers["Link"] = f"{', '.join(current)}, {value}"


def weak_etag(version: str, body: bytes) -> str:
    """A validator for a body of a given data version."""
    digest = hashlib.sha256(version.encode())
    digest.update(b"\x00")
    digest.update(body)
    return digest.hexdigest()[:32]


def init_caching(app: Flask, settings: Settings) -> None:
    """Register the hook on an app (create_app calls it after init_cors)."""
    max_age = settings.cache_max_age
    public = f"public, max-age={max_age}"

    @app.after_request
    def caching_headers(response: Response) -> Response:
        headers = response.headers
        add_link(response, LICENCE_LINK)
        state = get_state()
        if not headers.getlist("Cache-Control"):
            if response.status_code >= 500:
                headers["Cache-Control"] = "no-store"
            elif state.update_enabled:
                headers["Cache-Control"] = "no-cache"
            else:
                headers["Cache-Control"] = public
        if response.status_code != 200 or request.method not in ("GET", "HEAD"):
            return response
        if response.is_streamed or response.direct_passthrough:
            return response
        if not headers.getlist("ETag"):
            response.set_etag(weak_etag(state.data_version, response.get_data()), weak=True)
        environ = request.environ
        if any(name in environ for name in CONDITIONAL_HEADERS):
            return response.make_conditional(request)
        return response  # nothing to compare with: the WSGI server adds the Date
