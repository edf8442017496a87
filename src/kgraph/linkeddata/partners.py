"""The partner datasets our links point into (data/links/: a void:Dataset with a void:uriSpace),
so that a page can say whose resource a link names ("same as: <partner>: 44021")."""

from __future__ import annotations

from kgraph.linkeddata.vocab import pick
from kgraph.query_source import QuerySource

PARTNERS = """
SELECT ?space ?label WHERE {
  ?dataset a <http://rdfs.org/ns/void#Dataset> ; <http://rdfs.org/ns/void#uriSpace> ?space ;
           <http://www.w3.org/2000/01/rdf-schema#label> ?label .
}"""


def partner_names(source: QuerySource, lang: str) -> list[tuple[str, str]]:
    """(URI space, the partner's name in lang), longest space first (the most specific wins)."""
    names: dict[str, dict[str, str]] = {}
    for row in source.select(PARTNERS):
        names.setdefault(row["space"].value, {})[row["label"].language or ""] = row["label"].value
    found = [(space, pick(labels, lang) or space) for space, labels in names.items()]
    return sorted(found, key=lambda item: -len(item[0]))


def partner_name(iri: str, partners: list[tuple[str, str]]) -> str | None:
    """The name of the partner dataset whose URI space holds iri, else None."""
    for space, name in partners:
        if iri.startswith(space) and len(iri) > len(space):
            return name
    return None


def partner_label(iri: str, partners: list[tuple[str, str]]) -> str | None:
    """"<partner's name>: <the rest of the IRI>" if iri is in a partner's URI space, else None."""
    for space, name in partners:
        if iri.startswith(space) and len(iri) > len(space):
            return f"{name}: {iri[len(space):]}"
    return None
