"""SHACL validation of the graph against the project's shapes, with a readable report."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

import pyoxigraph as ox
import pyshacl
import rdflib
from rdflib.namespace import SH

from kgraph.namespaces import all_prefixes
from kgraph.rdfconv import to_rdflib_graph
from kgraph.shapes import load_shapes_graph, localised_message

SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass(frozen=True)
class Finding:
    """One SHACL result: where, what, and which source file states the focus node."""

    severity: str
    focus: str
    path: str | None
    value: str | None
    message: str
    shape: str
    sources: tuple[str, ...] = ()

    def describe(self) -> str:
        """A few lines for people: severity, focus node and its files, path, value, message."""
        lines = [f"{self.severity}: {self.focus}"]
        if self.sources:
            lines.append(f"  in:      {', '.join(self.sources)}")
        if self.path:
            lines.append(f"  path:    {self.path}")
        if self.value:
            lines.append(f"  value:   {self.value}")
        lines.append(f"  message: {self.message}")
        lines.append(f"  shape:   {self.shape}")
        return "\n".join(lines)


@dataclass
class Report:
    """All findings of a validation run; it conforms when there is no Violation."""

    findings: list[Finding] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not any(f.severity == "Violation" for f in self.findings)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def text(self) -> str:
        """The whole report as text, violations first."""
        blocks = [f.describe() for f in self.findings]
        summary = f"{self.count('Violation')} violation(s), {self.count('Warning')} warning(s)"
        return "\n\n".join([*blocks, summary]) if blocks else summary


def _short(term: rdflib.term.Node | None, graph: rdflib.Graph) -> str | None:
    if term is None:
        return None
    if isinstance(term, rdflib.URIRef):
        return term.n3(graph.namespace_manager)
    return str(term) if isinstance(term, rdflib.Literal) else term.n3()


def _message(results: rdflib.Graph, shapes: rdflib.Graph, result: rdflib.term.Node, language: str) -> str:
    messages = list(results.objects(result, SH.resultMessage))
    sources = (results.value(result, SH.sourceShape), results.value(result, SH.sourceConstraint))
    found = localised_message(shapes, sources, messages, language)
    if found is not None:
        return found
    return str(messages[0]) if messages else ""


def validate_graph(
    data: rdflib.Graph,
    shapes: rdflib.Graph,
    sources_of: Mapping[str, tuple[str, ...]] | None = None,
    language: str = "en",
) -> Report:
    """Validate data against shapes (SHACL Core + SHACL-SPARQL); messages in language."""
    _, results, _ = pyshacl.validate(
        data,
        shacl_graph=shapes,
        advanced=True,
        inference="none",
        allow_warnings=True,
        abort_on_first=False,
    )
    report = Report()
    seen: set[Finding] = set()
    for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        severity = str(results.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        finding = Finding(
            severity=severity,
            focus=str(focus),
            path=_short(results.value(result, SH.resultPath), data),
            value=_short(results.value(result, SH.value), data),
            message=_message(results, shapes, result, language),
            shape=_short(results.value(result, SH.sourceShape), shapes) or "",
            sources=tuple(({} if sources_of is None else sources_of).get(str(focus), ())),
        )
        if finding not in seen:  # one constraint component per broken facet would repeat it
            seen.add(finding)
            report.findings.append(finding)
    report.findings.sort(key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.sources, f.focus, f.shape, f.message))
    return report


def sources_by_subject(parsed: Iterable[tuple[str, Iterable[ox.Quad]]]) -> dict[str, tuple[str, ...]]:
    """For every IRI subject, the files that state something about it."""
    found: dict[str, dict[str, None]] = {}
    for name, quads in parsed:
        for quad in quads:
            if isinstance(quad.subject, ox.NamedNode):
                found.setdefault(quad.subject.value, {})[name] = None
    return {subject: tuple(files) for subject, files in found.items()}


def validate_quads(
    quads: list[ox.Quad],
    shapes_dir: Path,
    base: str,
    sources_of: Mapping[str, tuple[str, ...]] | None = None,
    language: str = "en",
) -> Report:
    """Validate quads (union of their graphs) against every shapes file of shapes_dir."""
    data = to_rdflib_graph(quads)
    for prefix, namespace in all_prefixes(base).items():
        data.bind(prefix, namespace, replace=True)
    return validate_graph(data, load_shapes_graph(shapes_dir, base), sources_of, language)
