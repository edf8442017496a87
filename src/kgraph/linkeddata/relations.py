"""The relationship view: around one organisation, the activities it took part in and the
organisations (and people) it worked with there, with the roles each played."""

from __future__ import annotations

from collections import defaultdict

from kgraph.linkeddata.common import Context
from kgraph.linkeddata.iris import Ref, ref_of
from kgraph.linkeddata.models import GraphEdge, GraphNode, Link, RelationGraph
from kgraph.linkeddata.vocab import pick

ORGANIZATION = "http://www.w3.org/ns/org#Organization"

# Every association of every activity the organisation is associated with (plainly or qualified).
ASSOCIATIONS = """
SELECT DISTINCT ?activity ?agent ?role WHERE {{
  {{ SELECT DISTINCT ?activity WHERE {{
    {{ ?activity prov:wasAssociatedWith <{iri}> }}
    UNION {{ ?activity prov:qualifiedAssociation/prov:agent <{iri}> }}
  }} }}
  {{ ?activity prov:wasAssociatedWith ?agent }}
  UNION {{ ?activity prov:qualifiedAssociation ?q . ?q prov:agent ?agent . OPTIONAL {{ ?q prov:hadRole ?role }} }}
}}"""


def relation_graph(ctx: Context, ref: Ref, lang: str = "nl") -> RelationGraph | None:
    """The graph around an organisation, or None if the store does not describe it as one."""
    iri = ref.thing(ctx.base)
    if ref.category != "organisatie":
        return None
    # One (empty) solution if the resource is an organisation, none otherwise.
    if not ctx.source.select(f"SELECT * WHERE {{ <{iri}> a <{ORGANIZATION}> }} LIMIT 1"):
        return None
    rows = ctx.source.select(ctx.prologue() + ASSOCIATIONS.format(iri=iri))
    roles: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in rows:
        key = (row["agent"].value, row["activity"].value)
        roles.setdefault(key, set())
        if "role" in row:
            roles[key].add(row["role"].value)
    iris = {iri} | {a for a, _ in roles} | {act for _, act in roles} | {r for rs in roles.values() for r in rs}
    labels = ctx.labels(iris)

    def label(node: str) -> str:
        return pick(labels.get(node), lang) or ctx.vocab.label(node, lang)

    nodes: dict[str, GraphNode] = {iri: GraphNode(iri, label(iri), "organisatie", center=True)}
    for agent, activity in roles:
        for node in (activity, agent):
            if node not in nodes:
                found = ref_of(ctx.base, node)
                nodes[node] = GraphNode(node, label(node), found.category if found else None)
    edges = [
        GraphEdge(agent, activity, sorted(label(r) for r in role_iris))
        for (agent, activity), role_iris in sorted(roles.items())
    ]
    center = nodes[iri]
    ordered = [center] + sorted((n for n in nodes.values() if not n.center), key=lambda n: (n.category or "", n.label.casefold()))
    return RelationGraph(Link(iri, center.label, "organisatie"), lang, ordered, edges)


def graph_json(graph: RelationGraph, href) -> dict:
    """The relationship view as JSON: nodes and edges, each node with its canonical IRI and the
    address of its page on the serving host (`href(iri)` maps one to the other)."""
    return {
        "center": graph.center.iri,
        "lang": graph.lang,
        "nodes": [
            {"id": n.iri, "label": n.label, "category": n.category, "center": n.center, "href": href(n.iri)}
            for n in graph.nodes
        ],
        "edges": [
            {"from": e.source, "to": e.target, "roles": e.roles, "label": ", ".join(e.roles)}
            for e in graph.edges
        ],
    }
