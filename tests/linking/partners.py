"""Partner SPARQL servers for the `kgraph link` tests, started on loopback by the tests.

- Oxigraph server (PyPI `oxigraph`: `oxigraph load`, then `oxigraph serve-read-only`);
- Virtuoso 7 (Debian's virtuoso-t with a virtuoso.ini of its own in a temporary folder, loaded
  with isql-vt as dba/dba);
- FaultyPartner: a small HTTP server of the test's that answers the first pages from a real
  endpoint (a proxy) and the later ones slowly, with an error or with a malformed body.
Each is stopped (its own process only) when its context ends.
"""

from __future__ import annotations

import http.server
import subprocess
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from tests.live import free_port

HERE = Path(__file__).resolve().parent
PARTNER_GRAPH = "http://partner.test/graph"


def partner_turtle(base: str) -> str:
    """The partner fixture dataset, naming our IRIs with base."""
    return (HERE / "partner.ttl.in").read_text(encoding="utf-8").replace("{base}", base)


def _wait_for(url: str, process: subprocess.Popen, log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"no answer from {url} within {seconds:g} s:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.2)


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


def _ask_url(endpoint: str) -> str:
    return endpoint + "?" + urllib.parse.urlencode({"query": "ASK {}"})


@contextmanager
def oxigraph_server(oxigraph: Path, folder: Path, turtle: str) -> Iterator[str]:
    """Oxigraph server with turtle loaded; yields its SPARQL endpoint URL."""
    data = folder / "partner.ttl"
    data.write_text(turtle, encoding="utf-8")
    location = folder / "oxigraph"
    subprocess.run([str(oxigraph), "load", "--location", str(location), "--file", str(data)],
                   check=True, capture_output=True, timeout=60)
    port = free_port()
    log = folder / "oxigraph.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([str(oxigraph), "serve-read-only", "--location", str(location),
                                    "--bind", f"127.0.0.1:{port}"], stdout=out, stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{port}/query"
    try:
        _wait_for(_ask_url(endpoint), process, log, 30)
        yield endpoint
    finally:
        _stop(process)


VIRTUOSO_INI = """[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = ., {dir}
NumberOfBuffers = 2000
MaxDirtyBuffers = 1200
ThreadsPerQuery = 1
MaxQueryMem = 100M
CheckpointInterval = 0

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 4
MaxClientConnections = 4
EnabledDavVSP = 0

[SPARQL]
ResultSetMaxRows = 10000
MaxQueryExecutionTime = 30
"""


@contextmanager
def virtuoso_server(folder: Path, turtle: str) -> Iterator[str]:
    """Virtuoso 7 (Debian) with turtle loaded into PARTNER_GRAPH; yields its /sparql URL."""
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / "partner.ttl"
    data.write_text(turtle, encoding="utf-8")
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(dir=folder, sql_port=sql_port, http_port=http_port))
    log = folder / "virtuoso-t.out"
    with open(log, "wb") as out:
        process = subprocess.Popen(["virtuoso-t", "+foreground", "+configfile", str(ini)], cwd=folder,
                                   stdout=out, stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{http_port}/sparql"
    try:
        _wait_for(_ask_url(endpoint), process, log, 120)
        load = (f"DB.DBA.TTLP(file_to_string_output('{data}'), '', '{PARTNER_GRAPH}', 0);\n"
                f"checkpoint;\n")
        subprocess.run(["isql-vt", f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={load}"],
                       check=True, capture_output=True, timeout=60)
        yield endpoint
    finally:
        _stop(process)


@dataclass
class Seen:
    """A request the faulty partner got."""

    offset: int | None
    user_agent: str
    at: float


@dataclass
class FaultyPartner:
    """A partner that answers pages before `good_pages_until` (an OFFSET) from `upstream`, and
    the others by `mode`: "slow" (waits `delay` s, then answers well), "error" (HTTP 500),
    "bad-request" (HTTP 400), "malformed" (200 with an HTML body)."""

    upstream: str
    mode: str
    good_pages_until: int = 0
    delay: float = 3.0
    seen: list[Seen] = field(default_factory=list)
    url: str = ""

    def answer(self, handler: http.server.BaseHTTPRequestHandler) -> None:
        parts = urllib.parse.urlsplit(handler.path)
        query = urllib.parse.parse_qs(parts.query).get("query", [""])[0]
        offset = next((int(line.split()[1]) for line in query.splitlines() if line.startswith("OFFSET ")), None)
        self.seen.append(Seen(offset, handler.headers.get("User-Agent", ""), time.monotonic()))
        good = offset is not None and offset < self.good_pages_until
        if good or self.mode == "slow":
            if not good:
                time.sleep(self.delay)  # longer than the client's timeout
            request = urllib.request.Request(f"{self.upstream}?{parts.query}",
                                             headers={"Accept": handler.headers.get("Accept", "*/*")})
            with urllib.request.urlopen(request, timeout=30) as response:
                status, body, kind = response.status, response.read(), response.headers.get("Content-Type", "")
            self._send(handler, status, kind, body)
        elif self.mode == "error":
            self._send(handler, 500, "text/plain", b"partner store unavailable")
        elif self.mode == "bad-request":
            self._send(handler, 400, "text/plain", b"Parse error: unexpected token")
        else:  # malformed
            self._send(handler, 200, "application/sparql-results+json", b"<html><body>Maintenance</body></html>")

    @staticmethod
    def _send(handler, status: int, kind: str, body: bytes) -> None:
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", kind)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
        except OSError:
            pass  # the client has gone (it timed out)


@contextmanager
def faulty_partner(partner: FaultyPartner) -> Iterator[FaultyPartner]:
    """Serve partner on a loopback port (partner.url is its endpoint) while the context lasts."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            partner.answer(self)

        def log_message(self, *args):  # quiet
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    partner.url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
    try:
        yield partner
    finally:
        server.shutdown()
        server.server_close()
