"""The store stage: the release's Oxigraph store, written from the spool by processes of their
own (in two parts when the build works in memory: what was parsed, while the graph is loaded
and materialised, then what that added)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from kgraph.build.load import load_statements


def finish_store(store: ox.Store, path: Path) -> dict[str, int]:
    """Compact and close a release's store; its size on disk."""
    store.optimize()
    store.flush()
    del store  # closes it, so that servers can open it
    return {"bytes": sum(f.stat().st_size for f in path.rglob("*") if f.is_file())}


class _Head(io.RawIOBase):
    """The first `size` bytes of a binary file, from where it stands."""

    def __init__(self, raw: BinaryIO, size: int):
        self._raw, self._left = raw, size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._left <= 0:
            return 0
        read = self._raw.readinto(memoryview(buffer)[:self._left])
        self._left -= read
        return read


def write_store(spool: Path, path: Path, start: int = 0, end: int | None = None, finish: bool = True) -> dict[str, int]:
    """Add the spool's statements from byte start to byte end (None: to its end) to the release's
    store at path; with finish, compact it. Run in a process of its own."""
    store = ox.Store(str(path))
    with open(spool, "rb") as lines:
        lines.seek(start)
        load_statements(store, lines if end is None else io.BufferedReader(_Head(lines, end - start)))
    if finish:
        return finish_store(store, path)
    store.flush()
    del store  # closed, for the next part's process
    return {}
