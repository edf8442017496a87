"""kgraph.fastvalidate gives exactly pyshacl's findings (validate.validate_quads) on the test
corpus: every shapes test case (with the ontology and the background graph), the real 2018
data, and a generated dataset; in both message languages; on a store of its own and on the
build's store of named graphs."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgraph import fastvalidate, prefilter, sources, validate
from kgraph.materialise import entailed_quads

ROOT = Path(__file__).resolve().parents[2]
CASES = sorted((ROOT / "tests" / "shapes" / "cases").glob("*.ttl"))
BACKGROUND = ROOT / "tests" / "shapes" / "background.ttl"


def quads_of(settings, files: list[Path]) -> list[ox.Quad]:
    """Ontology + files, each in its own named graph, plus what RDFS entails (as the build)."""
    found = [s for s in sources.discover(settings.ontology_dir, settings.data_dir, settings.base) if s.kind == "ontology"]
    found += [sources.Source(f, "data", sources.graph_iri(settings.base, "data", Path(f.name))) for f in files]
    quads = [q for _, qs in sources.parse_sources(found, settings.base) for q in qs]
    memory = ox.Store()
    memory.extend(quads)
    return quads + entailed_quads(memory, f"{settings.base}graph/inferred")


def key(f: validate.Finding) -> tuple:
    return (f.severity, f.focus, f.path or "", f.value or "", f.message, f.shape, f.sources)


def assert_same(settings, quads, language="en"):
    expected = validate.validate_quads(quads, settings.shapes_dir, settings.base, language=language)
    found = fastvalidate.validate_quads(quads, settings.shapes_dir, settings.base, language=language)
    assert sorted(found.findings, key=key) == sorted(expected.findings, key=key)
    assert found.conforms == expected.conforms
    # As the build calls it: on a store that keeps the named graphs, read as their union.
    store = ox.Store()
    store.extend(quads)
    on_store = fastvalidate.validate_quads(quads, settings.shapes_dir, settings.base, language=language, store=store)
    assert sorted(on_store.findings, key=key) == sorted(expected.findings, key=key)
    # As the build calls it at scale: SPARQL picks the suspects, which are checked as written.
    with tempfile.TemporaryDirectory() as folder:
        spool = Path(folder) / "spool.nq"
        ox.serialize(quads, output=spool, format=ox.RdfFormat.N_QUADS)
        literals = {q.object for q in quads if isinstance(q.object, ox.Literal)}
        prefiltered = prefilter.validate_prefiltered(store, spool, literals, settings.shapes_dir, settings.base,
                                                     language=language)
    assert sorted(prefiltered.findings, key=key) == sorted(expected.findings, key=key)


def test_there_is_a_corpus():
    assert len(CASES) > 10


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_same_findings_as_pyshacl_on_every_shapes_case(case: Path, project_settings):
    assert_same(project_settings, quads_of(project_settings, [BACKGROUND, case]))


def test_same_findings_on_all_cases_at_once_in_dutch(project_settings):
    assert_same(project_settings, quads_of(project_settings, [BACKGROUND, *CASES]), language="nl")


def test_same_findings_on_the_real_data(project_settings):
    found = sources.discover(project_settings.ontology_dir, project_settings.data_dir, project_settings.base)
    assert_same(project_settings, quads_of(project_settings, [s.path for s in found if s.kind == "data"]))


def test_same_findings_on_generated_data(project_settings, tmp_path):
    from benchmarks import generate

    generate.generate(tmp_path / "data", 3000, seed=7)
    assert_same(project_settings, quads_of(project_settings, sorted((tmp_path / "data").rglob("*.ttl"))))


def test_unsupported_features_are_refused_not_guessed(project_settings, tmp_path):
    shapes = tmp_path / "shapes"
    shapes.mkdir()
    (shapes / "x.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<ns/s> a sh:NodeShape ; sh:targetClass <http://www.w3.org/ns/prov#Activity> ; sh:closed true .\n")
    quads = quads_of(project_settings, [project_settings.data_dir / "2018" / "07-smart-flanders.ttl"])
    with pytest.raises(fastvalidate.Unsupported):
        fastvalidate.validate_quads(quads, shapes, project_settings.base)
