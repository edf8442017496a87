"""Namespaces and controlled-vocabulary terms of the dataset metadata (DCAT-AP, VoID, SPDX).

DCAT-AP asks for values from EU controlled vocabularies (the "NALs" of the Publications Office)
and IANA. Its official SHACL shapes (mdr-vocabularies.shape.ttl) check a value's membership by
looking at the value's own `skos:inScheme` in the validated graph, and shapes.ttl wants every
`skos:Concept` to have a `skos:prefLabel` and every `skos:ConceptScheme` a `dct:title`. So the
catalogue carries a few typing triples for each vocabulary IRI it uses, as DCAT-AP's own examples
do. Only IRIs we are certain of are used here; each has a comment saying what it is.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from kgraph import provenance
from kgraph.namespaces import STANDARD_PREFIXES

# Namespaces the metadata uses beyond kgraph.namespaces.STANDARD_PREFIXES.
EXTRA_PREFIXES: dict[str, str] = {
    "adms": "http://www.w3.org/ns/adms#",
    "dcatap": "http://data.europa.eu/r5r/",
    "spdx": "http://spdx.org/rdf/terms#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "formats": "http://www.w3.org/ns/formats/",
}
PREFIXES: dict[str, str] = {**STANDARD_PREFIXES, **EXTRA_PREFIXES}

AUTHORITY = "http://publications.europa.eu/resource/authority/"
IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"

# The licence (the Flemish open data portal's CC0) is kgraph.provenance.LICENCE: one constant.
LICENCE = provenance.LICENCE
# The website of the Kenniscentrum: every link printed in the report is on this host.
PUBLISHER_SITE = "http://www.kenniscentrumvlaamsesteden.be/"
PUBLISHER_REF = "organisatie/kenniscentrum-vlaamse-steden"  # under {base}id/, as in data/shared

# SHA-256 in SPDX. The SPDX namespace is http://spdx.org/rdf/terms#, but DCAT-AP 3.0.1's
# mdr-vocabularies shape (ChecksumAlgorithmRestriction) only accepts algorithm IRIs matching
# "^https://spdx.org/rdf/terms", so the https spelling is what validates without a violation.
# The catalogue states owl:sameAs to the http spelling for consumers that look for that one.
SHA256 = "https://spdx.org/rdf/terms#checksumAlgorithm_sha256"
SHA256_HTTP = "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"


def iri(prefix: str, local: str = "") -> ox.NamedNode:
    """The named node prefix:local (prefix from PREFIXES)."""
    return ox.NamedNode(PREFIXES[prefix] + local)


RDF_TYPE = iri("rdf", "type")


@dataclass(frozen=True)
class Concept:
    """A controlled-vocabulary value: its IRI, labels, scheme and the classes DCAT-AP ranges want."""

    iri: str
    labels: tuple[tuple[str, str], ...]  # (text, language)
    scheme: str | None = None
    classes: tuple[str, ...] = ()  # extra rdf:types (prefixed names), e.g. "dcterms:LinguisticSystem"


@dataclass(frozen=True)
class Scheme:
    """A concept scheme and its title (shapes.ttl: a skos:ConceptScheme needs a dct:title)."""

    iri: str
    title: str


SCHEMES: dict[str, Scheme] = {
    "language": Scheme(AUTHORITY + "language", "Languages"),
    "data-theme": Scheme(AUTHORITY + "data-theme", "Data theme"),
    "access-right": Scheme(AUTHORITY + "access-right", "Access right"),
    "file-type": Scheme(AUTHORITY + "file-type", "File type"),
    "planned-availability": Scheme(AUTHORITY + "planned-availability", "Planned availability"),
    "licencetype": Scheme("http://purl.org/adms/licencetype/1.0", "ADMS licence type"),
    "publishertype": Scheme("http://purl.org/adms/publishertype/1.0", "ADMS publisher type"),
}


def _concept(scheme: str, local: str, nl: str, en: str, *classes: str) -> Concept:
    base = SCHEMES[scheme].iri
    # The EU NALs put concepts under the scheme IRI + "/", ADMS under the scheme's parent folder.
    prefix = base.rsplit("/", 1)[0] + "/" if scheme in ("licencetype", "publishertype") else base + "/"
    return Concept(prefix + local, ((nl, "nl"), (en, "en")), base, classes)


LANGUAGES = {
    "nl": _concept("language", "NLD", "Nederlands", "Dutch", "dcterms:LinguisticSystem"),
    "en": _concept("language", "ENG", "Engels", "English", "dcterms:LinguisticSystem"),
}
# GOVE "Government and public sector" and REGI "Regions and cities": what the Kenniscentrum's
# work (the 13 central cities and the VGC) is about.
THEMES = (
    _concept("data-theme", "GOVE", "Overheid en publieke sector", "Government and public sector"),
    _concept("data-theme", "REGI", "Regio's en steden", "Regions and cities"),
)
PUBLIC = _concept("access-right", "PUBLIC", "publiek", "public", "dcterms:RightsStatement")
# STABLE: the dump URLs stay; each release replaces the files behind them.
STABLE = _concept("planned-availability", "STABLE", "stabiel", "stable")
PUBLIC_DOMAIN = _concept("licencetype", "PublicDomain", "publiek domein", "public domain")
# The data itself types the Kenniscentrum kg:NonProfit (an association without profit motive).
NON_PROFIT = _concept("publishertype", "NonProfitOrganisation", "organisatie zonder winstoogmerk",
                      "non-profit organisation")

# Dump extension -> EU file-type code (dct:format of a distribution).
FILE_TYPES: dict[str, Concept] = {
    "ttl": _concept("file-type", "RDF_TURTLE", "Turtle", "Turtle", "dcterms:MediaTypeOrExtent"),
    "nt": _concept("file-type", "RDF_N_TRIPLES", "N-Triples", "N-Triples", "dcterms:MediaTypeOrExtent"),
    "jsonld": _concept("file-type", "JSON_LD", "JSON-LD", "JSON-LD", "dcterms:MediaTypeOrExtent"),
    "nq": _concept("file-type", "RDF_N_QUADS", "N-Quads", "N-Quads", "dcterms:MediaTypeOrExtent"),
    "trig": _concept("file-type", "RDF_TRIG", "TriG", "TriG", "dcterms:MediaTypeOrExtent"),
    "rdf": _concept("file-type", "RDF_XML", "RDF/XML", "RDF/XML", "dcterms:MediaTypeOrExtent"),
    # The network exports (issue 15): GraphML and GEXF are XML formats without a code of their own.
    "csv": _concept("file-type", "CSV", "CSV", "CSV", "dcterms:MediaTypeOrExtent"),
    "graphml": _concept("file-type", "XML", "XML", "XML", "dcterms:MediaTypeOrExtent"),
    "gexf": _concept("file-type", "XML", "XML", "XML", "dcterms:MediaTypeOrExtent"),
}
GZIP = "application/gzip"

# Flanders: the Flemish Region in GeoNames (the only place vocabulary besides the EU NALs that the
# DCAT-AP spatial shape accepts, by the https://sws.geonames.org prefix).
FLANDERS = "https://sws.geonames.org/3337388/"

# Standards the data services conform to (dct:conformsTo, range dct:Standard).
SPARQL_PROTOCOL = "https://www.w3.org/TR/sparql11-protocol/"
LINKED_DATA = "https://www.w3.org/DesignIssues/LinkedData.html"


def media_type_iri(media_type: str) -> str:
    """The IANA IRI of a media type (what dcat:mediaType and dcat:compressFormat take)."""
    return IANA_MEDIA_TYPES + media_type


def _term(prefixed: str) -> ox.NamedNode:
    prefix, _, local = prefixed.partition(":")
    return iri(prefix, local)


def concept_triples(concept: Concept) -> list[ox.Triple]:
    """The typing triples that let the DCAT-AP shapes recognise a controlled-vocabulary value."""
    node = ox.NamedNode(concept.iri)
    triples = [ox.Triple(node, RDF_TYPE, iri("skos", "Concept"))]
    triples += [ox.Triple(node, RDF_TYPE, _term(c)) for c in concept.classes]
    triples += [ox.Triple(node, iri("skos", "prefLabel"), ox.Literal(text, language=lang))
                for text, lang in concept.labels]
    if concept.scheme:
        triples.append(ox.Triple(node, iri("skos", "inScheme"), ox.NamedNode(concept.scheme)))
    return triples


def scheme_triples(scheme: Scheme) -> list[ox.Triple]:
    """A concept scheme typed and titled."""
    node = ox.NamedNode(scheme.iri)
    return [
        ox.Triple(node, RDF_TYPE, iri("skos", "ConceptScheme")),
        ox.Triple(node, iri("dcterms", "title"), ox.Literal(scheme.title, language="en")),
    ]


def media_type_triples(media_type: str) -> list[ox.Triple]:
    """An IANA media type IRI typed dct:MediaType (the range DCAT-AP gives dcat:mediaType)."""
    node = ox.NamedNode(media_type_iri(media_type))
    return [
        ox.Triple(node, RDF_TYPE, iri("dcterms", "MediaType")),
        ox.Triple(node, iri("rdfs", "label"), ox.Literal(media_type)),
    ]
