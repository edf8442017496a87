"""The content files a build reads, and parsing them with errors that say where.

Each Turtle file is one source and becomes one named graph. Files use IRIs relative to the
dataset's base, so parsing always resolves them against the configured base.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import pyoxigraph as ox

TURTLE_SUFFIX = ".ttl"


class SourceError(ValueError):
    """A content file cannot be read or parsed; the message starts with file:line:col."""

    def __init__(self, path: Path, line: int | None, column: int | None, message: str):
        self.path, self.line, self.column, self.message = path, line, column, message
        where = str(path)
        if line is not None:
            where += f":{line}:{column or 1}"
        super().__init__(f"{where}: {message}")


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


def _location(error: SyntaxError) -> tuple[int | None, int | None, str]:
    """Line, column and bare message of a pyoxigraph parser error."""
    message = str(error.msg if hasattr(error, "msg") else error)
    # pyoxigraph says "Parser error at line 3 between columns 1 and 4: A dot is expected"
    if ": " in message and message.startswith("Parser error"):
        message = message.split(": ", 1)[1]
    return getattr(error, "lineno", None), getattr(error, "offset", None), message


def parse_file(path: Path, base: str, graph: str | None = None) -> list[ox.Quad]:
    """All quads of a Turtle file, in graph (or the default graph); SourceError on bad input."""
    triples = parse_statements(path, base)
    if not graph:
        return triples
    target = ox.NamedNode(graph)
    return [ox.Quad(q.subject, q.predicate, q.object, target) for q in triples]


def parse_statements(path: Path, base: str) -> list[ox.Quad]:
    """All statements of a Turtle file, in the default graph; SourceError on bad input."""
    try:
        with open(path, "rb") as handle:
            return list(ox.parse(handle, format=ox.RdfFormat.TURTLE, base_iri=base))
    except OSError as exc:
        raise SourceError(path, None, None, f"cannot read file ({exc.strerror})") from None
    except SyntaxError as exc:
        line, column, message = _location(exc)
        raise SourceError(path, line, column, message) from None
    except UnicodeDecodeError as exc:
        raise SourceError(path, None, None, f"not UTF-8 text ({exc.reason})") from None


def parse_sources(sources: Iterable[Source], base: str) -> Iterator[tuple[Source, list[ox.Quad]]]:
    """Each source with its quads, parsed into the source's named graph."""
    for source in sources:
        yield source, parse_file(source.path, base, source.graph)
