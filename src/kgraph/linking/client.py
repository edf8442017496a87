"""Paging through a partner's SPARQL endpoint with SPARQLWrapper, politely.

Every request has a timeout; a timeout, a refused connection or a 5xx answer is retried with
exponential backoff; requests are at least `min_interval` seconds apart (the rate limit); the
User-Agent names kgraph. GET is used (form POST when the query is long): Virtuoso 7 hangs on
POST application/sparql-query. Whatever goes wrong, the rows fetched so far come back, marked
partial, with the reason in words.
"""

from __future__ import annotations

import json
import socket
import time
import urllib.error
from dataclasses import dataclass, field
from typing import Callable

from SPARQLWrapper import GET, JSON, POST, URLENCODED, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import EndPointInternalError, SPARQLWrapperException

from kgraph import __version__

USER_AGENT = f"kgraph/{__version__} (link discovery for the Kenniscentrum Vlaamse Steden linked data)"
LONG_QUERY = 2000  # characters: above this the query goes as a form POST (URLs get too long)


class PartnerError(RuntimeError):
    """A partner endpoint could not be asked or answered something unusable; str is the reason."""


@dataclass(frozen=True)
class Politeness:
    """How `kgraph link` treats a partner endpoint."""

    page_size: int = 200
    timeout: float = 20.0  # seconds per request
    retries: int = 2  # further attempts after a failed one
    backoff: float = 1.0  # seconds before the first retry, doubled after each
    min_interval: float = 0.2  # seconds between two requests (rate limit)
    max_pages: int = 1000


@dataclass
class PartnerRows:
    """What came back: the rows (variable -> value, as SPARQL JSON terms), and whether all did."""

    endpoint: str
    rows: list[dict[str, dict]] = field(default_factory=list)
    pages: int = 0
    partial: bool = False
    reason: str = ""


def paged(query: str, limit: int, offset: int) -> str:
    """The query with its page: a stable order over every selected variable, LIMIT and OFFSET."""
    return f"{query.rstrip()}\nORDER BY ?item ?label ?identifier ?sameAs ?type\nLIMIT {limit}\nOFFSET {offset}\n"


def _check_results(document: object) -> list[dict[str, dict]]:
    """The bindings of a SPARQL JSON results document, or PartnerError saying what is wrong."""
    if not isinstance(document, dict) or not isinstance(document.get("results"), dict):
        raise PartnerError("the answer is not SPARQL JSON results (no \"results\" object)")
    bindings = document["results"].get("bindings")
    if not isinstance(bindings, list) or not all(isinstance(b, dict) for b in bindings):
        raise PartnerError("the answer's \"results.bindings\" is not a list of objects")
    for row in bindings:
        for name, term in row.items():
            if not isinstance(term, dict) or not isinstance(term.get("value"), str) or "type" not in term:
                raise PartnerError(f"the answer's binding of ?{name} is not a SPARQL JSON term")
    variables = document.get("head", {}).get("vars", []) if isinstance(document.get("head"), dict) else []
    if "item" not in variables:
        raise PartnerError("the query's answer has no ?item variable (a --query must SELECT ?item ?label)")
    return bindings


def _retryable(exc: BaseException) -> bool:
    """Timeouts, refused connections and 5xx answers are worth another try; 4xx are not."""
    if isinstance(exc, EndPointInternalError):  # SPARQLWrapper's name for a 500 answer
        return True
    if isinstance(exc, urllib.error.HTTPError):
        return exc.code >= 500 or exc.code == 429
    return isinstance(exc, (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError))


def _describe(exc: BaseException, timeout: float) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"the endpoint answered HTTP {exc.code} {exc.reason}"
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, (socket.timeout, TimeoutError)) or "timed out" in str(reason):
        return f"no answer within {timeout:g} s (timeout)"
    if isinstance(exc, EndPointInternalError):
        return "the endpoint answered HTTP 500 (internal error)"
    if isinstance(exc, SPARQLWrapperException):
        return f"the endpoint refused the query: {str(exc).splitlines()[0]}"
    return f"cannot reach the endpoint: {reason}"


class PartnerClient:
    """A SPARQLWrapper client for one partner endpoint, with kgraph's politeness rules."""

    def __init__(self, endpoint: str, politeness: Politeness = Politeness(),
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic):
        self.endpoint = endpoint
        self.politeness = politeness
        self._sleep, self._clock = sleep, clock
        self._last_request: float | None = None
        self.requests = 0
        self.sent: list[float] = []  # when each request went out (clock), for the rate limit's record

    def _wait_turn(self) -> None:
        if self._last_request is not None:
            wait = self.politeness.min_interval - (self._clock() - self._last_request)
            if wait > 0:
                self._sleep(wait)
        self._last_request = self._clock()
        self.sent.append(self._last_request)

    def _once(self, query: str) -> list[dict[str, dict]]:
        self._wait_turn()
        self.requests += 1
        wrapper = SPARQLWrapper(self.endpoint, agent=USER_AGENT)
        # setTimeout() truncates to whole seconds (0.5 would become "no wait at all"); urllib
        # takes the float as it is
        wrapper.timeout = self.politeness.timeout
        wrapper.setReturnFormat(JSON)
        if len(query) > LONG_QUERY:
            wrapper.setMethod(POST)
            wrapper.setRequestMethod(URLENCODED)
        else:
            wrapper.setMethod(GET)
        wrapper.setQuery(query)
        response = wrapper.query().response  # raw, so that a malformed body is ours to judge
        try:
            body = response.read()
        finally:
            response.close()
        try:
            document = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise PartnerError(f"the answer is not JSON ({exc.__class__.__name__}: {exc})") from None
        return _check_results(document)

    def select(self, query: str) -> list[dict[str, dict]]:
        """One query's rows, retried with backoff; PartnerError with the reason when it fails."""
        delay = self.politeness.backoff
        for attempt in range(self.politeness.retries + 1):
            try:
                return self._once(query)
            except PartnerError:
                raise
            except (SPARQLWrapperException, urllib.error.URLError, OSError, ValueError) as exc:
                last = _describe(exc, self.politeness.timeout)
                if not _retryable(exc) or attempt == self.politeness.retries:
                    tries = f" after {attempt + 1} attempts" if attempt else ""
                    raise PartnerError(f"{last}{tries}") from None
                self._sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")

    def fetch_all(self, query: str) -> PartnerRows:
        """Every page of query (LIMIT/OFFSET), until a short page; partial if one fails."""
        result = PartnerRows(self.endpoint)
        size = self.politeness.page_size
        for page in range(self.politeness.max_pages):
            try:
                rows = self.select(paged(query, size, page * size))
            except PartnerError as exc:
                result.partial = True
                result.reason = f"page {page + 1} (OFFSET {page * size}) of {self.endpoint}: {exc}"
                return result
            result.rows += rows
            result.pages += 1
            if len(rows) < size:
                return result
        result.partial = True
        result.reason = f"stopped after {self.politeness.max_pages} pages of {size} rows (max_pages)"
        return result
