"""Headers that keep responses safe to show and to cache, on every response of the app.

- `X-Content-Type-Options: nosniff`: a browser never reads a plain-text error or a data file as
  HTML or script, whatever it echoes (errors, 304s, files and assets alike).
- `Vary: Host` on every response built from the Host header (kgraph.web.urls marks them), so a
  cache keyed on the URL alone cannot serve one host's Location or links to another host.

Installed as WSGI middleware around the Flask app as well as per response: the middleware also
covers responses Flask itself makes outside the view machinery.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

from flask import Flask, Response, request

from kgraph.web.urls import absolute, depends_on_host

NOSNIFF = ("X-Content-Type-Options", "nosniff")


def init_security(app: Flask) -> None:
    """Register the hook and wrap the app's WSGI callable (create_app calls it)."""

    @app.after_request
    def vary_on_host(response: Response) -> Response:
        location = response.headers.getlist("Location")  # getlist: no KeyError built when absent
        location = location[0] if location else None
        if location and location.startswith(request.url_root):
            # Werkzeug's own redirects (a missing trailing slash) are built from the Host header.
            response.headers["Location"] = target = absolute(location[len(request.url_root):])
            if 300 <= response.status_code < 400:
                response.set_data(f"Redirecting to {target}\n")  # werkzeug's page names the Host too
                response.content_type = "text/plain; charset=utf-8"
        if depends_on_host():
            response.vary.add("Host")
        return response

    app.wsgi_app = NosniffMiddleware(app.wsgi_app)  # type: ignore[method-assign]


class NosniffMiddleware:
    """Adds X-Content-Type-Options: nosniff to every response that does not already say it."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]]):
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            if not any(name.lower() == NOSNIFF[0].lower() for name, _ in headers):
                headers = [*headers, NOSNIFF]
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        return self.wsgi_app(environ, start)
