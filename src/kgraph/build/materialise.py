"""The materialise stage. RDFS materialisation: superclass types and superproperty links, asserted at build time.

Consumers of the served graph should not need a reasoner to find every organisation with
`?x a org:Organization`, so the build asserts what rdfs:subClassOf and rdfs:subPropertyOf
entail (RDFS rules rdfs9 and rdfs7) into one named graph of its own.
"""

from __future__ import annotations

import datetime as dt

import pyoxigraph as ox

from kgraph.build.spool import Spool
from kgraph.provenance import dataset_metadata

# rdfs9: instances of a class are instances of its superclasses.
SUPERCLASS_TYPES = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT { ?s a ?super }
WHERE {
  ?class rdfs:subClassOf+ ?super .
  FILTER(isIRI(?super) && ?super != ?class)
  ?s a ?class .
  FILTER NOT EXISTS { ?s a ?super }
}
"""

# rdfs7: a statement with a property is a statement with its superproperties.
SUPERPROPERTY_LINKS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT { ?s ?super ?o }
WHERE {
  ?p rdfs:subPropertyOf+ ?super .
  FILTER(isIRI(?super) && ?super != ?p)
  ?s ?p ?o .
  FILTER NOT EXISTS { ?s ?super ?o }
}
"""


def entailed_quads(store: ox.Store, graph: str) -> list[ox.Quad]:
    """The quads RDFS entails over the union of the store's graphs, not yet asserted, in graph.

    Superproperties first, so that a type reached through a superproperty's range is not
    needed: kgraph materialises no domain/range rules (they would type too eagerly).
    """
    target = ox.NamedNode(graph)
    found: dict[ox.Quad, None] = {}
    for query in (SUPERPROPERTY_LINKS, SUPERCLASS_TYPES):
        for triple in store.query(query, use_default_graph_as_union=True):
            found[ox.Quad(triple.subject, triple.predicate, triple.object, target)] = None
        store.extend(found)  # so the next rule sees what this one added
    return list(found)


def materialise(store: ox.Store, spool: Spool, *, base: str, version: str, modified: dt.datetime,
                graphs: list[str]) -> dict[str, int]:
    """The materialise stage: what RDFS entails and the dataset's own description, added to
    store and spool (which is then complete, and closed); what was added."""
    inferred = entailed_quads(store, f"{base}graph/inferred")  # also added to the store
    metadata = dataset_metadata(store, base=base, graph=f"{base}graph/metadata", version=version,
                                modified=modified, graphs=graphs)
    store.extend(metadata)
    spool.add(inferred + metadata)
    spool.close()
    return {"inferred": len(inferred), "metadata": len(metadata)}
