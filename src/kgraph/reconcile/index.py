"""The label index the service matches against: every resource of the reconciliation types with
its names (nl and en labels, alternative labels), identifiers, kinds, municipality, activities
and partners. Built once per release from a few fixed queries (no client input reaches SPARQL);
kgraph.web.state keeps it on the served release.

Labels are read from rdfs:label, skos:prefLabel and skos:altLabel (and foaf:name, schema:name,
dcterms:title): the graph has rdfs:label today, the OSLO alignment adds skos:prefLabel. Kinds are
the organisation's kgraph classes or its org:classification / regorg:orgType concepts; NIS codes
come from kg:nisCode or an adms:identifier's skos:notation; the municipality from kg:municipality
or besluit:werkingsgebied. Either modelling gives the same index.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from kgraph.namespaces import STANDARD_PREFIXES as NS
from kgraph.query_source import QuerySource
from kgraph.reconcile.normalise import fold, key, trigrams
from kgraph.reconcile.types import TYPES

ADMS = "http://www.w3.org/ns/adms#"
REGORG = "http://www.w3.org/ns/regorg#"
DISPLAY_PREDICATES = (NS["skos"] + "prefLabel", NS["rdfs"] + "label")
NAME_PREDICATES = DISPLAY_PREDICATES + tuple(
    NS[p] + n for p, n in (("skos", "altLabel"), ("foaf", "name"), ("schema", "name"), ("dcterms", "title"))
)


@dataclass
class Kind:
    """A kind of organisation: its IRI (class or concept) and labels by language."""

    iri: str
    labels: dict[str, str] = field(default_factory=dict)

    def label(self, lang: str = "nl") -> str:
        return _pick(self.labels, lang) or self.iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@dataclass
class Entity:
    """One resource that can be reconciled."""

    iri: str
    types: set[str] = field(default_factory=set)
    labels: dict[str, str] = field(default_factory=dict)  # display label per language ("" untagged)
    names: set[str] = field(default_factory=set)  # every name it goes by, as written
    descriptions: dict[str, str] = field(default_factory=dict)
    nis_codes: set[str] = field(default_factory=set)
    kinds: list[Kind] = field(default_factory=list)  # most specific first
    municipalities: set[str] = field(default_factory=set)
    activity_count: int = 0
    partners: set[str] = field(default_factory=set)

    def label(self, lang: str = "nl") -> str:
        return _pick(self.labels, lang) or (sorted(self.names)[0] if self.names else self.iri)

    def description(self, lang: str = "nl") -> str | None:
        return _pick(self.descriptions, lang)


@dataclass(frozen=True)
class NameEntry:
    """One name of an entity, folded two ways for matching."""

    iri: str
    text: str
    folded: str
    key: str
    trigrams: frozenset[str]


@dataclass
class ReconciliationIndex:
    """Entities by IRI, their names for matching, and the names of the municipalities."""

    base: str
    entities: dict[str, Entity] = field(default_factory=dict)
    names: list[NameEntry] = field(default_factory=list)
    by_key: dict[str, set[str]] = field(default_factory=dict)
    municipality_keys: dict[str, set[str]] = field(default_factory=dict)  # municipality IRI -> keys
    kinds: dict[str, Kind] = field(default_factory=dict)

    @classmethod
    def build(cls, source: QuerySource, base: str) -> "ReconciliationIndex":
        """Read the index from a store (the union of its named graphs) with fixed queries."""
        index = cls(base)
        space = f"{base}id/"
        classes = " ".join(f"<{t.id}>" for t in TYPES)
        for row in source.select(
            f'SELECT ?s ?t WHERE {{ VALUES ?t {{ {classes} }} ?s a ?t FILTER(STRSTARTS(STR(?s), "{space}")) }}'
        ):
            iri, type_id = row["s"].value, row["t"].value
            spec = next(t for t in TYPES if t.id == type_id)
            if spec.category and not iri.startswith(f"{space}{spec.category}/"):
                continue
            index.entities.setdefault(iri, Entity(iri)).types.add(type_id)
        index._read_names(source)
        index._read_organisation_facts(source)
        index._read_municipality_names()
        return index

    # -- building
    def _select(self, source: QuerySource, query: str) -> list[dict]:
        return [row for row in source.select(query) if row["s"].value in self.entities]

    def _read_names(self, source: QuerySource) -> None:
        predicates = " ".join(f"<{p}>" for p in NAME_PREDICATES)
        space = f"{self.base}id/"
        rows = self._select(source, f"""SELECT ?s ?p ?l WHERE {{
            VALUES ?p {{ {predicates} }} ?s ?p ?l FILTER(isLiteral(?l) && STRSTARTS(STR(?s), "{space}")) }}""")
        display: dict[str, dict[str, tuple[int, str]]] = defaultdict(dict)
        for row in rows:
            entity, text, lang = self.entities[row["s"].value], row["l"].value, row["l"].language or ""
            entity.names.add(text)
            predicate = row["p"].value
            if predicate in DISPLAY_PREDICATES:
                rank = DISPLAY_PREDICATES.index(predicate)  # skos:prefLabel before rdfs:label
                held = display[entity.iri].get(lang)
                if held is None or (rank, text) < held:
                    display[entity.iri][lang] = (rank, text)
        for iri, by_lang in display.items():
            self.entities[iri].labels = {lang: text for lang, (_, text) in by_lang.items()}
        for row in self._select(source, f"""SELECT ?s ?d WHERE {{
                ?s <{NS['dcterms']}description> ?d FILTER(STRSTARTS(STR(?s), "{space}")) }}"""):
            self.entities[row["s"].value].descriptions.setdefault(row["d"].language or "", row["d"].value)
        for entity in self.entities.values():
            for text in sorted(entity.names):
                entry = NameEntry(entity.iri, text, fold(text), key(text), trigrams(key(text)))
                if entry.folded:
                    self.names.append(entry)
                    self.by_key.setdefault(entry.key, set()).add(entity.iri)

    def _read_organisation_facts(self, source: QuerySource) -> None:
        org, kg = NS["org"], f"{self.base}ns/kgraph#"
        rdfs, skos, prov = NS["rdfs"], NS["skos"], NS["prov"]
        for row in self._select(source, f"""SELECT ?s ?n WHERE {{
                {{ ?s <{kg}nisCode> ?n }} UNION {{ ?s <{ADMS}identifier>/<{skos}notation> ?n }}
                FILTER(REGEX(STR(?n), "^[0-9]{{5}}$")) }}"""):
            self.entities[row["s"].value].nis_codes.add(row["n"].value)
        # Kinds: the organisation's kgraph classes (deepest first), or its classification concepts; with labels.
        kind_rows = self._select(source, f"""SELECT ?s ?k ?l ?depth WHERE {{
            {{ ?s a <{org}Organization>, ?k FILTER(STRSTARTS(STR(?k), "{kg}"))
               OPTIONAL {{ SELECT ?k (COUNT(DISTINCT ?sup) AS ?depth) WHERE {{ ?k <{rdfs}subClassOf>+ ?sup }} GROUP BY ?k }} }}
            UNION {{ ?s <{org}classification>|<{REGORG}orgType> ?k BIND(99 AS ?depth) }}
            ?k <{rdfs}label>|<{skos}prefLabel> ?l }}""")
        depths: dict[tuple[str, str], int] = {}
        for row in kind_rows:
            kind = self.kinds.setdefault(row["k"].value, Kind(row["k"].value))
            kind.labels.setdefault(row["l"].language or "", row["l"].value)
            depths[(row["s"].value, kind.iri)] = int(row["depth"].value) if "depth" in row else 0
        for (iri, kind_iri), _ in sorted(depths.items(), key=lambda item: -item[1]):  # most specific first
            self.entities[iri].kinds.append(self.kinds[kind_iri])
        for row in self._select(source, f"""SELECT ?s ?m WHERE {{
                ?s <{kg}municipality>|<{NS['besluit']}werkingsgebied> ?m FILTER(isIRI(?m)) }}"""):
            self.entities[row["s"].value].municipalities.add(row["m"].value)
        associated = f"(<{prov}wasAssociatedWith>|(<{prov}qualifiedAssociation>/<{prov}agent>))"
        for row in self._select(source, f"""SELECT ?s (COUNT(DISTINCT ?a) AS ?n) WHERE {{
                ?a a <{prov}Activity> ; {associated} ?s . ?s a <{org}Organization> }} GROUP BY ?s"""):
            self.entities[row["s"].value].activity_count = int(row["n"].value)
        for row in self._select(source, f"""SELECT DISTINCT ?s ?p WHERE {{
                ?a a <{prov}Activity> ; {associated} ?s, ?p .
                ?s a <{org}Organization> . ?p a <{org}Organization> FILTER(?s != ?p) }}"""):
            self.entities[row["s"].value].partners.add(row["p"].value)

    def _read_municipality_names(self) -> None:
        """A municipality goes by the names of the local government that governs it (the one with
        its NIS code) and by its NIS code; the places that lie in it add no names of their own
        ("Auditorium van Den Bell" is no name of Antwerp)."""
        for entity in self.entities.values():
            for municipality in entity.municipalities:
                self.municipality_keys.setdefault(municipality, {municipality.rstrip("/").rsplit("/", 1)[-1]})
                if not entity.nis_codes:
                    continue
                keys = self.municipality_keys.setdefault(municipality, set())
                keys.update(key(name) for name in entity.names)
                keys.add(municipality.rstrip("/").rsplit("/", 1)[-1])
                keys.update(entity.nis_codes)

    # -- reading
    def get(self, iri: str) -> Entity | None:
        """The entity with this IRI, if the index holds it."""
        return self.entities.get(iri)

    def candidates(self, type_ids: set[str] | None) -> list[Entity]:
        """Entities of any of the types (all when None), in IRI order."""
        return [e for iri, e in sorted(self.entities.items()) if type_ids is None or e.types & type_ids]


def _pick(values: dict[str, str], lang: str) -> str | None:
    for wanted in (lang, "nl", "en", ""):
        if wanted in values:
            return values[wanted]
    return next(iter(values.values()), None)
