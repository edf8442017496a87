"""The systems compared by benchmarks/run.py, each started on 127.0.0.1 by the benchmark itself.

Every system loads the same N-Quads dump of a kgraph release and answers queries over the
union of its named graphs. A system that cannot start (missing binary, failed load) raises
Unavailable, and the report lists it as skipped with the reason: never silently.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import httpx

ROOT = Path(__file__).resolve().parents[1]
PY = Path(sys.executable)
BIN = PY.parent


class Unavailable(RuntimeError):
    """The system cannot be started here; the message says why."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree_rss_parts(pid: int) -> dict[int, float]:
    """Resident memory now of a process and each of its descendants, MB by pid (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    parts, todo = {}, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    parts[current] = int(line.split()[1]) / 1024
        except OSError:
            pass
    return parts


def tree_rss_mb(pid: int) -> float:
    """Resident memory now of a process and all its descendants, MB (Linux /proc)."""
    return sum(tree_rss_parts(pid).values())


class TreeMemory:
    """The peak of tree_rss_mb(pid), sampled every `every` seconds in a thread until stop();
    `at_peak` is how it was made up then (MB by pid)."""

    def __init__(self, pid: int, every: float = 0.2):
        import threading

        self.peak = 0.0
        self.at_peak: dict[int, float] = {}
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, args=(pid, every), daemon=True)
        self._thread.start()

    def _sample(self, pid: int, every: float) -> None:
        while not self._done.wait(every):
            parts = tree_rss_parts(pid)
            if sum(parts.values()) > self.peak:
                self.peak, self.at_peak = sum(parts.values()), parts

    def stop(self) -> float:
        self._done.set()
        self._thread.join()
        return self.peak


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, MB (Linux /proc)."""
    total = 0
    pids = [pid]
    try:
        pids += [int(p) for p in (Path(f"/proc/{pid}/task/{pid}/children").read_text().split())]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):  # peak resident set size
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def _tree(pid: int) -> list[int]:
    """A process and all its descendants (Linux /proc; threads' children included)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            tasks = list(Path(f"/proc/{current}/task").iterdir())
        except OSError:
            continue
        for task in tasks:
            try:
                queue += [int(child) for child in (task / "children").read_text().split()]
            except OSError:
                pass
    return found


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process and its descendants still running."""
    ticks = 0
    for member in _tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return ticks / os.sysconf("SC_CLK_TCK")


def wait_idle(pid: int, timeout: float = 120.0, window: float = 0.5, share: float = 0.05) -> float:
    """Wait until a server's processes use less than `share` of one core over `window` seconds
    (its start-up work done: kgraph's query workers and fragment copies loading in memory), at
    most `timeout`; the seconds waited."""
    started = time.monotonic()
    before = tree_cpu_seconds(pid)
    while time.monotonic() - started < timeout:
        time.sleep(window)
        now = tree_cpu_seconds(pid)
        if now - before < share * window:
            break
        before = now
    return time.monotonic() - started


@dataclass
class Server:
    """A running HTTP SPARQL server."""

    name: str
    url: str  # the SPARQL endpoint, queried with GET ?query=
    process: subprocess.Popen
    load_seconds: float
    workdir: Path
    extra: dict = field(default_factory=dict)

    def peak_mb(self) -> float:
        return rss_mb(self.process.pid)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.workdir, ignore_errors=True)


def wait_ready(url: str, process: subprocess.Popen, timeout: float, params: dict | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise Unavailable(f"exited with {process.returncode} before answering")
        try:
            r = httpx.get(url, params=params or {"query": "ASK {}"}, timeout=5,
                          headers={"Accept": "application/sparql-results+json"})
            if r.status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    process.kill()
    raise Unavailable(f"not answering after {timeout:.0f} s")


def oxigraph_server(nquads: Path, work: Path) -> Server:
    """Oxigraph's own server (PyPI `oxigraph`): bulk load, then serve-read-only."""
    exe = shutil.which("oxigraph", path=str(BIN)) or shutil.which("oxigraph")
    if not exe:
        raise Unavailable("the `oxigraph` CLI is not installed (pip install '.[bench]')")
    workdir = Path(tempfile.mkdtemp(prefix="oxigraph-", dir=work))
    started = time.perf_counter()
    subprocess.run([exe, "load", "--location", str(workdir), "--file", str(nquads)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    loaded = time.perf_counter() - started
    port = free_port()
    process = subprocess.Popen([exe, "serve-read-only", "--location", str(workdir), "--bind", f"127.0.0.1:{port}",
                                "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    wait_ready(url, process, 60)
    return Server("oxigraph-server", url, process, loaded, workdir)


def oxigraph_server_in_memory(nquads: Path, work: Path) -> Server:
    """Oxigraph's own server with its store in memory (`serve` without --location), the dump
    loaded through its Graph Store endpoint: the peer for kgraph's in-memory query workers
    (settings.query_memory_quads). It accepts updates (no read-only mode in memory); the
    benchmark sends none."""
    exe = shutil.which("oxigraph", path=str(BIN)) or shutil.which("oxigraph")
    if not exe:
        raise Unavailable("the `oxigraph` CLI is not installed (pip install '.[bench]')")
    workdir = Path(tempfile.mkdtemp(prefix="oxigraph-memory-", dir=work))
    port = free_port()
    process = subprocess.Popen([exe, "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    wait_ready(url, process, 60)
    started = time.perf_counter()
    with open(nquads, "rb") as body:
        answer = httpx.post(f"http://127.0.0.1:{port}/store", content=body,
                            headers={"Content-Type": "application/n-quads"}, timeout=1800)
    if answer.status_code not in (200, 201, 204):
        process.kill()
        raise Unavailable(f"oxigraph serve (memory) refused the dump: {answer.status_code} {answer.text[:300]}")
    return Server("oxigraph-memory", url, process, time.perf_counter() - started, workdir)


def rdflib_endpoint(nquads: Path, work: Path) -> Server:
    """rdflib-endpoint: the Python peer, an rdflib Dataset whose default graph is the union."""
    try:
        import rdflib_endpoint  # noqa: F401
    except ImportError:
        raise Unavailable("rdflib-endpoint is not installed (pip install '.[bench]')") from None
    workdir = Path(tempfile.mkdtemp(prefix="rdflib-", dir=work))
    port = free_port()
    ready = workdir / "loaded"
    code = f"""
import time, rdflib, uvicorn
from rdflib_endpoint import SparqlEndpoint
t = time.perf_counter()
ds = rdflib.Dataset(default_union=True)
ds.parse({str(nquads)!r}, format="nquads")
open({str(ready)!r}, "w").write(str(time.perf_counter() - t))
uvicorn.run(SparqlEndpoint(graph=ds), host="127.0.0.1", port={port}, log_level="warning")
"""
    process = subprocess.Popen([str(PY), "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    wait_ready(url, process, 1800)
    return Server("rdflib-endpoint", url, process, float(ready.read_text()), workdir)


VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{isql}
DirsAllowed = ., {data}, /usr/share/virtuoso-opensource-7/vad
NumberOfBuffers = 340000
MaxDirtyBuffers = 250000
MaxQueryMem = 2G
ThreadsPerQuery = 2
MaxClientConnections = 64
CheckpointInterval = -1
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerThreads = 32
MaxClientConnections = 64
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 0
DefaultGraph =
"""


def virtuoso(nquads: Path, work: Path) -> Server:
    """Virtuoso Open Source 7 (Debian virtuoso-opensource): a fresh database in a temporary
    folder, bulk loaded with ld_dir/rdf_loader_run through isql-vt as dba/dba."""
    exe, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if not exe or not isql:
        raise Unavailable("virtuoso-t/isql-vt not found (apt-get install virtuoso-opensource)")
    workdir = Path(tempfile.mkdtemp(prefix="virtuoso-", dir=work))
    data = workdir / "data"
    data.mkdir()
    os.link(nquads, data / "data.nq") if nquads.stat().st_dev == data.stat().st_dev else shutil.copy(nquads, data / "data.nq")
    isql_port, http_port = free_port(), free_port()
    (workdir / "virtuoso.ini").write_text(VIRTUOSO_INI.format(d=workdir, data=data, isql=isql_port, http=http_port))
    process = subprocess.Popen([exe, "+foreground", "+configfile", str(workdir / "virtuoso.ini")], cwd=workdir,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while subprocess.run([isql, str(isql_port), "dba", "dba", "exec=status();"], capture_output=True).returncode:
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise Unavailable(f"virtuoso-t did not start; see {workdir}/virtuoso.log")
        time.sleep(0.5)
    started = time.perf_counter()
    # The graph given to ld_dir is only used for triple files; N-Quads keep their own graphs.
    script = f"ld_dir('{data}', 'data.nq', 'urn:kgraph:default'); rdf_loader_run(); checkpoint;"
    done = subprocess.run([isql, str(isql_port), "dba", "dba", f"exec={script}"], capture_output=True, text=True)
    loaded = time.perf_counter() - started
    if done.returncode:
        process.kill()
        raise Unavailable(f"bulk load failed: {done.stdout[-300:]} {done.stderr[-300:]}")
    url = f"http://127.0.0.1:{http_port}/sparql"
    wait_ready(url, process, 120)
    return Server("virtuoso", url, process, loaded, workdir)


def kgraph_server(release_dir: Path, work: Path, workers: int | None = None,
                  settings: dict[str, str] | None = None) -> Server:
    """kgraph's own endpoint: `kgraph serve` (the `server` setting) on the built release's store, with
    `workers` server workers (None: the `workers` setting, as a user's `kgraph serve` has); `settings`
    are more KGRAPH_* variables."""
    exe = BIN / "kgraph"
    workdir = Path(tempfile.mkdtemp(prefix="kgraph-", dir=work))
    port = free_port()
    env = {**os.environ, "KGRAPH_CONFIG": str(ROOT / "kgraph.toml"), "KGRAPH_MAX_RESULT_ROWS": "1000000", **(settings or {})}
    process = subprocess.Popen([str(exe), "serve", "--host", "127.0.0.1", "--port", str(port), "--store",
                                str(release_dir), *(["--workers", str(workers)] if workers else [])], env=env,
                               stdout=subprocess.DEVNULL, stderr=open(workdir / "serve.log", "w"))
    url = f"http://127.0.0.1:{port}/sparql"
    wait_ready(url, process, 120)
    # Measured from when its start-up work is done (query workers copying a small release into
    # memory: twelve processes at once), not while it still takes the CPU from the measurement.
    wait_idle(process.pid)
    return Server("kgraph", url, process, 0.0, workdir)


# --- empty, writable engines for kgraph's backend mode (kgraph.backend): `kgraph publish` loads
# them. tests/backend/ and benchmarks/backend.py start them the same way.
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


def stop_process(process: subprocess.Popen) -> None:
    """Terminate a process (killed if it has not ended after 20 s) and reap it."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def empty_oxigraph_server() -> Iterator[Engine]:
    """An empty, writable Oxigraph server (`oxigraph serve`: /query, /update, /store)."""
    exe = shutil.which("oxigraph", path=str(BIN))
    if not exe:
        raise Unavailable("the `oxigraph` CLI is not installed in the .venv (pip install '.[test]')")
    work = Path(tempfile.mkdtemp(prefix="kgraph-oxigraph-"))
    port = free_port()
    log = open(work / "server.log", "w")
    # --timeout-s: a query kgraph stopped at its own limit also stops in the engine, soon after.
    process = subprocess.Popen([exe, "serve", "--location", str(work / "db"), "--bind", f"127.0.0.1:{port}",
                                "--timeout-s", "60"],
                               stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_ready(f"{base}/query", process, 60)
        yield Engine("oxigraph-server", f"{base}/query", f"{base}/update", f"{base}/store")
    finally:
        stop_process(process)
        log.close()
        shutil.rmtree(work, ignore_errors=True)


@contextmanager
def empty_virtuoso(buffers: int = 20000) -> Iterator[Engine]:
    """An empty Virtuoso 7 database (dba/dba; /sparql, and Digest-authenticated /sparql-auth and
    /sparql-graph-crud-auth for writes); `buffers` 8 KB pages of cache."""
    exe, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if not exe or not isql:
        raise Unavailable("virtuoso-t/isql-vt not found (apt-get install virtuoso-opensource)")
    work = Path(tempfile.mkdtemp(prefix="kgraph-virtuoso-"))
    data = work / "data"
    data.mkdir()
    isql_port, http_port = free_port(), free_port()
    ini = VIRTUOSO_INI.format(d=work, data=data, isql=isql_port, http=http_port)
    ini = ini.replace("NumberOfBuffers = 340000", f"NumberOfBuffers = {buffers}").replace("MaxDirtyBuffers = 250000", f"MaxDirtyBuffers = {buffers * 3 // 4}")
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
        stop_process(process)
        shutil.rmtree(work, ignore_errors=True)
