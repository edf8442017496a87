"""Every response's headers in two steps: one WSGI layer for what the settings alone decide, one
after_request hook for what depends on the response made.

- `ReleaseHeaders` (WSGI, just around Flask, inside the render-once cache so kept answers hold
  its headers already): the open-licence `Link` (merged into a Link the view set), a default
  `Cache-Control` (public with settings.cache_max_age; `no-cache` when updates are enabled, the
  data may change at any time; `no-store` for server errors), CORS (`Access-Control-Allow-Origin`
  and `-Expose-Headers`, `Vary: Origin` unless the origin is `*`, the preflight headers on
  OPTIONS) and `X-Content-Type-Options: nosniff`. These are computed once, when the app is
  made, and added in one pass over the header list: on every response, also those Flask makes
  outside the view machinery (405, 413, a failed hook's 500).
- `init_response_hook` registers the app's one after_request hook, which runs, in this order,
  the language cookie (kgraph.web.language), `Vary: Host` and Location (kgraph.web.security), the
  ETag and conditional answers (kgraph.web.caching) and the render-once marking (last: it judges
  the final response). One hook instead of one per concern: Flask's cost per hook is paid once.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

from flask import Flask, Response, request

from kgraph.config import Settings
from kgraph.provenance import LICENCE
from kgraph.web.caching import validators
from kgraph.web.language import remember_language
from kgraph.web.render_once import mark_renderable
from kgraph.web.security import NOSNIFF, vary_on_host

LICENCE_LINK = f'<{LICENCE}>; rel="license"'
PREFLIGHT_HEADERS = "Accept, Authorization, Content-Type, If-None-Match"
# Link (licence, alternates), Last-Modified, Content-Range: readable by cross-origin scripts too.
EXPOSED = "ETag, Content-Length, X-Result-Rows, X-Cache, Link, Last-Modified, Content-Location, Content-Range"
CORS_NAMES = ("access-control-allow-origin", "access-control-expose-headers", "access-control-allow-methods",
              "access-control-allow-headers", "access-control-max-age")


class ReleaseHeaders:
    """WSGI layer adding the headers that depend only on the settings (see the module doc)."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]], settings: Settings):
        self.wsgi_app = wsgi_app
        origin = settings.cors_origin
        self.cors = [("Access-Control-Allow-Origin", origin), ("Access-Control-Expose-Headers", EXPOSED)] if origin else []
        self.vary_origin = bool(origin) and origin != "*"
        self.cache_control = "no-cache" if settings.update_token else f"public, max-age={settings.cache_max_age}"

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        preflight = environ["REQUEST_METHOD"] == "OPTIONS"

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            headers = self.add(status, headers, preflight)
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        return self.wsgi_app(environ, start)

    def add(self, status: str, headers: list[tuple[str, str]], preflight: bool) -> list[tuple[str, str]]:
        """The header list with this layer's headers added (a new list; one pass over the old)."""
        out: list[tuple[str, str]] = []
        link = vary = -1
        cache_control = nosniff = licensed = False
        allow = None
        for name, value in headers:
            lower = name.lower()
            if lower == "link":
                licensed = licensed or LICENCE_LINK in value
                if link < 0:
                    link = len(out)
            elif lower == "cache-control":
                cache_control = True
            elif lower == "x-content-type-options":
                nosniff = True
            elif lower == "vary":
                vary = len(out)
            elif lower == "allow":
                allow = value
            elif self.cors and lower in CORS_NAMES:
                continue  # the configured CORS headers replace any a view set
            out.append((name, value))
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
        return out


def init_response_hook(app: Flask, settings: Settings, state: Any) -> None:
    """Register the one after_request hook and wrap Flask in ReleaseHeaders (create_app calls it
    before the render-once cache wraps the app, so that cache keeps answers with these headers)."""

    @app.after_request
    def response_headers(response: Response) -> Response:
        environ = request.environ  # once: each look through Flask's request proxy costs ~0.7 us
        remember_language(response)  # first: its Cache-Control on a Set-Cookie page stands
        vary_on_host(response)
        response = validators(response, state, environ)  # may be a 304 (or 412, 206) made from it
        mark_renderable(response, state, environ)  # last: on the final response
        return response

    app.wsgi_app = ReleaseHeaders(app.wsgi_app, settings)  # type: ignore[method-assign]
