"""Killing one replica under load loses no request nginx can retry (issue 16 point 4 (b)).

Two replicas on one release behind nginx; eight client threads send GETs of pages and /sparql
queries, each URL unique so that every one goes through to a replica (no cache hit hides a
failure); after a second one replica's whole process group is SIGKILLed (no graceful stop: its
connections are reset, requests it had received die with it). Every request sent before, during
and after must be answered 200, with its own release's body; nginx's log shows the requests it
tried on the dead replica and then sent to the other."""

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


def load(proxy_url: str, client: int, stop: threading.Event) -> list[tuple[float, int, str]]:
    """GETs until `stop`: (time sent, status or -1, problem) per request."""
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
        try:
            answer = session.get(url, headers={"Accept": accept}, timeout=30)
            problem = "" if releases_in(answer.text) == {"A"} else f"body: {answer.text[:200]!r}"
            results.append((sent, answer.status_code, problem))
        except requests.RequestException as exc:
            results.append((sent, -1, repr(exc)))
    return results


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
            os.killpg(victim.pid, signal.SIGKILL)  # the gunicorn master, its workers, their query processes
            killed_at.append(time.monotonic())
            time.sleep(LOAD_AFTER_KILL)
            stop.set()
            results = [row for future in futures for row in future.result()]
        assert victim.wait(10) == -signal.SIGKILL
        time.sleep(1.2)  # nginx writes its log buffer out every second
        log = proxy.access_log()
    statuses = Counter(status for _, status, _ in results)
    failures = [row for row in results if row[1] != 200 or row[2]]
    assert not failures, f"{len(failures)} of {len(results)} requests failed: {failures[:5]}; statuses {statuses}"
    after_kill = [row for row in results if row[0] > killed_at[0]]
    assert len(results) >= 40 and len(after_kill) >= 20, statuses
    dead = urls[1].removeprefix("http://")
    served_by_dead = [line for line in log if f"upstream={dead} (200)" in line]
    retried = [line for line in log if f"upstream={dead}, " in line]  # tried there, then on the other
    assert served_by_dead, "the killed replica answered nothing before it was killed: the load did not reach it"
    assert retried, "no request was sent to the killed replica after the kill: failover was not exercised"
    print(f"\n{len(results)} requests, {len(after_kill)} after the kill, all 200; "
          f"{len(retried)} retried on the other replica")
