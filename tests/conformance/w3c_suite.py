"""Reading the W3C SPARQL test suites (../shared/standards/w3c-sparql-tests): manifests, queries, results."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import rdflib
from rdflib import RDF, Namespace
from rdflib.collection import Collection

SUITES = Path("/work/shared/standards/w3c-sparql-tests")
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
RS = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/result-set#")

SYNTAX_FOLDERS = ["sparql11/syntax-query", "sparql11/syntax-fed", "sparql11/syntax-update-1",
                  "sparql11/syntax-update-2", *(f"sparql10/syntax-sparql{i}" for i in range(1, 6))]


@dataclass(frozen=True)
class Entry:
    """One manifest entry: name, type (local name), the query or update file, data and result files."""

    folder: str
    name: str
    type: str
    query: Path
    data: tuple[Path, ...] = ()
    graph_data: tuple[Path, ...] = ()
    result: Path | None = None

    @property
    def id(self) -> str:
        return f"{self.folder}/{self.name}"

    @property
    def positive(self) -> bool:
        return "Negative" not in self.type

    @property
    def is_update(self) -> bool:
        return self.query.suffix == ".ru" or "Update" in self.type


def _path(node) -> Path:
    return Path(str(node).removeprefix("file://"))


def entries(folder: str) -> list[Entry]:
    """The entries of one folder's manifest.ttl that name a query or update file."""
    manifest_path = SUITES / folder / "manifest.ttl"
    graph = rdflib.Graph().parse(manifest_path, format="turtle", publicID=manifest_path.as_uri())
    found = []
    for manifest in graph.subjects(RDF.type, MF.Manifest):
        head = graph.value(manifest, MF.entries)
        for entry in Collection(graph, head) if head is not None else []:
            kind = str(graph.value(entry, RDF.type) or "").rsplit("#", 1)[-1]
            action = graph.value(entry, MF.action)
            if action is None:
                continue
            if isinstance(action, rdflib.URIRef):
                query, data, graph_data = _path(action), (), ()
            else:
                file = graph.value(action, QT.query) or graph.value(action, UT.request)
                if file is None:
                    continue
                query = _path(file)
                data = tuple(_path(d) for d in graph.objects(action, QT.data))
                graph_data = tuple(_path(d) for d in graph.objects(action, QT.graphData))
            result = graph.value(entry, MF.result)
            found.append(Entry(folder, str(graph.value(entry, MF.name) or entry), kind, query, data, graph_data,
                               _path(result) if isinstance(result, rdflib.URIRef) else None))
    return found


def evaluation_folders() -> list[str]:
    """Every folder of the two suites with a manifest of evaluation tests."""
    folders = []
    for manifest in sorted(SUITES.glob("sparql1*/*/manifest.ttl")):
        folder = str(manifest.parent.relative_to(SUITES))
        if folder not in SYNTAX_FOLDERS:
            folders.append(folder)
    return folders
