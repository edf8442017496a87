"""The build: atomic, reproducible, staged, and its dumps readable by a real RDF parser."""

from __future__ import annotations

import gzip
import json
import time
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from kgraph import release
from kgraph.build import BuildError, SourceError, build, inputs, pipeline

ROOT = Path(__file__).resolve().parents[2]


def copy_project(tmp_path: Path, project_settings):
    """A private copy of the content folders, so a test may break them."""
    for name in ("ontology", "data", "shapes"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return project_settings.replace(
        ontology_dir=tmp_path / "ontology", data_dir=tmp_path / "data",
        shapes_dir=tmp_path / "shapes", build_dir=tmp_path / "build",
    )


def dump_bytes(rel: release.Release) -> dict[str, bytes]:
    files = sorted(rel.dumps_path.iterdir())
    assert files, "the build wrote no dumps"
    return {f.name: f.read_bytes() for f in files}


def test_same_input_gives_byte_identical_dumps(built_release, project_settings, tmp_path):
    again = build(project_settings.replace(build_dir=tmp_path), tmp_path)
    assert again.path != built_release.path
    assert dump_bytes(again) == dump_bytes(built_release)
    assert again.version == built_release.version


def test_on_disk_build_equals_in_memory_build(built_release, project_settings, tmp_path):
    # Above build_in_memory_quads, inference and validation run on the disk store instead.
    on_disk = build(project_settings.replace(build_dir=tmp_path, build_in_memory_quads=0), tmp_path)
    assert "quads on disk" in on_disk.manifest["stages"]["load"]
    assert "quads in memory" in built_release.manifest["stages"]["load"]
    assert dump_bytes(on_disk) == dump_bytes(built_release)
    assert on_disk.manifest["warnings"] == built_release.manifest["warnings"]
    served, expected = on_disk.open_store(), built_release.open_store()
    assert len(served) == len(expected) == built_release.manifest["quads"]
    # the in-memory build writes its release store in two parts (parsed, then materialised):
    # the same statements, blank node labels included, as the store the on-disk build worked on
    assert set(served) == set(expected)


def test_every_stage_reports_counts_and_time(project_settings, tmp_path):
    lines = []
    started = time.perf_counter()
    result = build(project_settings.replace(build_dir=tmp_path), tmp_path, progress=lambda s: lines.append(s))
    elapsed = time.perf_counter() - started
    assert [s.name for s in lines] == ["parse", "load", "materialise", "validate", "dumps", "network", "store", "history"]
    assert all(s.counts for s in lines)
    # the stages in this process run one after the other: their times add up to no more than
    # the build took (the store, dumps and history ran beside them, in processes of their own)
    here = {"parse", "load", "materialise", "validate", "network"}
    assert sum(s.seconds for s in lines if s.name in here) <= elapsed
    assert all(s.seconds <= elapsed for s in lines)
    # and the manifest records what was reported
    assert result.manifest["stages"] == {s.name: {"seconds": round(s.seconds, 3), **s.counts} for s in lines}
    assert lines[0].counts["triples"] > 1000
    assert "triples" in lines[0].line() and lines[0].line().rstrip().endswith("s")


@pytest.mark.parametrize("in_memory", [True, False])
def test_the_network_stage_lets_go_of_a_working_store_in_memory(project_settings, tmp_path, in_memory):
    # at 10M statements the working store is 4-5 GB, needed by the network's facts only: the
    # history stage, beside it, needs that memory (on disk, the store is the release's own)
    settings = project_settings.replace(build_dir=tmp_path, build_in_memory_quads=10 ** 9 if in_memory else 0)
    found = inputs.discover(settings.ontology_dir, settings.data_dir, settings.base)
    folder = tmp_path / "release"
    folder.mkdir()
    run = pipeline.start(settings, folder, found, "test")
    try:
        for stage in (run.parse, run.load, run.materialise, run.start_background, run.check, run.finish_dumps):
            stage()
        assert run.store is not None
        counts = run.network()
        assert (run.store is None) == in_memory and counts["organisations"] > 0
        assert (folder / "dumps" / "network.graphml").stat().st_size > 0
        run.finish_store()  # the release's store is complete either way
        assert run.store is None and len(ox.Store.read_only(str(folder / "store"))) > 1000
    except BaseException:
        run.abandon()
        raise


def test_syntax_error_leaves_previous_release_untouched(tmp_path, project_settings):
    settings = copy_project(tmp_path, project_settings)
    first = build(settings)
    before = dump_bytes(first)
    broken = settings.data_dir / "2018" / "zz-broken.ttl"
    broken.write_text("@prefix kg: <ns/kgraph#> .\n\n<id/activiteit/x> kg:p \"unterminated .\n")
    with pytest.raises(SourceError) as caught:
        build(settings)
    assert str(caught.value).startswith(f"{broken}:3:")
    assert release.load(settings.build_dir).path == first.path
    assert dump_bytes(release.load(settings.build_dir)) == before
    assert not list((settings.build_dir / "releases").glob(".partial-*"))


def test_violation_fails_the_build_and_keeps_the_previous_release(tmp_path, project_settings):
    settings = copy_project(tmp_path, project_settings)
    first = build(settings)
    bad = settings.data_dir / "2018" / "zz-violation.ttl"
    bad.write_text(
        "@prefix schema: <http://schema.org/> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<id/evenement/zonder-datum> a schema:Event ; rdfs:label \"Zonder datum\"@nl .\n"
    )
    with pytest.raises(BuildError) as caught:
        build(settings)
    assert caught.value.report is not None and not caught.value.report.conforms
    focus = {f.focus for f in caught.value.report.findings if f.severity == "Violation"}
    assert f"{settings.base}id/evenement/zonder-datum" in focus
    assert release.load(settings.build_dir).path == first.path
    assert not list((settings.build_dir / "releases").glob(".partial-*"))


@pytest.mark.parametrize(
    "name, fmt",
    [("kgraph.ttl", "turtle"), ("kgraph.nt", "nt"), ("kgraph.jsonld", "json-ld"),
     ("kgraph.nq", "nquads"), ("kgraph.trig", "trig")],
)
def test_dumps_parse_back_to_the_served_triples(built_release, name, fmt):
    path = built_release.dumps_path / name
    graph = rdflib.Dataset() if fmt in ("nquads", "trig") else rdflib.Graph()
    graph.parse(path, format=fmt)
    expected = built_release.manifest["quads" if fmt in ("nquads", "trig") else "triples"]
    assert len(graph) == expected
    unzipped = gzip.decompress((built_release.dumps_path / f"{name}.gz").read_bytes())
    assert unzipped == path.read_bytes()


def test_quad_dumps_keep_one_named_graph_per_source(built_release, project_settings):
    dataset = rdflib.Dataset()
    dataset.parse(built_release.dumps_path / "kgraph.trig", format="trig")
    graphs = {str(g.identifier) for g in dataset.graphs() if len(g)}
    sources = sorted(project_settings.data_dir.rglob("*.ttl"))
    assert len(sources) >= 25
    for path in sources:
        stem = path.relative_to(project_settings.data_dir).with_suffix("").as_posix()
        assert f"{project_settings.base}graph/data/{stem}" in graphs
    assert f"{project_settings.base}graph/ontology/kgraph" in graphs
    assert f"{project_settings.base}graph/inferred" in graphs


def test_jsonld_dump_has_a_readable_context(built_release, project_settings):
    document = json.loads((built_release.dumps_path / "kgraph.jsonld").read_text())
    context = document["@context"]
    assert context["organisatie"] == f"{project_settings.base}id/organisatie/"
    assert context["label"]["@container"] == "@language"
    text = json.dumps(document)
    assert '"organisatie:gent"' in text  # compacted IRIs, not only full ones


def test_manifest_describes_every_dump(built_release):
    described = {d["file"]: d for d in built_release.manifest["dumps"]}
    for path in built_release.dumps_path.glob("kgraph.*"):
        assert described[path.name]["bytes"] == path.stat().st_size
    assert len(described) == 10


def test_no_build_yet_is_a_clear_error(tmp_path):
    with pytest.raises(release.ReleaseError, match="kgraph build"):
        release.load(tmp_path)


def test_jsonld_dump_is_the_ntriples_dump(built_release):
    # The JSON-LD writer is kgraph's own (kgraph.build.jsonld): read back, it must be the same graph.
    from rdflib.compare import isomorphic

    ntriples = rdflib.Graph().parse(built_release.dumps_path / "kgraph.nt", format="nt")
    jsonld = rdflib.Graph().parse(built_release.dumps_path / "kgraph.jsonld", format="json-ld")
    assert len(ntriples) > 1000
    assert isomorphic(jsonld, ntriples)


def test_dumps_that_cannot_be_written_fail_the_build_cleanly(project_settings, tmp_path, monkeypatch):
    # No `sort` on the PATH: the dumps process fails; the build says why and leaves nothing.
    (tmp_path / "bin").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    out = tmp_path / "build"
    with pytest.raises(BuildError, match="dumps: cannot run sort"):
        build(project_settings.replace(build_dir=out), out)
    assert not list((out / "releases").glob(".partial-*"))
    assert not (out / "current").exists()


def test_source_date_epoch_dates_the_build(project_settings, tmp_path):
    settings = project_settings.replace(build_dir=tmp_path, source_date_epoch=1500000000)
    result = build(settings, tmp_path)
    assert result.manifest["source_date"] == "2017-07-14T02:40:00+00:00"
    assert b'"2017-07-14T02:40:00+00:00"' in (result.dumps_path / "kgraph.nt").read_bytes()
