"""Build releases on disk: one folder per build, `current` pointing at the last good one.

    build/
      current -> releases/<id>          (a symlink, replaced atomically)
      releases/<id>/store/              the on-disk Oxigraph store
      releases/<id>/dumps/              kgraph.ttl, .nt, .nq, .trig, .jsonld (+ .gz)
      releases/<id>/manifest.json       version, build time, counts, dump checksums

A build writes a new release folder next to the others and only then swaps `current`, so a
failed or interrupted build never touches the store and dumps being served.

Folders are guarded by advisory locks (flock on the folder itself), so that no build deletes
what someone still uses:
- a build holds an exclusive lock on its `.partial-*` folder while it writes it; the next build
  removes the partial folders nobody holds (left by a killed build);
- a server holds a shared lock (a `Lease`) on each release it has open; pruning takes an
  exclusive lock without waiting and skips any release it cannot lock.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

CURRENT = "current"
RELEASES = "releases"
MANIFEST = "manifest.json"
KEEP_RELEASES = 2  # the current one and the one before it (Settings.keep_releases)
PARTIAL_PREFIX = ".partial-"


class ReleaseError(RuntimeError):
    """There is no usable release (never built, or the build folder is damaged)."""


@dataclass(frozen=True)
class Release:
    """A finished build: its folder and its manifest."""

    path: Path
    manifest: dict[str, Any]

    @property
    def store_path(self) -> Path:
        return self.path / "store"

    @property
    def dumps_path(self) -> Path:
        return self.path / "dumps"

    @property
    def version(self) -> str:
        return str(self.manifest["version"])

    def open_store(self) -> ox.Store:
        """The release's store, read-only (several processes may open it at once)."""
        return ox.Store.read_only(str(self.store_path))


class FolderLock:
    """An flock on a folder (shared or exclusive), held until close(); the folder's inode is
    locked, so the lock follows the folder through a rename."""

    def __init__(self, folder: Path, exclusive: bool, wait: bool = True):
        self.fd: int | None = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        flags = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | (0 if wait else fcntl.LOCK_NB)
        try:
            fcntl.flock(self.fd, flags)
        except BaseException:
            self.close()
            raise

    @classmethod
    def try_exclusive(cls, folder: Path) -> "FolderLock | None":
        """The folder's exclusive lock if nobody holds any lock on it, else None (never waits)."""
        try:
            return cls(folder, exclusive=True, wait=False)
        except (BlockingIOError, FileNotFoundError, NotADirectoryError):
            return None

    def close(self) -> None:
        """Release the lock (idempotent)."""
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def __del__(self) -> None:
        self.close()


class PartialRelease(type(Path())):  # type: ignore[misc]  # a PosixPath that also holds the build's lock
    """The folder of a release being built, with the build's exclusive lock on it (see publish)."""

    build_lock: FolderLock | None = None


def new_release_dir(build_dir: Path, release_id: str) -> Path:
    """A fresh, empty folder for a release being built, locked by this build until publish().

    Partial folders of builds that are no longer running (killed, so nobody holds their lock)
    are removed first.
    """
    releases = Path(build_dir) / RELEASES
    releases.mkdir(parents=True, exist_ok=True)
    remove_abandoned_partials(build_dir)
    folder = PartialRelease(releases / f"{PARTIAL_PREFIX}{release_id}")
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    folder.build_lock = FolderLock(folder, exclusive=True)
    return folder


def remove_abandoned_partials(build_dir: Path) -> list[Path]:
    """Remove the `.partial-*` folders no running build holds; the ones removed."""
    releases = Path(build_dir) / RELEASES
    partials = sorted(releases.glob(f"{PARTIAL_PREFIX}*")) if releases.is_dir() else []
    return [folder for folder in partials if _remove_unless_locked(folder)]  # locked: a build writes it


def _remove_unless_locked(folder: Path) -> bool:
    """Remove folder if nobody holds a lock on it (a build or a server); whether it was removed."""
    lock = FolderLock.try_exclusive(folder)
    if lock is None:
        return False
    try:
        shutil.rmtree(folder, ignore_errors=True)
        return True
    finally:
        lock.close()


class Lease:
    """A shared lock on a release folder: while held, no build prunes the release."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._lock = FolderLock(self.folder, exclusive=False)
        if not (self.folder / MANIFEST).is_file() and not (self.folder / "store").is_dir():
            # pruned between our look at `current` and the lock: it is not there any more
            self._lock.close()
            raise ReleaseError(f"{self.folder.name}: the release was removed")

    def close(self) -> None:
        """Give the release up (it may be pruned from now on)."""
        self._lock.close()


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    """Write the manifest of a release being built."""
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")


def publish(build_dir: Path, partial: Path, release_id: str, keep: int = KEEP_RELEASES) -> Release:
    """Make a fully written release the current one, atomically, and prune old ones.

    At most `keep` releases stay (the new one included), plus any a server still has open.
    """
    final = build_dir / RELEASES / release_id
    if final.exists():
        shutil.rmtree(final)
    os.replace(partial, final)
    link = build_dir / CURRENT
    temporary = build_dir / f".{CURRENT}.tmp"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    temporary.symlink_to(Path(RELEASES) / release_id)
    os.replace(temporary, link)  # atomic on POSIX: readers see the old or the new, never none
    build_lock = getattr(partial, "build_lock", None)
    if build_lock is not None:
        build_lock.close()  # a finished release: servers may lease it now
    prune(build_dir, keep=keep)
    return load(build_dir)


def prune(build_dir: Path, keep: int = KEEP_RELEASES) -> list[Path]:
    """Remove releases beyond the `keep` newest that nobody uses (never `current`); the ones removed."""
    releases = Path(build_dir) / RELEASES
    folders = sorted(
        (p for p in releases.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    link = Path(build_dir) / CURRENT
    current = link.resolve() if link.exists() else None
    # A folder a server has open stays: a later build prunes it, once unused.
    return [folder for folder in folders[max(keep, 1):]
            if folder.resolve() != current and _remove_unless_locked(folder)]


def current_target(build_dir: Path) -> str | None:
    """Where `current` points (a cheap readlink, to notice a new build), or None."""
    try:
        return os.readlink(Path(build_dir) / CURRENT)
    except OSError:
        return None


def load(build_dir: Path) -> Release:
    """The current release of a build folder; ReleaseError if there is none."""
    link = Path(build_dir) / CURRENT
    if not link.exists():
        raise ReleaseError(f"{build_dir}: no build yet; run 'kgraph build' first")
    folder = link.resolve()
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise ReleaseError(f"{folder}: unreadable {MANIFEST} ({exc})") from None
    return Release(folder, manifest)
