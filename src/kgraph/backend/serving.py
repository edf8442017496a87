"""What `kgraph serve` needs of a published release: the pointer, and the release's folder.

The engine holds the graph; the release folder of the same version (manifest, dumps, history
index, network facts file) is read from build_dir, found by the folder name in the pointer or,
failing that, by the version in the manifests. So replicas share build_dir (a network file
system, read-only is enough) or get a copy of the published release folder (README).
"""

from __future__ import annotations

import json
from pathlib import Path

from kgraph import release as releases
from kgraph.backend import pointer
from kgraph.backend.client import EngineClient
from kgraph.config import Settings
from kgraph.sparql.errors import QueryError
from kgraph.sparql.store import StoreNotFound


def published(client: EngineClient, timeout: float = 5.0) -> pointer.Pointer:
    """The pointer of the release the engine serves; StoreNotFound (one line) if none or unreachable."""
    try:
        found = pointer.read(client, timeout)
    except QueryError as exc:
        raise StoreNotFound(f"the SPARQL engine (backend_query_url) cannot tell what it serves: {exc.title}: {exc}") from None
    if found is None:
        raise StoreNotFound("nothing is published in the SPARQL engine yet: run `kgraph publish` first")
    return found


def release_folder(settings: Settings, found: pointer.Pointer) -> tuple[Path, dict]:
    """The folder (and manifest) in settings.build_dir of the release the pointer names."""
    folders = Path(settings.build_dir) / releases.RELEASES
    named = folders / found.release
    candidates = [named] + (sorted(p for p in folders.iterdir() if p.is_dir() and p != named) if folders.is_dir() else [])
    for folder in candidates:
        try:
            manifest = json.loads((folder / releases.MANIFEST).read_text())
        except (OSError, ValueError):
            continue
        if str(manifest.get("version")) == found.version:
            return folder, manifest
    raise StoreNotFound(f"{folders}: no release folder of version {found.version[:12]} (published as "
                        f"{found.release}); replicas need the published release's folder in build_dir")


def check_published(settings: Settings) -> None:
    """At start-up: the engine answers, names a published release, and its folder is in build_dir
    (StoreNotFound, one line, otherwise)."""
    client = EngineClient.from_settings(settings)
    try:
        release_folder(settings, published(client))
    finally:
        client.close()
