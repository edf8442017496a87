"""The DCAT-AP catalogue (no HTTP): valid against the official DCAT-AP 3.0.1 shapes, and saying
the facts of the release (licence, one distribution per dump with its real size and checksum,
the SPARQL endpoint as a data service)."""

from __future__ import annotations

import hashlib

import pyoxigraph as ox
import pytest

from kgraph.metadata import build_catalogue, terms
from kgraph.metadata.dcat import dataset_description
from kgraph.query_source import StoreSource
from kgraph.metadata.validation import validate_catalogue

DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
SPDX = "http://spdx.org/rdf/terms#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

# The warnings DCAT-AP 3.0.1 still gives, each for a reason that adding data would not fix
# honestly (see the report in the test output):
#  - dct:publisher of the catalogue, the dataset, the five services (SPARQL, Linked Data, Graph Store, fragments,
#    event stream) and the municipality linkset:
#    the Kenniscentrum is not in the EU corporate-bodies NAL (mdr shape CorporateBodyRestriction,
#    severity Warning: "check if a corresponding exists"; none does, and saying it is in that
#    scheme would be false); 8 results.
#  - dct:Location Flanders without dcat:bbox and dcat:centroid (recommended): the report gives no
#    geometry, so none is invented; 2 results.
EXPECTED_WARNINGS = 10


def objects(triples, subject, predicate):
    return [t.object for t in triples if t.subject.value == subject and t.predicate.value == predicate]


def subjects_of_type(triples, cls):
    return [t.subject.value for t in triples if t.predicate.value == RDF_TYPE and t.object.value == cls]


def test_the_catalogue_conforms_to_dcat_ap_3_0_1(catalogue_triples, dcat_ap_shapes):
    findings = validate_catalogue(catalogue_triples, dcat_ap_shapes)
    print("\nDCAT-AP 3.0.1 validation of the catalogue:")
    for finding in findings:
        print("  " + finding.line())
    violations = [f for f in findings if f.severity == "Violation"]
    warnings = [f for f in findings if f.severity == "Warning"]
    assert violations == []
    # Every warning is one of the two known kinds, and there are no more of them than explained.
    for warning in warnings:
        publisher = warning.path == "dcterms:publisher"
        geometry = warning.focus == f"<{terms.FLANDERS}>" and warning.path in ("dcat:bbox", "dcat:centroid")
        assert publisher or geometry, warning.line()
    assert len(warnings) <= EXPECTED_WARNINGS


def test_the_validation_does_find_violations(catalogue_triples, dcat_ap_shapes):
    """The shapes really apply: a distribution without dcat:accessURL and a checksum with the
    plain-http SPDX algorithm IRI are both reported (the reason the catalogue uses https)."""
    broken = [t for t in catalogue_triples if t.predicate.value != DCAT + "accessURL"]
    violations = [f for f in validate_catalogue(broken, dcat_ap_shapes) if f.severity == "Violation"]
    assert any(f.path == "dcat:accessURL" for f in violations)
    http = [ox.Triple(t.subject, t.predicate, ox.NamedNode(terms.SHA256_HTTP))
            if t.predicate.value == SPDX + "algorithm" else t for t in catalogue_triples]
    assert any(f.severity == "Violation" for f in validate_catalogue(http, dcat_ap_shapes))


def test_licence_is_the_flemish_cc0_iri(catalogue_triples, built_release):
    base = built_release.manifest["base"]
    licence = "https://data.vlaanderen.be/id/licentie/creative-commons-zero-verklaring/v1.0"
    assert [o.value for o in objects(catalogue_triples, f"{base}catalog", DCT + "license")] == [licence]
    distributions = subjects_of_type(catalogue_triples, DCAT + "Distribution")
    assert distributions
    for distribution in distributions:
        assert [o.value for o in objects(catalogue_triples, distribution, DCT + "license")] == [licence]
    dataset = f"{base}id/dataset/kgraph"
    assert [o.value for o in objects(catalogue_triples, dataset, DCT + "accessRights")] == [
        "http://publications.europa.eu/resource/authority/access-right/PUBLIC"]


def test_one_distribution_per_dump_with_real_size_and_checksum(catalogue_triples, built_release):
    base = built_release.manifest["base"]
    # the whole graph's dumps, each linkset's (kgraph.metadata.linksets) and the network exports (issue 15)
    files = sorted(p for pattern in ("kgraph.*", "links-*", "network*") for p in built_release.dumps_path.glob(pattern)
                   if p.is_file())
    assert files, "the build wrote no dumps"
    by_url = {}
    for distribution in subjects_of_type(catalogue_triples, DCAT + "Distribution"):
        (url,) = objects(catalogue_triples, distribution, DCAT + "downloadURL")
        if "/ldes/release/" not in url.value:  # the change logs of the history (issue 13)
            by_url[url.value] = distribution
    assert sorted(by_url) == sorted(f"{base}dumps/{p.name}" for p in files)
    for path in files:
        distribution = by_url[f"{base}dumps/{path.name}"]
        (size,) = objects(catalogue_triples, distribution, DCAT + "byteSize")
        assert size.datatype.value.endswith("#nonNegativeInteger")
        assert int(size.value) == path.stat().st_size
        (checksum,) = objects(catalogue_triples, distribution, SPDX + "checksum")
        (value,) = objects(catalogue_triples, checksum.value, SPDX + "checksumValue")
        assert value.value == hashlib.sha256(path.read_bytes()).hexdigest()
        (algorithm,) = objects(catalogue_triples, checksum.value, SPDX + "algorithm")
        assert algorithm.value.endswith("checksumAlgorithm_sha256")
        (media,) = objects(catalogue_triples, distribution, DCAT + "mediaType")
        assert media.value.startswith("http://www.iana.org/assignments/media-types/")
        compress = objects(catalogue_triples, distribution, DCAT + "compressFormat")
        if path.suffix == ".gz":
            assert [c.value for c in compress] == ["http://www.iana.org/assignments/media-types/application/gzip"]
        else:
            assert compress == []
        assert objects(catalogue_triples, distribution, DCT + "format")


# Every interface (issue 12.4): node -> (endpoint URL, endpoint description, specification).
INTERFACES = {
    "sparql#service": ("sparql", "sparql", "https://www.w3.org/TR/sparql11-protocol/"),
    "catalog#linked-data": ("", ".well-known/void", "https://www.w3.org/DesignIssues/LinkedData.html"),
    "store#service": ("store", "sparql", "https://www.w3.org/TR/sparql11-http-rdf-update/"),
    "fragments#service": ("fragments", "fragments",
                          "https://linkeddatafragments.org/specification/triple-pattern-fragments/"),
    "ldes#service": ("ldes", "ldes", "https://w3id.org/ldes/specification"),
}


def test_every_interface_is_a_data_service(catalogue_triples, built_release):
    base = built_release.manifest["base"]
    services = subjects_of_type(catalogue_triples, DCAT + "DataService")
    assert sorted(services) == sorted(base + node for node in INTERFACES)
    for node, (endpoint, description, standard) in INTERFACES.items():
        service = base + node
        assert [o.value for o in objects(catalogue_triples, service, DCAT + "endpointURL")] == [base + endpoint]
        assert [o.value for o in objects(catalogue_triples, service, DCAT + "endpointDescription")] == [base + description]
        assert [o.value for o in objects(catalogue_triples, service, DCT + "conformsTo")] == [standard]
        assert DCT + "Standard" in {o.value for o in objects(catalogue_triples, standard, RDF_TYPE)}
        assert [o.value for o in objects(catalogue_triples, service, DCAT + "servesDataset")] == [f"{base}id/dataset/kgraph"]
        assert [o.value for o in objects(catalogue_triples, service, DCT + "identifier")] == [service]
    assert {o.value for o in objects(catalogue_triples, f"{base}catalog", DCAT + "service")} == set(services)


def test_dataset_coverage_themes_language_and_contact(catalogue_triples, built_release):
    base = built_release.manifest["base"]
    dataset = f"{base}id/dataset/kgraph"
    (period,) = objects(catalogue_triples, dataset, DCT + "temporal")
    assert [o.value for o in objects(catalogue_triples, period.value, DCAT + "startDate")] == ["2018-01-01"]
    assert [o.value for o in objects(catalogue_triples, period.value, DCAT + "endDate")] == ["2018-12-31"]
    assert [o.value for o in objects(catalogue_triples, dataset, DCT + "spatial")] == [terms.FLANDERS]
    themes = {o.value for o in objects(catalogue_triples, dataset, DCAT + "theme")}
    assert "http://publications.europa.eu/resource/authority/data-theme/GOVE" in themes
    languages = {o.value for o in objects(catalogue_triples, dataset, DCT + "language")}
    assert "http://publications.europa.eu/resource/authority/language/NLD" in languages
    assert objects(catalogue_triples, dataset, DCT + "identifier")
    assert objects(catalogue_triples, dataset, "http://www.w3.org/ns/adms#identifier")
    (contact,) = objects(catalogue_triples, dataset, DCAT + "contactPoint")
    vcard = "http://www.w3.org/2006/vcard/ns#"
    assert [o.value for o in objects(catalogue_triples, contact.value, vcard + "hasURL")] == [terms.PUBLISHER_SITE]
    # No e-mail address is known, so none is stated.
    assert objects(catalogue_triples, contact.value, vcard + "hasEmail") == []
    publisher = f"{base}id/organisatie/kenniscentrum-vlaamse-steden"
    assert [o.value for o in objects(catalogue_triples, dataset, DCT + "publisher")] == [publisher]
    assert objects(catalogue_triples, publisher, "http://xmlns.com/foaf/0.1/name")


def test_the_build_description_is_reused_without_dcterms_source(store, built_release):
    base = built_release.manifest["base"]
    description = dataset_description(StoreSource(store), base)
    assert description, "the build wrote no dataset description"
    assert all(t.predicate.value != DCT + "source" for t in description)
    triples = build_catalogue(base, built_release.manifest, description)
    modified = objects(triples, f"{base}id/dataset/kgraph", DCT + "modified")
    assert len(modified) == 1  # DCAT-AP: at most one


@pytest.mark.parametrize("base", ["https://data.kenniscentrumvlaamsesteden.be/", "http://example.org/kg/"])
def test_the_catalogue_follows_the_configured_base(base, built_release):
    triples = build_catalogue(base, built_release.manifest, [])
    assert f"{base}catalog" in subjects_of_type(triples, DCAT + "Catalog")
    urls = [t.object.value for t in triples if t.predicate.value == DCAT + "downloadURL"]
    assert urls and all(u.startswith((f"{base}dumps/", f"{base}ldes/")) for u in urls)
