"""One access-log line per request: method, path, status, response bytes, duration, result rows.

    GET /healthz 200 116 bytes 0.3 ms rows=-

WSGI middleware, outermost, rather than two Flask hooks: it also logs the answers the render-once
cache sends without running Flask, and costs less per request than hooks do. The line goes to the
`kgraph.access` logger (INFO), or, once `write_access_lines` gave the layer a writer (kgraph.serve
does, for its own stderr handler), straight to that writer: the same line, without the logging
module's per-record work (a record, its formatting, the handler chain: ~10 us of a /healthz
answer's ~85 us in-process, benchmarks/hotpath_profile.py).
"""

from __future__ import annotations

import logging
import time
from typing import Any, Callable, Iterable

from flask import Flask

access_log = logging.getLogger("kgraph.access")
EXTENSION = "kgraph.access"  # app.extensions: the app's AccessLog layer
LINE = "%s %s %s %s bytes %.1f ms rows=%s"


def init_access_log(app: Flask) -> None:
    """Wrap the app's WSGI callable in AccessLog (create_app calls it last: outermost)."""
    layer = app.extensions[EXTENSION] = AccessLog(app.wsgi_app)
    app.wsgi_app = layer  # type: ignore[method-assign]


def write_access_lines(app: Flask, write: Callable[[str], None]) -> None:
    """Send the app's access lines (the message, without time stamp or level) to `write`
    instead of through logging; the `kgraph.access` logger's level still says whether to log."""
    app.extensions[EXTENSION].write = write


class AccessLog:
    """Logs each request when the app has answered it (the body may still be streaming)."""

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]]):
        self.wsgi_app = wsgi_app
        self.write: Callable[[str], None] | None = None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if not access_log.isEnabledFor(logging.INFO):
            return self.wsgi_app(environ, start_response)
        started = time.perf_counter()
        sent: list[Any] = []

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            sent[:] = [status, headers]
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        body = self.wsgi_app(environ, start)
        status, headers = sent if sent else ("-", [])
        length = rows = "-"
        for name, value in headers:
            lower = name.lower()
            if lower == "content-length":
                length = value
            elif lower == "x-result-rows":
                rows = value
        args = (environ["REQUEST_METHOD"], environ.get("PATH_INFO", ""), status[:3], length,
                (time.perf_counter() - started) * 1000, rows)
        if self.write is not None:
            self.write(LINE % args)
        else:
            access_log.info(LINE, *args)
        return body
