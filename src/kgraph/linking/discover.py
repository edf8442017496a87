"""One `kgraph link` run: the partner's candidates, ours, and the review file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kgraph.sparql import guard
from kgraph.sparql.diagnostics import readable
from kgraph.sparql.errors import QueryError
from kgraph.linking.client import PartnerClient, PartnerRows, Politeness
from kgraph.linking.kinds import KINDS
from kgraph.linking.local import our_records, records
from kgraph.linking.matching import Candidate, candidates
from kgraph.linking.review import write_review


class LinkQueryError(ValueError):
    """A --query file that cannot be sent as it is; the message names the file (and line)."""


@dataclass
class Discovery:
    """What a run found: the candidates, and the partner's rows (partial or not)."""

    kind: str
    fetched: PartnerRows
    partner_items: int
    found: list[Candidate]

    @property
    def header(self) -> dict[str, str]:
        status = f"partial: {self.fetched.reason}" if self.fetched.partial else "complete"
        return {"kgraph link review": f"kind {self.kind}", "endpoint": self.fetched.endpoint,
                "status": status, "partner items": str(self.partner_items),
                "pages": str(self.fetched.pages), "candidates": str(len(self.found))}


def read_query(path: Path) -> str:
    """A --query file: a SELECT without its own LIMIT/OFFSET/ORDER BY (the client pages it)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LinkQueryError(f"{path}: cannot read the query ({exc})") from None
    try:
        # the project's one guard (no SERVICE / LOAD, bounded nesting), then a parse on an empty
        # store, only to say where the text is wrong before a partner is asked
        guard.check(text)
        ox.Store().query(text)
    except QueryError as exc:
        raise LinkQueryError(f"{path}: {exc}") from None
    except SyntaxError as exc:
        raise LinkQueryError(f"{path}: {readable(text, str(exc))}") from None
    for number, line in enumerate(text.splitlines(), start=1):
        code = line.split("#", 1)[0].upper()
        for word in ("LIMIT", "OFFSET", "ORDER BY"):
            if f" {word} " in f" {code} ":
                raise LinkQueryError(f"{path}:{number}: remove {word}: kgraph link pages the query itself")
    if "?item" not in text:
        raise LinkQueryError(f"{path}: the query must select ?item (and ?label; ?identifier ?sameAs ?type optional)")
    return text


def discover(endpoint: str, kind: str, store: ox.Store, base: str, query: str | None = None,
             politeness: Politeness = Politeness()) -> Discovery:
    """Page through the partner, match against our resources of kind; never raises on the partner."""
    spec = KINDS[kind]
    fetched = PartnerClient(endpoint, politeness).fetch_all(query or spec.partner_query)
    theirs = records([{name: term["value"] for name, term in row.items()} for row in fetched.rows])
    found = candidates(our_records(store, spec, base), theirs)
    return Discovery(kind, fetched, len(theirs), found)


def write(discovery: Discovery, out: Path) -> None:
    """The review file of a run."""
    write_review(out, discovery.found, discovery.header)
