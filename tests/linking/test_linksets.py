"""Issue 14 point 3: links are part of the graph, a void:Linkset per partner dataset in VoID and
the catalogue with a dump of its own, and shown on the /doc/ pages with the partner's name.

The published graph has one partner dataset: data.vlaanderen.be's municipalities (the central
cities' kg:municipality, besluit:werkingsgebied materialised from it, places'
schema:containedInPlace). A build of a copy of the data with links accepted from the partner
fixture (test data) shows a `kgraph link` partner going the same way.
"""

from __future__ import annotations

import shutil
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest

from kgraph.build import BuildError, build
from kgraph.linkeddata.common import Context
from kgraph.linkeddata.iris import Ref
from kgraph.linkeddata.resource import resource_page
from kgraph.linkeddata.vocab import Vocabulary
from kgraph.linking.review import accept
from kgraph.metadata import linksets
from kgraph.metadata.void import void
from kgraph.query_source import StoreSource

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
GEMEENTE = "https://data.vlaanderen.be/id/gemeente/"
ROOT = Path(__file__).resolve().parents[2]


def _get(url: str, accept_type: str = "text/turtle") -> bytes:
    request = urllib.request.Request(url, headers={"Accept": accept_type})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
        return response.read()


def _triples(turtle: bytes) -> list[ox.Triple]:
    return [q.triple for q in ox.parse(turtle, format=ox.RdfFormat.TURTLE)]


def _objects(triples, subject, predicate: str) -> set:
    return {t.object for t in triples if t.subject == subject and t.predicate.value == predicate}


def test_the_municipality_links_are_a_linkset_in_void_with_their_own_dump(live_2018, built_release):
    base = built_release.manifest["base"]
    triples = _triples(_get(f"{live_2018}/.well-known/void"))
    dataset = ox.NamedNode(f"{base}id/dataset/kgraph")
    (linkset,) = [o for o in _objects(triples, dataset, VOID + "subset")
                  if ox.Triple(o, RDF_TYPE, ox.NamedNode(VOID + "Linkset")) in triples
                  and o.value.endswith("#linkset-data-vlaanderen-gemeenten")]
    partner = ox.NamedNode(f"{base}id/dataset/data-vlaanderen-gemeenten")
    assert _objects(triples, linkset, VOID + "target") == {dataset, partner}
    assert _objects(triples, linkset, VOID + "objectsTarget") == {partner}
    assert _objects(triples, partner, VOID + "uriSpace") == {ox.Literal(GEMEENTE)}
    predicates = {p.value for p in _objects(triples, linkset, VOID + "linkPredicate")}
    assert predicates == {f"{base}ns/kgraph#municipality", "http://data.vlaanderen.be/ns/besluit#werkingsgebied",
                          "http://schema.org/containedInPlace"}
    (count,) = _objects(triples, linkset, VOID + "triples")
    (dump,) = _objects(triples, linkset, VOID + "dataDump")
    assert dump.value == f"{base}dumps/links-data-vlaanderen-gemeenten.nt"
    # the dump, served under /dumps/, holds exactly the links VoID counts: checked line by line
    lines = list(ox.parse(_get(f"{live_2018}/dumps/links-data-vlaanderen-gemeenten.nt", "*/*"),
                          format=ox.RdfFormat.N_TRIPLES))
    assert int(count.value) == len(lines) == 13 + 13 + 3
    assert all(q.subject.value.startswith(f"{base}id/") and q.object.value.startswith(GEMEENTE) for q in lines)
    store_links = {(q.subject, q.predicate, q.object) for q in built_release.open_store().quads_for_pattern(None, None, None, None)
                   if isinstance(q.object, ox.NamedNode) and q.object.value.startswith(GEMEENTE)}
    assert {(q.subject, q.predicate, q.object) for q in lines} == store_links


def test_the_linkset_is_a_dataset_of_the_catalogue(live_2018, built_release):
    base = built_release.manifest["base"]
    triples = _triples(_get(f"{live_2018}/catalog"))
    node = ox.NamedNode(f"{base}catalog#linkset-data-vlaanderen-gemeenten")
    assert node in _objects(triples, ox.NamedNode(f"{base}catalog"), DCAT + "dataset")
    assert ox.NamedNode(VOID + "Linkset") in _objects(triples, node, RDF_TYPE.value)
    assert {int(c.value) for c in _objects(triples, node, VOID + "triples")} == {29}
    distributions = _objects(triples, node, DCAT + "distribution")
    dumps = {d["file"]: d for d in built_release.manifest["linkset_dumps"]}
    assert set(dumps) == {"links-data-vlaanderen-gemeenten.nt", "links-data-vlaanderen-gemeenten.nt.gz"}
    by_url = {}
    for distribution in distributions:
        (url,) = _objects(triples, distribution, DCAT + "downloadURL")
        (size,) = _objects(triples, distribution, DCAT + "byteSize")
        by_url[url.value] = int(size.value)
    assert by_url == {f"{base}dumps/{name}": d["bytes"] for name, d in dumps.items()}


def test_a_page_names_the_partner_of_a_link(live_2018):
    page = _get(f"{live_2018}/doc/organisatie/gent", "text/html").decode()
    assert "Gent (NIS 44021), Gemeenten van het Vlaamse adressenregister (data.vlaanderen.be)" in page
    request = urllib.request.Request(f"{live_2018}/doc/organisatie/gent",
                                     headers={"Accept": "text/html", "Accept-Language": "en"})
    with urllib.request.urlopen(request, timeout=30) as response:
        english = response.read().decode()
    assert "Gent (NIS 44021), Municipalities of the Flemish address register (data.vlaanderen.be)" in english


@pytest.fixture(scope="module")
def data_with_partner_links(tmp_path_factory, project_settings):
    """A copy of the data with links accepted from a review of the partner fixture."""
    folder = tmp_path_factory.mktemp("partner-data")
    data = folder / "data"
    shutil.copytree(ROOT / "data", data)
    base = project_settings.base
    review = folder / "review.csv"
    review.write_text("# endpoint: http://127.0.0.1:9/sparql\n"
                      "our_iri,partner_iri,predicate,decision\n"
                      f"{base}id/organisatie/gent,http://partner.test/id/bestuur-gent,owl:sameAs,accept\n"
                      f"{base}id/organisatie/vlaio,http://partner.test/id/org-0999000101,skos:exactMatch,accept\n"
                      f"{base}id/organisatie/imec,http://partner.test/id/org-0999000102,skos:exactMatch,\n")
    accept(review, "partner-test", data / "links", base, title="Partner (test)")
    return data


def test_accepted_links_become_a_linkset_of_their_own(data_with_partner_links, project_settings, tmp_path):
    settings = project_settings.replace(data_dir=data_with_partner_links, build_dir=tmp_path / "build")
    release = build(settings, tmp_path / "build")
    source = StoreSource(release.open_store())
    found = {ls.ref: ls for ls in linksets.find(source, settings.base)}
    assert set(found) == {"data-vlaanderen-gemeenten", "partner-test"}
    partner = found["partner-test"]
    assert partner.uri_space == "http://partner.test/id/"
    assert dict(partner.predicates) == {"http://www.w3.org/2002/07/owl#sameAs": 1,
                                        "http://www.w3.org/2004/02/skos/core#exactMatch": 1}
    dump = (release.path / "dumps" / "links-partner-test.nt").read_text().splitlines()
    assert len(dump) == 2 and all("partner.test" in line for line in dump)
    # the page of Gent says "same as" with the partner's name
    ctx = Context(source, settings.base, Vocabulary.load(source))
    page = resource_page(ctx, Ref("organisatie", "gent"), "en")
    (links,) = [g for g in page.groups if g.key == "links"]
    shown = {(f.property.label, v.link.label, v.link.iri) for f in links.fields for v in f.values}
    assert shown == {("same as", "Partner (test): bestuur-gent", "http://partner.test/id/bestuur-gent")}
    described = void(source, settings.base, release.manifest)
    node = ox.NamedNode(partner.iri(settings.base))
    assert ox.Triple(node, ox.NamedNode(VOID + "triples"),
                     ox.Literal("2", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))) in described


def test_a_link_to_our_own_iri_fails_the_build_naming_the_file(data_with_partner_links, project_settings, tmp_path):
    bad = tmp_path / "data"
    shutil.copytree(data_with_partner_links, bad)
    with open(bad / "links" / "partner-test.ttl", "a") as out:
        out.write("<id/organisatie/leuven> owl:sameAs <id/organisatie/gent> .\n")
    settings = project_settings.replace(data_dir=bad, build_dir=tmp_path / "build")
    with pytest.raises(BuildError) as failed:
        build(settings, tmp_path / "build")
    text = str(failed.value)
    assert "LinkNotOwnShape" in text or "an IRI of this dataset itself" in text
    assert "partner-test.ttl:" in text
