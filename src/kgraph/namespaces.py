"""The prefixes kgraph writes with, derived from the configured base IRI."""

from __future__ import annotations

# Vocabularies reused by the ontology, with their usual prefixes (prefix.cc).
STANDARD_PREFIXES: dict[str, str] = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "http://schema.org/",
    "besluit": "http://data.vlaanderen.be/ns/besluit#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "sh": "http://www.w3.org/ns/shacl#",
    "vann": "http://purl.org/vocab/vann/",
}

# URI categories of the Flemish URI standard used by the dataset ({base}id/{category}/{ref}).
CATEGORIES: tuple[str, ...] = (
    "organisatie",
    "activiteit",
    "evenement",
    "document",
    "persoon",
    "plaats",
    "thema",
    "rol",
    "sectie",
    "conceptschema",
    "dataset",
)


def dataset_prefixes(base: str) -> dict[str, str]:
    """The dataset's own prefixes (vocabulary and one per URI category) for a base IRI."""
    own = {"kg": f"{base}ns/kgraph#"}
    own.update({category: f"{base}id/{category}/" for category in CATEGORIES})
    return own


def all_prefixes(base: str) -> dict[str, str]:
    """Standard and dataset prefixes together, for serialisers and query prologues."""
    return {**STANDARD_PREFIXES, **dataset_prefixes(base)}


def sparql_prologue(base: str) -> str:
    """PREFIX declarations for every known prefix, to put before a query."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in all_prefixes(base).items())


def shorten(iri: str, prefixes: dict[str, str]) -> str | None:
    """iri as prefix:local under the longest namespace of `prefixes` that covers it, else None
    (the caller picks the fallback: the IRI itself, <iri>, a local name)."""
    best = max((p for p in prefixes.items() if iri.startswith(p[1])), key=lambda p: len(p[1]), default=None)
    return f"{best[0]}:{iri[len(best[1]):]}" if best else None
