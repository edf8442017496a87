"""One error handler: every failure becomes a plain-text answer with the status it carries.

As Datasette's handle_exception does, the handler reads everything from the exception itself:
a kgraph.sparql QueryError brings `status`, `title`, `headers()` and `str(exc)` (the message), a
werkzeug HTTPException its `code`, `name`, `description` and headers. Bad input never reaches a
500: query errors are 4xx, a timeout or a busy pool 503.

Server errors (500 from a failing store or worker, or any exception nothing expected) answer in
words only: the detail, which may name files of the machine or hold a traceback, goes to the log
under a short reference that the body gives, never into the body.
"""

from __future__ import annotations

import logging
import uuid

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from kgraph.sparql import QueryError

log = logging.getLogger("kgraph.web")

SERVER_FAILURE = "the server could not answer this request"


_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-+/=;:, ")


def echo(value: str, limit: int = 80) -> str:
    """Client input fit to quote in an error body: anything but plain characters \\u-escaped, cut
    at `limit` characters, so no markup or control character ever comes back as sent."""
    shown = "".join(c if c in _SAFE else f"\\u{ord(c):04x}" for c in value[:limit])
    return f"'{shown}'" + ("…" if len(value) > limit else "")


def text_response(status: int, message: str, **headers: str) -> Response:
    """A short plain-text answer (what SPARQL clients show their users)."""
    response = Response(message.rstrip() + "\n", status=status, content_type="text/plain; charset=utf-8")
    response.headers.update(headers)
    return response


def _server_failure(exc: Exception, status: int, title: str, headers: dict[str, str]) -> Response:
    reference = uuid.uuid4().hex[:12]
    log.error("%s %s failed (reference %s): %s", request.method, request.path, reference, exc,
              exc_info=not isinstance(exc, (QueryError, HTTPException)))
    return text_response(status, f"{title}: {SERVER_FAILURE}; the server log has the details "
                                 f"under reference {reference}", **headers)


def handle_exception(exc: Exception) -> Response:
    """The response for any exception a view raised, from the exception's own status."""
    if isinstance(exc, QueryError):
        status, title, message, headers = exc.status, exc.title, str(exc), exc.headers()
    elif isinstance(exc, HTTPException):
        status, message = exc.code or 500, exc.description or ""
        title = f"{status} {exc.name}"
        # Allow (405), WWW-Authenticate (401), Retry-After...: everything but the body's own headers.
        headers = {k: v for k, v in exc.get_headers() if k.lower() not in ("content-type", "content-length")}
        if status < 400:
            return exc.get_response()
    else:
        status, title, message, headers = 500, "Internal server error", "", {}
    if status == 500 or status > 503:
        # 503 (stopped at the deadline, pool busy) says what happened in our own words; other
        # server errors may carry a path or an engine's internals: those stay in the log.
        return _server_failure(exc, status, title, headers)
    return text_response(status, f"{title}: {message}" if message else title, **headers)


def init_errors(app: Flask) -> None:
    """Register the handler on an app, for every exception (HTTPExceptions included)."""
    app.register_error_handler(Exception, handle_exception)
