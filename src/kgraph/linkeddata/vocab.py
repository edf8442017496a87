"""Labels of classes and properties, so that pages never show a raw IRI where a label exists.

kgraph's own terms are labelled (nl, en) in the ontology, which is in the store: those labels are
read from there. The ontology reuses W3C and schema.org terms without restating their labels, so
the labels those vocabularies give their terms are kept here, translated to Dutch, as a fallback.
A label found in the store always wins over this table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kgraph.linkeddata.iris import curie, local_name
from kgraph.query_source import QuerySource as Source
from kgraph.namespaces import STANDARD_PREFIXES as NS

RDFS_LABEL = NS["rdfs"] + "label"

# term (prefixed) -> (nl, en): the labels the reused vocabularies publish (en), with a Dutch one.
REUSED: dict[str, tuple[str, str]] = {
    "rdf:type": ("type", "type"),
    "rdfs:label": ("naam", "label"),
    "rdfs:comment": ("opmerking", "comment"),
    "rdfs:domain": ("domein", "domain"),
    "rdfs:range": ("bereik", "range"),
    "rdfs:subClassOf": ("subklasse van", "subclass of"),
    "rdfs:subPropertyOf": ("subeigenschap van", "subproperty of"),
    "rdfs:isDefinedBy": ("gedefinieerd door", "is defined by"),
    "rdfs:seeAlso": ("zie ook", "see also"),
    "owl:versionIRI": ("versie-IRI", "version IRI"),
    "owl:versionInfo": ("versie", "version info"),
    "owl:sameAs": ("dezelfde als", "same as"),
    "owl:Class": ("klasse", "class"),
    "owl:ObjectProperty": ("objecteigenschap", "object property"),
    "owl:DatatypeProperty": ("datatype-eigenschap", "datatype property"),
    "owl:FunctionalProperty": ("functionele eigenschap", "functional property"),
    "owl:Ontology": ("ontologie", "ontology"),
    "skos:prefLabel": ("voorkeursnaam", "preferred label"),
    "skos:altLabel": ("alternatieve naam", "alternative label"),
    "skos:definition": ("definitie", "definition"),
    "skos:inScheme": ("in begrippenlijst", "is in scheme"),
    "skos:hasTopConcept": ("heeft topbegrip", "has top concept"),
    "skos:topConceptOf": ("topbegrip van", "is top concept in scheme"),
    "skos:broader": ("ruimer begrip", "has broader"),
    "skos:narrower": ("enger begrip", "has narrower"),
    "skos:exactMatch": ("exact overeenkomend met", "has exact match"),
    "skos:closeMatch": ("nauw overeenkomend met", "has close match"),
    "skos:notation": ("notatie", "notation"),
    "org:classification": ("classificatie", "classification"),
    "besluit:classificatie": ("classificatie", "classification"),
    "skos:Concept": ("begrip", "concept"),
    "skos:ConceptScheme": ("begrippenlijst", "concept scheme"),
    "dcterms:title": ("titel", "title"),
    "dcterms:description": ("beschrijving", "description"),
    "dcterms:creator": ("maker", "creator"),
    "dcterms:format": ("formaat", "format"),
    "dcterms:hasPart": ("heeft deel", "has part"),
    "dcterms:isPartOf": ("maakt deel uit van", "is part of"),
    "dcterms:identifier": ("identificator", "identifier"),
    "dcterms:issued": ("uitgegeven", "date issued"),
    "dcterms:modified": ("gewijzigd", "date modified"),
    "dcterms:language": ("taal", "language"),
    "dcterms:license": ("licentie", "license"),
    "dcterms:publisher": ("uitgever", "publisher"),
    "dcterms:source": ("bron", "source"),
    "dcterms:subject": ("onderwerp", "subject"),
    "foaf:name": ("naam", "name"),
    "foaf:topic": ("onderwerp", "topic"),
    "foaf:primaryTopic": ("hoofdonderwerp", "primary topic"),
    "foaf:Document": ("document", "document"),
    "foaf:Person": ("persoon", "person"),
    "org:Organization": ("organisatie", "organization"),
    "org:FormalOrganization": ("formele organisatie", "formal organization"),
    "org:OrganizationalCollaboration": ("samenwerkingsverband", "organizational collaboration"),
    "org:hasMember": ("heeft lid", "has member"),
    "org:memberOf": ("lid van", "member of"),
    "prov:Activity": ("activiteit", "activity"),
    "prov:Association": ("associatie", "association"),
    "prov:Entity": ("entiteit", "entity"),
    "prov:Role": ("rol", "role"),
    "prov:agent": ("actor", "agent"),
    "prov:hadRole": ("rol", "had role"),
    "prov:qualifiedAssociation": ("betrokkenheid", "qualified association"),
    "prov:wasAssociatedWith": ("betrokken organisatie", "was associated with"),
    "prov:wasDerivedFrom": ("afgeleid van", "was derived from"),
    "prov:wasInformedBy": ("geïnformeerd door", "was informed by"),
    "prov:generatedAtTime": ("gemaakt op", "generated at time"),
    "schema:name": ("naam", "name"),
    "schema:url": ("webadres", "URL"),
    "schema:startDate": ("begindatum", "start date"),
    "schema:endDate": ("einddatum", "end date"),
    "schema:location": ("locatie", "location"),
    "schema:organizer": ("organisator", "organizer"),
    "schema:attendee": ("deelnemer", "attendee"),
    "schema:performer": ("uitvoerder", "performer"),
    "schema:containedInPlace": ("ligt in", "contained in place"),
    "schema:jobTitle": ("functie", "job title"),
    "schema:value": ("waarde", "value"),
    "schema:currency": ("munt", "currency"),
    "schema:unitText": ("eenheid", "unit text"),
    "schema:Event": ("evenement", "event"),
    "schema:Place": ("plaats", "place"),
    "schema:Person": ("persoon", "person"),
    "schema:DigitalDocument": ("digitaal document", "digital document"),
    "schema:Report": ("verslag", "report"),
    "schema:MonetaryAmount": ("geldbedrag", "monetary amount"),
    "schema:QuantitativeValue": ("hoeveelheid", "quantitative value"),
    "besluit:Bestuurseenheid": ("bestuurseenheid", "administrative unit"),
    "besluit:werkingsgebied": ("werkingsgebied", "area of jurisdiction"),
    "dcat:Dataset": ("dataset", "dataset"),
    "void:Dataset": ("dataset", "dataset"),
    "void:inDataset": ("in dataset", "in dataset"),
    "void:uriSpace": ("URI-ruimte", "URI space"),
    "void:vocabulary": ("vocabularium", "vocabulary"),
    "vann:preferredNamespacePrefix": ("voorkeursprefix", "preferred namespace prefix"),
}


def _expand(prefixed: str) -> str:
    prefix, _, local = prefixed.partition(":")
    return NS[prefix] + local


FALLBACK: dict[str, dict[str, str]] = {_expand(k): {"nl": nl, "en": en} for k, (nl, en) in REUSED.items()}
# OSLO terms the organisations use (issue 14) whose prefixes kgraph does not write with.
FALLBACK.update({iri: {"nl": nl, "en": en} for iri, (nl, en) in {
    "http://www.w3.org/ns/adms#identifier": ("identificator", "identifier"),
    "http://www.w3.org/ns/adms#Identifier": ("identificator", "identifier"),
    "http://www.w3.org/ns/adms#schemaAgency": ("toegekend door", "schema agency"),
    "http://data.europa.eu/m8g/PublicOrganisation": ("publieke organisatie", "public organisation"),
}.items()})

# Labels of every term used as a class or a property in the store.
TERM_LABELS = """
SELECT DISTINCT ?term ?label WHERE {
  { SELECT DISTINCT ?term WHERE { { [] ?term [] } UNION { [] a ?term } } }
  ?term <http://www.w3.org/2000/01/rdf-schema#label> ?label .
}
"""


def pick(labels: dict[str, str] | None, lang: str) -> str | None:
    """The label in `lang`, else Dutch, else English, else untagged, else any; None if there is none."""
    if not labels:
        return None
    for key in (lang, "nl", "en", ""):
        if key in labels:
            return labels[key]
    return next(iter(labels.values()))


@dataclass
class Vocabulary:
    """Labels of classes and properties by language: the store's first, then the fallback table."""

    labels: dict[str, dict[str, str]] = field(default_factory=dict)
    prefixes: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, source: Source, prefixes: dict[str, str] | None = None) -> Vocabulary:
        """Read the labels of every class and property used in the store."""
        labels = {iri: dict(by_lang) for iri, by_lang in FALLBACK.items()}
        from_store: dict[str, dict[str, str]] = {}
        for row in source.select(TERM_LABELS):
            literal = row["label"]
            from_store.setdefault(row["term"].value, {})[literal.language or ""] = literal.value
        labels.update(from_store)  # the ontology's own words win
        return cls(labels, dict(prefixes or {}))

    def label(self, iri: str, lang: str) -> str:
        """A readable name for a term: its label, else a prefixed name, else its last segment."""
        found = pick(self.labels.get(iri), lang)
        if found:
            return found
        short = curie(iri, self.prefixes)
        return short if short != iri else local_name(iri)

    def has_label(self, iri: str) -> bool:
        return iri in self.labels
