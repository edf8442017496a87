"""Scores (0-100) for reconciliation candidates, and when a candidate is a match.

A name is compared with every name of a candidate, the best comparison counts:

| the query and a name of the candidate ...                        | score |
| ---                                                              | ---   |
| fold equal (case, accents, punctuation, whitespace, "&" = "en")  | 100   |
| equal once legal forms and prefixes are dropped (kgraph.reconcile.normalise.key) | 98 |
| the same words in another order, or without "of", "van", "de"...| 93    |
| a typo away: edit distance 1 in 6-9 letters, 2 in 10-15, 3 beyond | 90 - 4 per edit |
| in 4-5 letters, two neighbouring letters swapped ("Gnet")        | 86    |
| otherwise                                                        | word overlap and letter similarity, at most 80 |

Properties (NIS code, kind, city) then add or take off points; a NIS code equal is an identifier
match. `match: true` is given only when exactly one candidate is *strong* (one of the first four
rows, or its NIS code equal) and conflicts with no property given: a name the graph does not
hold is never a match, and neither is a name two resources share (Antwerpen the city and the
place, when no type says which).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kgraph.reconcile.index import Entity, NameEntry, ReconciliationIndex
from kgraph.reconcile.normalise import fold, key, trigrams
from kgraph.reconcile.queries import PropertyValue, Query
from kgraph.reconcile.types import TYPES_BY_ID

STOPWORDS = frozenset({"of", "the", "for", "van", "de", "het", "der", "voor", "en", "and"})
STRONG = 90 - 4 * 3  # the lowest score a typo still counts as strong at
MIN_SCORE = 35  # candidates below this are not worth showing
# Words people write for a kind of organisation -> local names of the kgraph kinds they mean.
KIND_WORDS: dict[str, tuple[str, ...]] = {
    "CentralCity": ("centrumstad", "central city", "stad", "city"),
    "LocalGovernment": ("lokaal bestuur", "local government", "gemeente", "municipality", "stad", "city", "bestuur"),
    "GovernmentAgency": ("agentschap", "agency", "overheid", "government", "overheidsinstantie",
                         "departement", "department", "public authority", "overheidsdienst"),
    "NonProfit": ("vzw", "non profit", "nonprofit", "vereniging", "association", "ngo", "ivzw"),
    "Company": ("bedrijf", "onderneming", "company", "firm", "firma", "nv", "bv", "bvba", "business"),
    "ResearchOrganisation": ("onderzoeksinstelling", "research organisation", "research", "universiteit",
                             "university", "kennisinstelling", "onderzoekscentrum"),
    "Network": ("netwerk", "network", "overleg", "samenwerkingsverband", "koepel"),
}


@dataclass
class Scored:
    """A candidate with its score, whether it is strong, and the evidence (features)."""

    entity: Entity
    score: float
    strong: bool
    conflict: bool = False
    features: list[dict] = field(default_factory=list)
    level: int = 0  # see strength(): set from the name score, raised by an equal NIS code


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a transposition is one edit), or limit + 1 beyond limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] | None = None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def swapped_once(a: str, b: str) -> bool:
    """Whether b is a with two neighbouring letters swapped (and nothing else changed)."""
    if len(a) != len(b) or a == b:
        return False
    differ = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
    return len(differ) == 2 and differ[1] == differ[0] + 1 and a[differ[0]] == b[differ[1]] and a[differ[1]] == b[differ[0]]


def typo_allowance(length: int) -> int:
    """Edits a name of this many letters may carry and still be the same name (short names: none)."""
    return 0 if length < 6 else 1 if length < 10 else 2 if length < 16 else 3


def name_score(query_fold: str, query_key: str, entry: NameEntry) -> tuple[float, bool]:
    """How well the query names this entry: (score 0-100, strong)."""
    if query_fold == entry.folded:
        return 100.0, True
    if query_key == entry.key:
        return 98.0, True
    query_words, entry_words = set(query_key.split()), set(entry.key.split())
    if query_words == entry_words or (query_words - STOPWORDS and query_words - STOPWORDS == entry_words - STOPWORDS):
        return 93.0, True
    allowed = typo_allowance(min(len(query_key), len(entry.key)))
    if allowed:
        edits = edit_distance(query_key, entry.key, allowed)
        if edits <= allowed:
            return 90.0 - 4 * edits, True
    elif len(query_key) >= 4 and swapped_once(query_key, entry.key):
        return 86.0, True  # "Gnet": two letters swapped, the commonest slip, even in a short name
    overlap = len(query_words & entry_words) / len(query_words | entry_words) if query_words | entry_words else 0
    # Letter similarity by shared trigrams: set operations, fast enough for every name per query.
    grams = trigrams(query_key)
    similarity = len(grams & entry.trigrams) / len(grams | entry.trigrams) if grams | entry.trigrams else 0
    return round(min(80.0, max(80 * overlap, 80 * similarity)), 1), False


def _kind_matches(index: ReconciliationIndex, entity: Entity, value: str) -> bool:
    folded = fold(value)
    for kind in entity.kinds:
        local = kind.iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        names = {fold(label) for label in kind.labels.values()} | {fold(local)}
        if value == kind.iri or folded in names or folded in KIND_WORDS.get(local, ()):
            return True
    return False


def _city_matches(index: ReconciliationIndex, entity: Entity, value: str) -> bool | None:
    """True / False when the candidate has a municipality to compare with; None when it has none."""
    if not entity.municipalities:
        return None
    wanted = {value, key(value)}
    return any(value == m or wanted & index.municipality_keys.get(m, set()) for m in entity.municipalities)


def apply_properties(index: ReconciliationIndex, scored: Scored, properties: tuple[PropertyValue, ...],
                     named: bool = True) -> None:
    """Adjust a candidate's score by the properties given: a NIS code equal makes it strong when
    its name matches too, or when the query gives no name (`named` False)."""
    entity = scored.entity
    for constraint in properties:
        if constraint.pid == "nisCode":
            if not entity.nis_codes:
                scored.score -= 10
                scored.features.append({"id": "nisCode", "value": False})
                continue
            equal = bool(entity.nis_codes & {v.rjust(5, "0") for v in constraint.values})
            scored.features.append({"id": "nisCode", "value": equal})
            if equal and (scored.strong or not named):
                # The identifier settles it, unless the name given says otherwise (then it is a bonus).
                scored.level = 3 if scored.strong else 2
                scored.score, scored.strong = max(scored.score + 20, 100.0 if scored.strong else 95.0), True
            elif equal:
                scored.score += 20
            else:
                scored.score -= 40
                scored.conflict = True
        elif constraint.pid == "kind":
            equal = any(_kind_matches(index, entity, v) for v in constraint.values)
            scored.features.append({"id": "kind", "value": equal})
            scored.score += 5 if equal else -25
            scored.conflict |= not equal
        elif constraint.pid == "city":
            found = [_city_matches(index, entity, v) for v in constraint.values]
            if all(f is None for f in found):
                scored.features.append({"id": "city", "value": False})
                continue
            equal = any(found)
            scored.features.append({"id": "city", "value": equal})
            scored.score += 5 if equal else -25
            scored.conflict |= not equal
    scored.score = round(max(0.0, min(100.0, scored.score)), 1)


def score_candidates(index: ReconciliationIndex, query: Query) -> list[Scored]:
    """Every candidate worth showing for a query, best first."""
    query_fold, query_key = fold(query.text), key(query.text)
    best: dict[str, tuple[float, bool]] = {}
    if query_fold:
        allowed = {e.iri for e in index.candidates(set(query.types) if query.types else None)}
        for entry in index.names:
            if entry.iri not in allowed:
                continue
            result = name_score(query_fold, query_key, entry)
            if entry.iri not in best or result > best[entry.iri]:
                best[entry.iri] = result
    else:  # properties only: every candidate of the types starts even
        best = {e.iri: (50.0, False) for e in index.candidates(set(query.types) if query.types else None)}
    scored = []
    for iri, (score, strong) in best.items():
        level = 0 if not strong else 3 if score >= 98 else 2 if score >= 93 else 1
        candidate = Scored(index.entities[iri], score, strong, features=[{"id": "name", "value": score}] if query_fold else [],
                           level=level)
        apply_properties(index, candidate, query.properties, named=bool(query_fold))
        if candidate.score >= MIN_SCORE:
            scored.append(candidate)
    scored.sort(key=lambda s: (-s.score, s.entity.label("nl"), s.entity.iri))
    return scored


def strength(candidate: Scored) -> int:
    """3: the same name (or NIS code), 2: the same words, 1: a typo away, 0: weaker."""
    return candidate.level


def the_match(scored: list[Scored]) -> Scored | None:
    """The one candidate that is strongest without conflicting with a property, if it is alone
    at that strength ("Growfunding" is the organisation, not the theme "crowdfunding" a typo away)."""
    clean = [s for s in scored if s.strong and not s.conflict]
    if not clean:
        return None
    top = max(strength(s) for s in clean)
    at_top = [s for s in clean if strength(s) == top]
    return at_top[0] if len(at_top) == 1 else None


def reconcile_one(index: ReconciliationIndex, query: Query, lang: str = "en") -> list[dict]:
    """The result list of one query, as the API writes it (id, name, description, score, match, type, features)."""
    scored = score_candidates(index, query)
    unique = the_match(scored)
    results = []
    for candidate in scored[: query.limit]:
        entity = candidate.entity
        result = {
            "id": entity.iri,
            "name": entity.label(lang),
            "score": candidate.score,
            "match": candidate is unique,
            "type": [{"id": t, "name": TYPES_BY_ID[t].name(lang)} for t in sorted(entity.types)],
            "features": candidate.features,
        }
        description = entity.description(lang)
        if description:
            result["description"] = description
        results.append(result)
    return results


def reconcile_batch(index: ReconciliationIndex, batch: dict[str, Query], lang: str = "en") -> dict[str, dict]:
    """The answer to a batch: {key: {"result": [...]}} for every key sent."""
    return {name: {"result": reconcile_one(index, query, lang)} for name, query in batch.items()}
