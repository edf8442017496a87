"""The collaboration network (issue 15 points 1-3, 5): exports read back with networkx and compared
with SPARQL on the store, determinism, measures, aggregation, filters, the catalogue's
distributions, and one answer to "what did Gent take part in"."""

from __future__ import annotations

import csv
import io

import networkx as nx
import pytest

from kgraph.network import aggregate, exports, measures, views
from kgraph.network.extract import extract
from kgraph.network.filters import FilterError, Filters
from kgraph.query_source import StoreSource

BASE = "https://data.kenniscentrumvlaamsesteden.be/"
ORG = BASE + "id/organisatie/"

PAIRS = """
PREFIX kg: <https://data.kenniscentrumvlaamsesteden.be/ns/kgraph#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?a ?b (COUNT(DISTINCT ?activity) AS ?n) WHERE {
  ?activity a kg:Activity ; prov:wasAssociatedWith ?a , ?b .
  ?a a org:Organization . ?b a org:Organization .
  FILTER(STR(?a) < STR(?b))
} GROUP BY ?a ?b
"""


PARTICIPANTS = """
PREFIX kg: <https://data.kenniscentrumvlaamsesteden.be/ns/kgraph#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT DISTINCT ?org WHERE { [] a kg:Activity ; prov:wasAssociatedWith ?org . ?org a org:Organization }
"""


@pytest.fixture(scope="module")
def data(store):
    return extract(StoreSource(store), BASE)


@pytest.fixture(scope="module")
def dumps(built_release):
    return built_release.path / "dumps"


def _sparql_pairs(store) -> dict[tuple[str, str], int]:
    rows = store.query(PAIRS, use_default_graph_as_union=True)
    return {(r["a"].value, r["b"].value): int(r["n"].value) for r in rows}


def test_graphml_read_by_networkx_is_the_sparql_network(store, dumps):
    graph = nx.read_graphml(dumps / "network.graphml")
    pairs = _sparql_pairs(store)
    assert {tuple(sorted(e)) for e in graph.edges} == set(pairs)
    assert all(int(graph.edges[a, b]["weight"]) == n for (a, b), n in pairs.items())
    taking_part = store.query(PARTICIPANTS, use_default_graph_as_union=True)
    assert set(graph.nodes) == {r["org"].value for r in taking_part}  # alone in an activity: a node without edges
    hub = graph.nodes[ORG + "kenniscentrum-vlaamse-steden"]
    assert hub["label_nl"] == "Kenniscentrum Vlaamse Steden" and hub["label_en"] == "Knowledge Centre of Flemish Cities" and hub["degree"] == graph.degree(ORG + "kenniscentrum-vlaamse-steden")


def test_gexf_and_csv_say_the_same(store, dumps):
    gexf = nx.read_gexf(dumps / "network.gexf")
    pairs = _sparql_pairs(store)
    assert {tuple(sorted(e)) for e in gexf.edges} == set(pairs)
    edges = list(csv.DictReader(io.StringIO((dumps / "network-edges.csv").read_text())))
    assert {(r["source"], r["target"]): int(r["weight"]) for r in edges} == pairs
    assert all(len(r["activities"].split()) == int(r["weight"]) == len(r["activity_labels_nl"].split(" | ")) for r in edges)
    nodes = list(csv.DictReader(io.StringIO((dumps / "network-nodes.csv").read_text())))
    assert [n["id"] for n in nodes] == sorted(gexf.nodes)
    assert all(n["label_nl"] and n["label_en"] for n in nodes)
    bipartite = list(csv.DictReader(io.StringIO((dumps / "network-bipartite.csv").read_text())))
    graph = nx.Graph((r["organisation"], r["activity"]) for r in bipartite)
    projected = nx.bipartite.weighted_projected_graph(graph, [n["id"] for n in nodes])
    assert {tuple(sorted(e)): projected.edges[e]["weight"] for e in projected.edges} == pairs


def test_exports_are_deterministic(data, dumps, tmp_path):
    kept = Filters().kept(data)
    graph = measures.organisation_graph(kept)
    written = exports.write_exports(tmp_path, graph, measures.compute(graph), data, kept, "2018-12-31")
    for name, path in written.items():
        if name != "network.gexf":  # its date is the source date of the build (SOURCE_DATE_EPOCH)
            assert path.read_bytes() == (dumps / name).read_bytes(), name


def test_measures_match_networkx_on_the_graph(data):
    graph = measures.organisation_graph(Filters().kept(data))
    computed = measures.compute(graph)
    betweenness = nx.betweenness_centrality(graph)
    hub = ORG + "kenniscentrum-vlaamse-steden"
    assert computed[hub].degree == max(m.degree for m in computed.values())
    assert computed[hub].betweenness == round(betweenness[hub], 6) > 0
    assert computed[hub].weighted_degree == sum(graph.edges[hub, n]["weight"] for n in graph.neighbors(hub))
    communities = {m.community for m in computed.values()}
    assert communities == set(range(len(communities))) and len(communities) > 1
    assert measures.communities(graph) == measures.communities(graph.copy())  # seeded: the same every time


@pytest.mark.parametrize("nodes, edges", [(2, 1), (3, 2), (120, 400), (measures.EXACT_BETWEENNESS_UP_TO + 150, 2400)])
def test_betweenness_is_networkxs_exact_and_sampled(nodes, edges):
    # named nodes in an order that is not their sorted order, an isolated node, and (above
    # EXACT_BETWEENNESS_UP_TO) networkx's seeded sample of sources, which igraph must count alike
    graph = nx.relabel_nodes(nx.gnm_random_graph(nodes, edges, seed=7), lambda i: f"{ORG}o{(i * 7919) % nodes}")
    graph.add_node(ORG + "alone")
    if graph.number_of_nodes() > measures.EXACT_BETWEENNESS_UP_TO:
        expected = nx.betweenness_centrality(graph, k=measures.SAMPLED_SOURCES, seed=measures.SEED)
    else:
        expected = nx.betweenness_centrality(graph)
    found = measures.betweenness(graph)
    assert found.keys() == expected.keys()
    assert {n: round(v, 6) for n, v in found.items()} == {n: round(v, 6) for n, v in expected.items()}
    assert max(abs(found[n] - expected[n]) for n in graph) < 1e-12
    assert any(v > 0 for v in found.values()) == (nodes > 2)


def test_aggregation_keeps_top_and_says_what_it_left_out(data):
    view = views.network_view(data, Filters(), "nl", top=5)
    organisations = [n for n in view["nodes"] if not n.get("collapsed")]
    collapsed = [n for n in view["nodes"] if n.get("collapsed")]
    assert len(organisations) == 5 and ORG + "kenniscentrum-vlaamse-steden" in {n["id"] for n in organisations}
    assert view["left_out"]["organisations"] == sum(n["collapsed"] for n in collapsed) == view["left_out"]["total_organisations"] - 5
    assert all(e["source"] != e["target"] for e in view["edges"])
    whole = views.network_view(data, Filters(), "nl")
    assert whole["left_out"]["organisations"] == 0 and len(whole["nodes"]) == whole["left_out"]["total_organisations"]


def test_the_view_draws_the_strongest_edges_and_counts_what_it_left_out(data):
    whole = views.network_view(data, Filters(), "nl")
    graph = measures.organisation_graph(Filters().kept(data))
    computed = measures.compute(graph)
    small = aggregate.view(graph, computed, data, "nl", max_edges=5, listing_budget=300)
    weights = sorted((e["weight"] for e in whole["edges"]), reverse=True)
    assert len(small["edges"]) == 5 and sorted((e["weight"] for e in small["edges"]), reverse=True) == weights[:5]
    assert small["left_out"]["edges_not_drawn"] == len(whole["edges"]) - 5
    listed = [a for e in small["edges"] for a in e["activities"]]
    assert 0 < sum(len(a["id"]) + len(a["label"]) + 20 for a in listed) <= 300  # the listing budget holds
    assert small["left_out"]["activities_not_listed"] == sum(e["weight"] for e in small["edges"]) - len(listed)
    assert whole["left_out"]["edges_not_drawn"] == 0 == whole["left_out"]["activities_not_listed"]  # 2018: all of it


def test_the_default_view_stays_under_a_megabyte_at_flanders_scale():
    """A network shaped like the 1M benchmark's (2,600 organisations, 20,000 activities of 2-6
    organisations each: about 40,000 edges), with IRIs and labels as long as the real ones."""
    import json
    import random
    import zlib

    from kgraph.network.extract import Activity, Association, NetworkData, Organisation

    rng = random.Random(7)
    orgs = [f"{ORG}gegenereerde-organisatie-{i:05d}" for i in range(2600)]
    data = NetworkData(organisations={iri: Organisation(iri, f"Organisatie nummer {i} van Vlaanderen", f"Organisation {i}")
                                      for i, iri in enumerate(orgs)})
    hubs = orgs[:300]  # a few organisations take part in much, as the Kenniscentrum does
    for number in range(20_000):
        activity = f"{BASE}id/activiteit/gegenereerde-activiteit-{number:05d}"
        data.activities[activity] = Activity(activity, f"Studiedag over thema {number} in de centrumsteden", f"Study day {number}")
        members = set(rng.sample(hubs, 2)) | set(rng.sample(orgs, rng.randint(0, 4)))
        data.associations.extend(Association(activity, org) for org in sorted(members))
    graph = measures.organisation_graph(data.associations)
    degree = dict(graph.degree)
    # Ten communities by a stable hash (str hash() changes per process), no Louvain needed here.
    cheap = {n: measures.Measures(degree[n], int(graph.degree(n, weight="weight")), 0.0, zlib.crc32(n.encode()) % 10)
             for n in graph}
    view = aggregate.view(graph, cheap, data, "nl")
    body = json.dumps(view).encode()
    assert graph.number_of_edges() > 30_000 and len(view["nodes"]) <= aggregate.DEFAULT_TOP + 10
    assert len(view["edges"]) == aggregate.MAX_EDGES and view["left_out"]["edges_not_drawn"] > 0
    assert len(body) <= 1_048_576, len(body)


def test_filters_keep_only_what_they_name(data):
    trekker = BASE + "id/rol/trekker"
    kept = Filters(role=trekker).kept(data)
    assert kept and all(trekker in a.roles for a in kept)
    project = BASE + "ns/kgraph#Project"
    assert all(project in data.activities[a.activity].kinds for a in Filters(kind=project).kept(data))
    assert all(data.activities[a.activity].year == 2018 for a in Filters(year=2018).kept(data))
    city = BASE + "ns/kgraph#CentralCity"
    assert {a.organisation for a in Filters(orgkind=city).kept(data)} <= {o for o, x in data.organisations.items() if city in x.kinds}
    with pytest.raises(FilterError, match="'year'"):
        Filters.parse({"year": "twintig"})


def test_gent_direct_and_through_its_network_agree_with_the_named_query(data, store, project_settings):
    from kgraph.named_queries import load_catalogue
    from kgraph.querying import bindings_for, run

    panel = views.organisation_panel(data, ORG + "gent", Filters(), "nl")
    assert len(panel["activities"]) == 5 and len(panel["through_networks"]) == 5
    assert {a["via"]["id"] for a in panel["through_networks"]} == {ORG + "centrumsteden"}
    query = load_catalogue(project_settings.queries_dir)["activiteiten-van-stad"]
    rows = list(run(store, query.text(BASE), BASE, bindings_for(query, {}, BASE)))
    direct = {r["activity"].value for r in rows if r["via"] is None}
    through = {r["activity"].value for r in rows if r["via"] is not None}
    assert direct == {a["id"] for a in panel["activities"]}
    assert through == {a["id"] for a in panel["through_networks"]}


def test_catalogue_lists_the_exports_as_distributions(built_release):
    from kgraph.metadata.dcat import build_catalogue

    triples = build_catalogue(BASE, built_release.manifest, [])
    downloads = {t.object.value for t in triples if t.predicate.value.endswith("downloadURL")}
    assert {BASE + "dumps/" + name for name in exports.FILES} <= downloads


def test_explorer_shows_the_published_measures(live_2018, dumps):
    import requests

    published = exports.read_node_measures(dumps / "network-nodes.csv")
    view = requests.get(live_2018 + "/explore/data.json").json()
    shown = {n["id"]: (n["degree"], n["weighted_degree"], n["betweenness"], n["community"]) for n in view["nodes"]}
    assert shown == {iri: (m.degree, m.weighted_degree, m.betweenness, m.community) for iri, m in published.items()}
    panel = requests.get(live_2018 + "/explore/organisatie/gent.json").json()
    assert panel["measures"]["betweenness"] == published[ORG + "gent"].betweenness


def test_the_release_keeps_the_facts_the_build_read(built_release, data):
    """The explorer's facts are the build's (read once, in the build), equal to reading the store."""
    from kgraph.network.facts_file import FILE, read_facts

    assert read_facts(built_release.path / FILE) == data


def test_the_explorer_serves_the_release_facts_not_the_store_again(project_settings, tmp_path):
    """A read-only server takes the network from the release's facts file: with Gent taken out of
    that file (and only there), /explore no longer shows Gent; without the file it reads the store."""
    import dataclasses

    from kgraph.build import build
    from kgraph.network.facts_file import FILE, read_facts, write_facts
    from kgraph.web import create_app

    release = build(project_settings.replace(build_dir=tmp_path), tmp_path)
    gent = ORG + "gent"
    facts = read_facts(release.path / FILE)
    assert gent in facts.organisations
    without = dataclasses.replace(facts, organisations={k: v for k, v in facts.organisations.items() if k != gent},
                                  associations=[a for a in facts.associations if a.organisation != gent])

    def explored() -> str:
        app = create_app(project_settings.replace(build_dir=tmp_path), release.path, query_workers=1)
        try:
            response = app.test_client().get("/explore/data.json")
            assert response.status_code == 200
            return response.get_data(as_text=True)
        finally:
            app.extensions["kgraph"].executor.close()

    assert gent in explored()
    write_facts(without, release.path / FILE)
    assert gent not in explored()
    (release.path / FILE).unlink()
    assert gent in explored()  # no facts file (a release built before): read from the store
