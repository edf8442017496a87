"""What `kgraph link` looks for, per kind: the default partner query and our own resources.

A partner query is a SELECT with one row per (item, label, identifier, sameAs, type): ?item and
?label are needed, the others optional. Paging (ORDER BY, LIMIT, OFFSET) is added by the client,
so a query given with --query must have none of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

PREFIXES = """PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX regorg: <http://www.w3.org/ns/regorg#>
PREFIX adms: <http://www.w3.org/ns/adms#>
PREFIX m8g: <http://data.europa.eu/m8g/>
PREFIX besluit: <http://data.vlaanderen.be/ns/besluit#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <http://schema.org/>
PREFIX person: <http://www.w3.org/ns/person#>
"""

# Labels, identifiers and links as OSLO (Organisatie, Generiek) and common vocabularies write them.
_DETAILS = """
  OPTIONAL { ?item skos:prefLabel|skos:altLabel|rdfs:label|regorg:legalName|foaf:name|schema:name ?label }
  OPTIONAL { ?item adms:identifier/skos:notation|regorg:registration/skos:notation|dcterms:identifier ?identifier }
  OPTIONAL { ?item owl:sameAs ?sameAs }
"""


def _partner_query(types: tuple[str, ...]) -> str:
    union = " UNION ".join(f"{{ ?item a {t} }}" for t in types)
    return (f"{PREFIXES}SELECT DISTINCT ?item ?label ?identifier ?sameAs ?type WHERE {{\n"
            f"  {union}\n  ?item a ?type .\n{_DETAILS}}}")


@dataclass(frozen=True)
class Kind:
    """A kind of thing to link: the partner classes looked for and our class."""

    name: str
    our_class: str  # full IRI
    partner_types: tuple[str, ...]  # prefixed names, PREFIXES above

    @property
    def partner_query(self) -> str:
        return _partner_query(self.partner_types)


PUBLIC_TYPES = frozenset({
    "http://data.europa.eu/m8g/PublicOrganisation",
    "http://data.vlaanderen.be/ns/besluit#Bestuurseenheid",
})

KINDS: dict[str, Kind] = {
    "organisatie": Kind("organisatie", "http://www.w3.org/ns/org#Organization",
                        ("org:Organization", "org:FormalOrganization", "regorg:RegisteredOrganization",
                         "m8g:PublicOrganisation", "besluit:Bestuurseenheid")),
    "plaats": Kind("plaats", "http://schema.org/Place",
                   ("schema:Place", "dcterms:Location", "prov:Location", "besluit:Werkingsgebied")),
    "persoon": Kind("persoon", "http://xmlns.com/foaf/0.1/Person", ("foaf:Person", "person:Person", "schema:Person")),
}
