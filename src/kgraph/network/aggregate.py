"""What the browser draws: at most `top` organisations, the rest collapsed into their communities.

At the 42 organisations of 2018 everything is drawn. At Flanders scale the server keeps the `top`
organisations by degree (ties: weighted degree, then IRI) and replaces every other organisation
by one node per community ("community 3: 120 more organisations"), with the edges between kept
nodes and collapsed nodes summed. The view says what it left out, so nothing disappears
silently.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from kgraph.network.extract import NetworkData
from kgraph.network.measures import Measures

DEFAULT_TOP = 150


def community_id(number: int) -> str:
    """The node id of a collapsed community."""
    return f"community:{number}"


def view(graph: nx.Graph, measures: dict[str, Measures], data: NetworkData, lang: str,
         top: int = DEFAULT_TOP, edge_activities: int = 20) -> dict:
    """The JSON-ready view: nodes, edges (weight, some shared activities) and what was left out."""
    ranked = sorted(graph.nodes, key=lambda n: (-measures[n].degree, -measures[n].weighted_degree, n))
    kept = set(ranked[:top])
    collapsed: dict[str, int] = {n: measures[n].community for n in ranked[top:]}
    nodes = []
    for iri in sorted(kept):
        organisation = data.organisations[iri]
        m = measures[iri]
        nodes.append({"id": iri, "label": organisation.label(lang), "kinds": list(organisation.kinds),
                      "degree": m.degree, "weighted_degree": m.weighted_degree,
                      "betweenness": m.betweenness, "community": m.community})
    sizes: dict[int, int] = defaultdict(int)
    for number in collapsed.values():
        sizes[number] += 1
    for number in sorted(sizes):
        nodes.append({"id": community_id(number), "label": f"+{sizes[number]}", "collapsed": sizes[number],
                      "community": number, "kinds": [], "degree": 0, "weighted_degree": 0, "betweenness": 0.0})
    edges: dict[tuple[str, str], dict] = {}
    for source, target, attributes in graph.edges(data=True):
        ends = tuple(sorted((community_id(collapsed[n]) if n in collapsed else n) for n in (source, target)))
        if ends[0] == ends[1]:
            continue  # inside one collapsed community: counted in its size, not drawn
        edge = edges.setdefault(ends, {"source": ends[0], "target": ends[1], "weight": 0, "activities": []})
        edge["weight"] += attributes["weight"]
        if source in kept and target in kept:
            edge["activities"] = [
                {"id": a, "label": data.activities[a].label(lang)} for a in attributes["activities"][:edge_activities]
            ]
    dropped_edges = sum(1 for s, t in graph.edges if s in collapsed and t in collapsed)
    return {
        "nodes": nodes,
        "edges": [edges[key] for key in sorted(edges)],
        "left_out": {
            "organisations": len(collapsed),
            "communities": len(sizes),
            "edges_inside_collapsed": dropped_edges,
            "total_organisations": graph.number_of_nodes(),
            "total_edges": graph.number_of_edges(),
        },
    }
