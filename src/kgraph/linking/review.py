"""The review file of `kgraph link`, and `kgraph link accept`: reviewed rows into data/links/.

The review file is CSV, one candidate a row, best first: our IRI and label, the partner's IRI
and label, the score (0-1), the suggested predicate (owl:sameAs, skos:exactMatch or
skos:closeMatch, editable), the evidence, and an empty `decision` column. Lines starting with
"#" before the header say where the candidates came from and whether the partner's answer was
complete. A person writes `accept` (or yes / ja / x) in `decision`; only those rows are written
into data/links/<partner>.ttl, with a void:Dataset naming the partner. Nothing else is.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kgraph.linking.matching import OWL_SAME_AS, SKOS_CLOSE, SKOS_EXACT, Candidate

COLUMNS = ("our_iri", "our_label", "partner_iri", "partner_label", "score", "predicate", "evidence", "decision")
PREDICATES = {"owl:sameAs": OWL_SAME_AS, "skos:exactMatch": SKOS_EXACT, "skos:closeMatch": SKOS_CLOSE}
SHORT = {iri: name for name, iri in PREDICATES.items()}
ACCEPTED = frozenset({"accept", "accepted", "yes", "y", "ja", "x"})
PARTNER_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
WELL_FORMED = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


class ReviewError(ValueError):
    """A review file or an accept request that cannot be used; the message names file:line."""


def write_review(path: Path, found: list[Candidate], header: dict[str, str]) -> None:
    """The review file: "# key: value" lines from header, then the CSV of the candidates."""
    out = io.StringIO()
    for key, value in header.items():
        out.write(f"# {key}: {value}\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for c in found:
        writer.writerow((c.ours, c.our_label, c.partner, c.partner_label, f"{c.score:.3f}",
                         SHORT[c.predicate], c.evidence, ""))
    path.write_text(out.getvalue(), encoding="utf-8")


@dataclass(frozen=True)
class Accepted:
    """One reviewed row a person accepted."""

    line: int
    ours: str
    predicate: str
    partner: str


def read_review(path: Path) -> tuple[dict[str, str], list[Accepted]]:
    """The header and the accepted rows of a review file, or ReviewError naming file:line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReviewError(f"{path}: cannot read the review file ({exc})") from None
    header: dict[str, str] = {}
    lines = text.splitlines()
    start = 0
    while start < len(lines) and lines[start].startswith("#"):
        key, _, value = lines[start][1:].partition(":")
        header[key.strip()] = value.strip()
        start += 1
    reader = csv.DictReader(lines[start:])
    missing = [c for c in ("our_iri", "partner_iri", "predicate", "decision") if c not in (reader.fieldnames or [])]
    if missing:
        raise ReviewError(f"{path}:{start + 1}: the header lacks the column(s) {', '.join(missing)}")
    accepted = []
    for number, row in enumerate(reader, start=start + 2):
        if (row.get("decision") or "").strip().lower() not in ACCEPTED:
            continue
        predicate = (row.get("predicate") or "").strip()
        if predicate not in PREDICATES:
            raise ReviewError(f"{path}:{number}: predicate {predicate!r} is none of {', '.join(PREDICATES)}")
        ours, partner = (row.get("our_iri") or "").strip(), (row.get("partner_iri") or "").strip()
        for column, value in (("our_iri", ours), ("partner_iri", partner)):
            if not WELL_FORMED.match(value):
                raise ReviewError(f"{path}:{number}: {column} {value!r} is not an http(s) IRI")
        accepted.append(Accepted(number, ours, PREDICATES[predicate], partner))
    return header, accepted


def _check(path: Path, accepted: list[Accepted], base: str) -> None:
    same_as: dict[str, Accepted] = {}
    for row in accepted:
        if not row.ours.startswith(f"{base}id/"):
            raise ReviewError(f"{path}:{row.line}: our_iri {row.ours} is not one of ours ({base}id/...)")
        if row.partner.startswith(base):
            raise ReviewError(f"{path}:{row.line}: partner_iri {row.partner} is one of our own IRIs")
        if row.predicate == OWL_SAME_AS:
            earlier = same_as.get(row.ours)
            if earlier and earlier.partner != row.partner:
                raise ReviewError(f"{path}:{row.line}: a second owl:sameAs for {row.ours} in this partner's "
                                  f"dataset (line {earlier.line} accepts {earlier.partner}); keep one")
            same_as[row.ours] = row


def _relative(iri: str, base: str) -> str:
    """Our IRIs as relative IRIs: content files never name the base."""
    return f"<{iri[len(base):]}>" if iri.startswith(base) else f"<{iri}>"


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _existing(target: Path, base: str) -> set[tuple[str, str, str]]:
    """The link statements already in target (accepting twice keeps one of each)."""
    if not target.exists():
        return set()
    links = set()
    try:
        for quad in ox.parse(path=str(target), format=ox.RdfFormat.TURTLE, base_iri=base):
            if quad.predicate.value in SHORT and isinstance(quad.object, ox.NamedNode):
                links.add((quad.subject.value, quad.predicate.value, quad.object.value))
    except SyntaxError as exc:
        raise ReviewError(f"{target}: cannot read the existing links ({exc})") from None
    return links


def accept(review: Path, partner: str, links_dir: Path, base: str, title: str | None = None,
           uri_space: str | None = None) -> tuple[Path, int]:
    """Write the accepted rows of review into links_dir/<partner>.ttl; (file, links in it)."""
    if not PARTNER_NAME.match(partner):
        raise ReviewError(f"--partner {partner!r}: a lowercase slug ([a-z0-9]+(-[a-z0-9]+)*), e.g. stad-gent")
    header, accepted = read_review(review)
    if not accepted:
        raise ReviewError(f"{review}: no row has `accept` in its decision column; nothing to publish")
    _check(review, accepted, base)
    target = links_dir / f"{partner}.ttl"
    links = _existing(target, base) | {(a.ours, a.predicate, a.partner) for a in accepted}
    space = uri_space or _common_space([p for _, _, p in links])
    name = title or header.get("partner", partner)
    dataset = f"<id/dataset/{partner}>"
    out = [f"# Links to {name}, accepted by a person from `kgraph link` review files",
           f"# (last: {review.name}). Written by `kgraph link accept`; edit by reviewing again.", "",
           "@prefix owl:  <http://www.w3.org/2002/07/owl#> .",
           "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
           "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
           "@prefix void: <http://rdfs.org/ns/void#> .", "",
           f"{dataset} a void:Dataset ;",
           f"    rdfs:label {_literal(name)}@nl , {_literal(name)}@en ;"]
    if header.get("endpoint"):
        out.append(f"    void:sparqlEndpoint <{header['endpoint']}> ;")
    out += [f"    void:uriSpace {_literal(space)} .", ""]
    for ours, predicate, other in sorted(links):
        out.append(f"{_relative(ours, base)} {SHORT[predicate]} <{other}> .")
    links_dir.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(out) + "\n", encoding="utf-8")
    return target, len(links)


def _common_space(iris: list[str]) -> str:
    """The partner's URI space: the longest common prefix of its IRIs, up to a '/' or '#'."""
    prefix = iris[0]
    for iri in iris[1:]:
        while not iri.startswith(prefix):
            prefix = prefix[:-1]
    cut = max(prefix.rfind("/"), prefix.rfind("#"))
    return prefix[:cut + 1]
