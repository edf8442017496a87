"""The graph a /doc/ page serves for one resource, built by one CONSTRUCT query.

What it holds (issue 4, "What a /doc/ holds"):
- every triple with the resource as subject;
- blank nodes followed, two levels deep (qualified associations, amounts, quantities: the data
  nests no deeper; a third level would only cost time);
- the incoming links: triples with the resource as object, and, where the subject is a blank node
  (e.g. an activity's qualified association whose agent is the resource), that blank node's
  triples and the triple linking its owner to it, so the role is there too;
- rdfs:label of every IRI linked from or to the resource (types included);
- provenance of the document: foaf:primaryTopic, dcterms:modified and prov:generatedAtTime (the
  dataset's: when the release was generated), the licence, prov:wasDerivedFrom (the report the
  dataset was derived from), void:inDataset.

Being one query, its text is what pages link to as "the SPARQL query that produced it".
"""

from __future__ import annotations

import pyoxigraph as ox

from kgraph.linkeddata.iris import Ref, ref_of
from kgraph.query_source import QuerySource as Source
from kgraph.provenance import LICENCE, dataset_iri

DESCRIBE = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX void: <http://rdfs.org/ns/void#>

CONSTRUCT {{
  ?s ?p ?o .
  ?x rdfs:label ?label .
  <{doc}> a foaf:Document ;
    foaf:primaryTopic <{iri}> ;
    dcterms:license <{licence}> ;
    void:inDataset <{dataset}> .
  <{doc}> dcterms:modified ?modified .
  <{doc}> prov:generatedAtTime ?generated .
  <{doc}> prov:wasDerivedFrom ?report .
}}
WHERE {{
  {{ # the resource's own triples
    VALUES ?s {{ <{iri}> }} ?s ?p ?o
  }} UNION {{ # blank nodes it points at (qualified associations, amounts), two levels
    <{iri}> ?p1 ?s . FILTER(isBlank(?s)) ?s ?p ?o
  }} UNION {{
    <{iri}> ?p1 ?b1 . FILTER(isBlank(?b1)) ?b1 ?p2 ?s . FILTER(isBlank(?s)) ?s ?p ?o
  }} UNION {{ # incoming links from named resources
    VALUES ?o {{ <{iri}> }} ?s ?p ?o . FILTER(!isBlank(?s))
  }} UNION {{ # incoming through a blank node: the node's triples ...
    ?s ?p1 <{iri}> . FILTER(isBlank(?s)) ?s ?p ?o
  }} UNION {{ # ... and the triple that links its owner to it
    ?o ?p1 <{iri}> . FILTER(isBlank(?o)) ?s ?p ?o
  }} UNION {{ # labels of everything linked, either way, directly or through a blank node
    # (the label pattern in every branch, after the bound ones: joined outside the branches,
    # Oxigraph would read every label in the store: 0.2-0.4 s against 1-3 ms at 1M triples)
    {{ <{iri}> ?lp ?x . ?x rdfs:label ?label }}
    UNION {{ <{iri}> ?lp ?lb . FILTER(isBlank(?lb)) ?lb ?lq ?x . ?x rdfs:label ?label }}
    UNION {{ ?x ?lp <{iri}> . ?x rdfs:label ?label }}
    UNION {{ ?lb ?lp <{iri}> . FILTER(isBlank(?lb)) ?lb ?lq ?x . ?x rdfs:label ?label }}
    UNION {{ ?lb ?lp <{iri}> . FILTER(isBlank(?lb)) ?x ?lq ?lb . ?x rdfs:label ?label }}
  }} UNION {{ # provenance of the document: the dataset's metadata
    <{dataset}> dcterms:modified ?modified
  }} UNION {{
    <{dataset}> prov:generatedAtTime ?generated
  }} UNION {{
    <{dataset}> prov:wasDerivedFrom ?report
  }}
}}"""


def describe_query(base: str, ref: Ref) -> str:
    """The CONSTRUCT query behind the /doc/ page of a resource."""
    return DESCRIBE.format(
        iri=ref.thing(base), doc=ref.document(base), licence=LICENCE, dataset=dataset_iri(base)
    )


def describe(source: Source, base: str, ref: Ref | str) -> list[ox.Triple]:
    """The /doc/ graph of a resource (a Ref or its {base}id/… IRI), without duplicates, in a stable
    order; [] if it is unknown.

    "Unknown" means nothing in the store has the resource as subject: links pointing at a resource
    that is not described do not make a page. An IRI outside {base}id/ is unknown too.
    """
    if isinstance(ref, str):
        parsed = ref_of(base, ref)
        if parsed is None:
            return []
        ref = parsed
    iri = ox.NamedNode(ref.thing(base))
    triples = list(dict.fromkeys(source.construct(describe_query(base, ref))))
    if not any(t.subject == iri for t in triples):
        return []
    # Subject first, then the rest: readers of the Turtle see the resource at the top.
    triples.sort(key=lambda t: (t.subject != iri, str(t.subject), str(t.predicate), str(t.object)))
    return triples


def describes(source: Source, base: str, iri: str) -> bool:
    """Whether the store describes a resource (it is the subject of at least one triple)."""
    return bool(source.select(f"SELECT ?p WHERE {{ <{iri}> ?p ?o }} LIMIT 1"))
