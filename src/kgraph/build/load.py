"""The load stage: the spooled statements into the store inference and validation run on."""

from __future__ import annotations

import io
import itertools
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

import pyoxigraph as ox

# Statements per bulk_extend call into a store on disk: Oxigraph's bulk loader holds what one
# call gives it in memory (10M statements in one call: 1.9 GB; in calls of 100k: 0.25 GB, no
# slower). An in-memory store takes them in one call: in calls of 100k, loading 10M took 84 s
# instead of 52 s.
LOAD_BATCH = 100_000


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


def segments(start: int, end: int, blank_ranges: Iterable[tuple[int, int]]) -> Iterator[tuple[int, int, bool]]:
    """[start, end) of the spool cut at blank_ranges: (start, end, whether it may hold blank nodes)."""
    at = start
    for low, high in sorted(blank_ranges):
        low, high = max(low, start), min(high, end)
        if low >= high:
            continue
        if at < low:
            yield at, low, False
        yield low, high, True
        at = high
    if at < end:
        yield at, end, False


def load_statements(store: ox.Store, spool: Path, blank_ranges: Iterable[tuple[int, int]] = ((0, 1 << 62),),
                    batch: int | None = LOAD_BATCH, start: int = 0, end: int | None = None) -> None:
    """Load the spooled statements from byte start to byte end (None: to the end of the file)
    into store, keeping their blank node labels.

    The parts of the file without blank nodes (all but blank_ranges) go through the store's
    own parser (bulk_load, Rust only: no Python object per statement; lenient, as the spool was
    written by Oxigraph from statements it had parsed and checked). bulk_load would give blank
    nodes new labels, so blank_ranges go through bulk_extend, which keeps the canonical ones,
    batch at a time (None: all at once).
    """
    end = spool.stat().st_size if end is None else end
    with open(spool, "rb") as lines:
        for low, high, blank in segments(start, end, blank_ranges):
            lines.seek(low)
            part = io.BufferedReader(_Head(lines, high - low), 1 << 20)
            if not blank:
                store.bulk_load(part, format=ox.RdfFormat.N_QUADS, lenient=True)
                continue
            statements = ox.parse(part, format=ox.RdfFormat.N_QUADS)
            if batch is None:
                store.bulk_extend(statements)
            else:
                while chunk := list(itertools.islice(statements, batch)):
                    store.bulk_extend(chunk)
