"""Our own candidates for `kgraph link`: the resources of a kind in the built store."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from kgraph.linking.kinds import PREFIXES, PUBLIC_TYPES, Kind

# Our labels, identifiers (kg:nisCode and OSLO's adms:identifier), and the external IRIs we
# already link to (owl:sameAs, skos:exactMatch).
OURS = PREFIXES + """PREFIX kg: <{base}ns/kgraph#>
SELECT ?item ?label ?identifier ?sameAs ?type WHERE {{
  ?item a <{cls}> .
  FILTER(STRSTARTS(STR(?item), "{base}id/"))
  {{ ?item rdfs:label|skos:prefLabel|skos:altLabel|foaf:name|schema:name ?label }}
  UNION {{ ?item kg:nisCode|adms:identifier/skos:notation ?identifier }}
  UNION {{ ?item owl:sameAs|skos:exactMatch ?sameAs }}
  UNION {{ ?item a ?type }}
}}
"""


@dataclass
class Record:
    """A thing to link, on either side: its IRI, labels, identifiers, linked IRIs and types."""

    iri: str
    labels: list[str] = field(default_factory=list)
    identifiers: set[str] = field(default_factory=set)
    same_as: set[str] = field(default_factory=set)
    types: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        return self.labels[0] if self.labels else ""

    @property
    def public(self) -> bool:
        return bool(self.types & PUBLIC_TYPES)


def records(rows: list[dict[str, str]]) -> list[Record]:
    """Records from rows of plain values (variable -> string), in order of first appearance."""
    found: dict[str, Record] = {}
    for row in rows:
        iri = row.get("item")
        if not iri:
            continue
        record = found.setdefault(iri, Record(iri))
        label = row.get("label")
        if label and label not in record.labels:
            record.labels.append(label)
        if row.get("identifier"):
            record.identifiers.add(row["identifier"].strip())
        if row.get("sameAs"):
            record.same_as.add(row["sameAs"])
        if row.get("type"):
            record.types.add(row["type"])
    return list(found.values())


def our_records(store: ox.Store, kind: Kind, base: str) -> list[Record]:
    """Our resources of kind, from the built store (a query of ours, not client input)."""
    query = OURS.format(base=base, cls=kind.our_class)
    solutions = store.query(query, use_default_graph_as_union=True)
    names = [v.value for v in solutions.variables]
    rows = [{name: s[name].value for name in names if s[name] is not None} for s in solutions]
    rows.sort(key=lambda r: (r["item"], r.get("label", ""), r.get("identifier", ""), r.get("sameAs", ""), r.get("type", "")))
    return records(rows)
