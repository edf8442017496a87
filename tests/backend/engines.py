"""Real SPARQL engines for the backend tests, started empty on loopback ports and stopped after.

Oxigraph server (PyPI `oxigraph`, `.venv/bin/oxigraph serve`: /query, /update, /store) and
Virtuoso 7 (Debian `virtuoso-t`, a new database in a temporary folder: /sparql for queries,
/sparql-auth and /sparql-graph-crud-auth with Digest auth as dba/dba for writes). The ports and
the Virtuoso configuration come from benchmarks/systems.py, which starts the same engines loaded.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from benchmarks.systems import VIRTUOSO_INI, Unavailable, free_port, wait_ready

BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Engine:
    """A running engine and the kgraph settings that point at it."""

    name: str
    query_url: str
    update_url: str
    store_url: str
    user: str = ""
    password: str = ""

    def settings(self) -> dict[str, str]:
        """The backend_* settings for this engine."""
        return {"backend_query_url": self.query_url, "backend_update_url": self.update_url,
                "backend_store_url": self.store_url, "backend_user": self.user, "backend_password": self.password}


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def oxigraph_server() -> Iterator[Engine]:
    """An empty, writable Oxigraph server."""
    exe = shutil.which("oxigraph", path=str(BIN))
    if not exe:
        raise Unavailable("the `oxigraph` CLI is not installed in the .venv (pip install '.[test]')")
    work = Path(tempfile.mkdtemp(prefix="kgraph-oxigraph-"))
    port = free_port()
    log = open(work / "server.log", "w")
    process = subprocess.Popen([exe, "serve", "--location", str(work / "db"), "--bind", f"127.0.0.1:{port}"],
                               stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(f"{base}/query", process, 60)
        yield Engine("oxigraph-server", f"{base}/query", f"{base}/update", f"{base}/store")
    finally:
        _stop(process)
        log.close()
        shutil.rmtree(work, ignore_errors=True)


@contextmanager
def virtuoso() -> Iterator[Engine]:
    """An empty Virtuoso 7 database (dba/dba)."""
    exe, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if not exe or not isql:
        raise Unavailable("virtuoso-t/isql-vt not found (apt-get install virtuoso-opensource)")
    work = Path(tempfile.mkdtemp(prefix="kgraph-virtuoso-"))
    data = work / "data"
    data.mkdir()
    isql_port, http_port = free_port(), free_port()
    ini = VIRTUOSO_INI.format(d=work, data=data, isql=isql_port, http=http_port)
    ini = ini.replace("NumberOfBuffers = 340000", "NumberOfBuffers = 20000").replace("MaxDirtyBuffers = 250000", "MaxDirtyBuffers = 15000")
    # Virtuoso sorts at most 10,000 rows of an ORDER BY ... LIMIT/OFFSET by default (SR353); the
    # reconciliation index pages through more. README says to raise it for a kgraph deployment.
    ini = ini.replace("[HTTPServer]", "MaxSortedTopRows = 1000000\n[HTTPServer]")
    (work / "virtuoso.ini").write_text(ini)
    process = subprocess.Popen([exe, "+foreground", "+configfile", str(work / "virtuoso.ini")], cwd=work,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while subprocess.run([isql, str(isql_port), "dba", "dba", "exec=status();"], capture_output=True).returncode:
            if process.poll() is not None or time.monotonic() > deadline:
                raise Unavailable(f"virtuoso-t did not start; see {work}/virtuoso.log")
            time.sleep(0.5)
        base = f"http://127.0.0.1:{http_port}"
        wait_ready(f"{base}/sparql", process, 120)
        yield Engine("virtuoso", f"{base}/sparql", f"{base}/sparql-auth", f"{base}/sparql-graph-crud-auth", "dba", "dba")
    finally:
        _stop(process)
        shutil.rmtree(work, ignore_errors=True)
