"""The store stage: the release's Oxigraph store, written from the spool by processes of their
own (in two parts when the build works in memory: what was parsed, while the graph is loaded
and materialised, then what that added)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kgraph.build.load import load_statements


def finish_store(store: ox.Store, path: Path) -> dict[str, int]:
    """Compact and close a release's store; its size on disk."""
    store.optimize()
    store.flush()
    del store  # closes it, so that servers can open it
    return {"bytes": sum(f.stat().st_size for f in path.rglob("*") if f.is_file())}


def write_store(spool: Path, path: Path, blank_ranges: list[tuple[int, int]], start: int = 0,
                end: int | None = None, finish: bool = True) -> dict[str, int]:
    """Add the spool's statements from byte start to byte end (None: to its end) to the release's
    store at path (blank_ranges: the spool's parts that may hold blank nodes); with finish,
    compact it. Run in a process of its own."""
    store = ox.Store(str(path))
    load_statements(store, spool, blank_ranges, start=start, end=end)
    if finish:
        return finish_store(store, path)
    store.flush()
    del store  # closed, for the next part's process
    return {}
