"""Headers that keep responses safe to show and to cache, on every response of the app.

- `X-Content-Type-Options: nosniff`: a browser never reads a plain-text error or a data file as
  HTML or script, whatever it echoes (errors, 304s, files and assets alike).
- `Vary: Host` on every response built from the Host header (kgraph.web.urls marks them), so a
  cache keyed on the URL alone cannot serve one host's Location or links to another host.

nosniff is added by kgraph.web.headers.ReleaseHeaders on the WSGI header list (kgraph.web.front), so
it also covers responses Flask itself makes outside the view machinery.
"""

from __future__ import annotations

from flask import Response, request

from kgraph.web.urls import HOST_DEPENDENT, absolute

NOSNIFF = ("X-Content-Type-Options", "nosniff")


def vary_on_host(response: Response, environ: dict, location: str | None) -> None:
    """Location made absolute from the public root, and `Vary: Host` when the response was built
    from the Host header (called by the app's per-response step, kgraph.web.headers, with the
    request's environ and the response's Location, if any)."""
    headers = response.headers
    if location and location.startswith(request.url_root):
        # Werkzeug's own redirects (a missing trailing slash) are built from the Host header.
        headers["Location"] = target = absolute(location[len(request.url_root):])
        if 300 <= response.status_code < 400:
            response.set_data(f"Redirecting to {target}\n")  # werkzeug's page names the Host too
            response.content_type = "text/plain; charset=utf-8"
    if HOST_DEPENDENT in environ:  # depends_on_host(), without a second look through the request proxy
        response.vary.add("Host")
