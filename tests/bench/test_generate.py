"""The benchmark's data generator: its output conforms to the project's shapes, and the same
seed gives the same bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import generate
from kgraph.build.check import check_files


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.ttl"))}


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gen") / "data"
    generate.generate(out, 5000, seed=1)
    return out


def test_sizes_accept_suffixes():
    assert [generate.parse_size(s) for s in ("5000", "100k", "1M", "2.5m", "10M")] == [
        5000, 100_000, 1_000_000, 2_500_000, 10_000_000]
    with pytest.raises(ValueError):
        generate.parse_size("lots")


def test_layout_is_like_data(small: Path):
    names = tree(small)
    assert "shared/organisaties.ttl" in names and "shared/jaarverslag-2015.ttl" in names
    assert any(n.startswith("2024/") for n in names)
    assert b"https://data.kenniscentrumvlaamsesteden.be" not in b"".join(names.values())  # base-relative


def test_generated_data_conforms_to_the_shapes(small: Path, project_settings):
    report = check_files(project_settings.replace(data_dir=small), [])
    assert report.count("Violation") == 0, report.text()[:3000]


def test_same_seed_same_bytes_other_seed_other_bytes(small: Path, tmp_path: Path):
    generate.generate(tmp_path / "again", 5000, seed=1)
    generate.generate(tmp_path / "other", 5000, seed=2)
    assert tree(tmp_path / "again") == tree(small)
    assert tree(tmp_path / "other") != tree(small)


def test_size_is_close_to_the_target(tmp_path: Path):
    import pyoxigraph as ox

    generate.generate(tmp_path / "d", 100_000, seed=3)  # small sizes overshoot: 240 sections hold one activity at least
    n = sum(len(list(ox.parse(path=str(p), format=ox.RdfFormat.TURTLE, base_iri="http://x/")))
            for p in (tmp_path / "d").rglob("*.ttl"))
    assert 95_000 <= n <= 115_000
