"""The one way kgraph validates a graph: the build's validate stage and `kgraph validate` both
call validate() here, which chooses the engine.

The engines, fastest first: SPARQL on the store picks the focus nodes that can fail and the
set-wise evaluator checks them (kgraph.validation.prefilter); for shapes SPARQL cannot
prefilter, the evaluator checks every focus node (kgraph.validation.evaluator); pyshacl
(kgraph.validation.reference) remains for shapes the evaluator does not cover. All three give
pyshacl's findings (tests/validation/test_engines.py), and the findings become a report in one
place (kgraph.validation.findings.report_of).
"""

from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pyoxigraph as ox

from kgraph.validation import evaluator, prefilter, reference
from kgraph.validation.findings import Finding, Report, report_of
from kgraph.validation.shapes import load_shapes_graph


@dataclass(frozen=True)
class Graph:
    """What is validated: a store whose named graphs, read as their union, are the graph; the
    same statements as written in an N-Quads file (the store normalises literals: "9.0" comes
    back as "9"); and the typed literals among them, as written."""

    store: ox.Store
    statements: Path
    literals: Iterable[ox.Literal]

    def read(self) -> Iterator[ox.Quad]:
        return ox.parse(path=str(self.statements), format=ox.RdfFormat.N_QUADS)


@contextmanager
def _quiet_rdflib() -> Iterator[None]:
    """rdflib logs a traceback for every ill-typed literal it converts ("2018-13-45"^^xsd:date);
    such a literal is a finding of the report, not a crash."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def default_workers() -> int:
    """Threads that answer the prefilter's queries: one per core, two at most (the build's
    dumps and release store are written by processes of their own meanwhile)."""
    return max(1, min(2, os.cpu_count() or 1))


def validate(graph: Graph, shapes_dir: Path, base: str, language: str = "en",
             attribute: Callable[[Finding], Finding] | None = None, workers: int | None = None) -> Report:
    """Validate graph against every shapes file of shapes_dir; messages in language, findings
    placed by attribute (kgraph.validation.attribution.Attribution) when the report's findings
    are read; workers threads (default_workers()) answer the prefilter's queries, 1 is serial.
    Raises ShapesError for shapes that cannot be read."""
    shapes = load_shapes_graph(shapes_dir, base)
    with _quiet_rdflib():
        try:
            findings = prefilter.prefiltered_findings(graph.store, graph.statements, graph.literals, shapes, base,
                                                      language, default_workers() if workers is None else workers)
        except evaluator.Unsupported:
            try:
                findings = evaluator.evaluate(graph.store, graph.read(), shapes, base, language, union=True)
            except evaluator.Unsupported:
                findings = reference.pyshacl_findings(graph.read(), shapes, base, language)
        return report_of(findings, attribute)
