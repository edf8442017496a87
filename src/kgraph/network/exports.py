"""The network's exports per release: GraphML, GEXF, CSV node and edge lists, bipartite edge list.

Every file is deterministic: nodes and edges in IRI order, measures from measures.compute (fixed
seed), floats at six decimals, no timestamps (GEXF's lastmodifieddate is the source date of the
data). Measures are columns / attributes of these files rather than a named graph: they are
derived numbers an analyst loads together with the network, and the RDF graph stays the curated
facts.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import networkx as nx

from kgraph.network.extract import NetworkData
from kgraph.network.measures import Measures

NODE_COLUMNS = ("id", "label_nl", "label_en", "kinds", "degree", "weighted_degree", "betweenness", "community")
EDGE_COLUMNS = ("source", "target", "weight", "activities", "activity_labels_nl", "activity_labels_en")
BIPARTITE_COLUMNS = ("organisation", "activity", "roles", "organisation_label_nl", "activity_label_nl", "activity_kinds")

FILES = {
    "network.graphml": "application/graphml+xml",
    "network.gexf": "application/gexf+xml",
    "network-nodes.csv": "text/csv",
    "network-edges.csv": "text/csv",
    "network-bipartite.csv": "text/csv",
}


def annotated(graph: nx.Graph, measures: dict[str, Measures], data: NetworkData) -> nx.Graph:
    """A copy of the organisation graph with labels, kinds and measures as attributes (for GraphML/GEXF)."""
    out = nx.Graph()
    for iri in sorted(graph.nodes):
        organisation, m = data.organisations[iri], measures[iri]
        out.add_node(iri, label=organisation.label_nl, label_nl=organisation.label_nl, label_en=organisation.label_en,
                     kinds=" ".join(organisation.kinds), degree=m.degree, weighted_degree=m.weighted_degree,
                     betweenness=m.betweenness, community=m.community)
    for source, target in sorted(tuple(sorted(e)) for e in graph.edges):
        attributes = graph.edges[source, target]
        out.add_edge(source, target, weight=attributes["weight"], activities=" ".join(attributes["activities"]))
    return out


def _csv(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def node_rows(graph: nx.Graph, measures: dict[str, Measures], data: NetworkData) -> list[list]:
    """The node list: header, then one row per organisation."""
    rows: list[list] = [list(NODE_COLUMNS)]
    for iri in sorted(graph.nodes):
        o, m = data.organisations[iri], measures[iri]
        rows.append([iri, o.label_nl, o.label_en, " ".join(o.kinds), m.degree, m.weighted_degree,
                     f"{m.betweenness:.6f}", m.community])
    return rows


def edge_rows(graph: nx.Graph, data: NetworkData) -> list[list]:
    """The edge list: header, then one row per pair of organisations with their shared activities."""
    rows: list[list] = [list(EDGE_COLUMNS)]
    for source, target in sorted(tuple(sorted(e)) for e in graph.edges):
        activities = graph.edges[source, target]["activities"]
        rows.append([source, target, len(activities), " ".join(activities),
                     " | ".join(data.activities[a].label_nl for a in activities),
                     " | ".join(data.activities[a].label_en for a in activities)])
    return rows


def bipartite_rows(data: NetworkData, associations) -> list[list]:
    """The bipartite edge list: one row per organisation taking part in an activity."""
    rows: list[list] = [list(BIPARTITE_COLUMNS)]
    for a in associations:
        activity = data.activities[a.activity]
        rows.append([a.organisation, a.activity, " ".join(a.roles), data.organisations[a.organisation].label_nl,
                     activity.label_nl, " ".join(activity.kinds)])
    return rows


def read_node_measures(path: Path) -> dict[str, Measures]:
    """The measures of a network-nodes.csv export, by organisation IRI."""
    with open(path, encoding="utf-8", newline="") as handle:
        return {row["id"]: Measures(int(row["degree"]), int(row["weighted_degree"]), float(row["betweenness"]),
                                    int(row["community"])) for row in csv.DictReader(handle)}


def graphml_bytes(graph: nx.Graph) -> bytes:
    """GraphML (networkx's writer; attribute keys in a fixed order)."""
    return "\n".join(nx.generate_graphml(graph, encoding="utf-8", prettyprint=True)).encode("utf-8") + b"\n"


def gexf_bytes(graph: nx.Graph, date: str) -> bytes:
    """GEXF 1.2 with the data's date instead of today's (so the bytes are reproducible)."""
    text = "\n".join(nx.generate_gexf(graph, encoding="utf-8", prettyprint=True, version="1.2draft")) + "\n"
    return re.sub(r'lastmodifieddate="[^"]*"', f'lastmodifieddate="{date}"', text, count=1).encode("utf-8")


def write_exports(folder: Path, graph: nx.Graph, measures: dict[str, Measures], data: NetworkData,
                  associations, date: str) -> dict[str, Path]:
    """Write every export into folder; the paths by file name."""
    folder.mkdir(parents=True, exist_ok=True)
    with_attributes = annotated(graph, measures, data)  # neither writer changes it
    contents = {
        "network.graphml": graphml_bytes(with_attributes),
        "network.gexf": gexf_bytes(with_attributes, date),
        "network-nodes.csv": _csv(node_rows(graph, measures, data)),
        "network-edges.csv": _csv(edge_rows(graph, data)),
        "network-bipartite.csv": _csv(bipartite_rows(data, associations)),
    }
    paths = {}
    for name, body in contents.items():
        paths[name] = folder / name
        paths[name].write_bytes(body)
    return paths
