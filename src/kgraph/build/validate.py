"""The validate stage: the graph as loaded and materialised, checked by kgraph.validation,
every finding placed at the content file and line it comes from."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from kgraph.build.inputs import Source
from kgraph.namespaces import all_prefixes
from kgraph.validation import Attribution, Graph, Report, validate


def validate_graph(store: ox.Store, spool: Path, literals: Iterable[ox.Literal], found: list[Source],
                   shapes_dir: Path, base: str, language: str = "en") -> Report:
    """Validate the named graphs of store (read as their union; spool holds the same statements
    as written, literals its typed literals); findings placed in the files of found."""
    attribution = Attribution(store, {s.graph: s.path for s in found}, base, all_prefixes(base))
    return validate(Graph(store, spool, literals), shapes_dir, base, language, attribution)
