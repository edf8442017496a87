"""The SHACL shapes, rule by rule: one small broken Turtle document per rule, with its outcome.

Every file in cases/ is validated (with the ontology and background.ttl, all parsed with the
base as base IRI) against the shapes of shapes/. Its header comments state the outcome exactly:

    # expect: conforms
    # expect: <Severity> <shape> [<constraint component>] "<substring of the English message>"

The set of (severity, source shape) pairs of the validation report must equal the expected
set; each expectation must be met by a result with that component (when given) and message.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pyshacl
import pytest
import rdflib
from rdflib.namespace import RDF, SH

from kgraph.validation.shapes import ShapesError, load_shapes_graph, load_shapes_text

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
SHAPES_DIR = ROOT / "shapes"
ONTOLOGY = ROOT / "ontology" / "kgraph.ttl"
BACKGROUND = HERE / "background.ttl"
CASES = sorted((HERE / "cases").glob("*.ttl"))
BASE = "https://data.kenniscentrumvlaamsesteden.be/"
OTHER_BASE = "http://localhost:8080/kg-test/"

SHAPES_NS = "ns/kgraph/shapes#"


@dataclass(frozen=True)
class Expectation:
    severity: str  # "Violation" or "Warning"
    shape: str  # local name in the shapes namespace, e.g. "EventStartDateShape"
    component: str | None  # local name in sh:, e.g. "MinCountConstraintComponent"
    message: str


def parse_expectations(path: Path) -> tuple[bool, list[Expectation]]:
    """(expects conforms-with-no-result, expectations) from the file's '# expect:' lines."""
    lines = [m.group(1) for m in re.finditer(r"^#\s*expect:\s*(.+)$", path.read_text(encoding="utf-8"), re.M)]
    assert lines, f"{path.name}: no '# expect:' line"
    if lines == ["conforms"]:
        return True, []
    found = []
    for line in lines:
        words = shlex.split(line)
        assert len(words) in (3, 4), f"{path.name}: cannot read expectation {line!r}"
        severity, shape, *component, message = words
        assert severity in ("Violation", "Warning"), f"{path.name}: unknown severity {severity!r}"
        assert shape.startswith("kgsh:"), f"{path.name}: shape must be kgsh:… in {line!r}"
        if component:
            assert component[0].startswith("sh:"), f"{path.name}: component must be sh:… in {line!r}"
        found.append(
            Expectation(severity, shape.removeprefix("kgsh:"), component[0].removeprefix("sh:") if component else None, message)
        )
    return False, found


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return load_shapes_graph(SHAPES_DIR, BASE)


@pytest.fixture(scope="module")
def ontology_and_background() -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(ONTOLOGY, format="turtle", publicID=BASE)
    graph.parse(BACKGROUND, format="turtle", publicID=BASE)
    return graph


def validate(data: rdflib.Graph, shapes: rdflib.Graph) -> tuple[bool, rdflib.Graph]:
    conforms, results, _ = pyshacl.validate(
        data, shacl_graph=shapes, advanced=True, inference="none", allow_warnings=True
    )
    return conforms, results


@dataclass(frozen=True)
class Result:
    severity: str
    shape: str
    component: str
    focus: str
    messages: tuple[rdflib.Literal, ...]


def results_of(report: rdflib.Graph, base: str) -> list[Result]:
    found = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        shape = report.value(r, SH.sourceShape)
        found.append(
            Result(
                severity=str(report.value(r, SH.resultSeverity)).removeprefix(str(SH)),
                shape=str(shape).removeprefix(base + SHAPES_NS) if isinstance(shape, rdflib.URIRef) else f"_:{shape}",
                component=str(report.value(r, SH.sourceConstraintComponent)).removeprefix(str(SH)),
                focus=str(report.value(r, SH.focusNode)),
                messages=tuple(report.objects(r, SH.resultMessage)),
            )
        )
    return found


def english(messages: tuple[rdflib.Literal, ...]) -> list[str]:
    """The English messages; SPARQL-based results lose their language tags in pyshacl, so
    untagged messages count too."""
    return [str(m) for m in messages if isinstance(m, rdflib.Literal) and m.language in ("en", None)]


def describe(results: list[Result]) -> str:
    return "\n".join(f"  {r.severity} {r.shape} {r.component} {r.focus} {english(r.messages)[:1]}" for r in results)


# --- the cases ---------------------------------------------------------------------------


def test_there_are_cases():
    assert CASES, "no cases in tests/shapes/cases/"
    assert (HERE / "cases" / "valid.ttl") in CASES
    broken = [c for c in CASES if c.name != "valid.ttl"]
    assert len(broken) >= 15


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_case(case: Path, shapes: rdflib.Graph, ontology_and_background: rdflib.Graph):
    expect_clean, expectations = parse_expectations(case)
    data = rdflib.Graph()
    data += ontology_and_background
    data.parse(case, format="turtle", publicID=BASE)
    conforms, report = validate(data, shapes)
    results = results_of(report, BASE)

    if expect_clean:
        assert conforms, f"{case.name} should conform:\n{describe(results)}"
        assert not results, f"{case.name} should raise nothing:\n{describe(results)}"
        return

    expected_pairs = {(e.severity, e.shape) for e in expectations}
    actual_pairs = {(r.severity, r.shape) for r in results}
    assert actual_pairs == expected_pairs, f"{case.name}: unexpected report:\n{describe(results)}"
    assert conforms == (not any(e.severity == "Violation" for e in expectations))
    for e in expectations:
        matching = [r for r in results if (r.severity, r.shape) == (e.severity, e.shape)]
        if e.component:
            assert any(r.component == e.component for r in matching), (
                f"{case.name}: no {e.component} result from {e.shape}:\n{describe(results)}"
            )
            matching = [r for r in matching if r.component == e.component]
        assert any(e.message in m for r in matching for m in english(r.messages)), (
            f"{case.name}: no English message containing {e.message!r} from {e.shape}:\n{describe(results)}"
        )


def test_background_alone_conforms_without_warnings(shapes, ontology_and_background):
    conforms, report = validate(ontology_and_background, shapes)
    results = results_of(report, BASE)
    assert conforms and not results, describe(results)


def test_shapes_do_not_depend_on_the_default_base():
    """Under another base, the valid case still conforms and a broken IRI is still caught."""
    shapes = load_shapes_graph(SHAPES_DIR, OTHER_BASE)
    data = rdflib.Graph()
    for path in (ONTOLOGY, BACKGROUND, HERE / "cases" / "valid.ttl"):
        data.parse(path, format="turtle", publicID=OTHER_BASE)
    conforms, report = validate(data, shapes)
    assert conforms and not results_of(report, OTHER_BASE), describe(results_of(report, OTHER_BASE))

    data.parse(HERE / "cases" / "dangling-link.ttl", format="turtle", publicID=OTHER_BASE)
    conforms, report = validate(data, shapes)
    assert not conforms
    assert {r.shape for r in results_of(report, OTHER_BASE)} == {"NoDanglingLinkShape"}


# --- the shapes graph itself ---------------------------------------------------------------


SHAPE_FILES = sorted(SHAPES_DIR.glob("*.ttl"))


def test_shapes_files_exist():
    assert SHAPE_FILES, "no shapes/*.ttl"


@pytest.mark.parametrize("path", SHAPE_FILES, ids=[p.name for p in SHAPE_FILES])
def test_shapes_file_never_names_the_base(path: Path):
    text = path.read_text(encoding="utf-8")
    assert "kenniscentrumvlaamsesteden.be" not in text


def test_every_shape_has_severity_and_messages_in_dutch_and_english(shapes: rdflib.Graph):
    ns = BASE + SHAPES_NS
    named = {
        s
        for t in (SH.NodeShape, SH.PropertyShape)
        for s in shapes.subjects(RDF.type, t)
        if isinstance(s, rdflib.URIRef) and str(s).startswith(ns)
    }
    assert len(named) >= 30
    for shape in named:
        assert shapes.value(shape, SH.severity) in (SH.Violation, SH.Warning), f"{shape}: no explicit sh:severity"
        languages = sorted(m.language for m in shapes.objects(shape, SH.message) if isinstance(m, rdflib.Literal))
        assert languages == ["en", "nl"], f"{shape}: messages in {languages}, want one nl and one en"
    # every property shape in use is named (so that reports say which rule failed)
    for prop in shapes.objects(None, SH.property):
        assert isinstance(prop, rdflib.URIRef) and prop in named, f"unnamed property shape {prop}"


def test_every_sparql_prefix_and_pattern_is_resolved(shapes: rdflib.Graph):
    for literal in [*shapes.objects(None, SH.select), *shapes.objects(None, SH.pattern), *shapes.objects(None, SH.namespace)]:
        assert "{base" not in str(literal), literal
    kg = [str(n) for d in shapes.objects(None, SH.declare) if str(shapes.value(d, SH.prefix)) == "kg" for n in [shapes.value(d, SH.namespace)]]
    assert kg == [BASE + "ns/kgraph#"]


# --- load_shapes_text and load_shapes_graph --------------------------------------------------


def test_load_shapes_text_replaces_both_tokens():
    text = 'sh:pattern "^{base_re}id/x$" ; sh:select "SELECT * { FILTER(STRSTARTS(STR(?o), \\"{base}id/\\")) }" .'
    out = load_shapes_text(text, "https://ex.org/kg/")
    assert out == (
        'sh:pattern "^https://ex\\\\.org/kg/id/x$" ; '
        'sh:select "SELECT * { FILTER(STRSTARTS(STR(?o), \\"https://ex.org/kg/id/\\")) }" .'
    )


def test_load_shapes_text_is_pure_without_tokens():
    text = '@prefix kg: <ns/kgraph#> .\nkg:x kg:y "{other} {basement} \\\\d" .\n'
    assert load_shapes_text(text, BASE) == text


@pytest.mark.parametrize(
    "base",
    [BASE, "http://localhost:8080/kg-test/", "https://ex.org/a+b/(c)/", "https://ex.org/path.with.dots/x$y/"],
)
def test_pattern_base_is_regex_escaped(base: str):
    """After substitution and parsing, the pattern matches the base literally and nothing else."""
    turtle = load_shapes_text(
        '@prefix sh: <http://www.w3.org/ns/shacl#> .\n<s> sh:pattern "^{base_re}id/[a-z]+$" .\n', base
    )
    graph = rdflib.Graph().parse(data=turtle, format="turtle", publicID=base)
    pattern = str(graph.value(rdflib.URIRef(base + "s"), SH.pattern))
    assert pattern == "^" + re.escape(base) + "id/[a-z]+$"
    assert re.search(pattern, base + "id/abc")
    # a dot of the base must not match any character
    tampered = base.replace(".", "X", 1)
    assert tampered == base or not re.search(pattern, tampered + "id/abc")
    assert not re.search(pattern, base + "id/ABC")


@pytest.mark.parametrize("bad", ["ftp://ex.org/", "ex.org/", 'https://ex.org/"x/', "https://ex .org/", "https://ex.org/{x}/"])
def test_load_shapes_text_rejects_unusable_base(bad: str):
    with pytest.raises(ValueError):
        load_shapes_text("x", bad)


def test_broken_shapes_file_is_named_with_its_line(tmp_path: Path):
    (tmp_path / "good.ttl").write_text('@prefix kgsh: <ns/kgraph/shapes#> .\nkgsh:a kgsh:b "c" .\n', encoding="utf-8")
    (tmp_path / "broken.ttl").write_text(
        '@prefix kgsh: <ns/kgraph/shapes#> .\n\nkgsh:a kgsh:b "c" ;\n    kgsh:d .\n', encoding="utf-8"
    )
    with pytest.raises(ShapesError) as caught:
        load_shapes_graph(tmp_path, BASE)
    message = str(caught.value)
    assert "broken.ttl:4" in message, message
    assert "good.ttl" not in message


def test_broken_regex_escape_in_a_shapes_file_is_named(tmp_path: Path):
    (tmp_path / "patterns.ttl").write_text(
        '@prefix sh: <http://www.w3.org/ns/shacl#> .\n<s> sh:pattern "^\\d+$" .\n', encoding="utf-8"
    )
    with pytest.raises(ShapesError, match=r"patterns\.ttl:2"):
        load_shapes_graph(tmp_path, BASE)


def test_empty_shapes_folder_is_an_error(tmp_path: Path):
    with pytest.raises(ShapesError, match="no shapes files"):
        load_shapes_graph(tmp_path, BASE)


def test_loaded_shapes_resolve_relative_iris_against_the_base(shapes: rdflib.Graph):
    assert (rdflib.URIRef(BASE + "ns/kgraph/shapes"), RDF.type, rdflib.OWL.Ontology) in shapes
    assert (rdflib.URIRef(BASE + "ns/kgraph/shapes"), rdflib.URIRef(BASE + SHAPES_NS + "idSpace"), rdflib.URIRef(BASE + "id/")) in shapes


def test_localised_message_recovers_the_language_of_sparql_results(shapes, ontology_and_background):
    from kgraph.validation.shapes import localised_message

    data = rdflib.Graph()
    data += ontology_and_background
    data.parse(HERE / "cases" / "city-wrong-municipality.ttl", format="turtle", publicID=BASE)
    _, report = validate(data, shapes)
    [result] = list(report.subjects(RDF.type, SH.ValidationResult))
    messages = tuple(report.objects(result, SH.resultMessage))
    sources = (report.value(result, SH.sourceShape), report.value(result, SH.sourceConstraint))
    english_text = localised_message(shapes, sources, messages, "en")
    dutch_text = localised_message(shapes, sources, messages, "nl")
    assert english_text and english_text.startswith("The kg:municipality") and "11002" in english_text
    assert dutch_text and dutch_text.startswith("De kg:municipality") and "11002" in dutch_text
    assert localised_message(shapes, sources, messages, "fr") is None
    tagged = (rdflib.Literal("x", lang="nl"), rdflib.Literal("y", lang="en"))
    assert localised_message(shapes, (), tagged, "en") == "y"
