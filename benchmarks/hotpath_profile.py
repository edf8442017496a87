"""Where kgraph's per-request time goes on a trivial route (issue 16 point 1), in-process.

    python -m benchmarks.hotpath_profile            # ./build's current release

Calls the WSGI app directly (no server, no sockets) with a prebuilt environ, 1,000 requests per
measurement, 7 measurements, and prints the least CPU time per request (time.process_time: on a
machine shared with other work, wall time varies 2x between runs, CPU time by a few percent):
bare Flask's "hello" (benchmarks/bare_flask.py), then kgraph's /healthz through each layer of
the app from the inside out (Flask alone, with its after_request hooks, then each WSGI layer).
A kept /doc/ page is timed too. (The cost of one hook, measured as the time saved without it, is
below this method's noise on a loaded machine: a few microseconds each.)
"""

from __future__ import annotations

import io
import sys
import time
from typing import Any, Callable

from flask import Flask

from benchmarks.bare_flask import app as bare
from kgraph.config import load_settings
from kgraph.serve import _configure_logging
from kgraph.web import create_app


def environ(path: str, accept: str = "*/*") -> dict[str, Any]:
    return {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": "127.0.0.1:8000", "HTTP_ACCEPT": accept,
            "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr, "wsgi.multithread": True,
            "wsgi.multiprocess": True, "wsgi.run_once": False, "wsgi.version": (1, 0)}


def cpu_us(app: Callable[..., Any], path: str, accept: str = "*/*", n: int = 1000, rounds: int = 7) -> float:
    """The least CPU microseconds per request over `rounds` runs of `n` requests."""
    def start(status: str, headers: list, exc_info: Any = None) -> None:
        return None

    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(n):
            body = app(environ(path, accept), start)
            b"".join(body)
            getattr(body, "close", lambda: None)()
        best = min(best, (time.process_time() - started) / n * 1e6)
    return best


def main() -> None:
    # As kgraph.serve configures it (its formatter and logging switches): the access log on, to a
    # stream (here /dev/null).
    _configure_logging(open("/dev/null", "w"))
    app = create_app(load_settings())
    def flask_only(env: dict[str, Any], start: Callable[..., Any]) -> Any:
        return Flask.wsgi_app(app, env, start)  # the app without its WSGI layers

    print(f"{'bare Flask hello':40} {cpu_us(bare, '/'):7.1f} us")
    hooks = list(app.after_request_funcs[None])
    app.after_request_funcs[None] = []
    print(f"{'kgraph /healthz, Flask alone (no hooks)':40} {cpu_us(flask_only, '/healthz'):7.1f} us")
    app.after_request_funcs[None] = hooks
    with_hooks = cpu_us(flask_only, "/healthz")
    print(f"{'kgraph /healthz, Flask + hooks':40} {with_hooks:7.1f} us")
    chain, layer = [], app.wsgi_app
    while hasattr(layer, "wsgi_app"):
        chain.append(layer)
        layer = layer.wsgi_app
    for layer in reversed(chain):
        print(f"{'kgraph /healthz, + ' + type(layer).__name__:40} {cpu_us(layer, '/healthz'):7.1f} us")
    print(f"{'kept /doc/ page (HTML), whole app':40} {cpu_us(app, '/doc/organisatie/gent', 'text/html'):7.1f} us")
    app.extensions["kgraph"].close()


if __name__ == "__main__":
    main()
