"""Validators: an ETag on every complete 200, and conditional GETs answered 304.

Called from the app's one after_request hook (kgraph.web.headers), on every route (present and
future) without the route doing anything. The licence Link and the default Cache-Control are
added with the other headers that depend only on the settings, by kgraph.web.headers.ReleaseHeaders.

- `ETag`: kept when the view set one (SPARQL: version + request; dumps: the file's SHA-256).
  Otherwise, for a complete 200 body, a weak ETag from the data version and the body: weak
  because the same representation may be served with other framing (gzip by a proxy). Without
  a conditional header in the request it is added on the WSGI header list by kgraph.web.front
  (the hook hands the body over in the environ): werkzeug's Headers cost ~3 us of a /healthz.
- `If-None-Match` / `If-Modified-Since` answered 304 by Werkzeug's make_conditional, also for
  views that set an ETag but did not check it. Streamed bodies (SPARQL results, files) are left
  alone: their views answer conditionals themselves before doing the work.
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import Response, request

# What make_conditional answers (304, 412, 206); without any of them it has nothing to do.
BODY = "kgraph.etag_body"  # environ: the complete body of a 200 whose weak ETag kgraph.web.front adds
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


def weak_etag_header(version: str, body: bytes) -> str:
    """The ETag header value (weak) for a body of a given data version, as set_etag(weak=True) writes it."""
    return f'W/"{weak_etag(version, body)}"'


def validators(response: Response, state: Any, environ: dict[str, Any]) -> Response:
    """The response, its complete body handed over for the weak ETag (environ[BODY]: kgraph.web.front
    adds it on the WSGI header list unless the view set one, without werkzeug's Headers), or, on a
    conditional request, with its ETag and as the 304 (412) make_conditional answers instead
    (`environ`: the request's, looked up once by the caller)."""
    if response.status_code != 200:
        return response
    if environ["REQUEST_METHOD"] not in ("GET", "HEAD") or response.is_streamed or response.direct_passthrough:
        return response
    if not any(name in environ for name in CONDITIONAL_HEADERS):
        environ[BODY] = response.get_data()  # nothing to compare with: the WSGI server adds the Date
        return response
    if not response.headers.getlist("ETag"):  # getlist: no KeyError built when absent
        response.set_etag(weak_etag(state.served_for(environ).data_version, response.get_data()), weak=True)
    return response.make_conditional(request)
