"""Validators: an ETag on every complete 200, and conditional GETs answered 304.

Called from the app's per-response step (kgraph.web.headers), on every route (present and
future) without the route doing anything. The licence Link and the default Cache-Control are
added with the other headers that depend only on the settings, by kgraph.web.headers.ReleaseHeaders.

- `ETag`: kept when the view set one (SPARQL: version + request; dumps: the file's SHA-256).
  Otherwise, for a complete 200 body, a weak ETag from the data version and the body: weak
  because the same representation may be served with other framing (gzip by a proxy). Without
  a conditional header in the request it is added on the WSGI header list by kgraph.web.front
  (the per-response step asks for it in the environ): werkzeug's Headers cost ~3 us of a /healthz.
- `If-None-Match` / `If-Modified-Since` answered 304 by Werkzeug's make_conditional, also for
  views that set an ETag but did not check it. Streamed bodies (SPARQL results, files) are left
  alone: their views answer conditionals themselves before doing the work.
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import Response, request

# What make_conditional answers (304, 412, 206); without any of them it has nothing to do.
BODY = "kgraph.etag_body"  # environ: kgraph.web.front is to add a weak ETag (True: a GET's body; bytes: a HEAD's)
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


def weak_etag_header(served: Any, body: bytes) -> str:
    """The ETag header value (weak) weak_etag gives a body of the served release's data version,
    as set_etag(weak=True) writes it. The hash of the version's part is made once per release
    and update (served.etag_base) and copied for each body."""
    generation = served.executor.generation
    base = served.etag_base
    if base is None or base[0] != generation:
        digest = hashlib.sha256(f"{served.store.version}.{generation}".encode())  # data_version, at this generation
        digest.update(b"\x00")
        base = served.etag_base = (generation, digest)
    digest = base[1].copy()
    digest.update(body)
    return f'W/"{digest.hexdigest()[:32]}"'


def validators(response: Response, state: Any, environ: dict[str, Any], has_etag: bool) -> Response:
    """The response, with its weak ETag asked of kgraph.web.front (environ[BODY]), or, on a
    conditional request, with its ETag and as the 304 (412) make_conditional answers instead.
    `environ`: the request's, and `has_etag`: whether the view set an ETag, both looked up once
    by the caller.

    Front adds the ETag on the WSGI header list, without werkzeug's Headers: environ[BODY] is
    True for a GET (Front hashes the body Flask hands it, which it joins once and sends as one
    piece) and the body itself for a HEAD (whose answer carries none)."""
    method = environ["REQUEST_METHOD"]
    if response.status_code != 200 or method not in ("GET", "HEAD") or response.is_streamed or response.direct_passthrough:
        return response
    if environ.keys().isdisjoint(CONDITIONAL_HEADERS):  # nothing to compare with (a loop in C, not any())
        if not has_etag:
            environ[BODY] = True if method == "GET" else response.get_data()
        return response  # the WSGI server adds the Date
    if not has_etag:
        response.set_etag(weak_etag(state.served_for(environ).data_version, response.get_data()), weak=True)
    return response.make_conditional(request)
