"""Which dataset a query runs on (SPARQL 1.1 Query 13, Protocol 2.1.4), as pyoxigraph options.

1. The protocol's default-graph-uri / named-graph-uri, when given, are the dataset: exactly those
   graphs, overriding any FROM / FROM NAMED in the query.
2. Else the query's own FROM / FROM NAMED: pyoxigraph honours them itself when it is given no
   dataset options (use_default_graph_as_union would override them, which is why FROM used to be
   ignored).
3. Else the service's default dataset: the default graph is the union of the named graphs and
   every named graph is available (what the service description says).
"""

from __future__ import annotations

from typing import Any, Sequence

from kgraph.sparql.policy import Analysis


def dataset_options(analysis: Analysis, default_graphs: Sequence[str], named_graphs: Sequence[str]) -> dict[str, Any]:
    """Keyword arguments for Store.query selecting the dataset for a query and the protocol's graphs."""
    import pyoxigraph as ox

    if default_graphs or named_graphs:
        return {
            "default_graph": [ox.NamedNode(g) for g in default_graphs],
            "named_graphs": [ox.NamedNode(g) for g in named_graphs],
        }
    if analysis.has_dataset:
        return {}
    return {"use_default_graph_as_union": True}
