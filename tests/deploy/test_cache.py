"""nginx in front of two replicas honours what kgraph says about caching (issue 16 point 4 (a)):
a repeated GET is a HIT with the same ETag and body, each Accept is a variant of its own (Vary),
a conditional request is answered 304 from the cache, an expired entry is revalidated with the
replica (304 upstream, no body sent again), what kgraph marks no-store is never kept, and the
client's Host reaches the replicas. X-Cache-Status is nginx's $upstream_cache_status."""

from __future__ import annotations

import os
import signal
import time
from urllib.parse import quote

import pytest
import requests

from tests.deploy.conftest import EXPIRY_SLACK, LABEL, REPLICA_SETTINGS, releases_in, replicas_behind_nginx

pytestmark = pytest.mark.live  # real servers under their WSGI server, and nginx, on loopback

MAX_AGE = 3  # seconds: short, so that an entry expires inside the test, long enough for a loaded machine


@pytest.fixture(scope="module")
def proxy(releases):
    settings = REPLICA_SETTINGS.replace(cache_max_age=MAX_AGE)
    with replicas_behind_nginx([releases["A"], releases["A"]], [settings, settings]) as (proxy, _):
        yield proxy


def get(proxy, path: str, accept: str, **headers: str) -> requests.Response:
    return requests.get(proxy.url + path, headers={"Accept": accept, **headers}, timeout=30)


def same_etag(one: str, other: str) -> bool:
    """The weak comparison of RFC 9110: nginx makes a strong ETag weak (W/) when it gzips the body."""
    return one.removeprefix("W/") == other.removeprefix("W/")


def sparql_path(tag: str) -> str:
    """A query of its own per test (a comment makes it another URL, so another cache entry)."""
    return "/sparql?query=" + quote(f"SELECT ?s ?label WHERE {{ ?s <{LABEL}> ?label }} # {tag}")


@pytest.mark.parametrize("path,accept", [
    ("/doc/organisatie/r2?t=hit", "text/turtle"),
    (sparql_path("hit"), "application/sparql-results+json"),
])
def test_a_repeated_request_is_a_hit_with_the_same_etag(proxy, path, accept):
    first, second = get(proxy, path, accept), get(proxy, path, accept)
    assert first.status_code == second.status_code == 200, first.text[:300]
    assert first.headers["X-Cache-Status"] == "MISS"
    assert second.headers["X-Cache-Status"] == "HIT"
    assert first.headers["ETag"] == second.headers["ETag"]
    assert first.content == second.content and releases_in(first.text) == {"A"}
    assert f"max-age={MAX_AGE}" in second.headers["Cache-Control"]


def test_each_accept_is_a_variant_of_its_own(proxy):
    path = "/doc/organisatie/r3?t=vary"
    turtle, ntriples = get(proxy, path, "text/turtle"), get(proxy, path, "application/n-triples")
    assert turtle.headers["X-Cache-Status"] == ntriples.headers["X-Cache-Status"] == "MISS"
    assert "Accept" in turtle.headers["Vary"]
    assert turtle.headers["ETag"] != ntriples.headers["ETag"]
    again_turtle, again_ntriples = get(proxy, path, "text/turtle"), get(proxy, path, "application/n-triples")
    assert again_turtle.headers["X-Cache-Status"] == again_ntriples.headers["X-Cache-Status"] == "HIT"
    assert again_turtle.headers["Content-Type"].startswith("text/turtle")
    assert again_ntriples.headers["Content-Type"].startswith("application/n-triples")
    assert again_turtle.content == turtle.content and again_ntriples.content == ntriples.content
    assert again_turtle.headers["ETag"] == turtle.headers["ETag"]


def test_a_conditional_request_is_answered_304_from_the_cache(proxy):
    path = sparql_path("conditional")
    etag = get(proxy, path, "application/sparql-results+json").headers["ETag"]
    other = get(proxy, path, "application/sparql-results+xml").headers["ETag"]
    hit = get(proxy, path, "application/sparql-results+json", **{"If-None-Match": etag})
    assert hit.status_code == 304 and hit.content == b""
    assert hit.headers["X-Cache-Status"] == "HIT" and same_etag(hit.headers["ETag"], etag)
    # Another variant's ETag does not match this one: the full answer.
    miss = get(proxy, path, "application/sparql-results+json", **{"If-None-Match": other})
    assert miss.status_code == 200 and same_etag(miss.headers["ETag"], etag) and releases_in(miss.text) == {"A"}


def test_an_expired_entry_is_revalidated_not_fetched_again(proxy):
    path = "/doc/organisatie/r4?t=revalidate"
    first = get(proxy, path, "text/turtle")
    assert first.headers["X-Cache-Status"] == "MISS"
    time.sleep(MAX_AGE + EXPIRY_SLACK)
    later = get(proxy, path, "text/turtle")
    # nginx asked the replica with If-None-Match; the release is the same, so it answered 304 and
    # nginx served the kept body, now fresh again.
    assert later.status_code == 200 and later.headers["X-Cache-Status"] == "REVALIDATED"
    assert later.content == first.content and later.headers["ETag"] == first.headers["ETag"]
    assert get(proxy, path, "text/turtle").headers["X-Cache-Status"] == "HIT"


@pytest.mark.parametrize("probe", ["/readyz", "/healthz"])
def test_what_kgraph_marks_no_store_is_never_kept(proxy, probe):
    statuses = []
    for _ in range(3):
        health = get(proxy, probe, "application/json")
        assert health.status_code == 200 and "no-store" in health.headers["Cache-Control"]
        statuses.append(health.headers["X-Cache-Status"])
    assert statuses == ["MISS"] * 3


def test_a_posted_query_is_never_answered_from_the_cache(proxy):
    query = f"SELECT ?s WHERE {{ ?s <{LABEL}> ?label }} # post"
    answers = [requests.post(proxy.url + "/sparql", data={"query": query}, timeout=30,
                             headers={"Accept": "application/sparql-results+json"}) for _ in range(2)]
    assert [a.status_code for a in answers] == [200, 200]
    assert all(a.headers.get("X-Cache-Status") != "HIT" for a in answers)


def test_the_clients_host_reaches_the_replicas(proxy):
    """Without public_base kgraph writes absolute URLs from the Host header: nginx forwards the
    client's (port included), so a redirect names the proxy, never a replica's address."""
    answer = requests.get(proxy.url + "/id/organisatie/r1", headers={"Accept": "text/turtle"},
                          allow_redirects=False, timeout=30)
    assert answer.status_code == 303
    assert answer.headers["Location"] == proxy.url + "/doc/organisatie/r1"


def test_with_every_replica_down_a_kept_answer_is_served_stale(releases):
    settings = REPLICA_SETTINGS.replace(cache_max_age=1)
    started: list = []
    with replicas_behind_nginx([releases["A"], releases["A"]], [settings, settings], started=started) as (proxy, _):
        kept = get(proxy, "/doc/organisatie/r5", "text/turtle")
        assert kept.headers["X-Cache-Status"] == "MISS"
        assert get(proxy, "/healthz", "application/json").status_code == 200
        for process in started:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
        time.sleep(1 + EXPIRY_SLACK)  # the entry has expired: nginx would ask a replica, and none answers
        stale = get(proxy, "/doc/organisatie/r5", "text/turtle")
        assert stale.status_code == 200 and stale.headers["X-Cache-Status"] == "STALE"
        assert stale.content == kept.content
        never_kept = get(proxy, "/doc/organisatie/r6", "text/turtle")
        assert never_kept.status_code == 502  # nothing kept, nobody to ask: nginx's own error
        # A probe is never answered "ok" from the cache for servers that are gone.
        assert get(proxy, "/healthz", "application/json").status_code == 502
