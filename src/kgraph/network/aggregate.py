"""What the browser draws: at most `top` organisations, the rest collapsed into their communities.

At the 42 organisations of 2018 everything is drawn. At Flanders scale the server keeps the `top`
organisations by degree (ties: weighted degree, then IRI) and replaces every other organisation
by one node per community ("community 3: 120 more organisations"), with the edges between kept
nodes and collapsed nodes summed. The view says what it left out, so nothing disappears
silently.

The view is bounded in bytes as well as in nodes (issue 15 point 7: at most 1 MB for the default
view at 1M triples). 150 organisations can share thousands of edges (7,676 at 1M), each listing up
to 20 activities by IRI and label: 5.2 MB. So only the MAX_EDGES strongest edges are drawn (a
drawing of more is a hairball anyway), and activities are listed on the strongest edges first
until ACTIVITY_LISTING_BUDGET characters are spent; every edge keeps its weight, and the view counts
the edges and listed activities it left out. The selected organisation's panel lists every
activity and partner (organisation_panel), so nothing is lost to a reader.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from kgraph.network.extract import NetworkData
from kgraph.network.measures import Measures

DEFAULT_TOP = 150
MAX_EDGES = 1500
ACTIVITY_LISTING_BUDGET = 400_000  # characters of activity IRIs and labels listed on the edges of one view


def community_id(number: int) -> str:
    """The node id of a collapsed community."""
    return f"community:{number}"


def view(graph: nx.Graph, measures: dict[str, Measures], data: NetworkData, lang: str,
         top: int = DEFAULT_TOP, edge_activities: int = 20, max_edges: int = MAX_EDGES,
         listing_budget: int = ACTIVITY_LISTING_BUDGET) -> dict:
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
    shared: dict[tuple[str, str], tuple[str, ...]] = {}  # edges between two kept organisations
    for source, target, attributes in graph.edges(data=True):
        ends = tuple(sorted((community_id(collapsed[n]) if n in collapsed else n) for n in (source, target)))
        if ends[0] == ends[1]:
            continue  # inside one collapsed community: counted in its size, not drawn
        edge = edges.setdefault(ends, {"source": ends[0], "target": ends[1], "weight": 0, "activities": []})
        edge["weight"] += attributes["weight"]
        if source in kept and target in kept:
            shared[ends] = attributes["activities"]
    strongest = sorted(edges, key=lambda ends: (-edges[ends]["weight"], ends))
    drawn = strongest[:max_edges]
    budget, unlisted = listing_budget, 0
    for ends in drawn:  # the strongest edges get their activities listed first
        for activity in shared.get(ends, ())[:edge_activities]:
            label = data.activities[activity].label(lang)
            budget -= len(activity) + len(label) + 20
            if budget < 0:
                break
            edges[ends]["activities"].append({"id": activity, "label": label})
        unlisted += len(shared.get(ends, ())) - len(edges[ends]["activities"])
    dropped_edges = sum(1 for s, t in graph.edges if s in collapsed and t in collapsed)
    return {
        "nodes": nodes,
        "edges": [edges[key] for key in sorted(drawn)],
        "left_out": {
            "organisations": len(collapsed),
            "communities": len(sizes),
            "edges_inside_collapsed": dropped_edges,
            "edges_not_drawn": len(strongest) - len(drawn),
            "activities_not_listed": unlisted,
            "total_organisations": graph.number_of_nodes(),
            "total_edges": graph.number_of_edges(),
        },
    }
