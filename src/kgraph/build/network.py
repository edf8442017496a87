"""The network stage: the organisations' collaboration network, its measures (networkx) and its
exports (GraphML, GEXF, CSV), written beside the dumps of the release (kgraph.network).

It runs on the working store once validation has passed, in the build's own process, beside the
history stage in its own. Only the facts are read from the store (extract_facts); the measures
and exports work on those, so a build that worked in memory lets go of its store before them
(at 10M statements, 3 GB given back while the history stage needs memory). The files are
described in the manifest under "network" (name, media type, bytes, SHA-256), and the catalogue
lists them as distributions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pyoxigraph as ox

from kgraph.network import exports, measures
from kgraph.network.extract import NetworkData, extract
from kgraph.network.facts_file import write_facts
from kgraph.network.filters import Filters
from kgraph.query_source import StoreSource


def _describe(path: Path, media_type: str) -> dict:
    return {"file": path.name, "media_type": media_type, "encoding": None, "bytes": path.stat().st_size,
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}


def extract_facts(store: ox.Store, base: str) -> NetworkData:
    """The network's facts, read from the store (the only part of the stage that needs it)."""
    return extract(StoreSource(store), base)


def write_network(data: NetworkData, folder: Path, modified: dt.datetime,
                  facts: Path | None = None) -> tuple[dict, list[dict]]:
    """Compute the network of data (extract_facts) and write its exports into folder: (counts,
    file descriptions). The facts are kept at `facts` too, for the server's explorer."""
    if facts is not None:
        write_facts(data, facts)
    associations = Filters().kept(data)
    graph = measures.organisation_graph(associations)
    computed = measures.compute(graph)
    paths = exports.write_exports(folder, graph, computed, data, associations, modified.date().isoformat())
    files = [_describe(paths[name], media_type) for name, media_type in exports.FILES.items()]
    counts = {"organisations": graph.number_of_nodes(), "edges": graph.number_of_edges(),
              "communities": len({m.community for m in computed.values()})}
    return counts, files
