"""The suggest services: entities, types and properties whose names start with what was typed
(folded as for matching), for OpenRefine's auto-complete boxes. `cursor` pages through them."""

from __future__ import annotations

from kgraph.reconcile.index import ReconciliationIndex
from kgraph.reconcile.normalise import fold, key
from kgraph.reconcile.types import PROPERTIES, TYPES, TYPES_BY_ID

PAGE = 10


def _starts(prefix: str, names: list[str]) -> int | None:
    """0: a name starts with the prefix; 1: a word of a name does; 2: it occurs inside; None: no."""
    ranks = []
    for name in names:
        folded = fold(name)
        if folded.startswith(prefix) or key(name).startswith(prefix):
            ranks.append(0)
        elif f" {prefix}" in f" {folded}":
            ranks.append(1)
        elif prefix in folded:
            ranks.append(2)
    return min(ranks) if ranks else None


def _page(ranked: list[tuple[int, str, dict]], cursor: int) -> dict:
    ranked.sort(key=lambda r: (r[0], r[1]))
    return {"result": [r[2] for r in ranked[cursor:cursor + PAGE]]}


def suggest_entities(index: ReconciliationIndex, prefix: str, type_ids: frozenset[str] | None = None,
                     cursor: int = 0, lang: str = "en") -> dict:
    """Entities with a name starting with (or holding) the prefix, best first."""
    folded = fold(prefix)
    ranked = []
    if folded:
        for entity in index.candidates(set(type_ids) if type_ids else None):
            rank = _starts(folded, sorted(entity.names))
            if rank is not None:
                hit = {"id": entity.iri, "name": entity.label(lang),
                       "notable": [{"id": t, "name": TYPES_BY_ID[t].name(lang)} for t in sorted(entity.types)]}
                description = entity.description(lang)
                if description:
                    hit["description"] = description
                ranked.append((rank, fold(entity.label(lang)), hit))
    return _page(ranked, cursor)


def suggest_types(prefix: str, cursor: int = 0, lang: str = "en") -> dict:
    """The service's types by name (nl, en or alias) or class IRI."""
    folded = fold(prefix)
    ranked = []
    for spec in TYPES:
        rank = _starts(folded, [spec.nl, spec.en, *spec.aliases]) if folded else 0
        if rank is None and prefix and spec.id.startswith(prefix):
            rank = 0
        if rank is not None:
            ranked.append((rank, spec.name(lang), {"id": spec.id, "name": spec.name(lang)}))
    return _page(ranked, cursor)


def suggest_properties(prefix: str, cursor: int = 0, lang: str = "en") -> dict:
    """The properties to match on or fetch, by name or id."""
    folded = fold(prefix)
    ranked = []
    for spec in PROPERTIES:
        rank = _starts(folded, [spec.nl, spec.en, spec.id]) if folded else 0
        if rank is not None:
            ranked.append((rank, spec.name(lang), {"id": spec.id, "name": spec.name(lang), "description": spec.description}))
    return _page(ranked, cursor)
