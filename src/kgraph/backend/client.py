"""HTTP to the SPARQL engine: the Protocol (query, update) and the Graph Store Protocol.

httpx (README "Why these libraries"): one pooled, thread-safe client per engine, HTTP/1.1
keep-alive, streaming bodies, timeouts per phase, Basic and Digest auth built in (Virtuoso's
/sparql-auth and /sparql-graph-crud-auth ask for Digest). Queries and updates are sent as
form-encoded POST (Virtuoso hangs on POST application/sparql-query; every engine takes forms).

Errors become kgraph.sparql errors carrying their HTTP status: an engine that cannot be reached
BackendUnavailable (503), one that does not answer in time QueryTimeout (503), an answer the
engine refuses (4xx) a syntax or evaluation error (400) with the engine's own message, an
engine failure (5xx) BackendError (502). The messages name the setting, never the address.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import dataclass
from typing import IO, Callable, Iterable, Mapping, Sequence
from urllib.parse import quote_plus

import httpx

from kgraph.sparql.errors import (
    QueryError,
    QueryEvaluationError,
    QuerySyntaxError,
    QueryTimeout,
    ResultTooLarge,
    ServerBusy,
)

log = logging.getLogger(__name__)

CHUNK = 64 * 1024
CONNECT_SECONDS = 5.0
DATASETS_KEPT = 16
FORM = "application/x-www-form-urlencoded"
MESSAGE_CHARS = 600  # of an engine's error text, passed on to the client
# Virtuoso answers 500 for what is the query's fault: SQL states of class 22 (a data exception,
# e.g. CONTAINS on an IRI) and 37 (syntax): these are 400s, as the embedded store answers them.
_VIRTUOSO_CLIENT_STATE = re.compile(r"^Virtuoso (22|37)\w{3} Error")


class BackendUnavailable(QueryError):
    """The SPARQL engine cannot be reached (refused, reset, no such host)."""

    status = 503
    title = "The SPARQL engine is unavailable"
    retry_after = 5

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class BackendError(QueryError):
    """The SPARQL engine answered with a failure of its own (5xx, or an answer kgraph cannot read)."""

    status = 502
    title = "The SPARQL engine failed"


class _EitherAuth(httpx.Auth):
    """Basic or Digest, whichever the engine's 401 challenge asks for (remembered after)."""

    def __init__(self, user: str, password: str):
        self.basic = httpx.BasicAuth(user, password)
        self.digest = httpx.DigestAuth(user, password)
        self.scheme: str | None = None

    def auth_flow(self, request: httpx.Request):
        if self.scheme == "basic":
            yield from self.basic.auth_flow(request)
            return
        if self.scheme == "digest":
            yield from self.digest.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        challenge = response.headers.get("www-authenticate", "").lower()
        if challenge.startswith("digest"):
            self.scheme = "digest"
            flow = self.digest.auth_flow(request)
            next(flow)  # the unauthenticated request, already answered by `response`
            try:
                request = flow.send(response)
                while True:
                    response = yield request
                    request = flow.send(response)
            except StopIteration:
                return
        elif challenge.startswith("basic"):
            self.scheme = "basic"
            yield from self.basic.auth_flow(request)


@dataclass
class Answer:
    """What the engine sent back for a query: its media type (no parameters) and size in bytes."""

    media_type: str
    size: int
    headers: Mapping[str, str]


class EngineClient:
    """The HTTP client of one engine (its query, update and Graph Store URLs); thread-safe."""

    def __init__(self, query_url: str, update_url: str = "", store_url: str = "", user: str = "",
                 password: str = "", *, connections: int = 32):
        self.query_url, self.update_url, self.store_url = query_url, update_url, store_url
        # httpx logs every request at INFO: kgraph's access log already has one line per request.
        logging.getLogger("httpx").setLevel(logging.WARNING)
        auth = _EitherAuth(user, password) if user else None
        self._http = httpx.Client(
            auth=auth,
            limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
            timeout=httpx.Timeout(30.0, connect=CONNECT_SECONDS),
            follow_redirects=False,  # an engine URL is configured exactly; never follow elsewhere
            trust_env=False,  # no proxy from the environment between kgraph and its engine
        )
        self._datasets: dict[tuple, bytes] = {}  # dataset -> its form encoding (see _dataset_form)
        self._lock = threading.Lock()
        # The engine's Server header, as its last answer gave it ("Oxigraph/0.5.13", "Virtuoso/07...."):
        # the few engine quirks kgraph works around are told by it.
        self.server = ""

    @classmethod
    def from_settings(cls, settings) -> "EngineClient":
        """The client for the backend_* settings."""
        return cls(settings.backend_query_url, settings.backend_update_url, settings.backend_store_url,
                   settings.backend_user, settings.backend_password)

    def close(self) -> None:
        self._http.close()

    # -- the SPARQL Protocol
    def query(self, text: str, accept: str, out: IO[bytes], *, deadline: float,
              default_graphs: Sequence[str] = (), named_graphs: Sequence[str] = (),
              transform: Callable[[bytes], bytes] | None = None, max_bytes: int | None = None) -> Answer:
        """Send a query; write the answer's body (through `transform`, chunk by chunk) to `out`.

        `transform` must map bytes to bytes locally (the engine-name suffix removal, which has no
        overlap problem because chunks are re-joined at line ends, see _lines)."""
        body = b"query=" + quote_plus(text).encode() + self._dataset_form(tuple(default_graphs), tuple(named_graphs))
        size = 0
        with self._send("POST", self.query_url, "backend_query_url", deadline, content=body,
                        headers={"Accept": accept, "Content-Type": FORM}) as response:
            self._check(response, "query")
            for block in _lines(response.iter_bytes(CHUNK), deadline):
                block = transform(block) if transform else block
                out.write(block)
                size += len(block)
                if max_bytes is not None and size > max_bytes:
                    raise BackendError(f"the engine's answer is larger than {max_bytes} bytes")
            media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            self.server = response.headers.get("server", self.server)
            return Answer(media_type, size, dict(response.headers))

    def _dataset_form(self, default_graphs: tuple[str, ...], named_graphs: tuple[str, ...]) -> bytes:
        """`&default-graph-uri=..&named-graph-uri=..` for a dataset, encoded once and kept: a release
        names hundreds of graphs, and encoding them for every query cost more than a point lookup's
        answer (~2 ms of urlencode at 259 graphs, benchmarks/results/backend-100k.md)."""
        key = (default_graphs, named_graphs)
        encoded = self._datasets.get(key)
        if encoded is None:
            encoded = "".join([*(f"&default-graph-uri={quote_plus(g)}" for g in default_graphs),
                               *(f"&named-graph-uri={quote_plus(g)}" for g in named_graphs)]).encode()
            with self._lock:
                if len(self._datasets) >= DATASETS_KEPT:  # a few releases' datasets; clients' own FROMs pass by
                    self._datasets.pop(next(iter(self._datasets)))
                self._datasets[key] = encoded
        return encoded

    def update(self, text: str, *, deadline: float) -> None:
        """Send an update to backend_update_url (form-encoded)."""
        url = self._need(self.update_url, "backend_update_url")
        with self._send("POST", url, "backend_update_url", deadline, data={"update": text}) as response:
            self._check(response, "update")
            response.read()

    # -- the Graph Store Protocol
    def put_graph(self, graph: str, body: bytes | Iterable[bytes], *, deadline: float,
                  media_type: str = "application/n-triples") -> None:
        """Replace a graph with the given RDF (PUT ?graph=)."""
        url = self._need(self.store_url, "backend_store_url")
        with self._send("PUT", url, "backend_store_url", deadline, params={"graph": graph}, content=body,
                        headers={"Content-Type": media_type}) as response:
            self._check(response, f"loading <{graph}>")
            response.read()

    def delete_graph(self, graph: str, *, deadline: float) -> None:
        """Remove a graph (DELETE ?graph=); one that is already gone is fine."""
        url = self._need(self.store_url, "backend_store_url")
        with self._send("DELETE", url, "backend_store_url", deadline, params={"graph": graph}) as response:
            if response.status_code != 404:
                self._check(response, f"removing <{graph}>")
            response.read()

    # -- plumbing
    @staticmethod
    def _need(url: str, setting: str) -> str:
        if not url:
            raise BackendError(f"setting {setting!r} is not set: it is needed for this")
        return url

    def _send(self, method: str, url: str, setting: str, deadline: float, **kwargs):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise QueryTimeout("the time limit was spent before the engine was asked")
        timeout = httpx.Timeout(remaining, connect=min(remaining, CONNECT_SECONDS), pool=min(remaining, 1.0))
        try:
            request = self._http.build_request(method, url, timeout=timeout, **kwargs)
            return _Exchange(self._http, request, setting, deadline)
        except httpx.HTTPError as exc:
            raise _translate(exc, setting, deadline) from None

    @staticmethod
    def _check(response: httpx.Response, what: str) -> None:
        if response.status_code < 300:
            return
        response.read()
        message = " ".join(response.text.split())[:MESSAGE_CHARS] or response.reason_phrase
        status = response.status_code
        if status in (400, 422) and what == "query":
            raise QuerySyntaxError(f"the SPARQL engine refused the query: {message}")
        if status in (401, 403):
            raise BackendError(f"the SPARQL engine refused the {what} ({status}): check backend_user / backend_password")
        if "SR353" in message:  # Virtuoso: ORDER BY with LIMIT/OFFSET over more rows than MaxSortedTopRows
            raise ResultTooLarge(f"the SPARQL engine refuses to sort so many rows; narrow the pattern or page less deep: {message}")
        if timed_out(message):
            raise QueryTimeout(f"the SPARQL engine stopped the {what} at its own time limit: {message}")
        if 400 <= status < 500 or _VIRTUOSO_CLIENT_STATE.match(message):
            raise QueryEvaluationError(f"the SPARQL engine refused the {what} ({status}): {message}")
        raise BackendError(f"the SPARQL engine failed on the {what} ({status}): {message}")


def timed_out(message: str) -> bool:
    """Whether an engine's error text says it stopped the query at its own time limit (Virtuoso:
    SQL states S1T00 / SR171, 'timed out'; Oxigraph server has no limit of its own)."""
    lowered = message.lower()
    return "s1t00" in lowered or "sr171" in lowered or "timed out" in lowered or "timeout" in lowered


class _Exchange:
    """One request in flight (a context manager around httpx's streamed send), with its errors translated."""

    def __init__(self, http: httpx.Client, request: httpx.Request, setting: str, deadline: float):
        self.http, self.request, self.setting, self.deadline = http, request, setting, deadline
        self.response: httpx.Response | None = None

    def __enter__(self) -> httpx.Response:
        try:
            self.response = self.http.send(self.request, stream=True)
        except httpx.HTTPError as exc:
            raise _translate(exc, self.setting, self.deadline) from None
        return self.response

    def __exit__(self, kind, exc, tb) -> bool:
        if self.response is not None:
            self.response.close()
        if isinstance(exc, httpx.HTTPError):
            raise _translate(exc, self.setting, self.deadline) from None
        return False


def _translate(exc: httpx.HTTPError, setting: str, deadline: float) -> QueryError:
    log.warning("SPARQL engine (%s): %s: %s", setting, type(exc).__name__, exc)
    if isinstance(exc, httpx.PoolTimeout):
        return ServerBusy("every connection to the SPARQL engine is busy; try again in a moment")
    if isinstance(exc, httpx.ConnectTimeout) and time.monotonic() < deadline:
        return BackendUnavailable(f"the SPARQL engine ({setting}) did not accept a connection within {CONNECT_SECONDS:g} s")
    if isinstance(exc, httpx.TimeoutException):
        return QueryTimeout("the query did not finish within the time limit and was stopped")
    if isinstance(exc, (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)):
        return BackendUnavailable(f"the SPARQL engine ({setting}) cannot be reached or broke the connection: "
                                  f"{type(exc).__name__}")
    return BackendError(f"talking to the SPARQL engine ({setting}) failed: {type(exc).__name__}")


# Bytes that end a term in every answer format (N-Triples, XML, JSON, CSV, TSV), and that no
# engine-name suffix holds (kgraph.backend.naming: `#kgraph-release-` and [A-Za-z0-9._-]).
_TERM_ENDS = (b"\n", b">", b"<", b'"', b",", b"\t", b" ")


def _lines(blocks: Iterable[bytes], deadline: float) -> Iterable[bytes]:
    """The blocks re-cut just after the last byte of each that ends a term, so that no engine-name
    suffix is split across two (answers written on one line, as Oxigraph writes JSON and XML,
    included); the deadline is checked between blocks."""
    carry = b""
    for block in blocks:
        if time.monotonic() > deadline:
            raise QueryTimeout("the query did not finish within the time limit and was stopped")
        block = carry + block
        cut = max(block.rfind(end) for end in _TERM_ENDS) + 1
        if cut == 0 and len(block) < 16 * CHUNK:
            carry = block
            continue
        cut = cut or len(block)
        carry = block[cut:]
        yield block[:cut]
    if carry:
        yield carry
