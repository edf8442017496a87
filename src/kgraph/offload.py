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
import threading
import time
from typing import Any, Callable

# Seconds a stopping worker (SIGTERM, a reload) waits for files its offload thread is still
# sending before it exits and they are cut: gunicorn's graceful_timeout less a margin for the
# worker's own exit, within worker-reload-mercy (10 s), after which the master kills it.
OFFLOAD_GRACE = 8.0


def _socket_inode(fd: int) -> int | None:
    try:
        return os.fstat(fd).st_ino
    except OSError:
        return None


def _no_write(data: bytes) -> None:
    raise RuntimeError("kgraph.offload: the app wrote through start_response's callable, which Flask never does")


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
        if hasattr(body, "fileno"):  # uWSGI's file_wrapper hands back the file itself: it will be offloaded
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
