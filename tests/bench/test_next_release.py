"""The generator's next-release mode: a share of the resources changed, added and removed, the
result still conforming to the shapes, the same bytes from the same input, and a build of it
recording exactly those changes in the history."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import generate
from benchmarks.next_release import next_release
from kgraph.build import build
from kgraph.history import HistoryLog


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.ttl"))}


@pytest.fixture(scope="module")
def releases(tmp_path_factory):
    folder = tmp_path_factory.mktemp("next")
    generate.generate(folder / "r1", 20_000, seed=1)  # smaller sizes leave the sections empty
    counts = next_release(folder / "r1", folder / "r2", 2, changed=0.05, added=0.05, removed=0.05, seed=1)
    return folder, counts


def test_a_next_release_changes_adds_and_removes_a_share(releases):
    folder, counts = releases
    assert counts.resources > 300
    for done in (counts.changed, counts.added, counts.removed):
        assert 0.02 * counts.resources < done < 0.1 * counts.resources
    again = next_release(folder / "r1", folder / "r2-again", 2, changed=0.05, added=0.05, removed=0.05, seed=1)
    assert tree(folder / "r2-again") == tree(folder / "r2") and again == counts


def test_the_next_release_conforms_and_its_build_records_the_changes(releases, project_settings, tmp_path):
    folder, counts = releases
    settings = project_settings.replace(build_dir=tmp_path / "build")
    build(settings.replace(data_dir=folder / "r1", source_date_epoch=1546214400))
    # a build stops on any violation of the shapes: that it finishes is the conformance check
    second = build(settings.replace(data_dir=folder / "r2", source_date_epoch=1577750400))
    said = second.manifest["history"]
    assert said["created"] == counts.added
    assert said["deleted"] == counts.removed
    assert said["updated"] == counts.changed  # each changed block is one resource; nothing else changes
    log = HistoryLog.open(settings.build_dir / "history")
    assert [r["stamp"] for r in log.releases] == ["20181231T000000Z", "20191231T000000Z"]
