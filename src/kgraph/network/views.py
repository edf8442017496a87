"""What the explorer shows, as JSON-ready dicts, from NetworkData and Filters (no HTTP here).

- network_view: the organisation graph (aggregated, see kgraph.network.aggregate) with measures;
- bipartite_view: organisations and the activities they took part in (top organisations only);
- timeline_view: activities per month by kind;
- organisation_panel: one organisation's activities (direct, and through the networks it is a
  member of, said apart), its partners ranked by shared activities, its measures;
- options: the values each filter can take, with labels.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from kgraph.network import aggregate, measures
from kgraph.network.extract import NetworkData
from kgraph.network.filters import Filters


def _label(data: NetworkData, iri: str, lang: str) -> str:
    for table in (data.organisations, data.activities, data.classes, data.themes, data.roles):
        if iri in table:
            return table[iri].label(lang)
    return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def options(data: NetworkData, lang: str) -> dict:
    """The values of every filter that occur in the data, with labels, sorted by label."""
    def listed(iris) -> list[dict]:
        return sorted(({"id": i, "label": _label(data, i, lang)} for i in set(iris)), key=lambda o: (o["label"].lower(), o["id"]))

    activities = data.activities.values()
    return {
        "year": sorted({a.year for a in activities if a.year is not None}),
        "kind": listed(k for a in activities for k in a.kinds),
        "theme": listed(t for a in activities for t in a.themes),
        "role": listed(r for a in data.associations for r in a.roles),
        "orgkind": listed(k for o in data.organisations.values() for k in o.kinds),
    }


def _measures(graph, filters: Filters, published: dict | None) -> dict:
    """The build's published measures for the whole network (the same numbers as the exports, and
    no betweenness or Louvain to recompute), else measures of the filtered graph."""
    if published and not filters.as_params() and all(node in published for node in graph.nodes):
        return published
    return measures.compute(graph)


def network_view(data: NetworkData, filters: Filters, lang: str, top: int = aggregate.DEFAULT_TOP,
                 published: dict | None = None) -> dict:
    """The organisation graph of the filtered network, aggregated to at most `top` organisations."""
    kept = filters.kept(data)
    graph = measures.organisation_graph(kept)
    computed = _measures(graph, filters, published)
    view = aggregate.view(graph, computed, data, lang, top=top)
    view["filters"] = filters.as_params()
    view["activities"] = len({a.activity for a in kept})
    return view


def bipartite_view(data: NetworkData, filters: Filters, lang: str, top: int = 60, per_organisation: int = 30) -> dict:
    """Organisations (the `top` by number of activities) and their activities, an edge per association."""
    kept = filters.kept(data)
    by_org: dict[str, list] = defaultdict(list)
    for association in kept:
        by_org[association.organisation].append(association)
    ranked = sorted(by_org, key=lambda o: (-len(by_org[o]), o))
    nodes, edges, seen = [], [], set()
    for org in sorted(ranked[:top]):
        nodes.append({"id": org, "label": data.organisations[org].label(lang), "side": "organisation",
                      "activities": len(by_org[org])})
        for association in by_org[org][:per_organisation]:
            if association.activity not in seen:
                seen.add(association.activity)
                activity = data.activities[association.activity]
                nodes.append({"id": activity.iri, "label": activity.label(lang), "side": "activity",
                              "kinds": list(activity.kinds)})
            edges.append({"source": org, "target": association.activity,
                          "roles": [_label(data, r, lang) for r in association.roles]})
    return {"nodes": nodes, "edges": edges, "filters": filters.as_params(),
            "left_out": {"organisations": max(len(ranked) - top, 0),
                         "associations": len(kept) - len(edges)}}


def timeline_view(data: NetworkData, filters: Filters, lang: str) -> dict:
    """Activities per month (of their first event) by kind; activities without a month counted apart."""
    activities = {a.activity for a in filters.kept(data)}
    counts: dict[int, Counter] = defaultdict(Counter)
    undated: Counter = Counter()
    for iri in sorted(activities):
        activity = data.activities[iri]
        kind = activity.kinds[0] if activity.kinds else ""
        (counts[activity.month] if activity.month else undated)[kind] += 1
    kinds = sorted({k for c in [*counts.values(), undated] for k in c})
    return {
        "kinds": [{"id": k, "label": _label(data, k, lang) if k else "—"} for k in kinds],
        "months": [{"month": m, "counts": {k: counts[m][k] for k in kinds if counts[m][k]}} for m in range(1, 13)],
        "without_month": {k: undated[k] for k in kinds if undated[k]},
        "filters": filters.as_params(),
    }


def organisation_panel(data: NetworkData, iri: str, filters: Filters, lang: str,
                       published: dict | None = None) -> dict | None:
    """One organisation in the filtered network; None if the data has no such organisation."""
    organisation = data.organisations.get(iri)
    if organisation is None:
        return None
    kept = filters.kept(data)
    graph = measures.organisation_graph(kept)
    computed = _measures(graph, filters, published) if iri in graph else {}
    direct = [a for a in kept if a.organisation == iri]
    direct_ids = {a.activity for a in direct}
    networks = data.memberships.get(iri, ())
    through = sorted({(a.activity, a.organisation) for a in kept
                      if a.organisation in networks and a.activity not in direct_ids})
    partners = []
    if iri in graph:
        for partner in graph.neighbors(iri):
            shared = graph.edges[iri, partner]["activities"]
            partners.append({"id": partner, "label": data.organisations[partner].label(lang), "shared": len(shared),
                             "activities": [{"id": a, "label": data.activities[a].label(lang)} for a in shared]})
    partners.sort(key=lambda p: (-p["shared"], p["label"].lower(), p["id"]))
    m = computed.get(iri)
    return {
        "id": iri,
        "label": organisation.label(lang),
        "kinds": [{"id": k, "label": _label(data, k, lang)} for k in organisation.kinds],
        "measures": None if m is None else {"degree": m.degree, "weighted_degree": m.weighted_degree,
                                             "betweenness": m.betweenness, "community": m.community},
        "activities": [{"id": a.activity, "label": data.activities[a.activity].label(lang),
                        "roles": [_label(data, r, lang) for r in a.roles], "via": None}
                       for a in sorted(direct, key=lambda a: data.activities[a.activity].label(lang).lower())],
        "through_networks": [{"id": activity, "label": data.activities[activity].label(lang),
                              "via": {"id": network, "label": data.organisations[network].label(lang)}}
                             for activity, network in sorted(through, key=lambda p: data.activities[p[0]].label(lang).lower())],
        "partners": partners,
        "filters": filters.as_params(),
    }


def ego_view(data: NetworkData, iri: str, filters: Filters, lang: str, href, top: int = 25) -> dict | None:
    """One organisation and its partners in the filtered network, for the per-organisation view:
    the `top` partners by shared activities as nodes (edge label: how many), the rest counted, so
    the hub's view stays readable. In the relationship view's JSON shape (nodes with category and
    href, edges from/to/label)."""
    if iri not in data.organisations:
        return None
    graph = measures.organisation_graph(filters.kept(data))
    partners = sorted(graph.neighbors(iri), key=lambda p: (-graph.edges[iri, p]["weight"], p)) if iri in graph else []
    shown = partners[:top]
    nodes = [{"id": iri, "label": data.organisations[iri].label(lang), "category": "organisatie", "center": True,
              "href": href(iri)}]
    edges = []
    for partner in shown:
        weight = graph.edges[iri, partner]["weight"]
        nodes.append({"id": partner, "label": data.organisations[partner].label(lang), "category": "organisatie",
                      "center": False, "href": href(partner), "shared": weight})
        edges.append({"from": iri, "to": partner, "label": str(weight), "weight": weight,
                      "roles": [], "activities": [data.activities[a].label(lang) for a in graph.edges[iri, partner]["activities"]]})
    return {"center": iri, "lang": lang, "nodes": nodes, "edges": edges, "filters": filters.as_params(),
            "left_out": {"partners": len(partners) - len(shown), "total_partners": len(partners)}}
