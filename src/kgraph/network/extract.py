"""The network's facts, read from the store with three SELECT queries over any QuerySource.

Only direct associations (prov:wasAssociatedWith) make edges, as in the named query
partners-van-organisatie: membership of a network (org:memberOf) is not taking part.

The year of an activity is its kg:startYear, else the year of its first event, else the year
of the annual report its section belongs to (every report is one year's: "Jaarverslag 2018").
The month (for the timeline) is that of its first event, when it has one.
"""

from __future__ import annotations

from collections import defaultdict
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

# Simple queries, joined in Python: at 1M triples the same facts in one grouped query with
# OPTIONALs and FILTER NOT EXISTS took 2.5 times as long (65 s against 25 s on the on-disk store).
ORGANISATIONS = _PREFIXES + """
SELECT ?org ?label WHERE {{ ?org a org:Organization . OPTIONAL {{ ?org rdfs:label ?label }} }}
"""
ORGANISATION_TYPES = _PREFIXES + """
SELECT ?org ?kind WHERE {{ ?org a org:Organization , ?kind . FILTER(STRSTARTS(STR(?kind), STR(kg:))) }}
"""
ACTIVITY_LABELS = _PREFIXES + """
SELECT ?activity ?label WHERE {{ ?activity a kg:Activity . OPTIONAL {{ ?activity rdfs:label ?label }} }}
"""
ACTIVITY_TYPES = _PREFIXES + """
SELECT ?activity ?kind WHERE {{ ?activity a kg:Activity , ?kind . FILTER(STRSTARTS(STR(?kind), STR(kg:))) }}
"""
ACTIVITY_THEMES = _PREFIXES + """
SELECT ?activity ?theme WHERE {{ ?activity a kg:Activity ; dcterms:subject ?theme }}
"""
START_YEARS = _PREFIXES + """
SELECT ?activity ?year WHERE {{ ?activity a kg:Activity ; kg:startYear ?year }}
"""
FIRST_EVENTS = _PREFIXES + """
SELECT ?activity (MIN(?date) AS ?first) WHERE {{ ?event kg:eventOf ?activity ; schema:startDate ?date }} GROUP BY ?activity
"""
REPORTS = _PREFIXES + """
SELECT ?activity ?title WHERE {{ ?activity a kg:Activity ; dcterms:source/dcterms:isPartOf/dcterms:title ?title }}
"""
ASSOCIATIONS = _PREFIXES + """
SELECT ?activity ?org WHERE {{ ?activity a kg:Activity ; prov:wasAssociatedWith ?org . ?org a org:Organization }}
"""
QUALIFIED_ROLES = _PREFIXES + """
SELECT ?activity ?org ?role WHERE {{ ?activity prov:qualifiedAssociation ?q . ?q prov:agent ?org ; prov:hadRole ?role }}
"""
SUBCLASSES = _PREFIXES + """
SELECT ?class ?super WHERE {{ ?class rdfs:subClassOf ?super . FILTER(STRSTARTS(STR(?class), STR(kg:))) }}
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

# From the activities' subjects to their labels, not from every labelled thing to an EXISTS over
# the activities: Oxigraph evaluated that EXISTS by scanning the activities for each of the
# graph's labelled things, which at 1M triples did not finish in 10 CPU-minutes (now 0.2 s).
THEMES = _PREFIXES + """
SELECT ?theme (SAMPLE(?nl) AS ?labelNl) (SAMPLE(?en) AS ?labelEn)
WHERE {{
  {{ SELECT DISTINCT ?theme WHERE {{ [] a kg:Activity ; dcterms:subject ?theme }} }}
  FILTER EXISTS {{ ?theme rdfs:label|<http://www.w3.org/2004/02/skos/core#prefLabel> [] }}
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


def _pairs(source: QuerySource, query: str, base: str, key: str, value: str) -> dict[str, list]:
    found: dict[str, list] = defaultdict(list)
    for row in source.select(query.format(base=base)):
        found[_text(row, key)].append(row.get(value))
    return found


def _label_pair(terms: list) -> tuple[str | None, str | None]:
    by_language = {}
    for term in terms:
        if term is not None:
            language = (getattr(term, "language", None) or "").lower()
            by_language.setdefault(language.split("-")[0], term.value)
    nl = by_language.get("nl")
    en = by_language.get("en")
    other = next(iter(by_language.values()), None)
    return nl or en or other, en or nl or other


def _specific(kinds: set[str], narrower_than: dict[str, set[str]], activity_class: str) -> tuple[str, ...]:
    """The kinds that are not a superclass of another of the kinds (the build materialises superclasses)."""
    kinds = kinds - {activity_class}
    return tuple(sorted(k for k in kinds if not any(k in narrower_than.get(other, ()) for other in kinds if other != k)))


def _year(start: list, first: str, reports: list) -> int | None:
    for value in ([t.value[:4] for t in start if t is not None] + [first[:4]]):
        if value.isdigit():
            return int(value)
    for title in reports:
        digits = [w for w in (title.value if title is not None else "").split() if len(w) == 4 and w.isdigit()]
        if digits:
            return int(digits[0])
    return None


def _closure(direct: dict[str, list]) -> dict[str, set[str]]:
    """Every superclass of each class (transitively)."""
    supers: dict[str, set[str]] = {}
    for cls in direct:
        seen, todo = set(), [t.value for t in direct[cls] if t is not None]
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo += [t.value for t in direct.get(current, []) if t is not None]
        supers[cls] = seen
    return supers


def extract(source: QuerySource, base: str) -> NetworkData:
    """The network's organisations, activities, associations, roles and themes from the store."""
    data = NetworkData()
    supers = _closure(_pairs(source, SUBCLASSES, base, "class", "super"))
    activity_class = f"{base}ns/kgraph#Activity"
    org_labels = _pairs(source, ORGANISATIONS, base, "org", "label")
    org_types = _pairs(source, ORGANISATION_TYPES, base, "org", "kind")
    for iri in sorted(org_labels):
        nl, en = _label_pair(org_labels[iri])
        kinds = _specific({t.value for t in org_types.get(iri, [])}, supers, activity_class)
        data.organisations[iri] = Organisation(iri, nl or iri, en or iri, kinds=kinds)
    labels = _pairs(source, ACTIVITY_LABELS, base, "activity", "label")
    types = _pairs(source, ACTIVITY_TYPES, base, "activity", "kind")
    themes = _pairs(source, ACTIVITY_THEMES, base, "activity", "theme")
    starts = _pairs(source, START_YEARS, base, "activity", "year")
    reports = _pairs(source, REPORTS, base, "activity", "title")
    first = {k: (v[0].value if v and v[0] is not None else "") for k, v in _pairs(source, FIRST_EVENTS, base, "activity", "first").items()}
    for iri in sorted(labels):
        nl, en = _label_pair(labels[iri])
        date = first.get(iri, "")
        data.activities[iri] = Activity(
            iri, nl or iri, en or iri,
            kinds=_specific({t.value for t in types.get(iri, [])}, supers, activity_class),
            themes=tuple(sorted({t.value for t in themes.get(iri, []) if t is not None})),
            year=_year(starts.get(iri, []), date, reports.get(iri, [])),
            month=int(date[5:7]) if len(date) >= 7 and date[5:7].isdigit() else None,
        )
    roles: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in source.select(QUALIFIED_ROLES.format(base=base)):
        roles[(_text(row, "activity"), _text(row, "org"))].add(_text(row, "role"))
    pairs = {(_text(r, "activity"), _text(r, "org")) for r in source.select(ASSOCIATIONS.format(base=base))}
    data.associations = [Association(a, o, tuple(sorted(roles.get((a, o), ())))) for a, o in sorted(pairs)]
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
