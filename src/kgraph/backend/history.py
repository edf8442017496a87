"""The release's history store in the engine: every version graph named by the release, as the data.

`kgraph publish` loads the history store (kgraph.build.history: one named graph per resource
version, 200 for the 2018 graph, 9,015 at 100k triples) into the engine, every version graph V as
`V#kgraph-release-<tag>` (kgraph.backend.naming), and all of them once more into the release's
history union graph, the default graph of /ldes/sparql (the embedded history store's default graph
is the union of its versions too). So many graphs are loaded as batched SPARQL Update requests
(an `INSERT { GRAPH <V'> { ... } } WHERE {}` per graph, about 1 MB of them per request) rather
than a Graph Store `PUT` each. Their list is kept in a
graph of its own (`urn:kgraph:history-graphs#kgraph-release-<tag>`), read once per release by a
server, not by every look at the pointer; the pointer only says the release has a history.
"""

from __future__ import annotations

import time
from io import BytesIO
from typing import Callable, Iterable

import pyoxigraph as ox

from kgraph.backend.client import EngineClient
from kgraph.backend.naming import GraphNames
from kgraph.sparql.errors import QueryError

HISTORY_UNION = "urn:kgraph:history"
LIST = "urn:kgraph:history-graphs"
P_VERSION_GRAPH = "urn:kgraph:versionGraph"
BATCH_BYTES = 1 << 20  # of update text per request: well inside what both engines take at once
BATCH_SECONDS = 300.0


def names_of(tag: str, versions: Iterable[str]) -> GraphNames:
    """The engine names of a release's version graphs (the default graph: the history union)."""
    return GraphNames.of(tag, versions, union=HISTORY_UNION)


def list_graph(tag: str) -> str:
    """The graph listing the release's version graphs (its engine names)."""
    return f"{LIST}{names_of(tag, []).suffix}"


def load(client: EngineClient, store: ox.Store, tag: str) -> tuple[GraphNames, dict[str, int]]:
    """Load a history store into the engine for `tag`: (its names, statements per engine graph
    as the release has them, the union's and the list's included)."""
    names = names_of(tag, [g.value for g in store.named_graphs()])
    expected: dict[str, int] = {}
    batch: list[str] = []
    size = 0
    union: list[bytes] = []
    for graph in names.public:
        triples = list(names.triples(store.quads_for_pattern(None, None, None, ox.NamedNode(graph))))
        body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
        union.append(body)
        expected[names.to_engine(graph)] = len(triples)
        # A template, not INSERT DATA: Virtuoso refuses blank nodes in DATA (SP031), and the
        # history has them (an activity's qualified associations); one graph per operation, as
        # Virtuoso fails on a template of several (kgraph.backend.updates).
        block = f"INSERT {{ GRAPH <{names.to_engine(graph)}> {{\n{body.decode()}}} }} WHERE {{}}"
        if batch and size + len(block) > BATCH_BYTES:
            _insert(client, batch)
            batch, size = [], 0
        batch.append(block)
        size += len(block)
    listing = "".join(f"<{g}> <{P_VERSION_GRAPH}> <{g}> .\n" for g in names.engine)
    batch.append(f"INSERT DATA {{ GRAPH <{list_graph(tag)}> {{\n{listing}}} }}")
    _insert(client, batch)
    client.put_graph(names.union, b"".join(union), deadline=time.monotonic() + BATCH_SECONDS)
    expected[names.union] = _distinct(store)
    expected[list_graph(tag)] = len(names.public)
    return names, expected


def _insert(client: EngineClient, blocks: list[str]) -> None:
    client.update(" ;\n".join(blocks), deadline=time.monotonic() + BATCH_SECONDS)


def _distinct(store: ox.Store) -> int:
    query = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"
    return int(next(iter(store.query(query)))["n"].value)


def read_names(client: EngineClient, tag: str, timeout: float = 60.0) -> GraphNames:
    """The names of the version graphs published for `tag` (from its list graph)."""
    body = BytesIO()
    client.query(f"SELECT ?g WHERE {{ ?g <{P_VERSION_GRAPH}> ?g }}", "application/sparql-results+xml", body,
                 deadline=time.monotonic() + timeout, default_graphs=[list_graph(tag)])
    end = names_of(tag, []).suffix
    graphs = [row["g"].value for row in ox.parse_query_results(body.getvalue(), ox.QueryResultsFormat.XML)]
    return names_of(tag, [g[: -len(end)] for g in graphs if g.endswith(end)])


def remove(client: EngineClient, tag: str, warn: Callable[[str], None]) -> int:
    """Drop a release's version graphs, its history union and list (batched DROP SILENT): how many."""
    try:
        names = read_names(client, tag)
    except QueryError as exc:  # a history that cannot be listed is left in the engine, and said so
        warn(f"could not list the history graphs of release {tag}: {exc}")
        return 0
    graphs = [*names.engine, names.union, list_graph(tag)]
    for start in range(0, len(graphs), 500):
        operations = " ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs[start:start + 500])
        client.update(operations, deadline=time.monotonic() + BATCH_SECONDS)
    return len(graphs)
