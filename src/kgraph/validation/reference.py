"""The reference engine: pyshacl, for shapes that kgraph's own evaluator does not cover (and
the yardstick its findings are tested against, tests/validation/test_engines.py)."""

from __future__ import annotations

from typing import Iterable

import pyoxigraph as ox
import pyshacl
import rdflib
from rdflib.namespace import SH

from kgraph.namespaces import all_prefixes
from kgraph.rdfconv import to_rdflib_graph
from kgraph.validation.findings import Finding, short_term
from kgraph.validation.shapes import localised_message


def _message(results: rdflib.Graph, shapes: rdflib.Graph, result: rdflib.term.Node, language: str) -> str:
    messages = list(results.objects(result, SH.resultMessage))
    sources = (results.value(result, SH.sourceShape), results.value(result, SH.sourceConstraint))
    found = localised_message(shapes, sources, messages, language)
    if found is not None:
        return found
    return str(messages[0]) if messages else ""


def findings_of_graph(data: rdflib.Graph, shapes: rdflib.Graph, language: str = "en") -> list[Finding]:
    """pyshacl's results on data (SHACL Core + SHACL-SPARQL) as findings, messages in language."""
    _, results, _ = pyshacl.validate(
        data,
        shacl_graph=shapes,
        advanced=True,
        inference="none",
        allow_warnings=True,
        abort_on_first=False,
    )
    findings = []
    for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        findings.append(Finding(
            severity=str(results.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
            focus=str(results.value(result, SH.focusNode)),
            path=short_term(results.value(result, SH.resultPath), data),
            value=short_term(results.value(result, SH.value), data),
            message=_message(results, shapes, result, language),
            shape=short_term(results.value(result, SH.sourceShape), shapes) or "",
        ))
    return findings


def pyshacl_findings(statements: Iterable[ox.Quad], shapes: rdflib.Graph, base: str,
                     language: str = "en") -> list[Finding]:
    """pyshacl's findings on the union of the statements' graphs, terms shortened with the
    dataset's prefixes."""
    data = to_rdflib_graph(statements)
    for prefix, namespace in all_prefixes(base).items():
        data.bind(prefix, namespace, replace=True)
    return findings_of_graph(data, shapes, language)
