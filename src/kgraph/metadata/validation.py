"""Validating the catalogue against the official DCAT-AP 3.0.1 SHACL shapes.

The shapes are the files published by SEMIC, used unchanged: shapes.ttl (mandatory properties
and cardinalities), range.ttl (classes of values), mdr-vocabularies.shape.ttl (EU controlled
vocabularies) and shapes_recommended.ttl (recommended properties, as warnings). They are read
from a folder given by the caller (the repository keeps them in ../shared/standards/).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import rdflib
from pyshacl import validate

from kgraph.rdfconv import to_rdflib_graph

MANDATORY = ("shapes.ttl", "range.ttl", "mdr-vocabularies.shape.ttl")
RECOMMENDED = ("shapes_recommended.ttl",)
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class Finding:
    """One SHACL result: severity (Violation/Warning/Info), focus node, path, value, message."""

    severity: str
    focus: str
    path: str
    value: str
    message: str

    def line(self) -> str:
        return f"{self.severity}: {self.focus} {self.path} {self.value} -- {self.message}".replace("  ", " ")


def load_shapes(folder: Path, names: Iterable[str] = MANDATORY + RECOMMENDED) -> rdflib.Graph:
    """The named shapes files of folder in one graph; FileNotFoundError if one is missing."""
    graph = rdflib.Graph()
    for name in names:
        path = Path(folder) / name
        if not path.is_file():
            raise FileNotFoundError(f"{path}: DCAT-AP shapes file not found")
        graph.parse(path, format="turtle")
    return graph


def _text(graph: rdflib.Graph, node: rdflib.term.Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, rdflib.BNode):
        return "[]"
    return node.n3(graph.namespace_manager)


def validate_catalogue(triples: Iterable[ox.Triple], shapes: rdflib.Graph) -> list[Finding]:
    """Every SHACL result of the catalogue triples against shapes (no inference: the catalogue
    states the classes of its values itself, as DCAT-AP requires of exchanged metadata)."""
    data = to_rdflib_graph(triples)
    _, report, _ = validate(data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True)
    findings = []
    # Only the report's own results: the nested sh:detail results of an sh:node constraint carry
    # the severity of the inner shape, not of the constraint that reported them.
    for result in report.objects(report.value(predicate=rdflib.RDF.type, object=SH.ValidationReport), SH.result):
        severity = report.value(result, SH.resultSeverity)
        findings.append(Finding(
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            focus=_text(data, report.value(result, SH.focusNode)),
            path=_text(data, report.value(result, SH.resultPath)),
            value=_text(data, report.value(result, SH.value)),
            message=str(report.value(result, SH.resultMessage) or ""),
        ))
    return sorted(findings, key=lambda f: (f.severity, f.focus, f.path, f.value))
