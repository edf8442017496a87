"""Every response's headers in two steps: the headers the settings alone decide, added on the
WSGI header list, and one per-response step in Flask for what depends on the response made.

- `ReleaseHeaders` (applied by kgraph.web.front, the app's one WSGI layer, before the render-once
  cache keeps an answer, so kept answers hold its headers already): the open-licence `Link`
  (merged into a Link the view set), a default `Cache-Control` (public with
  settings.cache_max_age; `no-cache` when updates are enabled, the data may change at any time;
  `no-store` for server errors), CORS (`Access-Control-Allow-Origin` and `-Expose-Headers`,
  `Vary: Origin` unless the origin is `*`, the preflight headers on OPTIONS) and
  `X-Content-Type-Options: nosniff`. These are computed once, when the app is made, and added in
  one pass over the header list (the same pass adds the weak ETag kgraph.web.caching asked for):
  on every response, also those Flask makes outside the view machinery (405, 413, a failed
  step's 500).
- `init_response_step` gives the app its per-response step, which Flask runs where (and as) it
  runs after_request hooks (kgraph.web.app.KgraphFlask.process_response), in this order,
  the language cookie (kgraph.web.language, pages only), `Vary: Host` and Location
  (kgraph.web.security), the validators (kgraph.web.caching: a complete 200's body handed over
  for its ETag, or, on a conditional request, the ETag and make_conditional's 304/412 here) and
  the render-once marking (last, on a render-once miss only: it judges the final response); an
  answer the view marked `no-store` (the probes) gets no validators. One
  step instead of one hook per concern, called directly rather than through Flask's hook
  dispatch (~1 us a hook); werkzeug Headers operations (~1 us each) are left to the cases that
  need them.
"""

from __future__ import annotations

from typing import Any

from flask import Response

from kgraph.config import Settings
from kgraph.provenance import LICENCE
from kgraph.web.caching import validators
from kgraph.web.context import request_environ
from kgraph.web.language import remember_language
from kgraph.web.render_once import STORE, mark_renderable
from kgraph.web.security import NOSNIFF, vary_on_host

LICENCE_LINK = f'<{LICENCE}>; rel="license"'
PREFLIGHT_HEADERS = "Accept, Authorization, Content-Type, If-None-Match"
# Link (licence, alternates), Last-Modified, Content-Range: readable by cross-origin scripts too.
EXPOSED = "ETag, Content-Length, X-Result-Rows, X-Cache, Link, Last-Modified, Content-Location, Content-Range"
CORS_NAMES = ("access-control-allow-origin", "access-control-expose-headers", "access-control-allow-methods",
              "access-control-allow-headers", "access-control-max-age")


class ReleaseHeaders:
    """The headers that depend only on the settings (see the module doc), computed once per app
    and added to a WSGI header list by kgraph.web.front."""

    def __init__(self, settings: Settings):
        origin = settings.cors_origin
        self.cors = [("Access-Control-Allow-Origin", origin), ("Access-Control-Expose-Headers", EXPOSED)] if origin else []
        self.vary_origin = bool(origin) and origin != "*"
        self.cache_control = "no-cache" if settings.update_token else f"public, max-age={settings.cache_max_age}"

    def add(self, status: str, headers: list[tuple[str, str]], preflight: bool,
            etag: str | None = None) -> tuple[list[tuple[str, str]], str, str]:
        """The header list with this layer's headers added (a new list; one pass over the old),
        with `etag` as its ETag when it has none, and, for the access line, its Content-Length
        and X-Result-Rows ("-" when absent)."""
        out: list[tuple[str, str]] = []
        link = vary = -1
        cache_control = nosniff = licensed = False
        allow = None
        length = rows = "-"
        for name, value in headers:
            lower = name.lower()
            if lower == "content-length":
                length = value
            elif lower == "etag":
                etag = None  # the view's (or make_conditional's) ETag stands
            elif lower == "link":
                licensed = licensed or LICENCE_LINK in value
                if link < 0:
                    link = len(out)
            elif lower == "cache-control":
                cache_control = True
            elif lower == "x-content-type-options":
                nosniff = True
            elif lower == "vary":
                vary = len(out)
            elif lower == "x-result-rows":
                rows = value
            elif lower == "allow":
                allow = value
            elif self.cors and lower in CORS_NAMES:
                continue  # the configured CORS headers replace any a view set
            out.append((name, value))
        if etag is not None:
            out.append(("ETag", etag))
        if link < 0:
            out.append(("Link", LICENCE_LINK))
        elif not licensed:
            out[link] = (out[link][0], f"{out[link][1]}, {LICENCE_LINK}")
        if not cache_control:
            out.append(("Cache-Control", "no-store" if status[0] == "5" else self.cache_control))
        if self.cors:
            out += self.cors
            if self.vary_origin:
                if vary < 0:
                    out.append(("Vary", "Origin"))
                elif "origin" not in out[vary][1].lower():
                    out[vary] = (out[vary][0], f"{out[vary][1]}, Origin")
            if preflight:
                out += [("Access-Control-Allow-Methods", allow or "GET, HEAD, POST, OPTIONS"),
                        ("Access-Control-Allow-Headers", PREFLIGHT_HEADERS), ("Access-Control-Max-Age", "86400")]
        if not nosniff:
            out.append(NOSNIFF)
        return out, length, rows


def init_response_step(app: Any, state: Any) -> None:
    """Give the app (kgraph.web.app.KgraphFlask) its per-response step (see the module doc)."""

    def respond(response: Response) -> Response:
        environ = request_environ()  # once, without the request proxy's ~0.7 us (kgraph.web.context)
        content_type = location = None
        has_etag = no_store = False
        for name, value in response.headers:  # one pass, not a getlist per header looked for
            lower = name.lower()
            if lower == "content-type":
                content_type = content_type or value
            elif lower == "location":
                location = location or value
            elif lower == "etag":
                has_etag = True
            elif lower == "cache-control":
                no_store = "no-store" in value
        remember_language(response, content_type)  # first: its Cache-Control on a Set-Cookie page stands
        vary_on_host(response, environ, location)
        if not no_store:  # a no-store answer is never kept, so never revalidated: no validators
            response = validators(response, state, environ, has_etag)  # may be a 304 (or 412) made from it
        if STORE in environ:  # a render-once miss: may it be kept?
            mark_renderable(response, state, environ)  # last: on the final response
        return response

    app.respond = respond
