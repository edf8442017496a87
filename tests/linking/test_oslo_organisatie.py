"""Issue 14 point 4: the organisations conform to the official OSLO Organisatie shapes, and the
ontology says in OSLO's terms what it said in its own (classification, identifier, public body).

The OSLO file is a draft that writes its cardinalities as strings ("1"): pyshacl refuses those, so
a copy is made here with them cast to xsd:integer; the file itself is never edited.
"""

from __future__ import annotations

import pyshacl
import pytest
import rdflib
from rdflib.namespace import SH, SKOS, XSD

from kgraph.rdfconv import to_rdflib_graph

ORG = rdflib.Namespace("http://www.w3.org/ns/org#")
ADMS = rdflib.Namespace("http://www.w3.org/ns/adms#")
M8G = rdflib.Namespace("http://data.europa.eu/m8g/")
BESLUIT = rdflib.Namespace("http://data.vlaanderen.be/ns/besluit#")
SCHEMA = rdflib.Namespace("http://schema.org/")
CARDINALITIES = (SH.minCount, SH.maxCount, SH.qualifiedMinCount, SH.qualifiedMaxCount)


@pytest.fixture(scope="module")
def oslo_shapes(shared_dir) -> rdflib.Graph:
    shapes = rdflib.Graph().parse(shared_dir / "standards" / "oslo-organisatie-2025" / "organisatie-SHACL.ttl")
    for prop in CARDINALITIES:
        for node, value in list(shapes.subject_objects(prop)):
            shapes.remove((node, prop, value))
            shapes.add((node, prop, rdflib.Literal(int(str(value)), datatype=XSD.integer)))
    return shapes


@pytest.fixture(scope="module")
def graph(store) -> rdflib.Graph:
    """The built graph as a consumer gets it: the union of the named graphs, inferred types included."""
    return to_rdflib_graph(store.quads_for_pattern(None, None, None, None))


def _violations(data: rdflib.Graph, shapes: rdflib.Graph) -> list[tuple]:
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=False)
    return [(report.value(r, SH.focusNode), report.value(r, SH.resultPath))
            for r in report.subjects(SH.resultSeverity, SH.Violation)]


def test_the_organisations_conform_to_the_oslo_shapes(graph, oslo_shapes):
    organisations = set(graph.subjects(rdflib.RDF.type, ORG.Organization))
    assert len(organisations) == 42
    assert _violations(graph, oslo_shapes) == []


def test_without_their_pref_labels_each_organisation_violates_them(graph, oslo_shapes):
    # the check is live: take the voorkeursnaam away and OSLO names every organisation (as on main)
    stripped = rdflib.Graph()
    for triple in graph:
        if not (triple[1] == SKOS.prefLabel and (triple[0], rdflib.RDF.type, ORG.Organization) in graph):
            stripped.add(triple)
    found = _violations(stripped, oslo_shapes)
    assert len(found) == 42
    assert {path for _, path in found} == {SKOS.prefLabel}


def test_kinds_are_classified_with_the_code_list(graph):
    kg = rdflib.Namespace(f"{_base(graph)}ns/kgraph#")
    pairs = {kg.Company: kg.kindCompany, kg.NonProfit: kg.kindNonProfit,
             kg.ResearchOrganisation: kg.kindResearchOrganisation, kg.GovernmentAgency: kg.kindGovernmentAgency}
    for cls, code in pairs.items():
        members = set(graph.subjects(rdflib.RDF.type, cls))
        assert members, cls
        assert members == set(graph.subjects(ORG.classification, code)), cls
        assert (code, SKOS.inScheme, kg.OrganisationKinds) in graph
        assert (code, rdflib.RDF.type, SKOS.Concept) in graph
    cities = set(graph.subjects(rdflib.RDF.type, kg.CentralCity))
    assert len(cities) == 13
    assert cities == set(graph.subjects(BESLUIT.classificatie, kg.kindCentralCity))


def test_nis_codes_are_adms_identifiers_issued_by_statbel(graph):
    kg = rdflib.Namespace(f"{_base(graph)}ns/kgraph#")
    codes = dict(graph.subject_objects(kg.nisCode))
    assert len(codes) == 13
    for city, code in codes.items():
        identifiers = list(graph.objects(city, ADMS.identifier))
        assert len(identifiers) == 1
        (identifier,) = identifiers
        assert (identifier, rdflib.RDF.type, ADMS.Identifier) in graph
        assert str(graph.value(identifier, SKOS.notation)) == str(code)
        assert str(graph.value(identifier, ADMS.schemaAgency)) == "Statbel"


def test_public_bodies_are_public_organisations_and_places_have_no_jurisdiction(graph):
    kg = rdflib.Namespace(f"{_base(graph)}ns/kgraph#")
    public = set(graph.subjects(rdflib.RDF.type, M8G.PublicOrganisation))
    expected = set(graph.subjects(rdflib.RDF.type, kg.LocalGovernment)) | set(graph.subjects(rdflib.RDF.type, kg.GovernmentAgency))
    assert public == expected and len(public) == 14 + 8  # 13 cities and the VGC; 8 agencies
    places = set(graph.subjects(rdflib.RDF.type, SCHEMA.Place))
    assert not [p for p in places if (p, kg.municipality, None) in graph]
    assert not [p for p in places if (p, BESLUIT.werkingsgebied, None) in graph]
    gemeente = rdflib.URIRef("https://data.vlaanderen.be/id/gemeente/24062")
    assert any((p, SCHEMA.containedInPlace, gemeente) in graph for p in places)


def test_kg_terms_state_their_oslo_alignment(graph):
    kg = rdflib.Namespace(f"{_base(graph)}ns/kgraph#")
    assert (kg.nisCode, SKOS.closeMatch, ADMS.identifier) in graph
    assert (kg.municipality, rdflib.RDFS.domain, kg.LocalGovernment) in graph
    for cls in (kg.Company, kg.NonProfit, kg.ResearchOrganisation, kg.GovernmentAgency, kg.CentralCity):
        comments = [str(c) for c in graph.objects(cls, rdflib.RDFS.comment)]
        assert any("classif" in c for c in comments), cls


def _base(graph: rdflib.Graph) -> str:
    (ontology,) = [s for s in graph.subjects(rdflib.RDF.type, rdflib.OWL.Ontology) if str(s).endswith("ns/kgraph")]
    return str(ontology)[: -len("ns/kgraph")]
