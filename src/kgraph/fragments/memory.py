"""In-memory copies of read-only releases, for reading fragment pages.

    copies = MemoryCopies(limit=2_000_000)
    store = copies.store_for(version, dump_path, quads)   # an in-memory ox.Store, or None (not yet, too big)

Why: reading a subject's ten quads from pyoxigraph's on-disk store (RocksDB, opened read-only)
took 45 us, from an in-memory store 7 (100k triples, measured): on disk every term of every quad
is a read of the store's string table. A fragment page is one such read, and it was most of what
a fragment cost once the rest was made lean. @ldf/server, the reference, keeps its whole dataset
in memory too.

A release of at most `limit` quads is copied from its N-Quads dump (which holds every quad of the
store, each blank node by the store's own label) in a thread of its own: pyoxigraph's parsing
and loading release the GIL, so the worker goes on answering, from the disk store, until the copy is
complete and its size agrees with the release's quad count; a copy that fails or disagrees is
given up (logged) and pages stay on disk. It takes about 0.36 kB a quad (43 MB for 121,544, in
0.3 s), per server worker. When a release's copy is complete, those of other releases are let go (a
request still on an older release reads its pages from disk).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

from kgraph.sparql.store import MemoryCopyFailed, memory_copy

log = logging.getLogger(__name__)


class _Copy:
    """One release's copy, loading in a thread until `store` is set (or `failed`); `done` is
    called with the version when the store is there."""

    def __init__(self, version: str, dump: Path, quads: int, done: Callable[[str], None]):
        self.store: ox.Store | None = None
        self.failed = False
        self._done = done
        self._thread = threading.Thread(target=self._load, args=(version, dump, quads),
                                        name=f"kgraph-fragments-copy-{version[:12]}", daemon=True)
        self._thread.start()

    def _load(self, version: str, dump: Path, quads: int) -> None:
        # memory_copy keeps the dump's blank node labels (the store's own, which fragments name
        # as skolem IRIs) and lets go of the GIL while it loads (a thread ticking every
        # millisecond meanwhile kept 95% of its ticks: measured).
        try:
            store = memory_copy(dump, quads)
        except MemoryCopyFailed as exc:
            log.warning("fragments: release %s not copied into memory (%s); its pages are read from disk", version[:12], exc)
            self.failed = True
            return
        self.store = store
        self._done(version)

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the copy is done (for tests); whether it succeeded."""
        self._thread.join(timeout)
        return self.store is not None


class MemoryCopies:
    """The in-memory copies of the releases a server worker reads fragments of (see the module doc)."""

    def __init__(self, limit: int):
        self.limit = limit
        self._copies: dict[str, _Copy] = {}
        self._let_go: set[str] = set()  # versions of a few dozen bytes each, one per release served
        self._lock = threading.Lock()

    def store_for(self, version: str, dump: Path, quads: int | None) -> ox.Store | None:
        """The in-memory store of release `version` if its copy is ready; else None, and the
        copy is started (once) when the release is small enough and has its N-Quads dump."""
        copy = self._copies.get(version)
        if copy is not None:
            return copy.store
        if quads is None or not 0 < quads <= self.limit or version in self._let_go or not dump.is_file():
            return None
        with self._lock:
            if version not in self._copies:
                self._copies[version] = _Copy(version, dump, quads, self._ready)
        return None

    def _ready(self, version: str) -> None:
        """A copy is complete: the copies of other releases go (their memory back; requests
        still on an older release read its pages from disk)."""
        with self._lock:
            for other in [v for v in self._copies if v != version]:
                del self._copies[other]
                self._let_go.add(other)  # not copied again for the requests still on it

    def wait(self, version: str, timeout: float | None = None) -> bool:
        """Wait until release `version`'s copy is done (for tests and benchmarks); whether there is one."""
        copy = self._copies.get(version)
        return copy.wait(timeout) if copy is not None else False
