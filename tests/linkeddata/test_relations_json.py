"""The relationship view's data as JSON: the organisation, its activities, the organisations it
worked with there, edges with roles; checked against the store."""

from __future__ import annotations

BASE = "https://data.kenniscentrumvlaamsesteden.be/"
PREFIXES = "PREFIX prov: <http://www.w3.org/ns/prov#>\n"


def test_graph_json_around_gent(client, store):
    response = client.get("/graph/organisatie/gent.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    data = response.get_json()
    gent = BASE + "id/organisatie/gent"
    nodes = {node["id"]: node for node in data["nodes"]}
    assert data["center"] == gent and nodes[gent]["center"] is True
    assert nodes[gent]["label"] == "Stad Gent"
    # Activities: exactly those the store associates Gent with.
    query = PREFIXES + f"SELECT DISTINCT ?a WHERE {{ {{ ?a prov:wasAssociatedWith <{gent}> }} UNION {{ ?a prov:qualifiedAssociation/prov:agent <{gent}> }} }}"
    activities = {row["a"].value for row in store.query(query, use_default_graph_as_union=True)}
    assert activities
    assert {i for i, n in nodes.items() if n["category"] == "activiteit"} == activities
    # Edges with roles: Gent leads the databroker project.
    edges = {(e["from"], e["to"]): e for e in data["edges"]}
    assert edges[(gent, BASE + "id/activiteit/city-of-things-databroker")]["roles"] == ["trekker"]
    for source, target in edges:
        assert source in nodes and target in nodes
    # The organisations Gent worked with (Antwerpen also spoke at the study afternoon).
    partners = {i for i, n in nodes.items() if n["category"] == "organisatie" and not n["center"]}
    assert BASE + "id/organisatie/antwerpen" in partners
    # Every node links to its page on this host, and the page is there.
    for node in data["nodes"]:
        assert node["href"].startswith("http://localhost/doc/")
        assert client.get(node["href"].replace("http://localhost", ""), headers={"Accept": "text/html"}).status_code == 200


def test_graph_json_in_english_and_unknowns(client):
    data = client.get("/graph/organisatie/gent.json", headers={"Accept-Language": "en"}).get_json()
    assert data["lang"] == "en"
    assert "City of Ghent" in [n["label"] for n in data["nodes"]]
    assert "lead" in [role for e in data["edges"] for role in e["roles"]]
    assert client.get("/graph/organisatie/bestaat-niet.json").status_code == 404
