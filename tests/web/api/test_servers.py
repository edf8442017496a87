"""What "Hardening" asks of the WSGI server holds on each one kgraph can run (settings.server,
issue 16 point 1): the real server on loopback, gunicorn and granian alike.

- a query past its time limit answers 503 while other requests are served (the executor's limit:
  tests/web/api/test_live_server.py, on both servers);
- each worker starts its query processes when it starts, not on the first query (post-fork);
- an idle keep-alive connection stays open longer than Node's fetch keeps one (4 s);
- a long GET query (the request line of a big SPARQL query) is read; a request head larger than
  the server's bound is refused with a 4xx, and the server goes on answering.
"""

from __future__ import annotations

import os
import socket
import time
from urllib.parse import quote

import pytest
import requests

from kgraph.config import Settings

SERVERS = ["gunicorn", "granian"]


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in open(f"/proc/{pid}/task/{pid}/children").read().split()]
    except OSError:
        return []


def _workers(port: int) -> list[int]:
    """The server's worker processes: children of the main process with the same command line."""
    def cmdline(pid: str) -> bytes:
        try:
            return open(f"/proc/{pid}/cmdline", "rb").read()
        except OSError:
            return b""

    mine = {int(p) for p in os.listdir("/proc") if p.isdigit() and f"--port\x00{port}\x00".encode() in cmdline(p)}
    return [pid for pid in mine if any(pid in _children(parent) for parent in mine)]


def _read_response(sock: socket.socket) -> bytes:
    """One whole HTTP/1.1 response (head and a Content-Length body) from a socket."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"the server closed the connection: {data[:200]!r}"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:"))
    while len(body) < length:
        chunk = sock.recv(65536)
        assert chunk, "the server closed the connection mid-body"
        body += chunk
    return head


@pytest.mark.parametrize("server", SERVERS)
def test_the_server_keeps_post_fork_start_keepalive_and_head_bound(server, sample_release, live_server_factory):
    base = live_server_factory(sample_release, Settings(server=server), workers=2)
    port = int(base.rsplit(":", 1)[1])
    # Query processes started by each worker before any query was asked.
    deadline = time.monotonic() + 20
    while True:
        workers = _workers(port)
        if len(workers) == 2 and all(_children(pid) for pid in workers):
            break
        assert time.monotonic() < deadline, f"workers {workers} without query processes"
        time.sleep(0.2)

    # Keep-alive: the same socket answers a second request after 5 s idle.
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        request = f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
        for pause in (0, 5):
            time.sleep(pause)
            sock.sendall(request)
            assert _read_response(sock).startswith(b"HTTP/1.1 200")

    # A long GET query is read whole; an oversized request head is refused, not a crash.
    long_query = "ASK { " + " ".join(f"OPTIONAL {{ ?s <http://example.org/p{i}> ?o{i} }}" for i in range(120)) + " }"
    assert len(quote(long_query)) > 7000
    answer = requests.get(f"{base}/sparql", params={"query": long_query},
                          headers={"Accept": "application/sparql-results+json"}, timeout=30)
    assert answer.status_code == 200, answer.text[:300]
    try:
        huge = requests.get(f"{base}/sparql", params={"query": "ASK {} #" + "x" * 200_000}, timeout=30)
        assert 400 <= huge.status_code < 500
    except requests.ConnectionError:
        pass  # closing the connection on an oversized head is a refusal too
    assert requests.get(f"{base}/healthz", timeout=5).status_code == 200
