"""SHACL validation of the graph against the project's shapes: one entry point (validate),
one finding and one report type, one attribution of findings to file:line.

validate, Graph and Attribution are imported when first used (PEP 562): the web layer reads
the shapes (kgraph.validation.shapes) and should not load the engines, pyshacl among them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kgraph.validation.findings import LANGUAGES, Finding, Report
from kgraph.validation.shapes import ShapesError

if TYPE_CHECKING:
    from kgraph.validation.attribution import Attribution
    from kgraph.validation.engine import Graph, validate

__all__ = ["Attribution", "Finding", "Graph", "LANGUAGES", "Report", "ShapesError", "validate"]


def __getattr__(name: str):
    if name in ("Graph", "validate"):
        from kgraph.validation import engine
        return getattr(engine, name)
    if name == "Attribution":
        from kgraph.validation.attribution import Attribution
        return Attribution
    raise AttributeError(f"module 'kgraph.validation' has no attribute {name!r}")
