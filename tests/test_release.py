"""Release folders: a leased release is never pruned, old ones go beyond keep_releases once
unused, and partial folders are removed only when no build holds them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kgraph import release


def publish_one(build_dir: Path, name: str, keep: int = 2) -> Path:
    """A minimal finished release, published the way a build does it."""
    folder = release.new_release_dir(build_dir, name)
    (folder / "store").mkdir()
    release.write_manifest(folder, {"version": name})
    release.publish(build_dir, folder, name, keep=keep)
    final = build_dir / release.RELEASES / name
    os.utime(final, (len(list((build_dir / release.RELEASES).iterdir())),) * 2)  # publication order
    return final


def test_a_leased_release_is_kept_until_its_lease_ends(tmp_path):
    first = publish_one(tmp_path, "r1", keep=1)
    lease = release.Lease(first)
    publish_one(tmp_path, "r2", keep=1)
    publish_one(tmp_path, "r3", keep=1)
    assert first.is_dir(), "a release a server has open was pruned"
    assert not (tmp_path / release.RELEASES / "r2").exists()  # unused and beyond keep: gone
    lease.close()
    publish_one(tmp_path, "r4", keep=1)
    assert not first.exists()
    assert release.load(tmp_path).path.name == "r4"


def test_keep_releases_counts_the_newest(tmp_path):
    for name in ("r1", "r2", "r3", "r4"):
        publish_one(tmp_path, name, keep=3)
    left = sorted(p.name for p in (tmp_path / release.RELEASES).iterdir())
    assert left == ["r2", "r3", "r4"]


def test_a_partial_folder_is_removed_only_when_no_build_holds_it(tmp_path):
    running = release.new_release_dir(tmp_path, "running")  # this build holds its lock
    abandoned = tmp_path / release.RELEASES / ".partial-abandoned"
    abandoned.mkdir()  # as a killed build leaves it: nobody holds a lock on it
    (abandoned / "store").mkdir()
    publish_one(tmp_path, "next")
    assert running.is_dir() and not abandoned.exists()


def test_a_lease_on_a_pruned_release_is_refused(tmp_path):
    gone = tmp_path / release.RELEASES / "gone"
    gone.mkdir(parents=True)
    with pytest.raises(release.ReleaseError, match="removed"):
        release.Lease(gone)
