"""The real server (gunicorn, granian and uWSGI): a stopped query answers 503 while other
requests are served."""

from __future__ import annotations

import os
import threading
import time

import pytest
import requests

from kgraph.config import Settings

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(16)) + " }"


@pytest.mark.live
@pytest.mark.parametrize("server", ["gunicorn", "granian", "uwsgi"])
def test_timeout_keeps_serving(server, sample_release, live_server_factory):
    base = live_server_factory(sample_release, Settings(query_timeout=3, server=server), workers=2)
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


def _gunicorn_workers(port: int) -> list[int]:
    """Pids of the gunicorn workers of the server on port: forks of the master, same command line."""
    def cmdline(pid: str) -> bytes:
        try:
            return open(f"/proc/{pid}/cmdline", "rb").read()
        except OSError:
            return b""

    def parent(pid: str) -> str:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[1]

    mine = [p for p in os.listdir("/proc") if p.isdigit() and f"--port\x00{port}\x00".encode() in cmdline(p)]
    return [int(p) for p in mine if parent(p) in mine]


def _peak_rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as handle:
        return next(int(line.split()[1]) for line in handle if line.startswith("VmHWM:"))


def test_large_results_stream_with_bounded_memory(sample_release, live_server_factory):
    """A result of tens of megabytes passes through the web process without being held in it."""
    base = live_server_factory(sample_release, Settings(max_result_rows=1_000_000, result_cache_bytes=0), workers=1)
    assert requests.get(f"{base}/healthz", timeout=5).status_code == 200
    (worker,) = _gunicorn_workers(int(base.rsplit(":", 1)[1]))
    before = _peak_rss_kib(worker)
    query = "SELECT * WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(7)) + " }"  # 5^7 rows
    received = 0
    with requests.get(f"{base}/sparql", params={"query": query}, headers={"Accept": "text/csv"},
                      stream=True, timeout=120) as response:
        assert response.status_code == 200 and response.headers["X-Result-Rows"] == str(5 ** 7)
        for block in response.iter_content(1 << 16):
            received += len(block)
    assert received > 30 * (1 << 20)  # tens of megabytes went through
    growth_mib = (_peak_rss_kib(worker) - before) / 1024
    assert growth_mib < 10, f"the web worker's peak memory grew by {growth_mib:.1f} MiB"
