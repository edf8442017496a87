"""Running one page of a named query through the endpoint's executor (deadline, row limit,
SERVICE/LOAD guard), with its parameters bound as RDF terms.

Paging asks the engine for limit + 1 solutions from offset (a LIMIT/OFFSET clause made here from
two checked integers; the named queries have none of their own), so whether there is a next page
is known without counting everything. CONSTRUCT answers become subject/predicate/object rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

import pyoxigraph as ox

from kgraph.named_queries import NamedQuery
from kgraph.sparql import guard, negotiation

FORMATS = {negotiation.SOLUTIONS: "application/sparql-results+json",
           negotiation.BOOLEAN: "application/sparql-results+json",
           negotiation.GRAPH: "application/n-triples"}


@dataclass(frozen=True)
class Page:
    """One page of a named query's answer."""

    variables: list[str]
    rows: list[dict[str, Any]]
    limit: int
    offset: int
    more: bool


_GRAPH_FORM = re.compile(r"^\s*(CONSTRUCT|DESCRIBE)\b", re.IGNORECASE | re.MULTILINE)


def is_graph_query(query: NamedQuery) -> bool:
    """Whether the query is a CONSTRUCT / DESCRIBE (paged by triples, in Python, not by LIMIT)."""
    body = "\n".join(line for line in query.sparql.splitlines() if not line.lstrip().startswith("#"))
    return bool(_GRAPH_FORM.search(body))


def paged_text(query: NamedQuery, base: str, limit: int, offset: int, lang: str = "nl") -> str:
    """The query's text with its base and labels in `lang`, asking for limit + 1 solutions from offset."""
    if is_graph_query(query):
        return query.text(base, lang)
    return f"{query.text(base, lang).rstrip()}\nLIMIT {int(limit) + 1}\nOFFSET {int(offset)}\n"


def _triples_rows(body: bytes) -> tuple[list[str], list[dict[str, Any]]]:
    rows = [{"subject": q.subject.value, "predicate": q.predicate.value,
             "object": q.object.value} for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
    return ["subject", "predicate", "object"], rows


def run_page(executor: Any, query: NamedQuery, base: str, terms: Mapping[str, Any], limit: int, offset: int,
             allowlist: tuple[str, ...] | list[str] = (), lang: str = "nl") -> Page:
    """One page of the query's answer; the executor's errors (kgraph.sparql.errors) pass through."""
    from kgraph.api.rows import from_results_json

    text = paged_text(query, base, limit, offset, lang)
    guard.check(text, allowlist)
    result = executor.query(text, FORMATS, base_iri=base, substitutions=dict(terms))
    body = result.read()
    if result.kind == negotiation.GRAPH:
        variables, rows = _triples_rows(body)
        rows = rows[offset:]
    else:
        variables, rows = from_results_json(body)
    return Page(variables, rows[:limit], limit, offset, more=len(rows) > limit)
