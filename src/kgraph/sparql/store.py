"""Where the store to serve is, and which version of the data it holds.

The normal case is the lead's build contract (kgraph.release): `build_dir/current` is a release
folder with `store/` and `manifest.json`. A folder can also be named directly: a release folder,
or a bare store folder (then the manifest, if any, is looked for next to it).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kgraph.config import Settings

NQUADS_DUMP = "kgraph.nq"  # a release's N-Quads dump (dumps/ beside store/): every quad of its store


class StoreNotFound(RuntimeError):
    """There is no store to serve at the configured or given place."""


class StoreUnusable(StoreNotFound):
    """There is a store folder, but it cannot be opened or does not answer (corrupt, unreadable)."""


@dataclass(frozen=True)
class StoreInfo:
    """A store folder and what its manifest says about it."""

    store_path: Path
    version: str
    manifest: dict[str, Any] = field(default_factory=dict)


def _fingerprint(store_path: Path) -> str:
    """A version for a store without a manifest: its files' names, sizes and times."""
    digest = hashlib.sha256()
    for item in sorted(store_path.iterdir()):
        stat = item.stat()
        digest.update(f"{item.name}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def locate(settings: Settings, store_dir: str | Path | None = None) -> StoreInfo:
    """The store to serve: `store_dir` if given (release folder or store folder), else the current release."""
    if store_dir is None:
        from kgraph import release

        try:
            current = release.load(settings.build_dir)
        except release.ReleaseError as exc:
            raise StoreNotFound(str(exc)) from None
        return StoreInfo(current.store_path, current.version, current.manifest)
    folder = Path(store_dir).resolve()
    if (folder / "store").is_dir():
        store_path, manifest_path = folder / "store", folder / "manifest.json"
    elif folder.is_dir():
        store_path, manifest_path = folder, folder.parent / "manifest.json"
    else:
        raise StoreNotFound(f"{folder}: no such store folder")
    manifest: dict[str, Any] = {}
    if manifest_path.is_file():
        try:
            manifest = json.loads(manifest_path.read_text())
        except ValueError as exc:
            raise StoreNotFound(f"{manifest_path}: unreadable manifest ({exc})") from None
    version = str(manifest.get("version") or _fingerprint(store_path))
    return StoreInfo(store_path, version, manifest)


def check_store(info: StoreInfo) -> None:
    """Open the store read-only and ask it a real query; StoreUnusable, in one line, if that fails.

    RocksDB reports a damaged store (a missing CURRENT file, a truncated table) when it is opened
    or first read, so this finds what would otherwise fail every query of a running server.
    """
    import pyoxigraph as ox

    try:
        store = ox.Store.read_only(str(info.store_path))
        bool(store.query("ASK { ?s ?p ?o }", use_default_graph_as_union=True))
        for _ in store.quads_for_pattern(None, None, None, None):
            break
    except (OSError, RuntimeError, ValueError) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise StoreUnusable(f"{info.store_path}: the store cannot be used: {reason}") from None


class MemoryCopyFailed(RuntimeError):
    """A release could not be copied into memory (its dump unreadable, or not the store's quads)."""


def memory_copy_source(info: StoreInfo) -> tuple[Path, int] | None:
    """(N-Quads dump, quad count) to copy release `info` into memory from, or None when its
    folder has no dump or its manifest no count (a bare store folder)."""
    quads = info.manifest.get("quads")
    dump = Path(info.store_path).parent / "dumps" / NQUADS_DUMP
    return (dump, int(quads)) if isinstance(quads, int) and quads > 0 and dump.is_file() else None


def memory_copy(dump: str | Path, quads: int) -> Any:
    """An in-memory pyoxigraph Store with the quads of a release's N-Quads dump, checked to hold
    exactly `quads` of them (the store's count in the manifest); MemoryCopyFailed if not.

    The dump holds every quad of the store, each blank node by the store's own label, and parse()
    keeps those labels (Store.load would rename them), so the copy answers with the same terms
    as the store. extend() releases the GIL while it loads."""
    import pyoxigraph as ox

    store = ox.Store()
    try:
        store.extend(ox.parse(path=str(dump), format=ox.RdfFormat.N_QUADS))
    except (OSError, SyntaxError, ValueError) as exc:
        raise MemoryCopyFailed(f"{dump}: {exc}") from None
    found = len(store)
    if found != quads:
        raise MemoryCopyFailed(f"{dump} has {found} quads, its store {quads}")
    return store
