"""The DCAT-AP 3.0.1 catalogue of kgraph, aiming at DCAT-AP Vlaanderen.

Generated when asked (the web app caches it per data version) from two things a release has:
the dataset's own description, written by the build into the graph {base}graph/metadata (see
kgraph.provenance), and the release manifest, which knows every dump's size and SHA-256 (known
only after the dumps are written, so the build's graph cannot hold them). Nothing is stored twice.

    {base}catalog                        dcat:Catalog
      dcat:dataset   {base}id/dataset/kgraph           dcat:Dataset (from the build)
        dcat:distribution {base}catalog#distribution-<file>   one per dump file
      dcat:service   {base}sparql#service              the SPARQL endpoint
      dcat:service   {base}catalog#linked-data         the Linked Data documents and fragments

IRIs are written with the configured base (the data's published identity), whichever host serves
the catalogue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from kgraph.metadata import terms as t
from kgraph.metadata.services import SERVICES, data_service, service_iri, standard_triples
from kgraph.metadata.history_catalogue import history_entries
from kgraph.query_source import QuerySource
from kgraph.provenance import dataset_iri

T = ox.Triple
L = ox.Literal

# What of the build's own dataset description goes into the catalogue. dcterms:source is left
# out on purpose: DCAT-AP gives it the range dcat:Dataset, and the build points it at the report
# (a schema:Report), which prov:wasDerivedFrom already says.
COPIED = {
    t.PREFIXES["rdf"] + "type",
    t.PREFIXES["rdfs"] + "label",
    t.PREFIXES["dcterms"] + "title",
    t.PREFIXES["dcterms"] + "description",
    t.PREFIXES["dcterms"] + "modified",
    t.PREFIXES["dcterms"] + "publisher",
    t.PREFIXES["dcterms"] + "license",
    t.PREFIXES["prov"] + "wasDerivedFrom",
    t.PREFIXES["prov"] + "generatedAtTime",
    t.PREFIXES["owl"] + "versionInfo",
}

CATALOG_TITLE = {
    "nl": "Catalogus van de open data van het Kenniscentrum Vlaamse Steden",
    "en": "Catalogue of the open data of the Kenniscentrum Vlaamse Steden",
}
CATALOG_DESCRIPTION = {
    "nl": "De datasets, downloads en diensten (SPARQL-endpoint, linked data) die het Kenniscentrum "
          "Vlaamse Steden publiceert, onder een CC0-licentie.",
    "en": "The datasets, downloads and services (SPARQL endpoint, linked data) the Kenniscentrum "
          "Vlaamse Steden publishes, under a CC0 licence.",
}
KEYWORDS = {
    "nl": ("centrumsteden", "Kenniscentrum Vlaamse Steden", "jaarverslag", "stedenbeleid", "linked open data"),
    "en": ("central cities", "Flemish cities", "annual report", "urban policy", "linked open data"),
}
FORMAT_NAMES = {"ttl": "Turtle", "nt": "N-Triples", "jsonld": "JSON-LD", "nq": "N-Quads", "trig": "TriG"}
FREQUENCY_ANNUAL = t.Concept(t.AUTHORITY + "frequency/ANNUAL", (("jaarlijks", "nl"), ("annual", "en")),
                             t.AUTHORITY + "frequency", ("dcterms:Frequency",))
FREQUENCY_SCHEME = t.Scheme(t.AUTHORITY + "frequency", "Frequency")


def catalog_iri(base: str) -> str:
    return f"{base}catalog"


def sparql_service_iri(base: str) -> str:
    # The same node the SPARQL service description calls sd:Service ({endpoint}#service).
    return f"{base}sparql#service"


def linked_data_service_iri(base: str) -> str:
    return f"{base}catalog#linked-data"


def distribution_iri(base: str, file: str) -> str:
    return f"{base}catalog#distribution-{file}"


def dump_url(base: str, file: str) -> str:
    return f"{base}dumps/{file}"


def dataset_description(source: QuerySource, base: str) -> list[ox.Triple]:
    """What the build wrote about the dataset, from the graph {base}graph/metadata."""
    query = (
        f"CONSTRUCT {{ <{dataset_iri(base)}> ?p ?o }} "
        f"WHERE {{ GRAPH <{base}graph/metadata> {{ <{dataset_iri(base)}> ?p ?o }} }}"
    )
    return [triple for triple in source.construct(query) if triple.predicate.value in COPIED]


def _texts(node: ox.NamedNode, prop: ox.NamedNode, texts: dict[str, str]) -> list[ox.Triple]:
    return [T(node, prop, L(text, language=lang)) for lang, text in texts.items()]


def _date_time(value: str) -> ox.Literal:
    """An xsd:dateTime literal from an ISO 8601 string (the manifest's dates)."""
    stamp = dt.datetime.fromisoformat(value)
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.UTC)
    return L(stamp.isoformat(), datatype=t.iri("xsd", "dateTime"))


def generated_at(manifest: dict[str, Any]) -> ox.Literal | None:
    """When the release was generated, as the build states it (prov:generatedAtTime of the
    dataset, kgraph.provenance): the input's source date, which SOURCE_DATE_EPOCH fixes, so a
    rebuild of the same input says the same time; else the manifest's wall-clock built_at."""
    value = manifest.get("source_date") or manifest.get("built_at")
    return _date_time(str(value)) if value else None


def _shared_nodes(base: str) -> list[ox.Triple]:
    """Publisher, contact point, licence, place, homepage and the vocabulary values used."""
    publisher = ox.NamedNode(f"{base}id/{t.PUBLISHER_REF}")
    contact = ox.NamedNode(f"{base}catalog#contact")
    licence = ox.NamedNode(t.LICENCE)
    flanders = ox.NamedNode(t.FLANDERS)
    site = ox.NamedNode(t.PUBLISHER_SITE)
    sha256 = ox.NamedNode(t.SHA256)
    triples = [
        # DCAT-AP: an Agent needs foaf:name; dct:type from the ADMS publisher types is recommended.
        T(publisher, t.RDF_TYPE, t.iri("foaf", "Agent")),
        T(publisher, t.RDF_TYPE, t.iri("dcterms", "Agent")),  # the class DCAT-AP Vlaanderen asks for
        T(publisher, t.RDF_TYPE, t.iri("foaf", "Organization")),
        T(publisher, t.iri("foaf", "name"), L("Kenniscentrum Vlaamse Steden", language="nl")),
        T(publisher, t.iri("foaf", "name"), L("Knowledge Centre of Flemish Cities", language="en")),
        T(publisher, t.iri("dcterms", "type"), ox.NamedNode(t.NON_PROFIT.iri)),
        T(publisher, t.iri("foaf", "homepage"), site),
        # No e-mail address is known (the report prints none), so none is invented: the contact
        # point is the organisation's name and its website.
        T(contact, t.RDF_TYPE, t.iri("vcard", "Kind")),
        T(contact, t.RDF_TYPE, t.iri("vcard", "Organization")),
        T(contact, t.iri("vcard", "fn"), L("Kenniscentrum Vlaamse Steden", language="nl")),
        T(contact, t.iri("vcard", "hasURL"), site),
        T(site, t.RDF_TYPE, t.iri("foaf", "Document")),
        T(licence, t.RDF_TYPE, t.iri("dcterms", "LicenseDocument")),
        T(licence, t.iri("dcterms", "type"), ox.NamedNode(t.PUBLIC_DOMAIN.iri)),
        T(licence, t.iri("rdfs", "label"), L("Creative Commons Zero-verklaring", language="nl")),
        T(licence, t.iri("rdfs", "label"), L("Creative Commons Zero declaration", language="en")),
        T(flanders, t.RDF_TYPE, t.iri("dcterms", "Location")),
        T(flanders, t.iri("rdfs", "label"), L("Vlaanderen", language="nl")),
        T(flanders, t.iri("rdfs", "label"), L("Flanders", language="en")),
        T(ox.NamedNode(base), t.RDF_TYPE, t.iri("foaf", "Document")),
        T(sha256, t.RDF_TYPE, t.iri("spdx", "ChecksumAlgorithm")),
        T(sha256, t.iri("owl", "sameAs"), ox.NamedNode(t.SHA256_HTTP)),
    ]
    ontology = ox.NamedNode(f"{base}ns/kgraph")
    triples += [T(ontology, t.RDF_TYPE, t.iri("dcterms", "Standard")),
                T(ontology, t.iri("dcterms", "title"), L("kgraph ontology", language="en")),
                *standard_triples(base)]
    concepts = [*t.LANGUAGES.values(), *t.THEMES, t.PUBLIC, t.STABLE, t.PUBLIC_DOMAIN, t.NON_PROFIT,
                *t.FILE_TYPES.values(), FREQUENCY_ANNUAL]
    for concept in concepts:
        triples += t.concept_triples(concept)
    for scheme in (*t.SCHEMES.values(), FREQUENCY_SCHEME):
        triples += t.scheme_triples(scheme)
    return triples


def _distribution(base: str, dump: dict[str, Any], modified: ox.Literal,
                  content: dict[str, str] | None = None) -> list[ox.Triple]:
    """One dcat:Distribution for a dump file described in the manifest; content (nl, en) says
    what the file holds (default: the whole knowledge graph)."""
    file = str(dump["file"])
    node = ox.NamedNode(distribution_iri(base, file))
    url = ox.NamedNode(dump_url(base, file))
    extension = file.removesuffix(".gz").rsplit(".", 1)[-1]
    name = FORMAT_NAMES.get(extension, extension)
    gzipped = dump.get("encoding") == "gzip"
    packed = {"nl": ", gzip-gecomprimeerd", "en": ", gzip-compressed"} if gzipped else {"nl": "", "en": ""}
    what = content or {"nl": "De volledige kennisgraaf", "en": "The whole knowledge graph"}
    triples = [
        T(node, t.RDF_TYPE, t.iri("dcat", "Distribution")),
        T(node, t.iri("dcterms", "identifier"), L(node.value)),
        T(node, t.iri("dcterms", "title"), L(f"{file} ({name})", language="nl")),
        T(node, t.iri("dcterms", "title"), L(f"{file} ({name})", language="en")),
        T(node, t.iri("dcterms", "description"),
          L(f"{what['nl']} in {name}{packed['nl']}.", language="nl")),
        T(node, t.iri("dcterms", "description"),
          L(f"{what['en']} in {name}{packed['en']}.", language="en")),
        *file_facts(node, url, dump, modified),
        T(node, t.iri("dcterms", "language"), ox.NamedNode(t.LANGUAGES["nl"].iri)),
    ]
    if extension in t.FILE_TYPES:
        triples.append(T(node, t.iri("dcterms", "format"), ox.NamedNode(t.FILE_TYPES[extension].iri)))
    if gzipped:
        triples.append(T(node, t.iri("dcat", "compressFormat"), ox.NamedNode(t.media_type_iri(t.GZIP))))
        triples += t.media_type_triples(t.GZIP)
    return triples


def file_facts(node: ox.NamedNode, url: ox.NamedNode, described: dict[str, Any], modified: ox.Literal) -> list[ox.Triple]:
    """What every downloadable file's distribution says of the file (a dump, a network export):
    where, media type, size and SHA-256 from the manifest's entry, licence, date, availability."""
    checksum = ox.BlankNode()
    media_type = str(described["media_type"])
    return [
        T(node, t.iri("dcat", "accessURL"), url),
        T(node, t.iri("dcat", "downloadURL"), url),
        T(node, t.iri("dcat", "mediaType"), ox.NamedNode(t.media_type_iri(media_type))),
        T(node, t.iri("dcat", "byteSize"), L(str(int(described["bytes"])), datatype=t.iri("xsd", "nonNegativeInteger"))),
        T(node, t.iri("spdx", "checksum"), checksum),
        T(checksum, t.RDF_TYPE, t.iri("spdx", "Checksum")),
        T(checksum, t.iri("spdx", "algorithm"), ox.NamedNode(t.SHA256)),
        T(checksum, t.iri("spdx", "checksumValue"), L(str(described["sha256"]), datatype=t.iri("xsd", "hexBinary"))),
        T(node, t.iri("dcterms", "license"), ox.NamedNode(t.LICENCE)),
        T(node, t.iri("dcterms", "modified"), modified),
        T(node, t.iri("dcatap", "availability"), ox.NamedNode(t.STABLE.iri)),
        *t.media_type_triples(media_type),
    ]


def distribution(base: str, dump: dict[str, Any], modified: ox.Literal, content: dict[str, str]) -> list[ox.Triple]:
    """A dcat:Distribution of another dump than the whole graph's (a linkset's), saying what it holds."""
    return _distribution(base, dump, modified, content)


def source_stamp(manifest: dict[str, Any]) -> ox.Literal:
    """The release's date (its input's), as the catalogue's dates are written."""
    return _date_time(str(manifest.get("source_date") or manifest.get("built_at")))


def shared_properties(node: ox.NamedNode, base: str) -> list[ox.Triple]:
    """Publisher, contact point, access rights, themes and keywords, as every dataset here has them."""
    return _common(node, base)


def _common(node: ox.NamedNode, base: str) -> list[ox.Triple]:
    """What the dataset and both services share: publisher, contact, licence, themes, keywords."""
    triples = [
        T(node, t.iri("dcterms", "publisher"), ox.NamedNode(f"{base}id/{t.PUBLISHER_REF}")),
        T(node, t.iri("dcat", "contactPoint"), ox.NamedNode(f"{base}catalog#contact")),
        T(node, t.iri("dcterms", "accessRights"), ox.NamedNode(t.PUBLIC.iri)),
    ]
    triples += [T(node, t.iri("dcat", "theme"), ox.NamedNode(theme.iri)) for theme in t.THEMES]
    triples += [T(node, t.iri("dcat", "keyword"), L(word, language=lang))
                for lang, words in KEYWORDS.items() for word in words]
    return triples


def _services(base: str, dataset: ox.NamedNode) -> list[ox.Triple]:
    """Every interface of kgraph.metadata.services.SERVICES as a dcat:DataService."""
    triples: list[ox.Triple] = []
    for service in SERVICES:
        triples += data_service(base, service, dataset, _common(ox.NamedNode(service_iri(base, service)), base))
    return triples


def build_catalogue(base: str, manifest: dict[str, Any], description: Iterable[ox.Triple]) -> list[ox.Triple]:
    """Every triple of the catalogue, for a release's manifest and the dataset's build description."""
    catalog = ox.NamedNode(catalog_iri(base))
    dataset = ox.NamedNode(dataset_iri(base))
    stamp = generated_at(manifest)
    description = list(description)
    triples = list(description)
    period = ox.BlankNode()
    identifier = ox.BlankNode()
    has = {d.predicate.value for d in description}
    triples += [
        T(catalog, t.RDF_TYPE, t.iri("dcat", "Catalog")),
        *_texts(catalog, t.iri("dcterms", "title"), CATALOG_TITLE),
        *_texts(catalog, t.iri("dcterms", "description"), CATALOG_DESCRIPTION),
        T(catalog, t.iri("dcterms", "publisher"), ox.NamedNode(f"{base}id/{t.PUBLISHER_REF}")),
        T(catalog, t.iri("dcat", "contactPoint"), ox.NamedNode(f"{base}catalog#contact")),
        T(catalog, t.iri("dcterms", "license"), ox.NamedNode(t.LICENCE)),
        T(catalog, t.iri("dcterms", "issued"), stamp),
        T(catalog, t.iri("dcterms", "modified"), stamp),
        T(catalog, t.iri("dcterms", "spatial"), ox.NamedNode(t.FLANDERS)),
        T(catalog, t.iri("dcat", "themeTaxonomy"), ox.NamedNode(t.SCHEMES["data-theme"].iri)),
        T(catalog, t.iri("foaf", "homepage"), ox.NamedNode(base)),
        T(catalog, t.iri("dcterms", "identifier"), L(catalog_iri(base))),
        T(catalog, t.iri("dcat", "dataset"), dataset),
        *[T(catalog, t.iri("dcat", "service"), ox.NamedNode(service_iri(base, s))) for s in SERVICES],
        # The catalogue document carries its terms and generation time in its data (issue 12.6).
        T(catalog, t.iri("prov", "generatedAtTime"), stamp),
        # The dataset (beyond what the build wrote about it).
        T(dataset, t.RDF_TYPE, t.iri("dcat", "Dataset")),
        T(dataset, t.iri("dcterms", "identifier"), L(dataset_iri(base))),
        # DCAT-AP Vlaanderen asks for adms:identifier too: the dataset's IRI as its notation.
        T(dataset, t.iri("adms", "identifier"), identifier),
        T(identifier, t.RDF_TYPE, t.iri("adms", "Identifier")),
        T(identifier, t.iri("skos", "notation"), L(dataset_iri(base), datatype=t.iri("xsd", "anyURI"))),
        T(dataset, t.iri("dcterms", "issued"), stamp),
        T(dataset, t.iri("dcat", "version"), L(str(manifest.get("version", "")))),
        T(dataset, t.iri("dcterms", "temporal"), period),
        T(period, t.RDF_TYPE, t.iri("dcterms", "PeriodOfTime")),
        T(period, t.iri("dcat", "startDate"), L("2018-01-01", datatype=t.iri("xsd", "date"))),
        T(period, t.iri("dcat", "endDate"), L("2018-12-31", datatype=t.iri("xsd", "date"))),
        T(dataset, t.iri("dcterms", "spatial"), ox.NamedNode(t.FLANDERS)),
        T(dataset, t.iri("dcterms", "accrualPeriodicity"), ox.NamedNode(FREQUENCY_ANNUAL.iri)),
        T(dataset, t.iri("dcat", "landingPage"), ox.NamedNode(base)),
        T(dataset, t.iri("dcterms", "conformsTo"), ox.NamedNode(f"{base}ns/kgraph")),
        *_common(dataset, base),
    ]
    if t.PREFIXES["dcterms"] + "modified" not in has:  # DCAT-AP allows one dct:modified
        triples.append(T(dataset, t.iri("dcterms", "modified"), stamp))
    for language in t.LANGUAGES.values():
        for node in (catalog, dataset):
            triples.append(T(node, t.iri("dcterms", "language"), ox.NamedNode(language.iri)))
    for dump in manifest.get("dumps", []):
        triples.append(T(dataset, t.iri("dcat", "distribution"), ox.NamedNode(distribution_iri(base, str(dump["file"])))))
        triples += _distribution(base, dump, stamp)
    from kgraph.metadata.network_catalogue import network_distributions  # imports this module's helpers

    triples += network_distributions(base, dataset, manifest.get("network", []), stamp)
    triples += _services(base, dataset)
    triples += history_entries(base, manifest, dataset)  # each release's change log (issue 13)
    triples += _shared_nodes(base)
    return list(dict.fromkeys(triples))  # drop repeats (shared media types), keep the order


def catalogue(source: QuerySource, base: str, manifest: dict[str, Any]) -> list[ox.Triple]:
    """The catalogue of a release: its manifest plus the dataset description in its store, and
    the linksets (kgraph.metadata.linksets) as datasets of their own."""
    from kgraph.metadata import linksets  # imported here: linksets imports this module

    found = linksets.find(source, base)
    return list(dict.fromkeys(build_catalogue(base, manifest, dataset_description(source, base))
                              + linksets.catalogue_triples(found, base, manifest)))
