"""The VoID description of the dataset (https://www.w3.org/TR/void/), counted from the store.

Counts are over the union default graph with duplicates removed (a triple stated in two named
graphs counts once), the same graph the SPARQL endpoint answers by default and the triple dumps
hold. Served at /.well-known/void, the place the VoID specification (section 7) names.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from kgraph.fragments.controls import void_triples as fragments_void
from kgraph.metadata import terms as t
from kgraph.metadata.dcat import dump_url, generated_at
from kgraph.query_source import QuerySource, integer
from kgraph.provenance import dataset_iri

T = ox.Triple
L = ox.Literal

DISTINCT = "{ SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"

COUNTS = f"""
SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?o) AS ?objects)
       (COUNT(DISTINCT ?p) AS ?properties)
WHERE {DISTINCT}
"""
ENTITIES = """
SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{space}")) }}
"""
CLASSES = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n)
WHERE { ?s a ?class } GROUP BY ?class ORDER BY STR(?class)
"""
PROPERTIES = f"""
SELECT ?p (COUNT(*) AS ?n) WHERE {DISTINCT} GROUP BY ?p ORDER BY STR(?p)
"""
# One example per main class of the contract: the first in IRI order, so the choice is stable.
EXAMPLE = """
SELECT ?s WHERE {{ ?s a <{cls}> FILTER(STRSTARTS(STR(?s), "{space}")) }} ORDER BY STR(?s) LIMIT 1
"""
EXAMPLE_CLASSES = ("org:Organization", "prov:Activity", "schema:Event", "foaf:Document", "foaf:Person")
# W3C format IRIs of what the documents and dumps are offered in (void:feature).
FEATURES = ("Turtle", "N-Triples", "JSON-LD", "RDF_XML", "N-Quads", "TriG")


def _expand(prefixed: str) -> str:
    prefix, _, local = prefixed.partition(":")
    return t.PREFIXES[prefix] + local


def vocabularies(iris: list[str], base: str) -> list[str]:
    """The vocabularies (namespace IRIs) the classes and properties used come from.

    Known namespaces only (kgraph.namespaces plus the metadata ones); the kgraph vocabulary is
    named by its ontology IRI, as the build's own description does.
    """
    own = f"{base}ns/kgraph#"
    found: set[str] = set()
    for value in iris:
        if value.startswith(own):
            found.add(f"{base}ns/kgraph")
            continue
        for namespace in t.PREFIXES.values():
            if value.startswith(namespace) and value != namespace:
                found.add(namespace)
                break
    return sorted(found)


def statistics(source: QuerySource, base: str) -> dict[str, Any]:
    """Counts, partitions and examples of the store, as plain values (for the page and tests)."""
    space = f"{base}id/"
    counts = source.select(COUNTS)[0]
    classes = [(row["class"].value, integer(row, "n")) for row in source.select(CLASSES)
               if isinstance(row.get("class"), ox.NamedNode)]
    properties = [(row["p"].value, integer(row, "n")) for row in source.select(PROPERTIES)]
    examples = []
    for cls in EXAMPLE_CLASSES:
        rows = source.select(EXAMPLE.format(cls=_expand(cls), space=space))
        if rows:
            examples.append(rows[0]["s"].value)
    return {
        "triples": integer(counts, "triples"),
        "distinct_subjects": integer(counts, "subjects"),
        "distinct_objects": integer(counts, "objects"),
        "properties": integer(counts, "properties"),
        "entities": integer(source.select(ENTITIES.format(space=space))[0], "n"),
        "classes": len(classes),
        "class_partitions": classes,
        "property_partitions": properties,
        "examples": examples,
        "vocabularies": vocabularies([c for c, _ in classes] + [p for p, _ in properties], base),
    }


def _count(node: ox.NamedNode | ox.BlankNode, name: str, value: int) -> ox.Triple:
    return T(node, t.iri("void", name), L(str(value), datatype=t.iri("xsd", "integer")))


def build_void(stats: dict[str, Any], base: str, manifest: dict[str, Any]) -> list[ox.Triple]:
    """The VoID triples for statistics() of a release and its manifest (for the dumps)."""
    dataset = ox.NamedNode(dataset_iri(base))
    document = ox.NamedNode(f"{base}.well-known/void")
    triples = [
        T(document, t.RDF_TYPE, t.iri("void", "DatasetDescription")),
        T(document, t.iri("dcterms", "title"), L("VoID-beschrijving van kgraph", language="nl")),
        T(document, t.iri("dcterms", "title"), L("VoID description of kgraph", language="en")),
        T(document, t.iri("foaf", "primaryTopic"), dataset),
        # The description carries its terms and generation time in its data (issue 12.6).
        T(document, t.iri("dcterms", "license"), ox.NamedNode(t.LICENCE)),
        T(dataset, t.RDF_TYPE, t.iri("void", "Dataset")),
        T(dataset, t.iri("dcterms", "title"), L("Kenniscentrum Vlaamse Steden: werking als kennisgraaf", language="nl")),
        T(dataset, t.iri("dcterms", "title"), L("Kenniscentrum Vlaamse Steden: activities as a knowledge graph", language="en")),
        T(dataset, t.iri("dcterms", "license"), ox.NamedNode(t.LICENCE)),
        T(dataset, t.iri("dcterms", "publisher"), ox.NamedNode(f"{base}id/{t.PUBLISHER_REF}")),
        T(dataset, t.iri("void", "sparqlEndpoint"), ox.NamedNode(f"{base}sparql")),
        T(dataset, t.iri("void", "uriSpace"), L(f"{base}id/")),
        T(dataset, t.iri("void", "rootResource"), ox.NamedNode(f"{base}catalog")),
        _count(dataset, "triples", stats["triples"]),
        _count(dataset, "entities", stats["entities"]),
        _count(dataset, "classes", stats["classes"]),
        _count(dataset, "properties", stats["properties"]),
        _count(dataset, "distinctSubjects", stats["distinct_subjects"]),
        _count(dataset, "distinctObjects", stats["distinct_objects"]),
    ]
    triples += fragments_void(dataset, base)  # the Triple Pattern Fragments (issue 12)
    if manifest.get("version"):
        triples.append(T(dataset, t.iri("owl", "versionInfo"), L(str(manifest["version"]))))
    generated = generated_at(manifest)
    if generated is not None:
        triples += [T(document, t.iri("prov", "generatedAtTime"), generated),
                    T(dataset, t.iri("prov", "generatedAtTime"), generated)]
    for feature in FEATURES:
        triples.append(T(dataset, t.iri("void", "feature"), ox.NamedNode(t.PREFIXES["formats"] + feature)))
    for dump in manifest.get("dumps", []):
        triples.append(T(dataset, t.iri("void", "dataDump"), ox.NamedNode(dump_url(base, str(dump["file"])))))
    for vocabulary in stats["vocabularies"]:
        triples.append(T(dataset, t.iri("void", "vocabulary"), ox.NamedNode(vocabulary)))
    for example in stats["examples"]:
        triples.append(T(dataset, t.iri("void", "exampleResource"), ox.NamedNode(example)))
    for cls, count in stats["class_partitions"]:
        part = ox.BlankNode()
        triples += [T(dataset, t.iri("void", "classPartition"), part),
                    T(part, t.iri("void", "class"), ox.NamedNode(cls)), _count(part, "entities", count)]
    for prop, count in stats["property_partitions"]:
        part = ox.BlankNode()
        triples += [T(dataset, t.iri("void", "propertyPartition"), part),
                    T(part, t.iri("void", "property"), ox.NamedNode(prop)), _count(part, "triples", count)]
    return triples


def void(source: QuerySource, base: str, manifest: dict[str, Any]) -> list[ox.Triple]:
    """The VoID description of the store behind source, its linksets included."""
    from kgraph.metadata import linksets  # imported here: linksets imports dcat, as this module does

    return build_void(statistics(source, base), base, manifest) + linksets.void_triples(linksets.find(source, base), base)
