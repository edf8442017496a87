"""Which release the engine serves: a pointer kept in the engine itself, in one small control graph.

    GRAPH <urn:kgraph:control> {
      <urn:kgraph:served> <urn:kgraph:tag> "95d36f72ef2b-20261202T033330123456Z" ;
                          <urn:kgraph:version> "95d36f72...";  <urn:kgraph:release> "20261202T...";
                          <urn:kgraph:graph> <https://.../graph/metadata#kgraph-release-95d3...>, ... }

`kgraph publish` replaces it with one SPARQL Update (a single DELETE/INSERT operation, atomic in
Oxigraph and in Virtuoso), so every `kgraph serve` replica on any machine sees the switch at
the same moment and pins each request to the tag it read. The control graph is never part of
a served dataset (the executor names the release's graphs explicitly).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from io import BytesIO

import pyoxigraph as ox

from kgraph.backend.client import EngineClient
from kgraph.backend.naming import GraphNames

CONTROL = "urn:kgraph:control"
SERVED = "urn:kgraph:served"
P_TAG, P_VERSION, P_RELEASE, P_GRAPH = "urn:kgraph:tag", "urn:kgraph:version", "urn:kgraph:release", "urn:kgraph:graph"
P_HISTORY = "urn:kgraph:history"  # "true" when the release's history store was published (kgraph.backend.history)


@dataclass(frozen=True)
class Pointer:
    """A published release: its tag, dataset version, release folder name and graphs."""

    tag: str
    version: str
    release: str
    names: GraphNames
    history: bool = False  # its history store is in the engine too


def read(client: EngineClient, timeout: float = 5.0) -> Pointer | None:
    """The pointer in the engine, or None if nothing was published there yet."""
    query = f"SELECT ?p ?o WHERE {{ <{SERVED}> ?p ?o }}"
    body = BytesIO()
    client.query(query, "application/sparql-results+xml", body, deadline=time.monotonic() + timeout,
                 default_graphs=[CONTROL])
    values: dict[str, list[str]] = {}
    for row in ox.parse_query_results(body.getvalue(), ox.QueryResultsFormat.XML):
        values.setdefault(row["p"].value, []).append(row["o"].value)
    if not values.get(P_TAG):
        return None
    tag = values[P_TAG][0]
    end = f"#kgraph-release-{tag}"

    public = [g[: -len(end)] for g in values.get(P_GRAPH, []) if g.endswith(end)]
    return Pointer(tag, values.get(P_VERSION, [""])[0], values.get(P_RELEASE, [""])[0], GraphNames.of(tag, public),
                   values.get(P_HISTORY, ["false"])[0] == "true")


def switch_update(tag: str, version: str, release: str, names: GraphNames, first: bool = False,
                  history: bool = False) -> str:
    """The one SPARQL Update that makes `tag` the served release: replacing the pointer there is,
    or (`first`) writing the first one. (A DELETE/INSERT whose WHERE is only an OPTIONAL over the
    empty control graph inserts nothing in Virtuoso 7, so the first pointer is INSERT DATA.)"""
    facts = [f"<{P_TAG}> {ox.Literal(tag)}", f"<{P_VERSION}> {ox.Literal(version)}", f"<{P_RELEASE}> {ox.Literal(release)}"]
    facts += [f"<{P_GRAPH}> <{g}>" for g in names.engine]
    facts += [f"<{P_HISTORY}> \"true\""] if history else []
    body = " ;\n    ".join(facts)
    if first:
        return f"INSERT DATA {{ GRAPH <{CONTROL}> {{ <{SERVED}> {body} }} }}"
    return (f"DELETE {{ GRAPH <{CONTROL}> {{ ?s ?p ?o }} }}\n"
            f"INSERT {{ GRAPH <{CONTROL}> {{ <{SERVED}> {body} }} }}\n"
            f"WHERE {{ GRAPH <{CONTROL}> {{ ?s ?p ?o }} }}")


def add_graphs(engine_graphs) -> str:
    """The update that records graphs an update made as the served release's (every replica's
    next look at the pointer, and every restart, then names them in its queries)."""
    facts = ", ".join(f"<{g}>" for g in engine_graphs)
    return f"INSERT DATA {{ GRAPH <{CONTROL}> {{ <{SERVED}> <{P_GRAPH}> {facts} }} }}"
