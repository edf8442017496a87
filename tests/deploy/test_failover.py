"""Killing one replica under load loses no request nginx can retry (issue 16 point 4 (b)).

Two replicas on one release behind nginx; eight client threads send GETs of pages and /sparql
queries, each URL unique so that every one goes through to a replica (no cache hit hides a
failure); after a second one replica's whole process group is SIGKILLed (no graceful stop: its
connections are reset, requests it had received die with it). Every request sent before, during
and after must be answered 200, with its own release's body; nginx's log shows the requests it
tried on the dead replica and then sent to the other.

The one kind of request nginx cannot retry is one whose answer the dead replica had begun to send:
nginx had passed its status and first bytes to the client, so HTTP leaves it nothing but to close
the connection (the client sees the body end early). Such a request is accepted only if it was
sent before the kill and nginx's log says the killed replica alone answered it."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import pytest
import requests

from tests.deploy.conftest import LABEL, REPLICA_SETTINGS, releases_in, replicas_behind_nginx

pytestmark = pytest.mark.live  # real servers under their WSGI server, and nginx, on loopback

CLIENTS = 8
KILL_AFTER = 1.0  # seconds of load before the kill
LOAD_AFTER_KILL = 2.5  # seconds of load after it


TRUNCATED = ("ChunkedEncodingError", "IncompleteRead", "ended prematurely")


def load(proxy_url: str, client: int, stop: threading.Event) -> list[tuple[float, int, str, str]]:
    """GETs until `stop`: (time sent, status or -1, problem, path and query) per request."""
    results = []
    session = requests.Session()
    n = 0
    while not stop.is_set():
        n += 1
        if n % 2:
            url = f"{proxy_url}/doc/organisatie/r{n % 20}?client={client}&n={n}"
            accept = "text/turtle"
        else:
            query = f"SELECT ?label WHERE {{ ?s <{LABEL}> ?label }} # client {client} request {n}"
            url = f"{proxy_url}/sparql?query={quote(query)}"
            accept = "application/sparql-results+json"
        sent = time.monotonic()
        target = url.removeprefix(proxy_url)
        try:
            answer = session.get(url, headers={"Accept": accept}, timeout=30)
            problem = "" if releases_in(answer.text) == {"A"} else f"body: {answer.text[:200]!r}"
            results.append((sent, answer.status_code, problem, target))
        except requests.RequestException as exc:
            results.append((sent, -1, repr(exc), target))
    return results


def begun_by_the_dead_replica(row: tuple, killed_at: float, log: list[str], dead: str) -> bool:
    """Whether a failed request is one nginx could not retry: its answer had begun (see module doc)."""
    sent, status, problem, target = row
    if status != -1 or not any(word in problem for word in TRUNCATED) or sent > killed_at:
        return False
    lines = [line for line in log if f" {target} HTTP/" in line]
    return len(lines) == 1 and f"upstream={dead} (200)" in lines[0]


def test_killing_a_replica_under_load_loses_no_request(releases):
    started: list = []
    stores, settings = [releases["A"], releases["A"]], [REPLICA_SETTINGS, REPLICA_SETTINGS]
    with replicas_behind_nginx(stores, settings, started=started) as (proxy, urls):
        stop = threading.Event()
        killed_at: list[float] = []
        with ThreadPoolExecutor(CLIENTS) as pool:
            futures = [pool.submit(load, proxy.url, client, stop) for client in range(CLIENTS)]
            time.sleep(KILL_AFTER)
            victim = started[1]
            os.killpg(victim.pid, signal.SIGKILL)  # the server's main process, its workers, their query processes
            killed_at.append(time.monotonic())
            time.sleep(LOAD_AFTER_KILL)
            stop.set()
            results = [row for future in futures for row in future.result()]
        assert victim.wait(10) == -signal.SIGKILL
        time.sleep(1.2)  # nginx writes its log buffer out every second
        log = proxy.access_log()
    statuses = Counter(row[1] for row in results)
    dead = urls[1].removeprefix("http://")
    failures = [row for row in results if row[1] != 200 or row[2]]
    begun = [row for row in failures if begun_by_the_dead_replica(row, killed_at[0], log, dead)]
    lost = [row for row in failures if row not in begun]
    assert not lost, f"{len(lost)} of {len(results)} requests failed: {lost[:5]}; statuses {statuses}"
    assert len(begun) <= CLIENTS  # at most the requests in flight on the killed replica
    after_kill = [row for row in results if row[0] > killed_at[0]]
    assert len(results) >= 40 and len(after_kill) >= 20, statuses
    served_by_dead = [line for line in log if f"upstream={dead} (200)" in line]
    retried = [line for line in log if f"upstream={dead}, " in line]  # tried there, then on the other
    assert served_by_dead, "the killed replica answered nothing before it was killed: the load did not reach it"
    assert retried, "no request was sent to the killed replica after the kill: failover was not exercised"
    print(f"\n{len(results)} requests, {len(after_kill)} after the kill; {len(retried)} retried on the other "
          f"replica; {len(begun)} whose answer the killed replica had begun (not retryable)")
