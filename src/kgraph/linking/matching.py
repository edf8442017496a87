"""Candidate links between our records and a partner's: shared identifiers first, then labels.

1. A shared identifier (an NIS code, an enterprise number, any notation both sides give, compared
   as digits when it is one) or an existing owl:sameAs (the partner's item says it is ours, or
   both name the same third IRI): score 1.0, suggested owl:sameAs; such a partner item gets
   no label candidates.
2. Else the normalised labels (case, accents, punctuation, whitespace, "&" for "en", Dutch legal
   forms and prefixes such as "Stad", "vzw", "NV" ignored): equal gives 0.9 and skos:exactMatch,
   similar (difflib ratio >= 0.85) gives the ratio times 0.8 and skos:closeMatch.
   The kind adds or takes: a public body on one side and not on the other costs 0.2.
Each candidate says why (its evidence); a person decides (linking.review).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from kgraph.linking.local import Record

OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
SKOS_EXACT = "http://www.w3.org/2004/02/skos/core#exactMatch"
SKOS_CLOSE = "http://www.w3.org/2004/02/skos/core#closeMatch"

# Words that say what legal form or kind of body a name has, not which one it is.
NOISE_WORDS = frozenset({
    "stad", "gemeente", "stadsbestuur", "gemeentebestuur", "city", "of", "the", "de", "het",
    "vzw", "asbl", "nv", "bv", "bvba", "cv", "cvba", "vof", "sa", "ivzw", "agentschap",
})
SIMILAR = 0.85


def normalise(label: str) -> str:
    """A label as compared: lowercase, no accents or punctuation, '&' as 'en', noise words out."""
    text = unicodedata.normalize("NFKD", label)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower().replace("&", " en ")
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    kept = [w for w in words if w not in NOISE_WORDS]
    return " ".join(kept or words)


def identifier_key(value: str) -> str:
    """An identifier as compared: its digits when it has some (0123.456.789 = 0123456789)."""
    digits = re.sub(r"\D", "", value)
    return digits if len(digits) >= 4 else value.strip().lower()


@dataclass(frozen=True)
class Candidate:
    """A proposed link from one of ours to one of the partner's."""

    ours: str
    our_label: str
    partner: str
    partner_label: str
    score: float
    predicate: str
    evidence: str


def _by_identifier(ours: Record, theirs: Record) -> str | None:
    if ours.iri in theirs.same_as:
        return f"the partner's owl:sameAs names {ours.iri}"
    shared_links = sorted(ours.same_as & theirs.same_as)
    if shared_links:
        return f"both link to {shared_links[0]}"
    if theirs.iri in ours.same_as:
        return f"we already link to {theirs.iri}"
    mine = {identifier_key(i): i for i in ours.identifiers}
    for value in sorted(theirs.identifiers):
        if identifier_key(value) in mine:
            return f"shared identifier {value} (ours {mine[identifier_key(value)]})"
    return None


def _kind_penalty(ours: Record, theirs: Record) -> tuple[float, str]:
    if not theirs.types:
        return 0.0, ""
    if ours.public != theirs.public:
        return 0.2, "; kinds differ (public body on one side only)"
    return 0.0, "; kinds agree" if ours.public else ""


def _by_label(ours: Record, theirs: Record) -> tuple[float, str, str] | None:
    best: tuple[float, str, str] | None = None
    for mine in ours.labels:
        for other in theirs.labels:
            a, b = normalise(mine), normalise(other)
            if not a or not b:
                continue
            if a == b:
                found = (0.9, SKOS_EXACT, f"same normalised label {a!r} ({mine!r} / {other!r})")
            else:
                ratio = difflib.SequenceMatcher(None, a, b).ratio()
                if ratio < SIMILAR:
                    continue
                found = (round(ratio * 0.8, 3), SKOS_CLOSE, f"similar labels {mine!r} / {other!r} (ratio {ratio:.2f})")
            if best is None or found[0] > best[0]:
                best = found
    return best


def candidates(ours: list[Record], theirs: list[Record], threshold: float = 0.5) -> list[Candidate]:
    """Every candidate link scoring at least threshold, best first, then by our IRI."""
    found: list[Candidate] = []
    for partner in theirs:
        # identifiers first: a partner item one of ours shares an identifier or link with gets
        # no label candidates besides (a similar name elsewhere is then a different thing)
        by_identifier = [(mine, reason) for mine in ours if mine.iri != partner.iri
                         for reason in [_by_identifier(mine, partner)] if reason]
        for mine, reason in by_identifier:
            found.append(Candidate(mine.iri, mine.label, partner.iri, partner.label, 1.0, OWL_SAME_AS, reason))
        if by_identifier:
            continue
        for mine in ours:
            if mine.iri == partner.iri:
                continue
            labelled = _by_label(mine, partner)
            if not labelled:
                continue
            score, predicate, evidence = labelled
            penalty, note = _kind_penalty(mine, partner)
            score = round(score - penalty, 3)
            if score >= threshold:
                found.append(Candidate(mine.iri, mine.label, partner.iri, partner.label, score, predicate, evidence + note))
    return sorted(found, key=lambda c: (-c.score, c.ours, c.partner))
