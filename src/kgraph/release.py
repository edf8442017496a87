"""Build releases on disk: one folder per build, `current` pointing at the last good one.

    build/
      current -> releases/<id>          (a symlink, replaced atomically)
      releases/<id>/store/              the on-disk Oxigraph store
      releases/<id>/dumps/              kgraph.ttl, .nt, .nq, .trig, .jsonld (+ .gz)
      releases/<id>/manifest.json       version, build time, counts, dump checksums

A build writes a new release folder next to the others and only then swaps `current`, so a
failed or interrupted build never touches the store and dumps being served.
"""

from __future__ import annotations

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
KEEP_RELEASES = 2  # the current one and the one before it


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


def new_release_dir(build_dir: Path, release_id: str) -> Path:
    """A fresh, empty folder for a release being built (removed first if a failed try left it)."""
    folder = build_dir / RELEASES / f".partial-{release_id}"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    """Write the manifest of a release being built."""
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")


def publish(build_dir: Path, partial: Path, release_id: str) -> Release:
    """Make a fully written release the current one, atomically, and prune old ones."""
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
    _prune(build_dir, keep=final)
    return load(build_dir)


def _prune(build_dir: Path, keep: Path) -> None:
    folders = sorted(
        (p for p in (build_dir / RELEASES).iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    survivors = {keep.resolve()} | {p.resolve() for p in folders[:KEEP_RELEASES]}
    for folder in folders:
        if folder.resolve() not in survivors:
            shutil.rmtree(folder, ignore_errors=True)


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
