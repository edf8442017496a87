"""The app's one WSGI layer around Flask: everything kgraph does per request outside the views.

    Front(flask_wsgi_app, state, settings)   # create_app wraps the app in it, last

In one call, one start_response wrapper and one pass over the header list (issue 16 point 1:
each WSGI layer and each werkzeug Headers operation costs a few microseconds, as much as a
trivial Flask route's own work), in this order:

1. release pinning (kgraph.web.state): the request is served from the release current when it
   came in (environ[PINNED]), and a new build is noticed between requests;
2. a plain GET of a fragment page in RDF (kgraph.web.fragment_views.Fragments.answer: no
   conditional header, a read-only embedded store, parameters that name a pattern) is answered
   without Flask, with the view's own answer (fragments are the one route clients ask for by the
   thousand, each URL once: Comunica; Flask's request and response were 40% of a page's time);
   the render-once lookup (kgraph.web.render_once): a kept GET/HEAD is answered from memory
   without Flask (its stored headers hold what step 3 added when it was made);
3. Flask, whose answer gets, on its WSGI header list: the weak ETag of a complete 200 the app's
   per-response step asked for (kgraph.web.caching; for a GET, the start_response call is held
   until Flask has returned the body, which is hashed, joined once and sent as one piece: a list
   is also what a WSGI server sends fastest), then the headers the settings alone decide
   (kgraph.web.headers.ReleaseHeaders: licence Link, Cache-Control, CORS, nosniff), also on the
   answers Flask makes outside the view machinery (405, 413, a failed step's 500); a complete
   200 the step marked renderable is kept for the next requests;
4. the access line (kgraph.web.access_log), when the app has answered (the body may still be
   streaming), for kept answers too.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Callable, Iterable

from kgraph.config import Settings
from kgraph.web.access_log import LINE, access_log
from kgraph.web.caching import BODY, weak_etag_header
from kgraph.web.headers import ReleaseHeaders
from kgraph.web.render_once import CONDITIONAL, NEVER_KEPT, STORE, Rendered, keep, raw_key
from kgraph.web.state import PINNED

INFO = logging.INFO
GET_OR_HEAD = ("GET", "HEAD")
OK = "200 OK"
FRAGMENTS_PATH = "/fragments"


def _no_write(data: bytes) -> None:
    raise RuntimeError("kgraph.web.front: the app wrote through start_response's callable, which Flask never does")


class Front:
    """kgraph's per-request work around the Flask app, as one WSGI callable (see the module doc).

    `write` (set by kgraph.web.access_log.write_access_lines) takes the access line instead of
    the `kgraph.access` logger; `parts` names the steps that run, for benchmarks/hotpath_profile
    to measure each one's share ("render_once", "access_log"; pinning and the headers always).
    """

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]], state: Any, settings: Settings,
                 fragments: Any = None):
        self.wsgi_app = wsgi_app
        self.state = state
        self.headers = ReleaseHeaders(settings)
        self.fragments = fragments  # kgraph.web.fragment_views.Fragments (its answer: step 2)
        self.write: Callable[[str], None] | None = None
        self.parts = {"render_once": True, "access_log": True, "fragments": fragments is not None}

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        logged = self.parts["access_log"] and access_log.isEnabledFor(INFO)
        started = time.perf_counter()
        served = environ[PINNED] = self.state.pin()
        try:
            status, length, rows, body = self._serve(environ, start_response, served)
        finally:
            served.release()  # state.unpin(served), one call fewer
        if logged:
            args = (environ["REQUEST_METHOD"], environ.get("PATH_INFO", ""), status[:3], length,
                    (time.perf_counter() - started) * 1000, rows)
            if self.write is not None:
                self.write(LINE % args)
            else:
                access_log.info(LINE, *args)
        return body

    def _serve(self, environ: dict[str, Any], start_response: Callable[..., Any],
               served: Any) -> tuple[str, str, str, Iterable[bytes]]:
        """(status, Content-Length, X-Result-Rows, body) of the answer, sent by start_response."""
        method = environ["REQUEST_METHOD"]
        if method == "GET" and environ.get("PATH_INFO") == FRAGMENTS_PATH and self.parts["fragments"]:
            made = self.fragments.answer(environ, served)
            if made is not None:  # a plain GET of an RDF fragment page: answered without Flask
                headers, length, rows = self.headers.add(OK, made[0], False)
                start_response(OK, headers)
                return OK, length, rows, [made[1]]
        cache = served.rendered
        held = None
        if (method in GET_OR_HEAD and cache.budget and self.parts["render_once"]
                and environ.keys().isdisjoint(CONDITIONAL)):  # a loop in C over CONDITIONAL, not any()
            key = raw_key(environ)
            generation = served.executor.generation
            entry = cache.get(key, generation)
            if entry is not None and entry is not NEVER_KEPT:
                return self._kept(entry, environ, start_response)
            if entry is None and method == "GET":  # HEAD: rendered without a body, nothing to keep
                held = environ[STORE] = (cache, key, generation)
                cache.count_render()
        preflight = method == "OPTIONS"
        sent: list[Any] = ["-", "-", "-", [], False]  # status, Content-Length, X-Result-Rows, headers, deferred

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            wanted = environ.pop(BODY, None)  # the weak ETag the per-response step asked for
            if wanted is True and status[:3] == "200":
                # A GET's: made from the body Flask returns next, so the headers go out with it.
                # Flask does not write through start_response's callable nor call it again.
                sent[:] = [status, "-", "-", headers, True]
                return _no_write
            etag = weak_etag_header(served, wanted) if wanted is not None and status[:3] == "200" else None
            headers, length, rows = self.headers.add(status, headers, preflight, etag)
            sent[:] = [status, length, rows, headers, False]
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        body = self.wsgi_app(environ, start)
        status, length, rows, headers, deferred = sent
        if deferred:
            try:
                data = b"".join(body)  # a complete body (the step saw it): joined once, sent as one piece
            finally:
                if hasattr(body, "close"):
                    body.close()
            body = [data]
            headers, length, rows = self.headers.add(status, headers, preflight, weak_etag_header(served, data))
            sent[3] = headers
            start_response(status, headers)
        if held is not None and status[:3] == "200":
            body = keep(held, environ, status, headers, length, body)
        return status, length, rows, body

    @staticmethod
    def _kept(entry: Rendered, environ: dict[str, Any],
              start_response: Callable[..., Any]) -> tuple[str, str, str, Iterable[bytes]]:
        """A kept answer (the WSGI server adds the Date, as it does to the app's own answers)."""
        if entry.not_modified_by(environ):
            start_response("304 NOT MODIFIED", entry.not_modified)
            return "304", "-", entry.rows, []
        start_response(entry.status, entry.headers)
        return entry.status, entry.length, entry.rows, [] if environ["REQUEST_METHOD"] == "HEAD" else [entry.body]


def init_front(app: Any, state: Any, settings: Settings) -> Front:
    """Wrap the Flask app's WSGI callable in Front (create_app calls it last) and keep it in
    app.extensions (for write_access_lines and the profile)."""
    from kgraph.web.access_log import EXTENSION

    from kgraph.web.fragment_views import FRAGMENTS

    front = app.extensions[EXTENSION] = Front(app.wsgi_app, state, settings, app.extensions.get(FRAGMENTS))
    app.wsgi_app = front
    return front
