"""Data extension: the properties proposed for a type, and their values for matched resources.

    propose_properties(type_id)                  -> {"type": ..., "properties": [...]}
    extend(index, parse_extend_query(text))       -> {"meta": [...], "rows": {id: {pid: [values]}}}

Values come from the index (built from the store once per release): ids a client sends are
looked up there, never put into a query.
"""

from __future__ import annotations

from dataclasses import dataclass

from kgraph.reconcile.errors import ReconcileInputError
from kgraph.reconcile.index import Entity, ReconciliationIndex
from kgraph.reconcile.queries import read_json
from kgraph.reconcile.types import ORGANISATION, PROPERTIES, PROPERTIES_BY_ID, TYPES_BY_ID, find_type

MAX_IDS = 500


@dataclass(frozen=True)
class ExtendQuery:
    """Which resources and which properties a data extension asks for."""

    ids: tuple[str, ...]
    properties: tuple[str, ...]


def propose_properties(type_id: str | None, limit: int | None = None, lang: str = "en") -> dict:
    """The properties that can be fetched for resources of a type (organisations by default)."""
    spec = find_type(type_id) if type_id else TYPES_BY_ID[ORGANISATION]
    if spec is None:
        raise ReconcileInputError("type", f"unknown type; the types are {', '.join(TYPES_BY_ID)}")
    found = [{"id": p.id, "name": p.name(lang), "description": p.description}
             for p in PROPERTIES if p.extend and spec.id in p.applies_to]
    answer: dict = {"type": spec.id, "properties": found[:limit] if limit else found}
    if limit:
        answer["limit"] = limit
    return answer


def parse_extend_query(text: str, parameter: str = "extend") -> ExtendQuery:
    """The `extend` parameter, checked: {"ids": [...], "properties": [{"id": ...}]}."""
    value = read_json(parameter, text)
    if not isinstance(value, dict) or not isinstance(value.get("ids"), list) or not isinstance(value.get("properties"), list):
        raise ReconcileInputError(parameter, 'must be {"ids": [...], "properties": [{"id": ...}, ...]}')
    if len(value["ids"]) > MAX_IDS:
        raise ReconcileInputError(f"{parameter}.ids", f"{len(value['ids'])} ids; at most {MAX_IDS} per request")
    ids = []
    for position, item in enumerate(value["ids"]):
        if not isinstance(item, str):
            raise ReconcileInputError(f"{parameter}.ids[{position}]", "must be a string (an IRI the service returned)")
        ids.append(item)
    properties = []
    for position, item in enumerate(value["properties"][:20]):
        pid = item.get("id") if isinstance(item, dict) else None
        if not isinstance(pid, str) or pid not in PROPERTIES_BY_ID or not PROPERTIES_BY_ID[pid].extend:
            known = ", ".join(p.id for p in PROPERTIES if p.extend)
            raise ReconcileInputError(f"{parameter}.properties[{position}].id", f"unknown property; the properties are {known}")
        properties.append(pid)
    return ExtendQuery(tuple(ids), tuple(properties))


def _values(index: ReconciliationIndex, entity: Entity, pid: str, lang: str) -> list[dict]:
    if pid == "nisCode":
        return [{"str": code} for code in sorted(entity.nis_codes)]
    if pid == "kind":
        return [{"id": kind.iri, "name": kind.label(lang)} for kind in entity.kinds[:1]]
    if pid == "city":
        return [{"id": m, "name": _municipality_name(index, m, lang)} for m in sorted(entity.municipalities)]
    if pid == "activityCount":
        return [{"int": entity.activity_count}] if ORGANISATION in entity.types else []
    if pid == "partner":
        partners = [index.entities[p] for p in entity.partners if p in index.entities]
        return [{"id": p.iri, "name": p.label(lang)} for p in sorted(partners, key=lambda p: p.label(lang))]
    return []


def _municipality_name(index: ReconciliationIndex, municipality: str, lang: str) -> str:
    """The name of a municipality: the shortest name of the local government with its NIS code
    ("Gent" of "Stad Gent", "City of Ghent", "Gent"), else its NIS code."""
    for entity in index.entities.values():
        if municipality in entity.municipalities and entity.nis_codes and entity.names:
            return min(entity.names, key=lambda name: (len(name), name))
    return municipality.rstrip("/").rsplit("/", 1)[-1]


def extend(index: ReconciliationIndex, query: ExtendQuery, lang: str = "en") -> dict:
    """The values of each property for each id; an id the graph does not hold gets empty values."""
    meta = []
    for pid in query.properties:
        spec = PROPERTIES_BY_ID[pid]
        entry: dict = {"id": pid, "name": spec.name(lang)}
        if pid == "partner":  # its values are entities of a reconciliation type
            entry["type"] = {"id": ORGANISATION, "name": TYPES_BY_ID[ORGANISATION].name(lang)}
        meta.append(entry)
    rows = {}
    for iri in query.ids:
        entity = index.get(iri)
        rows[iri] = {pid: (_values(index, entity, pid, lang) if entity else []) for pid in query.properties}
    return {"meta": meta, "rows": rows}
