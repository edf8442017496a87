"""The validation engines give exactly pyshacl's findings on the test corpus: every shapes test
case (with the ontology and the background graph), the real 2018 data, and a generated
dataset; in both message languages; the set-wise evaluator on a store of its own and on the
build's store of named graphs, the prefiltered evaluator, and the one entry point the build
and `kgraph validate` call. Every engine's findings go through the same attribution, which
must place each of them in a file and line (tests/validation/test_attribution.py checks the
places themselves)."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgraph.build import inputs
from kgraph.build.materialise import entailed_quads
from kgraph.build.parse import parse_file
from kgraph.namespaces import all_prefixes
from kgraph.validation import Attribution, Graph, validate
from kgraph.validation import evaluator, prefilter, reference
from kgraph.validation.findings import report_of
from kgraph.validation.shapes import load_shapes_graph

ROOT = Path(__file__).resolve().parents[2]
CASES = sorted((ROOT / "tests" / "shapes" / "cases").glob("*.ttl"))
BACKGROUND = ROOT / "tests" / "shapes" / "background.ttl"


def sources_of(settings, files: list[Path]) -> list[inputs.Source]:
    """The ontology and files, each a source of its own named graph (as the build reads them)."""
    found = [s for s in inputs.discover(settings.ontology_dir, settings.data_dir, settings.base) if s.kind == "ontology"]
    return found + [inputs.Source(f, "data", inputs.graph_iri(settings.base, "data", Path(f.name))) for f in files]


def quads_of(settings, found: list[inputs.Source]) -> list[ox.Quad]:
    """The sources' statements, plus what RDFS entails (as the build)."""
    quads = [q for s in found for q in parse_file(s.path, settings.base, s.graph)]
    memory = ox.Store()
    memory.extend(quads)
    return quads + entailed_quads(memory, f"{settings.base}graph/inferred")


def assert_same(settings, found: list[inputs.Source], language="en"):
    """Every engine's report equals pyshacl's, attribution included; returns it."""
    base = settings.base
    quads = quads_of(settings, found)
    shapes = load_shapes_graph(settings.shapes_dir, base)
    store = ox.Store()  # as the build holds it: the named graphs, read as their union
    store.extend(quads)
    attribution = Attribution(store, {s.graph: s.path for s in found}, base, all_prefixes(base))
    expected = report_of(reference.pyshacl_findings(quads, shapes, base, language), attribution)
    alone = evaluator.evaluate(evaluator.store_of(quads), quads, shapes, base, language)
    on_store = evaluator.evaluate(store, quads, shapes, base, language, union=True)
    assert report_of(alone, attribution).findings == expected.findings
    assert report_of(on_store, attribution).findings == expected.findings
    with tempfile.TemporaryDirectory() as folder:
        spool = Path(folder) / "spool.nq"
        ox.serialize(quads, output=spool, format=ox.RdfFormat.N_QUADS)
        literals = {q.object for q in quads if isinstance(q.object, ox.Literal)}
        prefiltered = prefilter.prefiltered_findings(store, spool, literals, shapes, base, language)
        assert report_of(prefiltered, attribution).findings == expected.findings
        entry = validate(Graph(store, spool, literals), settings.shapes_dir, base, language, attribution)
    assert entry.findings == expected.findings
    assert entry.conforms == expected.conforms
    # the attribution is real: every finding on a node some file states is placed at a line
    stated = {str(q.subject) for q in quads if q.graph_name.value in {s.graph for s in found}}
    for finding in expected.findings:
        if not finding.focus.startswith("http") or f"<{finding.focus}>" not in stated:
            continue
        assert finding.sources, finding
        assert all(re.search(r"\.ttl:\d+$", place) for place in finding.sources), finding
    return expected


def test_there_is_a_corpus():
    assert len(CASES) > 10


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_same_findings_as_pyshacl_on_every_shapes_case(case: Path, project_settings):
    report = assert_same(project_settings, sources_of(project_settings, [BACKGROUND, case]))
    assert all(f.sources for f in report.findings), "every finding of a case is placed in a file"


def test_same_findings_on_all_cases_at_once_in_dutch(project_settings):
    assert_same(project_settings, sources_of(project_settings, [BACKGROUND, *CASES]), language="nl")


def test_same_findings_on_the_real_data(project_settings):
    found = inputs.discover(project_settings.ontology_dir, project_settings.data_dir, project_settings.base)
    report = assert_same(project_settings, found)
    assert report.conforms and report.count("Warning") > 0
    assert all(f.sources for f in report.findings)


def test_same_findings_on_generated_data(project_settings, tmp_path):
    from benchmarks import generate

    generate.generate(tmp_path / "data", 3000, seed=7)
    assert_same(project_settings, sources_of(project_settings, sorted((tmp_path / "data").rglob("*.ttl"))))


def test_unsupported_features_are_refused_not_guessed(project_settings, tmp_path):
    shapes = tmp_path / "shapes"
    shapes.mkdir()
    (shapes / "x.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<ns/s> a sh:NodeShape ; sh:targetClass <http://www.w3.org/ns/prov#Activity> ; sh:closed true .\n")
    quads = quads_of(project_settings, sources_of(project_settings, [project_settings.data_dir / "2018" / "07-smart-flanders.ttl"]))
    with pytest.raises(evaluator.Unsupported):
        evaluator.evaluate(evaluator.store_of(quads), quads, load_shapes_graph(shapes, project_settings.base),
                           project_settings.base)
