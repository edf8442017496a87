"""The real server under gunicorn: a stopped query answers 503 while other requests are served."""

from __future__ import annotations

import threading
import time

import pytest
import requests

from kgraph.config import Settings

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(16)) + " }"


@pytest.mark.live
def test_timeout_under_gunicorn_keeps_serving(sample_release, live_server_factory):
    base = live_server_factory(sample_release, Settings(query_timeout=3), workers=2)
    slow = {}

    def run_slow():
        started = time.monotonic()
        slow["response"] = requests.get(f"{base}/sparql", params={"query": SLOW}, timeout=30)
        slow["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run_slow)
    thread.start()
    time.sleep(0.5)
    fast = requests.get(f"{base}/sparql", params={"query": "ASK {}"}, timeout=10)
    assert fast.status_code == 200 and fast.json()["boolean"] is True
    assert "response" not in slow  # answered while the slow query was still running, not after it
    thread.join()
    assert slow["response"].status_code == 503 and "time limit" in slow["response"].text
    # The cross product of 16 patterns would run for hours: coming back at all means it was stopped.
    assert slow["seconds"] < 60
    assert requests.get(f"{base}/healthz", timeout=5).status_code == 200
    assert requests.get(f"{base}/sparql", params={"query": "ASK {}"}, timeout=10).status_code == 200
