"""The collaboration network of the organisations (issue 15), without Flask.

- extract: the facts, read from the store with SPARQL (organisations, activities, associations).
- filters: which activities and associations a view keeps (year, kind, theme, role, kind of
  organisation).
- measures: the organisation graph (networkx) and its measures: degree, weighted degree,
  betweenness, Louvain communities (fixed seed: the same input gives the same communities).
- aggregate: what a browser draws: the top organisations by degree, the rest collapsed into
  their communities, and what was left out.
- exports: GraphML, GEXF, CSV node / edge lists and the bipartite edge list, deterministic.
"""
