"""Run SPARQL queries and updates in worker processes that can be stopped at a deadline.

pyoxigraph has no query timeout (Oxigraph issue #1926) and a running query cannot be interrupted
from Python, so queries are evaluated in a few long-lived worker processes, each with its own
handle on the on-disk store. The parent waits for the answer until the deadline and kills the
worker if it has not come: the query really stops, and a fresh worker takes its place.

A worker serialises the result itself, with pyoxigraph's serialisers, into a temporary file; the
parent then streams that file out in chunks. Memory stays bounded whatever the result size, and no
Python code runs per row: SELECT results go through a writer that counts the solutions exactly per
buffered chunk (pyoxigraph writes ~8 KiB at a time; kgraph.sparql.rowcount tells row boundaries
from literal text), so X-Result-Rows is exact and an oversized result is stopped early.

Queries run on workers that open the store with Store.read_only, which several processes may
share. An update-enabled instance has, besides them, one writer process holding the writable
store (RocksDB allows one writer); a read-only handle sees the data as it was when opened, so
after an update each query worker is reopened before its next query. So a long query never
blocks reads on an update-enabled server, nor an update.

A small read-only release (at most `query_memory_quads`, kgraph.config) is answered from a copy
in memory in each query worker, loaded from the release's N-Quads dump before the worker says it
is ready: on the 100k benchmark release the light query mix took 85 ms of CPU against 360 from
the on-disk store (rows-10k 57 ms against 293), and the copy 0.34 s to load, about 0.36 kB a
quad per worker.

Admission, so that slow queries do not starve fast ones (issue 10.8):
- `workers` queries run at once, plus up to `slow_queries` that have run longer than
  `slow_after` seconds: the pool has workers + slow_queries processes, and a new query takes a
  free one only while enough stay free for the long-query budget. When a query passes
  `slow_after` and that budget is spent, it is stopped at once (ServerBusy, 503 + Retry-After),
  so at most `slow_queries` processes are ever held by long queries.
- A query finding no free worker waits briefly (at most `max_wait`), newest first (under
  overload the oldest waiters have most likely given up, and a fresh request is served at
  once instead of behind them); past `max_waiting` waiters or `max_wait`, ServerBusy.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import re
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Iterator, Mapping

from kgraph.sparql import ask_tables, diagnostics, errors, negotiation, policy
from kgraph.sparql.dataset import dataset_options
from kgraph.sparql.rowcount import RowCountingWriter, RowLimitExceeded
from kgraph.sparql.errors import (  # noqa: F401 - re-exported
    EngineError,
    NotAcceptable,
    QueryError,
    QueryEvaluationError,
    QuerySyntaxError,
    QueryTimeout,
    ResultTooLarge,
    ServerBusy,
)
from kgraph.sparql.store import MemoryCopyFailed, memory_copy

log = logging.getLogger(__name__)

CHUNK = 64 * 1024


@dataclass
class Result:
    """A serialised result waiting in a temporary file; stream it with chunks(), then it is gone."""

    kind: str
    media_type: str
    path: Path
    size: int
    rows: int | None = None
    _closed: bool = field(default=False, repr=False)

    def chunks(self, size: int = CHUNK) -> Iterator[bytes]:
        """The body in chunks of at most `size` bytes; the file is removed when done."""
        try:
            with open(self.path, "rb") as handle:
                while block := handle.read(size):
                    yield block
        finally:
            self.close()

    def open_body(self) -> IO[bytes]:
        """The body as an open file, which then owns the data (the path is removed at once)."""
        handle = open(self.path, "rb")
        self.close()  # POSIX keeps the open file's data until the handle is closed
        return handle

    def read(self) -> bytes:
        """The whole body at once (for small results and tests)."""
        return b"".join(self.chunks())

    def close(self) -> None:
        """Remove the temporary file (idempotent)."""
        if not self._closed:
            self._closed = True
            self.path.unlink(missing_ok=True)


# --------------------------------------------------------------------------- worker side

def encode_term(term: Any) -> tuple:
    """A pyoxigraph NamedNode or Literal as a picklable tuple, for a job's substitutions."""
    if hasattr(term, "datatype"):
        return ("literal", term.value, term.datatype.value, term.language)
    return ("iri", term.value)


def _term(ox: Any, encoded: tuple) -> Any:
    if encoded[0] == "iri":
        return ox.NamedNode(encoded[1])
    _, value, datatype, language = encoded
    if language:
        return ox.Literal(value, language=language)
    return ox.Literal(value, datatype=ox.NamedNode(datatype))


def _run_job(store: Any, job: Mapping[str, Any]) -> tuple:
    import pyoxigraph as ox

    # The same pass the request thread ran, again here inside the deadline: nothing too deep for
    # the engine's stack reaches it, whoever called; and it tells whether the query has FROM.
    analysis = policy.analyse(job["text"], is_update=job["op"] == "update")
    if job["op"] == "update":
        store.update(job["text"], base_iri=job.get("base_iri"))
        return ("ok-update",)
    options = dataset_options(analysis, job["default_graphs"], job["named_graphs"])
    if job.get("stored_default_graph"):  # the Graph Store's default graph: the stored one, not the union
        options = {"default_graph": ox.DefaultGraph()}
    options["base_iri"] = job.get("base_iri")
    if job.get("substitutions"):  # parameters bound as RDF terms, never spliced into the text
        options["substitutions"] = {ox.Variable(name): _term(ox, encoded) for name, encoded in job["substitutions"].items()}
    results = store.query(job["text"], **options)
    if isinstance(results, ox.QuerySolutions):
        kind = negotiation.SOLUTIONS
    elif isinstance(results, ox.QueryBoolean):
        kind = negotiation.BOOLEAN
    else:
        kind = negotiation.GRAPH
    media_type = job["formats"].get(kind)
    if media_type is None:
        return ("not-acceptable", kind)
    name = negotiation.serialiser_name(media_type)
    rows = None
    if kind == negotiation.SOLUTIONS:
        with open(job["out"], "wb") as handle:
            writer = RowCountingWriter(handle, name, job["max_rows"])
            results.serialize(writer, getattr(ox.QueryResultsFormat, name))
            rows = writer.rows
    elif kind == negotiation.BOOLEAN and ask_tables.is_table_format(name):
        with open(job["out"], "wb") as handle:  # pyoxigraph writes no boolean CSV / TSV
            handle.write(ask_tables.ask_table(name, bool(results)))
    elif kind == negotiation.BOOLEAN:
        results.serialize(job["out"], getattr(ox.QueryResultsFormat, name))
    else:
        results.serialize(job["out"], getattr(ox.RdfFormat, name))
    return ("ok", kind, media_type, os.path.getsize(job["out"]), rows)


PARENT_CHECK = 1.0  # seconds between a worker's looks at whether its parent is still there


def _exit_with_parent(parent: int) -> None:
    """In a worker: exit when the process that started it is gone (killed with SIGKILL, as a
    server's worker past its time limit is, it never stops its query workers, which would go on
    evaluating a query nobody waits for, to its end: pyoxigraph has no timeout). A thread
    looking at getppid() every PARENT_CHECK seconds: pyoxigraph releases the GIL while it
    evaluates, so the thread runs during a query. Not PR_SET_PDEATHSIG: that fires when the
    parent *thread* that spawned the worker ends, and a server's request threads may end."""
    while True:
        time.sleep(PARENT_CHECK)
        if os.getppid() != parent:
            os._exit(70)


def _worker_main(conn: Any, store_path: str, writable: bool, parent: int | None = None,
                 copy: tuple[str, int] | None = None) -> None:
    """Entry point of a worker process: open the store once, then answer jobs until EOF (or
    until the process `parent` that started it is gone). With `copy` (an N-Quads dump of the
    store and its quad count), a read-only worker answers from an in-memory copy instead, made
    before it says it is ready (so that every worker of a pool gives its answers in the same
    order: an in-memory store's order is not the on-disk one's); if the copy fails, from the disk."""
    import pyoxigraph as ox

    if parent is not None:
        threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True, name="kgraph-parent-watch").start()
    try:
        store = ox.Store(store_path) if writable else ox.Store.read_only(store_path)
    except OSError as exc:
        _send(conn, ("store", f"cannot open the store at {store_path}: {exc}"))
        return
    if copy is not None and not writable:
        try:
            store = memory_copy(*copy)
        except MemoryCopyFailed as exc:
            log.warning("query worker: answering from the store on disk, not a copy in memory: %s", exc)
    if not _send(conn, ("ready",)):
        return
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = _run_job(store, job)
        except QueryError as exc:  # refused by the policy pass (too deep, a bad escape)
            reply = ("refused", type(exc).__name__, str(exc), getattr(exc, "line", None), getattr(exc, "column", None))
        except SyntaxError as exc:
            error = diagnostics.readable(job["text"], str(exc), is_update=job["op"] == "update")
            reply = ("refused", type(error).__name__, str(error), getattr(error, "line", None), getattr(error, "column", None))
        except RowLimitExceeded:
            reply = ("too-large", job.get("max_rows"))
        except (ValueError, TypeError, RuntimeError, NotImplementedError) as exc:
            reply = ("evaluation", str(exc))
        except OSError as exc:
            reply = ("store", str(exc))
        if not _send(conn, reply):
            return


def _send(conn: Any, message: tuple) -> bool:
    """Send to the parent; False when it is gone (its end of the pipe closed: a server worker
    that exited while this one was starting or answering), so the worker ends without a traceback."""
    try:
        conn.send(message)
    except (BrokenPipeError, ConnectionResetError, EOFError):
        return False
    return True


# --------------------------------------------------------------------------- parent side

_POSITION = re.compile(r"error at (\d+):(\d+)")


def syntax_error(message: str) -> QuerySyntaxError:
    """A QuerySyntaxError with the line and column parsed out of an Oxigraph parser message."""
    match = _POSITION.match(message)
    if match:
        # The position goes into its own fields; the message keeps the parser's explanation.
        return QuerySyntaxError(message[match.end():].lstrip(": "), int(match.group(1)), int(match.group(2)))
    return QuerySyntaxError(message)


SHM = "/dev/shm"
SHM_MIN_FREE = 1 << 30


def _default_tmp_dir() -> str | None:
    """Where result files go: RAM-backed /dev/shm when it has room, else the system temp folder.

    A result is written once and read once right after, so a disk-backed file only adds work
    (measured with benchmarks/endpoint.py: a 13 MB result cost ~100 ms more on disk than in RAM
    on a loaded machine). A small /dev/shm (Docker gives 64 MB) would fail large results, so it
    is used only with at least 1 GiB free.
    """
    try:
        stats = os.statvfs(SHM)
    except OSError:
        return None
    if stats.f_bavail * stats.f_frsize < SHM_MIN_FREE or not os.access(SHM, os.W_OK):
        return None
    return SHM


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, context: Any, store_path: str, writable: bool, generation: int = 0,
                 copy: tuple[str, int] | None = None):
        self.generation = generation  # the executor's update count when it opened the store
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=_worker_main, args=(child, store_path, writable, os.getpid(), copy), daemon=True,
            name="kgraph-sparql-worker",
        )
        self.process.start()
        child.close()
        self.ready = False

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class _Ticket:
    """A request waiting for a worker (compared by identity)."""

    refused = False


class Executor:
    """A pool of query workers on one store; thread-safe. Close it when done.

    The workers (`workers` + `slow_queries` processes, see the module's admission notes) start
    lazily on first use (so a gunicorn worker forks first); a writable executor also has one
    writer process, started on the first update.
    """

    def __init__(
        self,
        store_path: str | Path,
        *,
        workers: int = 2,
        timeout: float = 30.0,
        max_rows: int = 100_000,
        writable: bool = False,
        tmp_dir: str | Path | None = None,
        slow_queries: int | None = None,
        slow_after: float = 0.5,
        memory_copy: tuple[str | Path, int] | None = None,
    ):
        self.store_path = str(store_path)
        self.writable = writable
        # (N-Quads dump, quads): the query workers of a read-only pool answer from a copy in memory
        self.memory_copy = (str(memory_copy[0]), memory_copy[1]) if memory_copy and not writable else None
        self.size = max(1, workers)
        self.slow_queries = max(1, self.size // 2) if slow_queries is None else max(0, slow_queries)
        self.slow_after = slow_after
        self.max_wait = max(1.0, 2 * slow_after)  # a worker frees within slow_after, or is replaced
        self.max_waiting = 2 * (self.size + self.slow_queries)
        self.timeout = timeout
        self.max_rows = max_rows
        self.tmp_dir = str(tmp_dir) if tmp_dir else _default_tmp_dir()
        self.generation = 0  # bumped by every update, so cache validators change with the data
        self._context = multiprocessing.get_context("spawn")  # no inherited locks or store handles
        self._idle: list[_Worker] = []  # a stack: the most recently used (warmest) first
        self._all: list[_Worker] = []
        self._waiting: list[_Ticket] = []  # the requests waiting for a worker, oldest first
        self._slow = 0  # queries running past slow_after right now
        self._lock = threading.Lock()
        self._free = threading.Condition(self._lock)
        self._writer: _Worker | None = None
        self._write_lock = threading.Lock()
        self._started = False

    STARTUP_SECONDS = 60.0  # how long a new worker may take to open the store (not the query's time)

    # -- pool management
    def start(self) -> None:
        """Start the worker processes now (they open the store in the background)."""
        self._start()

    def _start(self) -> None:
        with self._lock:
            if not self._started:
                for _ in range(self.size + self.slow_queries):
                    self._spawn()
                self._started = True

    def _spawn(self) -> None:  # with self._lock held
        worker = _Worker(self._context, self.store_path, False, self.generation, self.memory_copy)
        self._all.append(worker)
        self._idle.append(worker)
        self._free.notify_all()

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)
                if self._started:
                    self._spawn()

    def close(self) -> None:
        """Stop every worker process."""
        with self._lock:
            for worker in self._all + ([self._writer] if self._writer else []):
                worker.kill()
            self._all.clear()
            self._idle.clear()
            self._writer = None
            self._started = False
            self._free.notify_all()

    def __enter__(self) -> "Executor":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- admission
    def _reserve(self) -> int:
        """Workers kept free for queries that become long (the part of the budget not in use)."""
        return max(0, self.slow_queries - self._slow)

    def _acquire(self, deadline: float) -> _Worker:
        """A free worker, waiting briefly (newest request first); ServerBusy if none frees in time."""
        with self._free:
            if not self._waiting and len(self._idle) > self._reserve():
                return self._pop_idle()
            ticket = _Ticket()
            self._waiting.append(ticket)
            if len(self._waiting) > self.max_waiting:
                self._waiting.pop(0).refused = True  # the oldest waiter gives way
                self._free.notify_all()
            until = min(deadline, time.monotonic() + self.max_wait)
            try:
                while True:
                    if ticket.refused:
                        raise ServerBusy(self._busy_message())
                    if self._waiting[-1] is ticket and len(self._idle) > self._reserve():
                        self._waiting.pop()
                        return self._pop_idle()
                    remaining = until - time.monotonic()
                    if remaining <= 0:
                        raise ServerBusy(self._busy_message())
                    self._free.wait(remaining)
            finally:
                if ticket in self._waiting:
                    self._waiting.remove(ticket)
                    self._free.notify_all()

    def _pop_idle(self) -> _Worker:  # with self._lock held
        """The warmest free worker: the last used that has opened the store, else the newest."""
        for index in range(len(self._idle) - 1, -1, -1):
            if self._idle[index].ready:
                return self._idle.pop(index)
        return self._idle.pop()

    def _busy_message(self) -> str:
        return (f"every query worker is busy ({self.size} queries at a time, {self.slow_queries} of them "
                f"longer than {self.slow_after:g} s); try again in a moment")

    def _give_back(self, worker: _Worker) -> None:
        with self._free:
            if worker in self._all:
                self._idle.append(worker)
                self._free.notify_all()

    def _mark_slow(self) -> bool:
        """Count a query that has run past slow_after; False if the long-query budget is spent."""
        with self._free:
            if self._slow >= self.slow_queries:
                return False
            self._slow += 1
            self._free.notify_all()  # its reserved worker may now take a new query
            return True

    def _unmark_slow(self) -> None:
        with self._free:
            self._slow -= 1
            self._free.notify_all()

    # -- running jobs
    def _call(self, job: dict[str, Any], timeout: float | None) -> tuple:
        """Run a query on a read-only worker, within the deadline and the long-query budget."""
        self._start()
        limit = self.timeout if timeout is None else timeout
        worker = self._acquire(time.monotonic() + limit)
        slow = False
        try:
            if worker.generation != self.generation:  # opened before the last update: reopen
                self._replace(worker)
                worker = self._acquire(time.monotonic() + limit)
            self._wait_ready(worker, time.monotonic() + self.STARTUP_SECONDS)
            deadline = time.monotonic() + limit  # the time limit is the query's own, from here
            worker.conn.send(job)
            if deadline - time.monotonic() > self.slow_after and not worker.conn.poll(self.slow_after):
                slow = self._mark_slow()
                if not slow:
                    raise ServerBusy(
                        f"the query ran longer than {self.slow_after:g} s while {self.slow_queries} other long "
                        "queries were running, and was stopped; try again in a moment"
                    )
            reply = self._receive(worker, deadline)
        except BaseException:
            self._replace(worker)  # a worker in an unknown state is never reused
            raise
        finally:
            if slow:
                self._unmark_slow()
        self._give_back(worker)
        return reply

    def _wait_ready(self, worker: _Worker, deadline: float) -> None:
        if not worker.ready:
            reply = self._receive(worker, deadline)
            if reply[0] != "ready":
                raise EngineError(reply[1])
            worker.ready = True

    def _call_writer(self, job: dict[str, Any], timeout: float | None) -> tuple:
        """Run an update on the writer process (one at a time)."""
        limit = self.timeout if timeout is None else timeout
        with self._write_lock:
            if self._writer is None:
                self._writer = _Worker(self._context, self.store_path, True)
            writer = self._writer
            try:
                self._wait_ready(writer, time.monotonic() + self.STARTUP_SECONDS)
                writer.conn.send(job)
                return self._receive(writer, time.monotonic() + limit)
            except BaseException:
                writer.kill()
                self._writer = None
                raise

    def _receive(self, worker: _Worker, deadline: float) -> tuple:
        remaining = max(deadline - time.monotonic(), 0.0)
        if not worker.conn.poll(remaining):
            raise QueryTimeout(
                f"the query did not finish within the time limit of {self.timeout:g} s and was stopped"
            )
        try:
            return worker.conn.recv()
        except (EOFError, OSError):
            raise EngineError("the query worker ended unexpectedly") from None

    def query(
        self,
        text: str,
        formats: Mapping[str, str | None],
        *,
        default_graphs: tuple[str, ...] | list[str] = (),
        named_graphs: tuple[str, ...] | list[str] = (),
        base_iri: str | None = None,
        timeout: float | None = None,
        stored_default_graph: bool = False,
        substitutions: Mapping[str, Any] | None = None,
    ) -> Result:
        """Evaluate a query and serialise its result to the format chosen for its kind.

        `formats` maps each kind (negotiation.SOLUTIONS/BOOLEAN/GRAPH) to a canonical media type,
        or None if the client accepts none for that kind (-> NotAcceptable). With no graphs named,
        the default graph is the union of the store's named graphs; `stored_default_graph` makes it
        the store's own default graph instead (what the Graph Store Protocol calls the default graph).
        `substitutions` binds variables to RDF terms (pyoxigraph NamedNode / Literal) before evaluation.
        """
        if not any(formats.values()):
            raise NotAcceptable("query")
        handle, out = tempfile.mkstemp(prefix="kgraph-result-", dir=self.tmp_dir)
        os.close(handle)
        job = {
            "op": "query",
            "text": text,
            "formats": dict(formats),
            "default_graphs": list(default_graphs),
            "named_graphs": list(named_graphs),
            "base_iri": base_iri,
            "max_rows": self.max_rows,
            "out": out,
            "stored_default_graph": stored_default_graph,
            "substitutions": {name: encode_term(term) for name, term in (substitutions or {}).items()},
        }
        try:
            reply = self._call(job, timeout)
            if reply[0] == "ok":
                _, kind, media_type, size, rows = reply
                return Result(kind, media_type, Path(out), size, rows)
            self._raise(reply)
        except BaseException:
            Path(out).unlink(missing_ok=True)
            raise
        raise AssertionError("unreachable")

    def update(self, text: str, *, base_iri: str | None = None, timeout: float | None = None) -> None:
        """Run a SPARQL update (only on a writable executor); dataset parameters are already in the text."""
        if not self.writable:
            raise EngineError("this store is read-only")
        reply = self._call_writer({"op": "update", "text": text, "base_iri": base_iri}, timeout)
        if reply[0] != "ok-update":
            self._raise(reply)
        with self._lock:
            self.generation += 1  # query workers reopen before their next query, to see it

    def _raise(self, reply: tuple) -> None:
        status = reply[0]
        if status == "refused":
            _, name, message, line, column = reply
            if name == "QuerySyntaxError":
                raise QuerySyntaxError(message, line, column)
            raise getattr(errors, name)(message)
        if status == "syntax":
            raise syntax_error(reply[1])
        if status == "not-acceptable":
            raise NotAcceptable(reply[1])
        if status == "too-large":
            raise ResultTooLarge(
                f"the result has more than {reply[1]} rows, the most this endpoint serves; "
                "add a LIMIT (and OFFSET to page through it)"
            )
        if status == "evaluation":
            raise QueryEvaluationError(reply[1])
        raise EngineError(str(reply[1:]))
