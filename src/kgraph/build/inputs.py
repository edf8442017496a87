"""The content files a build reads, and what decides its version and date.

Each Turtle file under the ontology and data folders is one source and becomes one named
graph; the shapes files decide the output too (the version hash covers them).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from kgraph import __version__
from kgraph.config import Settings

TURTLE_SUFFIX = ".ttl"


class SourceError(ValueError):
    """A content file cannot be read or parsed; the message starts with file:line:col."""

    def __init__(self, path: Path, line: int | None, column: int | None, message: str):
        self.path, self.line, self.column, self.message = path, line, column, message
        where = str(path)
        if line is not None:
            where += f":{line}:{column or 1}"
        super().__init__(f"{where}: {message}")

    def __reduce__(self):  # raised in a parse worker process, re-raised in the build's own
        return (SourceError, (self.path, self.line, self.column, self.message))


@dataclass(frozen=True)
class Source:
    """One content file and the named graph it becomes."""

    path: Path
    kind: str  # "ontology" or "data"
    graph: str  # IRI of its named graph

    @property
    def name(self) -> str:
        return self.path.name


def graph_iri(base: str, kind: str, relative: Path) -> str:
    """The named graph of a source: {base}graph/{kind}/{path without .ttl}."""
    stem = relative.with_suffix("").as_posix()
    return f"{base}graph/{kind}/{stem}"


def discover(ontology_dir: Path, data_dir: Path, base: str) -> list[Source]:
    """Every .ttl file under the ontology and data folders, in a stable order."""
    sources: list[Source] = []
    for kind, folder in (("ontology", ontology_dir), ("data", data_dir)):
        if not folder.is_dir():
            raise SourceError(folder, None, None, f"{kind} folder does not exist")
        for path in sorted(folder.rglob(f"*{TURTLE_SUFFIX}")):
            sources.append(Source(path, kind, graph_iri(base, kind, path.relative_to(folder))))
    return sources


def input_files(settings: Settings) -> list[Path]:
    """Every file whose content decides the build's output (for the version hash)."""
    files = [s.path for s in discover(settings.ontology_dir, settings.data_dir, settings.base)]
    files += sorted(settings.shapes_dir.rglob("*.ttl")) if settings.shapes_dir.is_dir() else []
    return files


def input_version(settings: Settings, files: list[Path]) -> str:
    """A hash of the base, kgraph's version and every input file's path and bytes."""
    digest = hashlib.sha256(f"kgraph {__version__}\nbase {settings.base}\n".encode())
    root = Path(os.path.commonpath([str(p.resolve()) for p in files])) if files else Path(".")
    for path in files:
        digest.update(f"{path.resolve().relative_to(root).as_posix()}\n".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def source_date(settings: Settings, files: list[Path]) -> dt.datetime:
    """When the input was last changed: the source_date_epoch setting (SOURCE_DATE_EPOCH, for
    reproducible builds) if set, else the newest input file's modification time. Never the
    wall clock, so dumps stay identical."""
    epoch = settings.source_date_epoch
    stamp = epoch if epoch is not None else int(max(p.stat().st_mtime for p in files))
    return dt.datetime.fromtimestamp(stamp, tz=dt.timezone.utc)
