"""The index reads the graph as it is modelled today and as the OSLO alignment may model it:
skos:prefLabel beside rdfs:label, NIS codes as adms:identifier/skos:notation, kinds as
org:classification concepts, the municipality as besluit:werkingsgebied. Real pyoxigraph stores."""

from __future__ import annotations

import pyoxigraph as ox

from kgraph.query_source import StoreSource
from kgraph.reconcile import ReconciliationIndex, extend, preview_html, reconcile_one
from kgraph.reconcile.extend import ExtendQuery
from kgraph.reconcile.queries import PropertyValue, Query

BASE = "https://example.org/"
PREFIXES = f"""
@prefix org: <http://www.w3.org/ns/org#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix adms: <http://www.w3.org/ns/adms#> .
@prefix besluit: <http://data.vlaanderen.be/ns/besluit#> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix kg: <{BASE}ns/kgraph#> . @prefix o: <{BASE}id/organisatie/> . @prefix c: <{BASE}id/concept/> .
"""
OSLO = PREFIXES + """
o:gent a org:Organization ; skos:prefLabel "Stad Gent"@nl ; rdfs:label "Stad Gent"@nl , "City of Ghent"@en ;
    skos:altLabel "Gent"@nl ; adms:identifier [ a adms:Identifier ; skos:notation "44021" ] ;
    org:classification c:centrumstad ; besluit:werkingsgebied <https://data.vlaanderen.be/id/gemeente/44021> .
c:centrumstad a skos:Concept ; skos:prefLabel "centrumstad"@nl , "central city"@en .
o:acme a org:Organization ; skos:prefLabel "Acme <b>& Co</b>"@nl ; org:classification c:bedrijf .
c:bedrijf a skos:Concept ; skos:prefLabel "bedrijf"@nl , "company"@en .
<https://example.org/id/activiteit/a1> a prov:Activity ; rdfs:label "Project"@nl ; prov:wasAssociatedWith o:gent , o:acme .
"""


def oslo_index() -> ReconciliationIndex:
    store = ox.Store()
    store.load(OSLO.encode(), ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(f"{BASE}graph/test"))
    return ReconciliationIndex.build(StoreSource(store), BASE)


def test_oslo_modelling_gives_the_same_index():
    index = oslo_index()
    gent = index.get(f"{BASE}id/organisatie/gent")
    assert gent.label("nl") == "Stad Gent" and gent.label("en") == "City of Ghent"
    assert gent.nis_codes == {"44021"}
    assert [k.label("nl") for k in gent.kinds] == ["centrumstad"]
    assert gent.municipalities == {"https://data.vlaanderen.be/id/gemeente/44021"}
    assert gent.activity_count == 1 and gent.partners == {f"{BASE}id/organisatie/acme"}
    [best, *_] = reconcile_one(index, Query("gemeente gent", properties=(PropertyValue("nisCode", ("44021",)),
                                                                        PropertyValue("kind", ("central city",)),
                                                                        PropertyValue("city", ("Ghent",)))))
    assert best["id"] == gent.iri and best["match"] and best["score"] == 100
    assert {f["id"]: f["value"] for f in best["features"]} == {"name": 98.0, "nisCode": True, "kind": True, "city": True}
    rows = extend(index, ExtendQuery((gent.iri,), ("nisCode", "kind", "city", "activityCount", "partner")))["rows"]
    assert rows[gent.iri] == {
        "nisCode": [{"str": "44021"}],
        "kind": [{"id": f"{BASE}id/concept/centrumstad", "name": "central city"}],
        "city": [{"id": "https://data.vlaanderen.be/id/gemeente/44021", "name": "Gent"}],
        "activityCount": [{"int": 1}],
        "partner": [{"id": f"{BASE}id/organisatie/acme", "name": "Acme <b>& Co</b>"}],
    }


def test_a_kind_that_disagrees_is_no_match():
    index = oslo_index()
    [best, *_] = reconcile_one(index, Query("Stad Gent", properties=(PropertyValue("kind", ("bedrijf",)),)))
    assert best["id"] == f"{BASE}id/organisatie/gent" and not best["match"] and best["score"] < 80


def test_markup_in_a_label_is_escaped_in_the_preview():
    index = oslo_index()
    html = preview_html(index, f"{BASE}id/organisatie/acme", "http://127.0.0.1/doc/organisatie/acme?x=\"<", "en")
    assert "<b>" not in html and "Acme &lt;b&gt;&amp; Co&lt;/b&gt;" in html
    assert 'href="http://127.0.0.1/doc/organisatie/acme?x=&quot;&lt;"' in html
    assert preview_html(index, f"{BASE}id/organisatie/nobody", "x", "en") is None
