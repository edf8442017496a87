"""The current request's environ and app without Flask's proxy machinery.

`request.environ` and `current_app.extensions` each look through a werkzeug LocalProxy: ~0.8 us
each, a few percent of a trivial route's whole cost (issue 16 point 1). The proxies' documented
`_get_current_object()` hands back the object itself in ~0.1 us; the hot path uses these.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, request


def request_environ() -> dict[str, Any]:
    """The WSGI environ of the request being handled (as request.environ)."""
    return request._get_current_object().environ


def app_object() -> Flask:
    """The app handling the request (as current_app)."""
    return current_app._get_current_object()  # type: ignore[attr-defined]
