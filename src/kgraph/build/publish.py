"""The release stage: the manifest of a finished build, then kgraph.release makes it current."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from kgraph import __version__, release
from kgraph.build.dumps import Written
from kgraph.build.stage import Stage


def manifest(*, version: str, base: str, source_date: dt.datetime, written: Written, warnings: int,
             stages: list[Stage], linkset_dumps: list[dict] | None = None) -> dict:
    """What release.write_manifest records about a build."""
    return {
        "version": version,
        "kgraph": __version__,
        "base": base,
        "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "source_date": source_date.isoformat(),
        "triples": written.triples,
        "quads": written.quads,
        "warnings": warnings,
        "stages": {s.name: {"seconds": round(s.seconds, 3), **s.counts} for s in stages},
        "dumps": written.files,
        "linkset_dumps": linkset_dumps or [],  # links-<partner>.nt, one per linkset (not the whole graph)
    }


def publish(build_dir: Path, folder: Path, release_id: str, contents: dict, keep: int = release.KEEP_RELEASES) -> release.Release:
    """Write the manifest into the release folder and make it the current release (keeping at
    most `keep` releases besides those a server has open)."""
    release.write_manifest(folder, contents)
    return release.publish(build_dir, folder, release_id, keep=keep)
