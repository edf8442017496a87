"""The network's facts, read from the store with three SELECT queries over any QuerySource.

Only direct associations (prov:wasAssociatedWith) make edges, as in the named query
partners-van-organisatie: membership of a network (org:memberOf) is not taking part.

The year of an activity is its kg:startYear, else the year of its first event, else the year
of the annual report its section belongs to (every report is one year's: "Jaarverslag 2018").
The month (for the timeline) is that of its first event, when it has one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kgraph.query_source import QuerySource, Solution

_PREFIXES = """
PREFIX kg:      <{base}ns/kgraph#>
PREFIX org:     <http://www.w3.org/ns/org#>
PREFIX prov:    <http://www.w3.org/ns/prov#>
PREFIX rdfs:    <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema:  <http://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX xsd:     <http://www.w3.org/2001/XMLSchema#>
"""

# The most specific kg: class of a thing (not a superclass of another of its kg: classes).
_KIND = """
  OPTIONAL {{
    ?VAR a ?kind .
    FILTER(STRSTARTS(STR(?kind), STR(kg:)) && ?kind != kg:Activity)
    FILTER NOT EXISTS {{ ?VAR a ?narrower . ?narrower rdfs:subClassOf ?kind . FILTER(?narrower != ?kind) }}
  }}
"""

ORGANISATIONS = _PREFIXES + """
SELECT ?org (SAMPLE(?nl) AS ?labelNl) (SAMPLE(?en) AS ?labelEn)
       (GROUP_CONCAT(DISTINCT STR(?kind); SEPARATOR=" ") AS ?kinds)
WHERE {{
  ?org a org:Organization .
  OPTIONAL {{ ?org rdfs:label ?nl FILTER(LANGMATCHES(LANG(?nl), "nl")) }}
  OPTIONAL {{ ?org rdfs:label ?en FILTER(LANGMATCHES(LANG(?en), "en")) }}
""" + _KIND.replace("VAR", "org") + """
}}
GROUP BY ?org
"""

ACTIVITIES = _PREFIXES + """
SELECT ?activity (SAMPLE(?nl) AS ?labelNl) (SAMPLE(?en) AS ?labelEn)
       (GROUP_CONCAT(DISTINCT STR(?kind); SEPARATOR=" ") AS ?kinds)
       (GROUP_CONCAT(DISTINCT STR(?theme); SEPARATOR=" ") AS ?themes)
       (SAMPLE(?start) AS ?startYear) (MIN(?eventDate) AS ?firstEvent) (SAMPLE(?reportTitle) AS ?report)
WHERE {{
  ?activity a kg:Activity .
  OPTIONAL {{ ?activity rdfs:label ?nl FILTER(LANGMATCHES(LANG(?nl), "nl")) }}
  OPTIONAL {{ ?activity rdfs:label ?en FILTER(LANGMATCHES(LANG(?en), "en")) }}
  OPTIONAL {{ ?activity dcterms:subject ?theme }}
  OPTIONAL {{ ?activity kg:startYear ?start }}
  OPTIONAL {{ ?event kg:eventOf ?activity ; schema:startDate ?eventDate }}
  OPTIONAL {{ ?activity dcterms:source/dcterms:isPartOf/dcterms:title ?reportTitle }}
""" + _KIND.replace("VAR", "activity") + """
}}
GROUP BY ?activity
"""

ASSOCIATIONS = _PREFIXES + """
SELECT ?activity ?org (GROUP_CONCAT(DISTINCT STR(?role); SEPARATOR=" ") AS ?roles)
WHERE {{
  ?activity a kg:Activity ; prov:wasAssociatedWith ?org .
  ?org a org:Organization .
  OPTIONAL {{ ?activity prov:qualifiedAssociation [ prov:agent ?org ; prov:hadRole ?role ] }}
}}
GROUP BY ?activity ?org
"""

ROLES = _PREFIXES + """
SELECT DISTINCT ?role (SAMPLE(?nl) AS ?labelNl) (SAMPLE(?en) AS ?labelEn)
WHERE {{
  [] prov:hadRole ?role .
  OPTIONAL {{ ?role rdfs:label ?nl FILTER(LANGMATCHES(LANG(?nl), "nl")) }}
  OPTIONAL {{ ?role rdfs:label ?en FILTER(LANGMATCHES(LANG(?en), "en")) }}
}}
GROUP BY ?role
"""

THEMES = _PREFIXES + """
SELECT ?theme (SAMPLE(?nl) AS ?labelNl) (SAMPLE(?en) AS ?labelEn)
WHERE {{
  [] a kg:Activity ; dcterms:subject ?theme .
  OPTIONAL {{ ?theme rdfs:label|<http://www.w3.org/2004/02/skos/core#prefLabel> ?nl FILTER(LANGMATCHES(LANG(?nl), "nl")) }}
  OPTIONAL {{ ?theme rdfs:label|<http://www.w3.org/2004/02/skos/core#prefLabel> ?en FILTER(LANGMATCHES(LANG(?en), "en")) }}
}}
GROUP BY ?theme
"""


CLASSES = _PREFIXES + """
SELECT ?class (SAMPLE(?nl) AS ?labelNl) (SAMPLE(?en) AS ?labelEn)
WHERE {{
  ?class a <http://www.w3.org/2002/07/owl#Class> .
  FILTER(STRSTARTS(STR(?class), STR(kg:)))
  OPTIONAL {{ ?class rdfs:label ?nl FILTER(LANGMATCHES(LANG(?nl), "nl")) }}
  OPTIONAL {{ ?class rdfs:label ?en FILTER(LANGMATCHES(LANG(?en), "en")) }}
}}
GROUP BY ?class
"""

MEMBERSHIPS = _PREFIXES + """
SELECT DISTINCT ?org ?network WHERE {{ ?org org:memberOf ?network . ?network a org:Organization }}
"""


@dataclass(frozen=True)
class Thing:
    """Something with an IRI and labels in nl and en (each falls back on the other, then the IRI)."""

    iri: str
    label_nl: str
    label_en: str

    def label(self, lang: str) -> str:
        """The label in lang (nl or en)."""
        return self.label_en if lang == "en" else self.label_nl


@dataclass(frozen=True)
class Organisation(Thing):
    """A node of the network."""

    kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class Activity(Thing):
    """Something organisations took part in together."""

    kinds: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    year: int | None = None
    month: int | None = None  # of its first event, if it has one


@dataclass(frozen=True)
class Association:
    """An organisation taking part in an activity, in some roles (role IRIs)."""

    activity: str
    organisation: str
    roles: tuple[str, ...] = ()


@dataclass
class NetworkData:
    """Everything the network is made of, sorted by IRI (so every result built from it is stable)."""

    organisations: dict[str, Organisation] = field(default_factory=dict)
    activities: dict[str, Activity] = field(default_factory=dict)
    associations: list[Association] = field(default_factory=list)
    roles: dict[str, Thing] = field(default_factory=dict)
    themes: dict[str, Thing] = field(default_factory=dict)
    classes: dict[str, Thing] = field(default_factory=dict)  # kinds of activity and of organisation
    memberships: dict[str, tuple[str, ...]] = field(default_factory=dict)  # organisation -> its networks


def _text(row: Solution, name: str) -> str:
    term = row.get(name)
    return term.value if term is not None else ""


def _words(row: Solution, name: str) -> tuple[str, ...]:
    return tuple(sorted(w for w in _text(row, name).split() if w))


def _labels(row: Solution, iri: str) -> tuple[str, str]:
    nl, en = _text(row, "labelNl"), _text(row, "labelEn")
    return nl or en or iri, en or nl or iri


def _year(row: Solution) -> int | None:
    for value in (_text(row, "startYear")[:4], _text(row, "firstEvent")[:4]):
        if value.isdigit():
            return int(value)
    digits = [w for w in _text(row, "report").split() if len(w) == 4 and w.isdigit()]
    return int(digits[0]) if digits else None


def _month(row: Solution) -> int | None:
    first = _text(row, "firstEvent")
    return int(first[5:7]) if len(first) >= 7 and first[5:7].isdigit() else None


def extract(source: QuerySource, base: str) -> NetworkData:
    """The network's organisations, activities, associations, roles and themes from the store."""
    data = NetworkData()
    for row in sorted(source.select(ORGANISATIONS.format(base=base)), key=lambda r: _text(r, "org")):
        iri = _text(row, "org")
        data.organisations[iri] = Organisation(iri, *_labels(row, iri), kinds=_words(row, "kinds"))
    for row in sorted(source.select(ACTIVITIES.format(base=base)), key=lambda r: _text(r, "activity")):
        iri = _text(row, "activity")
        data.activities[iri] = Activity(iri, *_labels(row, iri), kinds=_words(row, "kinds"),
                                        themes=_words(row, "themes"), year=_year(row), month=_month(row))
    rows = source.select(ASSOCIATIONS.format(base=base))
    data.associations = sorted(
        (Association(_text(r, "activity"), _text(r, "org"), _words(r, "roles")) for r in rows),
        key=lambda a: (a.activity, a.organisation),
    )
    for query, target, key in ((ROLES, data.roles, "role"), (THEMES, data.themes, "theme"),
                               (CLASSES, data.classes, "class")):
        for row in sorted(source.select(query.format(base=base)), key=lambda r: _text(r, key)):
            iri = _text(row, key)
            target[iri] = Thing(iri, *_labels(row, iri))
    networks: dict[str, list[str]] = {}
    for row in source.select(MEMBERSHIPS.format(base=base)):
        networks.setdefault(_text(row, "org"), []).append(_text(row, "network"))
    data.memberships = {org: tuple(sorted(found)) for org, found in sorted(networks.items())}
    return data
