"""`kgraph validate`: check content files against the shapes without building anything."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kgraph import sources
from kgraph.config import Settings
from kgraph.materialise import entailed_quads
from kgraph.validate import Report, sources_by_subject, validate_quads


def select_sources(settings: Settings, paths: list[Path]) -> list[sources.Source]:
    """The ontology plus the given data files and folders (all of data/ when none are given)."""
    found = sources.discover(settings.ontology_dir, settings.data_dir, settings.base)
    ontology = [s for s in found if s.kind == "ontology"]
    if not paths:
        return found
    chosen: list[sources.Source] = []
    for path in paths:
        if not path.exists():
            raise sources.SourceError(path, None, None, "no such file or folder")
        files = sorted(path.rglob(f"*{sources.TURTLE_SUFFIX}")) if path.is_dir() else [path]
        if path.is_dir() and not files:
            raise sources.SourceError(path, None, None, "folder holds no .ttl file")
        for file in files:
            try:
                relative = file.resolve().relative_to(settings.data_dir.resolve())
            except ValueError:
                relative = Path(file.name)
            chosen.append(sources.Source(file, "data", sources.graph_iri(settings.base, "data", relative)))
    return ontology + chosen


def check_files(settings: Settings, paths: list[Path], language: str = "en") -> Report:
    """Parse, materialise and validate; SourceError (file:line:col) on unreadable input."""
    selected = select_sources(settings, paths)
    parsed = [(str(s.path), quads) for s, quads in sources.parse_sources(selected, settings.base)]
    quads = [q for _, qs in parsed for q in qs]
    memory = ox.Store()
    memory.extend(quads)
    quads += entailed_quads(memory, f"{settings.base}graph/inferred")
    return validate_quads(quads, settings.shapes_dir, settings.base, sources_by_subject(parsed), language)
