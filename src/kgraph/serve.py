"""Run the web app: under uWSGI, gunicorn or granian (production) or Flask's reloader (development).

    serve(settings, host="127.0.0.1", port=8000, workers=None, dev=False, store_dir=None)

The server's workers each load the app (no preload: every worker makes its own query-process pool
after the fork) and open the same on-disk store read-only, so start-up parses no RDF. With an
update token configured there is one worker, because one process holds the writable store.

settings.server chooses the WSGI server (README "Serving speed", benchmarks/results/hotpath.md):
"uwsgi" (the default: the pyuwsgi wheel, uWSGI inside this interpreter), "gunicorn" (gthread
workers) or "granian" (Rust HTTP, the Python app on its blocking threads). All keep the release
switch (in the app), query time limits (the executor), workers loading the app after the fork and
starting their query processes there, keep-alive longer than Node's fetch, a bound on the request
head, SIGTERM answering the requests in flight, and a file answer (a dump) sent whole to a slow
client however long that takes. uWSGI and gunicorn replace a worker that dies however often, and
kill a worker stuck with a request in hand past worker_limit(settings) (harakiri; the worker
timeout); granian (2.8) stops the whole server when the same worker dies again within 5.5 s of
its respawn, and has no such limit. uWSGI answers 4-6x the requests per second of gunicorn for
kept pages and answers, as granian does; it sends a file answer from an offload thread, outside
the worker's request and so outside harakiri and socket-timeout (without one, a dump sent to a
slow client was cut: measured, README "Serving speed").

`python -m kgraph.serve --store DIR --port N` does the same from settings in the environment
(KGRAPH_* variables / KGRAPH_CONFIG); the test suite starts live servers that way.
"""

from __future__ import annotations

import argparse
import ctypes
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable

from kgraph.config import Settings, load_settings

log = logging.getLogger("kgraph.serve")


def worker_limit(settings: Settings) -> int:
    """Seconds a worker may spend on one request before the server kills and replaces it:
    settings.worker_timeout, or query_timeout + 30 (a query being stopped at its deadline)."""
    return settings.worker_timeout or int(settings.query_timeout) + 30


def _gunicorn_application(factory: Callable[[], Any], options: dict[str, Any]) -> Any:
    from gunicorn.app.base import BaseApplication

    class KgraphApplication(BaseApplication):
        """gunicorn run programmatically: options from here, the app from the factory."""

        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return factory()

    return KgraphApplication()


def serve(
    settings: Settings,
    host: str | None = None,
    port: int | None = None,
    workers: int | None = None,
    dev: bool = False,
    store_dir: str | Path | None = None,
    *,
    threads: int | None = None,
) -> None:
    """Serve the store (current release of settings.build_dir, or `store_dir`) until stopped.

    host/port/workers/threads default to the settings. Each worker runs `threads`
    request threads and settings.query_workers query processes; there are more threads than
    query processes, so a page always gets a thread while queries wait or are refused (503).
    Raises StoreNotFound / StoreUnusable (one line) if there is nothing usable to serve.
    """
    from kgraph.sparql import check_store, locate
    from kgraph.web import create_app

    host = host or settings.host
    port = settings.port if port is None else port
    workers = workers or settings.workers
    threads = threads or settings.threads
    query_workers = settings.query_workers
    _configure_logging()
    if settings.backend:  # the graph is in an external engine: it must answer and name a release
        from kgraph.backend.serving import check_published

        check_published(settings)
    else:
        _check_in_a_process(check_store, locate(settings, store_dir))  # fail now, in the foreground
    if dev:
        app = create_app(settings, store_dir, query_workers=query_workers)
        app.run(host=host, port=port, debug=True, use_reloader=True)
        return
    if settings.update_token and workers != 1:
        log.warning("updates are enabled: using 1 worker (one process holds the writable store)")
        workers = 1
    if settings.server == "granian":
        log.info("serving http://%s:%s/sparql with %d granian workers", host, port, workers)
        _serve_granian(settings, host, port, workers, threads, store_dir)
        return
    if settings.server == "uwsgi":
        log.info("serving http://%s:%s/sparql with %d uWSGI workers", host, port, workers)
        _serve_uwsgi(settings, host, port, workers, threads, store_dir)
        return
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        # gunicorn's own worker timeout must outlast a query that is being stopped at its deadline.
        # Its heartbeat goes on while a request thread sends a file, so a slow download is not cut.
        "timeout": worker_limit(settings),
        "graceful_timeout": 10,
        "accesslog": None,  # kgraph.access logs each request with its result size and duration
        "preload_app": False,
        "limit_request_line": 8190,  # long GET queries
        # Idle keep-alive connections are kept longer than Node's fetch (undici, 4 s) keeps them: with
        # gunicorn's 2 s, Comunica reused sockets the server had just closed (ECONNRESET mid-query),
        # and ldes-client stopped mid-stream ("other side closed").
        "keepalive": 10,
        "post_worker_init": _start_query_workers,
        "worker_exit": _close_app,
    }
    log.info("serving http://%s:%s/sparql with %d workers", host, port, workers)

    def load() -> Any:  # in each worker, after the fork
        return _loaded(_with_access_lines(create_app(settings, store_dir, query_workers=query_workers)))

    _gunicorn_application(load, options).run()


def _serve_granian(settings: Settings, host: str, port: int, workers: int, threads: int,
                   store_dir: str | Path | None) -> None:
    """The app under granian: each worker process (forked, the store not yet open) loads it."""
    from functools import partial

    try:
        from granian import Granian
        from granian.constants import HTTPModes, Interfaces
        from granian.http import HTTP1Settings
    except ImportError:
        raise SystemExit("kgraph serve: server = \"granian\" needs the granian package (pip install granian)") from None
    server = Granian(
        "kgraph.web:create_app",  # a label: the app comes from the loader below
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        blocking_threads=threads,
        http=HTTPModes.http1,
        websockets=False,
        # Idle keep-alive connections wait this long for the next request (> Node's 4 s, as gunicorn's
        # keepalive); the request line and headers together may be at most 64 KiB.
        http1_settings=HTTP1Settings(header_read_timeout=10_000, keep_alive=True, max_buffer_size=65_536),
        log_access=False,  # kgraph.access logs each request
        respawn_failed_workers=True,
        workers_kill_timeout=10,
    )
    server.serve(target_loader=partial(_granian_app, settings, store_dir, settings.query_workers), wrap_loader=False)


def _granian_app(settings: Settings, store_dir: str | Path | None, query_workers: int) -> Any:
    """In a granian worker: the app, its query processes started now rather than on the first query."""
    from kgraph.web import create_app

    _configure_logging()
    app = _with_access_lines(create_app(settings, store_dir, query_workers=query_workers))
    app.extensions["kgraph"].executor.start()
    return _loaded(app)


def uwsgi_argv(settings: Settings, host: str, port: int, workers: int, threads: int,
               app: dict[str, str]) -> list[str]:
    """uWSGI's command-line options for serving `app` (its loader option: {"eval": code} or
    {"module": "pkg.mod:callable"}); benchmarks/hotpath.py runs a bare Flask app on the same."""
    argv: list[str] = []
    for name, value in {**_uwsgi_options(settings, host, port, workers, threads), **app}.items():
        for one in value if isinstance(value, list) else [value]:
            argv += [f"--{name}"] if one is True else [f"--{name}", str(one)]
    return argv


# uWSGI's start-up banner (some thirty lines: build, OS, limits, "running as root" three times...),
# not written to the log; its messages about workers (spawned, died, harakiri, shutdown) are.
_UWSGI_BANNER = (r"^(\*\*\* |compiled with|os: |nodename: |machine: |clock source: |pcre jit|detected |"
                 r"current working directory: |uWSGI running as root|your |lock engine: |thunder lock: |"
                 r"uwsgi socket \d+ bound|Python version: |--- Python VM|Python main interpreter|python threads|"
                 r"mapped \d+ bytes|spawned uWSGI master|running \"unix_signal|WSGI app \d+ \(mountpoint)")


def _uwsgi_options(settings: Settings, host: str, port: int, workers: int, threads: int) -> dict[str, Any]:
    """uWSGI's options (True: a flag; a list: the option repeated), each one for a guarantee
    gunicorn's settings give (tests/web/api/test_servers.py)."""
    return {
        "master": True,  # the master process replaces a worker that dies, however often
        # HTTP/1.1 with keep-alive parsed by the workers themselves: no router process in between.
        "http11-socket": f"{host}:{port}",
        "processes": workers,
        "threads": threads,
        # One worker at a time in accept(): bare Flask, one quick run at load 9, about 9,400 req/s
        # against 7,500 without.
        "thunder-lock": True,
        "lazy-apps": True,  # each worker loads the app after the fork (its own store handles and query processes)
        "need-app": True,  # a worker that cannot load the app exits rather than answering 500s
        # gunicorn's worker timeout: a worker whose request runs past it (stuck in a native call holding
        # the GIL) is killed and replaced; it outlasts a query being stopped at its deadline. uWSGI 2.0
        # keeps one such clock per worker: set when one of its threads starts a request, cleared when
        # one ends (README "Serving speed" says what that misses).
        "harakiri": worker_limit(settings),
        # SIGTERM stops the server as gunicorn's does: no new connections, the requests in flight
        # answered (up to worker-reload-mercy), then exit. uWSGI 2.0 reloads on SIGTERM, and
        # die-on-term kills the workers at once (in-flight requests cut: measured).
        "hook-master-start": "unix_signal:15 gracefully_kill_them_all",
        "worker-reload-mercy": 10,  # gunicorn's graceful_timeout
        # SIGHUP reloads gracefully: the workers finish their requests, then the master runs this
        # process's command line again with this interpreter (uWSGI's own guess is the interpreter
        # behind the virtualenv's, which cannot import kgraph: the server was gone).
        "binary-path": sys.executable,
        "reload-mercy": 10,
        # An idle keep-alive connection waits this long for its next request (> Node's 4 s, as
        # gunicorn's keepalive; uWSGI's default, 4 s, is Node's own). It is also how long a socket
        # read or write may wait: a client that stops reading for 10 s is dropped.
        "socket-timeout": 10,
        # A file answer (wsgi.file_wrapper: Flask's send_file, a SPARQL answer's file) goes to this
        # thread of the worker, which sends it with non-blocking sendfile as the client reads, with
        # no time limit, and closes the connection after it: the request is over for the worker
        # (its thread is free, its harakiri clock stopped). Sent by the worker itself, a dump to a
        # slow client was cut: at socket-timeout when the client's socket stayed full that long
        # (curl --limit-rate 400k: after 16.5 MB of 30), else by harakiri at the worker limit.
        # One thread per worker: it multiplexes every transfer of the worker (an epoll loop).
        # kgraph.offload says so in the answer (Connection: close) and lets a stopping worker wait
        # for the files still being sent.
        "offload-threads": 1,
        "buffer-size": 65535,  # the request line and headers together at most 64 KiB (long GET queries)
        "disable-logging": True,  # no request log of uWSGI's: kgraph.access logs each request
        # uWSGI's own lines pass through the master, which drops the banner; kgraph's log does not
        # (_serve_uwsgi gives it its own descriptor for stderr).
        "log-master": True,
        "log-drain": _UWSGI_BANNER,
    }


_UWSGI_LOADER = "import kgraph.serve; application = kgraph.serve._uwsgi_app()"
_UWSGI_PENDING: list[Any] = []  # [settings, store_dir, query_workers], set in the master before run()


def _serve_uwsgi(settings: Settings, host: str, port: int, workers: int, threads: int,
                 store_dir: str | Path | None) -> None:
    """The app under uWSGI (the pyuwsgi wheel: uWSGI inside this interpreter): each worker, forked
    from this process with the store not yet open, loads the app through _uwsgi_app."""
    import importlib
    import os
    from multiprocessing import resource_tracker

    try:
        import pyuwsgi
    except ImportError:
        raise SystemExit("kgraph serve: server = \"uwsgi\" needs the pyuwsgi package (pip install pyuwsgi)") from None
    # What the loader finds in each worker: this module as imported (not __main__ under `python -m`).
    importlib.import_module("kgraph.serve")._UWSGI_PENDING[:] = [settings, store_dir, settings.query_workers]
    # The store check's spawn left multiprocessing's resource tracker running as a child of this
    # process; the uWSGI master waits for every child before it exits (a SIGTERM never ended), so
    # stop it now (the workers start their own when they spawn their query processes). _stop is
    # private (CPython's own tests use it); there is no public way to stop the tracker.
    resource_tracker._resource_tracker._stop()
    # With log-master, uWSGI points the workers' stderr at a pipe to the master; kgraph's own log
    # handler keeps a descriptor of the real stderr, so access lines are not copied through it.
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler) and handler.stream is sys.stderr:
            handler.setStream(open(os.dup(sys.stderr.fileno()), "w", buffering=1, encoding=sys.stderr.encoding,
                                   errors="backslashreplace"))
    pyuwsgi.run(uwsgi_argv(settings, host, port, workers, threads, {"eval": _UWSGI_LOADER}))


def _uwsgi_app() -> Any:
    """In a uWSGI worker: the app, its query processes started now; stopped when the worker exits."""
    import uwsgi  # the module uWSGI gives its workers

    from kgraph.offload import OFFLOAD_GRACE, CloseAfterFile
    from kgraph.web import close_app, create_app

    settings, store_dir, query_workers = _UWSGI_PENDING
    app = _with_access_lines(create_app(settings, store_dir, query_workers=query_workers))
    app.extensions["kgraph"].executor.start()
    front = CloseAfterFile(_loaded(app))

    def at_exit() -> None:
        front.wait_for_files(OFFLOAD_GRACE)
        close_app(app)

    uwsgi.atexit = at_exit
    return front


def _configure_logging(stream: Any = None) -> None:
    """INFO to stderr (or `stream`; each request's access line among it), unless logging is set
    up already, with a formatter that makes the time stamp once a second."""
    if not logging.getLogger().handlers:
        handler = logging.StreamHandler(stream)
        handler.setFormatter(SecondFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logging.basicConfig(level=logging.INFO, handlers=[handler])
    # The format names no source file or line, so do not look them up for every record (the
    # logging HOWTO's "Optimization": a quarter of an access-log line's cost). Thread and process
    # stay recorded: gunicorn's own log lines name the process.
    logging._srcfile = None  # type: ignore[attr-defined]


PIPE_BUF = 4096  # bytes one write() to a pipe puts in whole (POSIX: at least 512; Linux: 4096)


class _PollFd(ctypes.Structure):
    _fields_ = [("fd", ctypes.c_int), ("events", ctypes.c_short), ("revents", ctypes.c_short)]


_POLLOUT = 0x004  # poll.h, the same on every Linux


class _WriteKeepingTheGil:
    """libc's write(2) to one descriptor, called so that the GIL is kept while it runs
    (ctypes.PyDLL functions keep it; os.write lets it go), only when it cannot block: libc's
    poll(2), with no wait, says first that the descriptor takes PIPE_BUF bytes now (a pipe with
    that much room; a file). A write that would wait is not made here: holding the GIL through
    it would stop the thread that may be the one to read the pipe. (No argtypes, one pollfd made
    once: 0.6 us a call against 1.9 with them.)"""

    def __init__(self, fd: int) -> None:
        libc = ctypes.PyDLL(None)
        self._write, self._poll = libc.write, libc.poll
        self.fd = fd
        self._ready = _PollFd(fd, _POLLOUT, 0)  # poll() sets revents each call
        self._ref = ctypes.byref(self._ready)

    def __call__(self, data: bytes) -> int:
        """Bytes written (0: none, the caller writes them with os.write)."""
        if self._poll(self._ref, 1, 0) != 1 or not self._ready.revents & _POLLOUT:
            return 0
        return max(0, self._write(self.fd, data, len(data)))  # -1: the caller's os.write says why


def _write_keeping_the_gil(fd: int | None) -> _WriteKeepingTheGil | None:
    """The GIL-keeping writer to `fd`, or None without a descriptor or a libc to call (os.write then)."""
    if fd is None:
        return None
    try:
        return _WriteKeepingTheGil(fd)
    except (OSError, AttributeError):
        return None


class SecondFormatter(logging.Formatter):
    """logging.Formatter whose asctime is formatted once per second (strftime was a fifth of the
    access line's cost); the same text as the default, milliseconds included."""

    def __init__(self, fmt: str):
        super().__init__(fmt)
        self._cached: tuple[int, str] = (-1, "")  # (second, its text): one tuple, swapped whole between threads

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        return self.stamp(record.created)

    def stamp(self, created: float) -> str:
        """The time stamp of a record made at `created` (time.time()): "2026-12-02 08:10:00,123"."""
        second = int(created)
        return self.default_msec_format % (self.second_text(second), (created - second) * 1000)

    def second_text(self, second: int) -> str:
        """The time stamp's text up to the second ("2026-12-02 08:10:00"), made once a second."""
        cached = self._cached
        if cached[0] != second:
            cached = self._cached = (second, time.strftime(self.default_time_format, self.converter(second)))
        return cached[1]


class AccessLines:
    """Writes an access line as `handler` (kgraph.serve's own, SecondFormatter) would format its
    record, whole, among the other log lines.

    The line goes out in one os.write to the stream's file descriptor, not through the stream's
    text and buffer layers and a flush (~1.5 us of a /healthz answer): nothing is buffered, so no
    line is lost when a worker exits or is killed. A line of at most PIPE_BUF bytes (all but
    those of the longest URLs) is written without the handler's lock: one write() of it is
    atomic on a pipe and, on a file, the kernel serialises writes that share the file offset, so
    it stays whole, and no request thread holds a lock while the write has let go of the GIL
    (under granian's blocking threads every other thread piled up behind that lock). A longer
    line is written under the handler's lock, with the rest after a partial write. A stream
    without a descriptor (a test's StringIO) is written and flushed under the lock as before.

    The short line's write keeps the GIL when the descriptor takes it at once (_WriteKeepingTheGil;
    else, or on an error, os.write, which waits and raises as before): a line is a few
    microseconds of a system call, and os.write's letting go of the GIL made each request's line
    a wait for it among the worker's request threads. Measured on uWSGI, /healthz against bare
    Flask, two runs each, in turn: 0.79x and 0.78x with the GIL kept, 0.72x and 0.72x with
    os.write."""

    def __init__(self, handler: logging.StreamHandler):
        self.handler = handler
        self.formatter: SecondFormatter = handler.formatter  # type: ignore[assignment]
        stream = handler.stream
        try:
            self.fd: int | None = stream.fileno()
        except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is an OSError
            self.fd = None
        self.encoding = getattr(stream, "encoding", None) or "utf-8"
        self._write = _write_keeping_the_gil(self.fd)
        self.errors = getattr(stream, "errors", None) or "backslashreplace"

    def __call__(self, message: str) -> None:
        now = time.time()
        second = int(now)
        # As stamp() makes it ("%s,%03d", SecondFormatter.default_msec_format), in one formatting.
        line = "%s,%03d INFO kgraph.access: %s\n" % (self.formatter.second_text(second), (now - second) * 1000, message)
        if self.fd is None:
            with self.handler.lock:  # type: ignore[union-attr]
                self.handler.stream.write(line)
                self.handler.stream.flush()
            return
        data = line.encode(self.encoding, self.errors)
        written = 0
        if len(data) <= PIPE_BUF:
            written = self._write(data) if self._write is not None else 0
            if not written:  # not now (or no libc): with os.write, which lets the GIL go while it waits
                written = os.write(self.fd, data)
            if written == len(data):
                return
        with self.handler.lock:  # type: ignore[union-attr]
            while written < len(data):  # a part written (a signal, a full disk): the rest after it
                written += os.write(self.fd, data[written:])


def _with_access_lines(app: Any) -> Any:
    """The app, its access lines written straight to kgraph.serve's own log handler when that
    handler is where logging would send them (the only one, nothing set on kgraph.access)."""
    from kgraph.web import write_access_lines

    handlers = logging.getLogger().handlers
    access = logging.getLogger("kgraph.access")
    if (len(handlers) == 1 and isinstance(handlers[0], logging.StreamHandler)
            and isinstance(handlers[0].formatter, SecondFormatter) and not access.handlers and access.propagate
            and not access.filters and not handlers[0].filters):
        write_access_lines(app, AccessLines(handlers[0]))
    return app


def _loaded(app: Any) -> Any:
    """The app, once loaded in a server worker, with everything made so far (modules, routes,
    templates, the app: some 90,000 objects the collector tracks) moved out of the garbage
    collector's view (gc.freeze): they live as long as the worker, and a full collection
    otherwise walks them all, while it holds the GIL, every time the caches of fragments and
    answers have grown by a quarter. Measured in process, 100k fragment pages: collection was 4.0%
    (`s??`) and 4.6% (`?po`) of the CPU, one full collection 28-35 ms of all of a worker's
    request threads' time; with the freeze 0.8% and 2.3%. Frozen objects that become garbage
    are still freed by their reference counts; only cycles among them would stay."""
    import gc

    gc.collect()
    gc.freeze()
    return app


def _start_query_workers(worker: Any) -> None:
    """gunicorn's post_worker_init hook: start the query processes now, not on the first query."""
    state = getattr(getattr(worker, "wsgi", None), "extensions", {}).get("kgraph")
    if state is not None:
        state.executor.start()


def _close_app(_server: Any, worker: Any) -> None:
    """gunicorn's worker_exit hook: stop the worker's query processes and drop its result cache."""
    app = getattr(worker, "wsgi", None)
    if app is not None and "kgraph" in getattr(app, "extensions", {}):
        from kgraph.web import close_app

        close_app(app)


def _check_in_a_process(check: Callable[[Any], None], info: Any) -> None:
    """Run the start-up store check in a spawned process and re-raise what it raised.

    Not in this process: gunicorn forks its workers from it, and a RocksDB opened before a fork
    leaves the children its thread pool's state without the threads, so they abort (SIGABRT,
    SIGSEGV: "std::system_error: Invalid argument") when they exit.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        pool.submit(check, info).result()


def main(argv: list[str] | None = None) -> None:
    """Command-line entry without click (the `kgraph serve` command lives in kgraph.cli)."""
    parser = argparse.ArgumentParser(prog="python -m kgraph.serve")
    parser.add_argument("--host")
    parser.add_argument("--port", type=int)
    parser.add_argument("--workers", type=int)
    parser.add_argument("--threads", type=int)
    parser.add_argument("--store")
    parser.add_argument("--dev", action="store_true")
    args = parser.parse_args(argv)
    from kgraph.release import ReleaseError
    from kgraph.sparql import StoreNotFound

    try:
        serve(load_settings(), args.host, args.port, args.workers, args.dev, args.store, threads=args.threads)
    except (ReleaseError, StoreNotFound) as exc:
        raise SystemExit(f"kgraph serve: {exc}") from None


if __name__ == "__main__":
    main()
