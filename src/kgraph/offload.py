"""File answers under uWSGI, which sends them from the worker's offload thread (kgraph.serve).

    app = CloseAfterFile(flask_app)      # what each uWSGI worker serves
    app.wait_for_files(OFFLOAD_GRACE)    # in the worker's atexit, before its query processes stop

A file answer is one whose body the app got from wsgi.file_wrapper (Flask's send_file, a SPARQL
answer's file): uWSGI's wrapper hands back the file itself, and uWSGI gives it to the offload
thread, which sends it as fast as the client reads, with no time limit, then closes the
connection. Here: the answer says `Connection: close` beforehand, and its connection is
remembered until the offload thread has closed it, so that a stopping worker can wait for it.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
from typing import Any, Callable

# Seconds a stopping worker (SIGTERM, a reload) waits for files its offload thread is still
# sending before it exits and they are cut: gunicorn's graceful_timeout less a margin for the
# worker's own exit, within worker-reload-mercy (10 s), after which the master kills it.
OFFLOAD_GRACE = 8.0

# Smaller files are sent by the worker: a slow client costs them little, and uWSGI's offloading of
# many small answers on busy connections cut some after their headers (the W3C live tests' POSTed
# queries: "IncompleteRead(0 bytes read, 54 more expected)", measured).
OFFLOAD_MIN_BYTES = 1 << 20


def _socket_inode(fd: int) -> int | None:
    try:
        return os.fstat(fd).st_ino
    except OSError:
        return None


def _no_write(data: bytes) -> None:
    raise RuntimeError("kgraph.offload: the app wrote through start_response's callable, which Flask never does")


# struct tcp_info (linux/tcp.h): tcpi_data_segs_out, the data segments sent on the connection
# (Linux 4.6+), at this byte offset.
_DATA_SEGS_OUT = 156


def _kept_alive() -> bool:
    """Whether this request's connection already carried an answer (uWSGI's http11-socket gives
    no client port in the environ, so ask the kernel: a new connection has sent no data yet;
    the answer being made is not sent before the app returns). True when it cannot be told."""
    import uwsgi  # the module uWSGI gives its workers

    sock = socket.socket(fileno=uwsgi.connection_fd())
    try:
        info = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 256)
    except OSError:
        return True
    finally:
        sock.detach()  # the descriptor stays uWSGI's
    if len(info) < _DATA_SEGS_OUT + 4:
        return True
    return int.from_bytes(info[_DATA_SEGS_OUT:_DATA_SEGS_OUT + 4], sys.byteorder) > 0


def _size(file: Any) -> int:
    try:
        return os.fstat(file.fileno()).st_size
    except (OSError, ValueError):  # no descriptor after all: not one uWSGI could send
        return 0


class FileChunks:
    """A file answer as an iterable of blocks (not the file: uWSGI writes it from the worker)."""

    def __init__(self, file: Any, size: int = 1 << 16):
        self.file = file
        self.size = size

    def __iter__(self) -> Any:
        while block := self.file.read(self.size):
            yield block

    def close(self) -> None:
        """Close the file (the server calls this when the answer is sent or abandoned)."""
        self.file.close()


class CloseAfterFile:
    """The app under uWSGI, its answers whose body is a file (wsgi.file_wrapper: a dump, an asset,
    a SPARQL answer's file) sent with `Connection: close`, and the connections they go out on
    remembered until the offload thread closes them (wait_for_files, when the worker stops).

    uWSGI's offload thread takes such a connection over from the worker and closes it after the
    file, without saying so; a client keeping connections alive (Node's fetch, nginx's upstream
    pool) could send its next request on it as it closes (ECONNRESET: what Comunica met when
    gunicorn closed idle connections early). The header makes the client open a new one. The
    start_response call is held until the app has returned its body (Flask makes the whole
    header list before returning; a list is what the header is appended to)."""

    def __init__(self, app: Callable[..., Any]):
        self.app = app
        # Connection descriptor -> its socket's inode, for the files the offload thread may still
        # be sending (the descriptor number alone could be a new connection's by now).
        self.offloaded: dict[int, int | None] = {}
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        held: list[Any] = []

        def hold(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
            held[:] = (status, headers, exc_info)
            return _no_write

        body = self.app(environ, hold)
        status, headers, exc_info = held
        if hasattr(body, "fileno"):  # uWSGI's file_wrapper hands back the file itself: it would be offloaded
            if _size(body) < OFFLOAD_MIN_BYTES or _kept_alive():
                # uWSGI 2.0.30 leaves a request thread whose kept-alive connection was offloaded
                # waiting on that socket for a next request; it closes it again when the offload
                # thread has (measured: answers of other connections cut, "Bad file descriptor").
                # So such a file is sent by the worker, the connection kept alive.
                body = FileChunks(body)
            else:
                headers.append(("Connection", "close"))
                self._remember()
        start_response(status, headers, exc_info)
        return body

    def _remember(self) -> None:
        import uwsgi  # the module uWSGI gives its workers

        fd = uwsgi.connection_fd()
        with self.lock:
            self.offloaded = {f: i for f, i in self.offloaded.items() if i is not None and _socket_inode(f) == i}
            self.offloaded[fd] = _socket_inode(fd)

    def wait_for_files(self, limit: float) -> None:
        """Return when the offload thread has closed every remembered connection (each file
        sent, or its client gone), or after `limit` seconds."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            with self.lock:
                self.offloaded = {f: i for f, i in self.offloaded.items() if i is not None and _socket_inode(f) == i}
                if not self.offloaded:
                    return
            time.sleep(0.1)
