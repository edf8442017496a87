"""Render once per release: what depends only on the release is served as bytes from memory.

Nothing a GET answers can change between two builds (or, with an update token, between two
updates), so the first answer to a request is kept and later ones are the same bytes:

- kgraph.web.front, the app's one WSGI layer, looks a GET/HEAD up before Flask runs. A hit
  is answered from memory: the stored status, headers and body, with `X-Cache: HIT` (HEAD: no body;
  If-None-Match / If-Modified-Since: 304 as make_conditional would); the server adds the Date. No hook, no
  view, no negotiation, no ETag hashing runs again.
- `mark_renderable`, called last by the app's per-response step, says which responses may be kept: a
  complete 200 to a GET, no Set-Cookie, no Expires (it follows the clock), Cache-Control neither
  private nor no-store, Vary only on what the key holds, and a view that did not call dynamic().
  It names the entry by the negotiated outcome: path, canonical query string, the media type
  chosen, the page language (and the browser's, which the links depend on), the root URL where
  the page was built from the Host header, and the executor's update generation.
- `RenderCache` (one per ServedRelease: it goes when the release goes) holds those entries, LRU
  within a byte budget (settings.render_cache_bytes, per worker process), and a bounded map from
  what a request says (path, query, Accept, Accept-Language, the language cookie, Host) to the
  outcome it negotiated: different Accept headers that get Turtle share one stored body.

With updates enabled every key holds the executor's generation and the cache empties when it
moves, so no answer from before an update is served after it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Iterable

from flask import Response, request
from werkzeug.http import is_resource_modified, parse_cookie, remove_entity_headers

from kgraph.web.context import request_environ
from kgraph.web.language import COOKIE, LANGUAGE_USED, browser_language, page_language

STORE = "kgraph.render_once"  # environ: (cache, raw key, generation) while a miss is rendered
DYNAMIC = "kgraph.dynamic"  # environ: this response depends on more than the release and the request key
# Vary values the keys cover (Origin: the CORS headers do not depend on its value).
KEYED_VARY = frozenset({"accept", "accept-language", "cookie", "host", "origin"})
CONDITIONAL = ("HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE", "HTTP_IF_RANGE", "HTTP_RANGE")
NEVER_KEPT: Any = object()  # RenderCache.get's answer for a request whose answer is made each time
ALIASES_PER_ENTRY = 4  # raw keys kept per stored entry (distinct Accept headers, hosts ...)
MIN_ALIASES = 1024


def dynamic(environ: dict[str, Any] | None = None) -> None:
    """Views call this for a response that must be made again each time (liveness, a page read
    from files that may change): it is then never kept (`environ`: the request's, if the view
    has it at hand)."""
    (request_environ() if environ is None else environ)[DYNAMIC] = True


@dataclass(frozen=True)
class Rendered:
    """One stored answer: status line, headers as sent (Date left out), body, and its 304 headers."""

    status: str
    headers: list[tuple[str, str]]
    body: bytes
    etag: str | None
    last_modified: str | None
    not_modified: list[tuple[str, str]]
    length: str  # for the access line: Content-Length ...
    rows: str  # ... and X-Result-Rows ("-" without one)

    def not_modified_by(self, environ: dict[str, Any]) -> bool:
        """Whether the request's If-None-Match / If-Modified-Since make this a 304, as
        make_conditional would."""
        return ("HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MODIFIED_SINCE" in environ) and not is_resource_modified(
            environ, self.etag, last_modified=self.last_modified)

    @property
    def size(self) -> int:
        """Bytes counted against the budget: the body and the headers."""
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers) + 200


class RenderCache:
    """Rendered answers of one release, LRU within `budget` bytes; counts what it does.

    `renders` counts the answers made by the app for requests it could have kept (misses),
    `hits` those served from memory, `stored` / `evicted` the entries in and out.
    """

    def __init__(self, budget: int):
        self.budget = budget
        self.max_entry = budget // 4  # no single answer takes most of the budget
        self.generation = 0
        self.bytes = 0
        self.hits = self.renders = self.stored = self.evicted = 0
        self._entries: OrderedDict[tuple, Rendered] = OrderedDict()
        self._aliases: OrderedDict[tuple, Any] = OrderedDict()  # raw key -> outcome or NEVER_KEPT
        self._lock = threading.Lock()

    def get(self, raw_key: tuple, generation: int) -> Any:
        """The stored answer for what a request says, NEVER_KEPT if it is made each time, or None."""
        with self._lock:
            if generation != self.generation:
                self._reset(generation)
                return None
            outcome = self._aliases.get(raw_key)
            if outcome is NEVER_KEPT:
                return NEVER_KEPT
            entry = self._entries.get(outcome) if outcome is not None else None
            if entry is None:
                return None
            self._entries.move_to_end(outcome)
            self.hits += 1
            return entry

    def put(self, raw_key: tuple, outcome: tuple, generation: int, entry: Rendered) -> bool:
        """Keep an answer (False when it is too big, or made before the last update)."""
        size = entry.size
        with self._lock:
            if generation > self.generation:
                self._reset(generation)
            if generation != self.generation or size > self.max_entry:
                return False
            old = self._entries.pop(outcome, None)
            if old is not None:
                self.bytes -= old.size
            self._entries[outcome] = entry
            self.bytes += size
            self.stored += 1
            self._aliases[raw_key] = outcome
            self._aliases.move_to_end(raw_key)
            while self.bytes > self.budget:
                _, gone = self._entries.popitem(last=False)
                self.bytes -= gone.size
                self.evicted += 1
            self._trim_aliases()
            return True

    def never_keep(self, raw_key: tuple) -> None:
        """Remember that what this request says gets an answer made each time (dynamic()), so the
        next one goes straight to the app (an alias like the others: bounded, gone with the release)."""
        with self._lock:
            self._aliases[raw_key] = NEVER_KEPT
            self._trim_aliases()

    def _trim_aliases(self) -> None:
        while len(self._aliases) > max(MIN_ALIASES, ALIASES_PER_ENTRY * len(self._entries)):
            self._aliases.popitem(last=False)

    def count_render(self) -> None:
        with self._lock:
            self.renders += 1

    def stats(self) -> dict[str, int]:
        """Entries, bytes, budget and the counters (for tests and /healthz-like reporting)."""
        with self._lock:
            return {"entries": len(self._entries), "aliases": len(self._aliases), "bytes": self.bytes,
                    "budget": self.budget, "hits": self.hits, "renders": self.renders,
                    "stored": self.stored, "evicted": self.evicted, "generation": self.generation}

    def clear(self) -> None:
        with self._lock:
            self._reset(self.generation)

    def _reset(self, generation: int) -> None:
        self._entries.clear()
        self._aliases.clear()
        self.bytes = 0
        self.generation = generation


def raw_key(environ: dict[str, Any]) -> tuple:
    """What a request says that an answer may depend on (the alias side of the cache)."""
    cookie = environ.get("HTTP_COOKIE", "")
    # Parsed as request.cookies is (only when the name occurs), so the key and the view agree.
    language = parse_cookie(cookie).get(COOKIE, "") if COOKIE in cookie else ""
    return (environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""), environ.get("HTTP_ACCEPT", ""),
            environ.get("HTTP_ACCEPT_LANGUAGE", ""), language, environ.get("HTTP_HOST", ""),
            environ.get("SCRIPT_NAME", ""), environ.get("wsgi.url_scheme", ""))


def keep(held: tuple, environ: dict[str, Any], status: str, headers: list[tuple[str, str]], length: str,
         body: Iterable[bytes]) -> Iterable[bytes]:
    """The body of a 200 the app just made for a render-once miss (`held`: the cache, raw key and
    generation looked up in), kept in the cache when the hook marked it renderable and it fits
    (else passed on as it is: streamed, sendfile and all). Called by kgraph.web.front."""
    outcome = environ.get(STORE + ".outcome")
    cache, key, generation = held
    if outcome is None or not length.isdigit() or int(length) > cache.max_entry:
        return body  # not renderable, or too big to keep (or of unknown size)
    try:
        data = b"".join(body)
    finally:
        if hasattr(body, "close"):
            body.close()
    if len(data) == int(length):
        cache.put(key, outcome, generation, _entry(status, headers, data))
    return [data]


def _entry(status: str, headers: list[tuple[str, str]], body: bytes) -> Rendered:
    # Date: each answer gets the time it is sent. X-Cache: from now on it comes from a cache.
    kept = [(name, value) for name, value in headers if name.lower() not in ("date", "x-cache")]
    kept.append(("X-Cache", "HIT"))
    not_modified = list(kept)
    remove_entity_headers(not_modified)
    lookup = {name.lower(): value for name, value in kept}
    return Rendered(status, kept, body, lookup.get("etag"), lookup.get("last-modified"), not_modified,
                    lookup.get("content-length", "-"), lookup.get("x-result-rows", "-"))


def renderable(response: Response) -> bool:
    """Whether an answer depends on nothing but the release and the request's key (see module doc)."""
    if request.method != "GET" or response.status_code != 200 or DYNAMIC in request.environ:
        return False
    headers = response.headers
    if "Set-Cookie" in headers or "Expires" in headers:
        return False
    cache_control = headers.get("Cache-Control", "")
    if "private" in cache_control or "no-store" in cache_control:
        return False
    return all(value.lower() in KEYED_VARY for value in response.vary)


def outcome_key(response: Response, generation: int) -> tuple:
    """The negotiated outcome an answer is stored under (see module doc)."""
    from kgraph.web.urls import depends_on_host  # not at the top: urls -> state -> this module

    args = sorted(request.args.items(multi=True), key=lambda item: item[0])  # stable: repeated keys keep order
    language = (page_language(), browser_language()) if LANGUAGE_USED in request.environ else None
    root = request.url_root if depends_on_host() else None
    return (request.path, tuple(args), response.headers.get("Content-Type"), language, root, generation)


def mark_renderable(response: Response, state: Any, environ: dict[str, Any]) -> None:
    """Say, for kgraph.web.front, under which outcome a response may be kept. Called last by the app's one
    per-response step (kgraph.web.headers), on the final response (`environ`: the request's)."""
    held = environ.get(STORE)
    if held is None:
        return
    if DYNAMIC in environ:
        held[0].never_keep(held[1])
        return
    if not renderable(response):
        return
    cache, _, generation = held
    served = state.served_for(environ)
    # The release Flask pinned may be newer than the one looked up in: keep nothing then.
    if served.rendered is cache and served.executor.generation == generation:
        environ[STORE + ".outcome"] = outcome_key(response, generation)
