"""A cache of serialised query results, shared by every worker process serving one store.

The data served is immutable between builds, so an answer is fully determined by the dataset
version, the request (query text, dataset, chosen formats) and nothing else: the key is the
response's ETag, which already hashes all of these. A new build has a new version, so its
requests never meet an old answer; old entries simply age out.

Entries are files in a folder (RAM-backed /dev/shm when the executor uses it), written by
rename so a reader sees a whole entry or none, and evicted oldest-first past a byte budget.
Any worker process may read what another wrote. A reader opens the body before using it, so an
entry evicted meanwhile is still served whole (POSIX keeps an unlinked open file).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from kgraph.sparql.executor import Result

BODY, META = ".body", ".json"


@dataclass(frozen=True)
class CachedAnswer:
    """A cached result: an open body (read from its start) and what the response needs."""

    body: IO[bytes]
    media_type: str
    size: int
    rows: int | None


class ResultCache:
    """Result files by key, at most `max_bytes` of bodies in all (0 disables the cache)."""

    def __init__(self, folder: str | Path, max_bytes: int):
        self.folder = Path(folder)
        self.max_bytes = max_bytes
        # Bytes this process put since it last looked at the folder's total. Looking (a glob and a
        # stat per entry) cost ~1 ms per put with a few hundred entries, more than an uncached point
        # lookup's own work through an engine; so a process looks once it has added a sixteenth of
        # the budget (the folder may exceed it by that much per process in between).
        self._added: int | None = None  # None: not looked yet

    @classmethod
    def for_store(cls, store_path: str | Path, version: str, max_bytes: int, tmp_dir: str | None) -> "ResultCache":
        """The cache folder of one store and data version: shared by the processes serving it."""
        tag = hashlib.sha256(f"{Path(store_path).resolve()}\n{version}".encode()).hexdigest()[:20]
        return cls(Path(tmp_dir or tempfile.gettempdir()) / f"kgraph-results-{tag}", max_bytes)

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    def get(self, key: str) -> CachedAnswer | None:
        """The cached answer for key, or None (also when another process evicts it mid-read)."""
        if not self.enabled:
            return None
        stem = self.folder / key
        try:
            meta = json.loads((stem.with_suffix(META)).read_text())
            body = open(stem.with_suffix(BODY), "rb")
        except (OSError, ValueError):
            return None
        os.utime(stem.with_suffix(META))  # recently used: evicted last
        return CachedAnswer(body, meta["media_type"], meta["size"], meta["rows"])

    def put(self, key: str, result: Result) -> CachedAnswer | None:
        """Move a fresh result into the cache and open it; None if it does not fit.

        The result's temporary file becomes the entry (a rename, no copy), so caching costs
        nothing on the way out.
        """
        if not self.enabled or result.size > self.max_bytes // 4:
            return None  # one huge answer should not flush everything else
        stem = self.folder / key
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            os.replace(result.path, stem.with_suffix(BODY))
            result.path = stem.with_suffix(BODY)
            result._closed = True  # the file now belongs to the cache
            meta = {"media_type": result.media_type, "size": result.size, "rows": result.rows}
            partial = stem.with_suffix(f".{os.getpid()}.tmp")
            partial.write_text(json.dumps(meta))
            os.replace(partial, stem.with_suffix(META))
        except OSError:
            return None  # a different filesystem or a full disk: serve uncached
        first = self._added is None
        self._added = (self._added or 0) + result.size
        if first or self._added * 16 >= self.max_bytes:
            self._evict()
            self._added = 0
        return self.get(key)

    def _evict(self) -> None:
        try:
            entries = [(p.stat().st_mtime, p) for p in self.folder.glob(f"*{META}")]
            sizes = {p: p.with_suffix(BODY).stat().st_size for _, p in entries if p.with_suffix(BODY).exists()}
        except OSError:
            return
        total = sum(sizes.values())
        for _, meta in sorted(entries):
            if total <= self.max_bytes:
                break
            total -= sizes.get(meta, 0)
            for path in (meta, meta.with_suffix(BODY)):
                path.unlink(missing_ok=True)

    def clear(self) -> None:
        """Remove every entry (the folder too)."""
        shutil.rmtree(self.folder, ignore_errors=True)
