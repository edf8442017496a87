"""The load stage: the spooled statements into the store inference and validation run on."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

# Statements per bulk_extend call into a store on disk: Oxigraph's bulk loader holds what one
# call gives it in memory (10M statements in one call: 1.9 GB; in calls of 100k: 0.25 GB, no
# slower). An in-memory store takes them in one call: in calls of 100k, loading 10M took 84 s
# instead of 52 s.
LOAD_BATCH = 100_000


def load_statements(store: ox.Store, spool: Path | BinaryIO, batch: int | None = LOAD_BATCH) -> None:
    """Load the spooled statements (a file, or an open one from where it stands) into store,
    keeping their blank node labels (bulk_load would give blank nodes new labels; bulk_extend
    keeps the canonical ones), batch at a time (None: all at once)."""
    if isinstance(spool, Path):
        statements = ox.parse(path=str(spool), format=ox.RdfFormat.N_QUADS)
    else:
        statements = ox.parse(spool, format=ox.RdfFormat.N_QUADS)
    if batch is None:
        store.bulk_extend(statements)
        return
    while chunk := list(itertools.islice(statements, batch)):
        store.bulk_extend(chunk)
