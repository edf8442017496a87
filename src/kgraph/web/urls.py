"""Absolute URLs the app writes (Location, the service description, links in pages).

They start from the configured `public_base` when one is set, so a forged `Host` header cannot
put another host into a response. Without it they come from the request's own root URL, and the
request is marked host-dependent: kgraph.web.security then adds `Vary: Host`, so a shared cache
never hands one host's answer to a request for another.
"""

from __future__ import annotations

from flask import request, url_for

from kgraph.web.state import get_state

HOST_DEPENDENT = "kgraph.host_dependent"  # environ: the response was built from the Host header


def public_root() -> str:
    """The root URL of the service, ending with '/': the configured public base, else the request's."""
    configured = get_state().settings.public_base
    if configured:
        return configured
    request.environ[HOST_DEPENDENT] = True
    return request.url_root


def external_url(endpoint: str, **values: object) -> str:
    """The absolute URL of an endpoint of the app, under public_root()."""
    path = url_for(endpoint, **values)
    # url_for includes the script root (a proxy's path prefix), which request.url_root has too.
    relative = path[len(request.script_root):] if path.startswith(request.script_root) else path
    return public_root() + relative.lstrip("/")


def absolute(path: str) -> str:
    """An absolute URL for a path of the app ('doc/organisatie/gent' or '/doc/…')."""
    return public_root() + path.lstrip("/")


def depends_on_host() -> bool:
    """Whether this request's response was built from its Host header."""
    return HOST_DEPENDENT in request.environ
