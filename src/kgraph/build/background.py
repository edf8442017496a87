"""One function run in a separate Python process, for build stages that can overlap.

Threads would not help: the stages are Python code that holds the GIL. A *spawned* process
(not forked: the parent holds an open RocksDB store and threads) imports kgraph afresh and
gets the function's arguments pickled, so they must be plain data (paths, strings, dicts).
"""

from __future__ import annotations

import multiprocessing
import time
from multiprocessing.connection import Connection
from typing import Any, Callable


def _run(send: Connection, work: Callable[..., Any], args: tuple) -> None:
    started = time.perf_counter()
    try:
        outcome = ("ok", work(*args), time.perf_counter() - started)
    except BaseException as exc:  # handed to the parent, which raises it: nothing is lost
        outcome = ("error", exc, time.perf_counter() - started)
    send.send(outcome)
    send.close()


class BackgroundError(RuntimeError):
    """The background process ended without an answer (killed, or out of memory)."""


class Background:
    """work(*args) running in its own process from construction on."""

    def __init__(self, work: Callable[..., Any], *args: Any):
        context = multiprocessing.get_context("spawn")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_run, args=(send, work, args), daemon=True)
        self._process.start()
        send.close()  # the child holds the only write end: its exit means end of file here
        self.seconds = 0.0

    def result(self) -> Any:
        """Wait for work's return value (or raise its exception); `seconds` is its run time."""
        try:
            kind, value, self.seconds = self._receive.recv()
        except EOFError:
            self._process.join()
            raise BackgroundError(f"the background process died (exit code {self._process.exitcode})") from None
        finally:
            self._receive.close()
        self._process.join()
        if kind == "error":
            raise value
        return value

    def cancel(self) -> None:
        """Stop the process if it still runs (the result is no longer wanted)."""
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._receive.close()
