"""The linksets of the dataset: one void:Linkset per partner dataset, counted from the store.

A partner dataset is a void:Dataset with a void:uriSpace, declared in a file of data/links/
(the named graph {base}graph/data/links/<partner>); its linkset is every statement of the graph
(the union, duplicates once, as the dumps have it) from one of our resources ({base}id/...) to an
IRI of its URI space, whichever file states it. So the municipality links of the central cities
(kg:municipality, and besluit:werkingsgebied materialised from it) and of places
(schema:containedInPlace) are the linkset of data.vlaanderen.be's municipalities; the links
accepted with `kgraph link accept` are the partner's. Each linkset has a dump of its own,
links-<partner>.nt (kgraph.build.linkset_dumps), in VoID and in the catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from kgraph.metadata import terms as t
from kgraph.metadata.dcat import (catalog_iri, distribution, distribution_iri, dump_url, shared_properties,
                                  source_stamp)
from kgraph.provenance import dataset_iri
from kgraph.query_source import QuerySource, integer

T = ox.Triple
L = ox.Literal
LINKS_GRAPHS = "graph/data/links/"

PARTNERS = """
SELECT ?g ?dataset ?space ?label ?lang WHERE {{
  GRAPH ?g {{ ?dataset a <http://rdfs.org/ns/void#Dataset> ; <http://rdfs.org/ns/void#uriSpace> ?space .
             OPTIONAL {{ ?dataset <http://www.w3.org/2000/01/rdf-schema#label> ?label BIND(LANG(?label) AS ?lang) }} }}
  FILTER(STRSTARTS(STR(?g), "{base}{graphs}"))
}} ORDER BY ?g ?lang
"""
LINKS = """
SELECT ?p (COUNT(*) AS ?n) WHERE {{
  {{ SELECT DISTINCT ?s ?p ?o WHERE {{
      ?s ?p ?o
      FILTER(isIRI(?o) && STRSTARTS(STR(?o), "{space}") && isIRI(?s) && STRSTARTS(STR(?s), "{base}id/"))
  }} }}
}} GROUP BY ?p ORDER BY STR(?p)
"""


@dataclass(frozen=True)
class Linkset:
    """The links to one partner dataset: who the partner is, and the statements per predicate."""

    ref: str  # the file name's stem in data/links/
    partner: str  # the partner dataset's IRI (a void:Dataset of ours describing it)
    uri_space: str
    titles: dict[str, str]  # language -> the partner's name
    predicates: tuple[tuple[str, int], ...]  # (predicate IRI, statements), by IRI

    @property
    def triples(self) -> int:
        return sum(n for _, n in self.predicates)

    @property
    def dump_file(self) -> str:
        return dump_file(self.ref)

    def iri(self, base: str) -> str:
        return f"{catalog_iri(base)}#linkset-{self.ref}"


def dump_file(ref: str) -> str:
    """The dump of a partner's linkset, under /dumps/."""
    return f"links-{ref}.nt"


def find(source: QuerySource, base: str) -> list[Linkset]:
    """Every partner dataset declared in data/links/ with its links in the store, by file name."""
    declared: dict[str, dict[str, Any]] = {}
    for row in source.select(PARTNERS.format(base=base, graphs=LINKS_GRAPHS)):
        ref = row["g"].value[len(base + LINKS_GRAPHS):]
        entry = declared.setdefault(ref, {"partner": row["dataset"].value, "space": row["space"].value, "titles": {}})
        if "label" in row:
            entry["titles"][row["label"].language or ""] = row["label"].value
    found = []
    for ref, entry in sorted(declared.items()):
        rows = source.select(LINKS.format(space=entry["space"], base=base))
        predicates = tuple((row["p"].value, integer(row, "n")) for row in rows)
        found.append(Linkset(ref, entry["partner"], entry["space"], entry["titles"], predicates))
    return found


def _count(node, value: int) -> ox.Triple:
    return T(node, t.iri("void", "triples"), L(str(value), datatype=t.iri("xsd", "integer")))


def _titles(node, linkset: Linkset) -> list[ox.Triple]:
    nl = linkset.titles.get("nl") or linkset.titles.get("") or linkset.ref
    en = linkset.titles.get("en") or nl
    return [T(node, t.iri("dcterms", "title"), L(f"Links naar {nl}", language="nl")),
            T(node, t.iri("dcterms", "title"), L(f"Links to {en}", language="en"))]


def void_triples(linksets: list[Linkset], base: str) -> list[ox.Triple]:
    """Each linkset as a void:Linkset (a subset of our dataset): targets, predicates, counts, dump."""
    dataset = ox.NamedNode(dataset_iri(base))
    triples: list[ox.Triple] = []
    for linkset in linksets:
        node = ox.NamedNode(linkset.iri(base))
        partner = ox.NamedNode(linkset.partner)
        triples += [
            T(dataset, t.iri("void", "subset"), node),
            T(node, t.RDF_TYPE, t.iri("void", "Linkset")),
            *_titles(node, linkset),
            T(node, t.iri("void", "subjectsTarget"), dataset),
            T(node, t.iri("void", "objectsTarget"), partner),
            T(node, t.iri("void", "target"), dataset),
            T(node, t.iri("void", "target"), partner),
            _count(node, linkset.triples),
            T(node, t.iri("void", "dataDump"), ox.NamedNode(dump_url(base, linkset.dump_file))),
            T(partner, t.RDF_TYPE, t.iri("void", "Dataset")),
            T(partner, t.iri("void", "uriSpace"), L(linkset.uri_space)),
        ]
        triples += [T(partner, t.iri("dcterms", "title"), L(text, language=lang or None))
                    for lang, text in sorted(linkset.titles.items())]
        for predicate, count in linkset.predicates:
            triples.append(T(node, t.iri("void", "linkPredicate"), ox.NamedNode(predicate)))
            if len(linkset.predicates) > 1:  # one linkset per predicate too, as VoID counts them
                part = ox.NamedNode(f"{linkset.iri(base)}-{_local(predicate)}")
                triples += [T(node, t.iri("void", "subset"), part),
                            T(part, t.RDF_TYPE, t.iri("void", "Linkset")),
                            T(part, t.iri("void", "subjectsTarget"), dataset),
                            T(part, t.iri("void", "objectsTarget"), partner),
                            T(part, t.iri("void", "linkPredicate"), ox.NamedNode(predicate)),
                            _count(part, count)]
    return triples


def _local(iri: str) -> str:
    return iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def catalogue_triples(linksets: list[Linkset], base: str, manifest: dict[str, Any]) -> list[ox.Triple]:
    """Each linkset as a dcat:Dataset of the catalogue, its dump (and the gzipped copy) its distributions."""
    catalog = ox.NamedNode(catalog_iri(base))
    dataset = ox.NamedNode(dataset_iri(base))
    stamp = source_stamp(manifest)
    triples: list[ox.Triple] = []
    for linkset in linksets:
        node = ox.NamedNode(linkset.iri(base))
        period = ox.BlankNode()
        identifier = ox.BlankNode()
        nl = linkset.titles.get("nl") or linkset.ref
        en = linkset.titles.get("en") or nl
        triples += [
            T(catalog, t.iri("dcat", "dataset"), node),
            T(node, t.RDF_TYPE, t.iri("dcat", "Dataset")),
            T(node, t.RDF_TYPE, t.iri("void", "Linkset")),
            *_titles(node, linkset),
            T(node, t.iri("dcterms", "description"),
              L(f"De {linkset.triples} links van resources van het Kenniscentrum Vlaamse Steden naar {nl}.", language="nl")),
            T(node, t.iri("dcterms", "description"),
              L(f"The {linkset.triples} links from resources of the Kenniscentrum Vlaamse Steden to {en}.", language="en")),
            *shared_properties(node, base),
            # Identifiers as on the dataset: DCAT-AP Vlaanderen asks every dataset for both.
            T(node, t.iri("dcterms", "identifier"), L(node.value)),
            T(node, t.iri("adms", "identifier"), identifier),
            T(identifier, t.RDF_TYPE, t.iri("adms", "Identifier")),
            T(identifier, t.iri("skos", "notation"), L(node.value, datatype=t.iri("xsd", "anyURI"))),
            T(node, t.iri("dcterms", "license"), ox.NamedNode(t.LICENCE)),
            T(node, t.iri("dcterms", "issued"), stamp),
            T(node, t.iri("dcterms", "modified"), stamp),
            T(node, t.iri("dcterms", "isPartOf"), dataset),
            # where and when, as the dataset the links are part of
            T(node, t.iri("dcterms", "spatial"), ox.NamedNode(t.FLANDERS)),
            T(node, t.iri("dcterms", "temporal"), period),
            T(period, t.RDF_TYPE, t.iri("dcterms", "PeriodOfTime")),
            T(period, t.iri("dcat", "startDate"), L("2018-01-01", datatype=t.iri("xsd", "date"))),
            T(period, t.iri("dcat", "endDate"), L("2018-12-31", datatype=t.iri("xsd", "date"))),
            T(node, t.iri("void", "target"), dataset),
            T(node, t.iri("void", "target"), ox.NamedNode(linkset.partner)),
            _count(node, linkset.triples),
        ]
        triples += [T(node, t.iri("void", "linkPredicate"), ox.NamedNode(p)) for p, _ in linkset.predicates]
        content = {"nl": f"De links naar {nl}", "en": f"The links to {en}"}
        for dump in manifest.get("linkset_dumps", []):
            if str(dump["file"]).removesuffix(".gz") == linkset.dump_file:
                triples.append(T(node, t.iri("dcat", "distribution"),
                                 ox.NamedNode(distribution_iri(base, str(dump["file"])))))
                triples += distribution(base, dump, stamp, content)
    return triples
