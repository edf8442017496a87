"""Helpers other tests reuse: a test store on disk, and the real server (settings.server: uWSGI by default).

    folder = make_release(tmp_path / "release", {"http://example.org/g1": "<a> <b> <c> ."})
    with live_server(folder, Settings()) as base_url:      # e.g. http://127.0.0.1:40123
        requests.get(base_url + "/sparql", params={"query": "ASK {}"})

The `live_server_factory` fixture in tests/conftest.py wraps live_server for pytest.
"""

from __future__ import annotations

import dataclasses
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Mapping

import pyoxigraph as ox

from kgraph.config import Settings


def make_release(folder: Path, graphs: Mapping[str, str | Path], version: str = "test-version") -> Path:
    """A release folder like the build's: `store/` with one named graph per entry, and manifest.json.

    Each value is N-Triples text or the path of an N-Triples file, loaded into the graph named by its key.
    """
    folder.mkdir(parents=True, exist_ok=True)
    store = ox.Store(str(folder / "store"))
    for name, source in graphs.items():
        data = Path(source).read_bytes() if isinstance(source, Path) else source.encode()
        store.bulk_load(data, ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name))
    store.flush()
    triples = len(store)
    del store  # release the RocksDB lock before a server opens it
    manifest = {"version": version, "built_at": "2024-01-01T00:00:00+00:00", "triples": triples}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def free_ports(count: int) -> int:
    """The first of `count` consecutive TCP ports free on 127.0.0.1 right now (for a script that
    numbers its servers' ports from one: deploy/run-replicas.sh's FIRST_PORT; a single free port's
    neighbour may be any other test's server)."""
    for _ in range(100):
        first = free_port()
        socks = []
        try:
            for port in range(first, first + count):
                sock = socket.socket()
                socks.append(sock)
                sock.bind(("127.0.0.1", port))
            return first
        except OSError:
            continue
        finally:
            for sock in socks:
                sock.close()
    raise RuntimeError(f"no {count} consecutive free ports on 127.0.0.1")


def settings_environment(settings: Settings) -> dict[str, str]:
    """KGRAPH_* variables reproducing `settings` in a child process (and no config file)."""
    env = {"KGRAPH_CONFIG": os.devnull}
    for item in dataclasses.fields(settings):
        value = getattr(settings, item.name)
        if isinstance(value, tuple):
            value = ",".join(value)
        env[f"KGRAPH_{item.name.upper()}"] = "" if value is None else str(value)  # "": not set
    return env


@contextmanager
def live_server(store_dir: Path | None, settings: Settings, workers: int = 1, threads: int | None = None,
                *, port: int | None = None, python: str = sys.executable,
                started: list[subprocess.Popen] | None = None) -> Iterator[str]:
    """Run the real server (`python -m kgraph.serve`, settings.server) on a free loopback port; yield its base URL.

    The server reads `settings` from KGRAPH_* variables and serves `store_dir` (a release folder from
    make_release, or a store folder; None: the current release of settings.build_dir, followed across
    builds). `threads` defaults to settings.threads. It is stopped (its own process group only) on exit.
    `port` fixes the port (a replica restarted where nginx expects it); `python` is the interpreter
    of another install (tests/deploy: a production venv). The server's process is appended to
    `started` when given (the leader of its own process group: a test may signal the whole server).
    """
    port = port or free_port()
    env = {**os.environ, **settings_environment(settings)}
    command = [python, "-m", "kgraph.serve", "--host", "127.0.0.1", "--port", str(port),
               "--workers", str(workers)]
    command += ["--threads", str(threads)] if threads else []
    command += ["--store", str(store_dir)] if store_dir is not None else []
    # The server's log goes to a file, not a pipe: nobody reads a pipe while the tests run, and a
    # full one (64 KiB, a few hundred access-log lines) would block the server mid-request.
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    if started is not None:
        started.append(process)
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                log.seek(0)
                output = log.read().decode(errors="replace")
                raise RuntimeError(f"the server exited with {process.returncode}:\n{output}")
            try:
                with urllib.request.urlopen(f"{base_url}/healthz", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not answer /healthz within 30 s")
            time.sleep(0.1)
        yield base_url
    finally:
        process.terminate()  # the server's master stops its workers on SIGTERM (tests/web/api/test_servers.py)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        log.close()
