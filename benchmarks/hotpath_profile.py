"""Where kgraph's per-request time goes on a trivial route (issue 16 point 1), in-process.

    python -m benchmarks.hotpath_profile            # ./build's current release (KGRAPH_BUILD_DIR)
    python -m benchmarks.hotpath_profile --rounds 3 --requests 50   # quicker, rougher

Calls the WSGI app directly (no server, no sockets) with a prebuilt environ and prints the least
CPU time per request (time.process_time: on a machine shared with other work, wall time varies 2x
between runs, CPU time much less) over ROUNDS rounds of N requests, every variant measured in turn
in each round, so a burst of load from other work hits them alike: bare Flask's "hello"
(benchmarks/bare_flask.py), then kgraph's /healthz from the inside out: Flask alone, with its
per-response step (kgraph.web.headers: language, Vary, validators, render-once mark), then through the app's one WSGI layer (kgraph.web.front) with its steps
switched on one by one (release pinning and the settings' headers (no ETag: /healthz is no-store), the
render-once lookup, the access line). A kept /doc/ page is timed too.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from typing import Any, Callable

from flask import Flask

from benchmarks.bare_flask import app as bare
from kgraph.config import load_settings
from kgraph.serve import _configure_logging, _with_access_lines
from kgraph.web import create_app
from kgraph.web.state import PINNED


def environ(path: str, accept: str = "*/*") -> dict[str, Any]:
    return {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": "127.0.0.1:8000", "HTTP_ACCEPT": accept,
            "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr, "wsgi.multithread": True,
            "wsgi.multiprocess": True, "wsgi.run_once": False, "wsgi.version": (1, 0)}


ROUNDS = 25
N = 400


def _start(status: str, headers: list, exc_info: Any = None) -> None:
    return None


def run_once(app: Callable[..., Any], path: str, accept: str, n: int) -> float:
    """CPU microseconds per request of `n` requests."""
    started = time.process_time()
    for _ in range(n):
        body = app(environ(path, accept), _start)
        b"".join(body)
        getattr(body, "close", lambda: None)()
    return (time.process_time() - started) / n * 1e6


def interleaved(variants: list[tuple[str, Callable[..., Any], str, str, Callable[[bool], None]]],
                rounds: int = ROUNDS, n: int = N) -> dict[str, float]:
    """The least CPU microseconds per request of each variant (label, app, path, Accept, set-up
    called with True before and False after it runs), all measured in turn in every round."""
    best = {label: float("inf") for label, *_ in variants}
    for _ in range(rounds):
        for label, app, path, accept, setup in variants:
            setup(True)
            try:
                best[label] = min(best[label], run_once(app, path, accept, n))
            finally:
                setup(False)
    return best


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.hotpath_profile")
    ap.add_argument("--rounds", type=int, default=ROUNDS)
    ap.add_argument("--requests", type=int, default=N, help="requests per variant and round")
    args = ap.parse_args(argv)
    # As kgraph.serve configures it (its log handler, the access lines written to it): the access
    # log on, to a stream (here /dev/null).
    _configure_logging(open("/dev/null", "w"))
    app = _with_access_lines(create_app(load_settings()))
    respond = app.respond  # the app's per-response step (kgraph.web.app.KgraphFlask)

    served = app.extensions["kgraph"].served_for({})  # the release served

    def flask_only(env: dict[str, Any], start: Callable[..., Any]) -> Any:
        env[PINNED] = served  # as kgraph.web.front pins it (the views read it there)
        return Flask.wsgi_app(app, env, start)  # the app without its WSGI layer

    def without_step(before: bool) -> None:
        app.respond = None if before else respond

    def nothing(before: bool) -> None:
        return None

    front = app.extensions["kgraph.access"]  # the app's one WSGI layer (kgraph.web.front)

    def parts(*on: str) -> Callable[[bool], None]:
        def setup(before: bool) -> None:
            for part in front.parts:
                front.parts[part] = part in on or not before
        return setup

    variants = [("bare Flask hello", bare, "/", "*/*", nothing),
                ("kgraph /healthz, Flask alone (no step)", flask_only, "/healthz", "*/*", without_step),
                ("kgraph /healthz, + per-response step", flask_only, "/healthz", "*/*", nothing),
                ("kgraph /healthz, + pinning, headers", app, "/healthz", "*/*", parts()),
                ("kgraph /healthz, + render-once lookup", app, "/healthz", "*/*", parts("render_once")),
                ("kgraph /healthz, + access line (all)", app, "/healthz", "*/*", nothing),
                ("kept /doc/ page (HTML), whole app", app, "/doc/organisatie/gent", "text/html", nothing)]
    print(f"least CPU per request over {args.rounds} interleaved rounds of {args.requests} requests; "
          f"load average {os.getloadavg()[0]:.2f}")
    for label, us in interleaved(variants, args.rounds, args.requests).items():
        print(f"{label:40} {us:7.1f} us")
    app.extensions["kgraph"].close()


if __name__ == "__main__":
    main()
