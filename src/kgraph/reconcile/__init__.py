"""The W3C Entity Reconciliation Service API 0.2 (what OpenRefine 3.x speaks), without HTTP.

    index = ReconciliationIndex.build(source, base)       # once per release (kgraph.web.state caches it)
    batch = parse_query_batch(text)                       # ReconcileInputError naming the field
    answer = reconcile_batch(index, batch)                # {"q0": {"result": [...]}, ...}
    manifest(root, base)                                  # the service manifest
    suggest_entities(index, "gent") / suggest_types(...) / suggest_properties(...)
    propose_properties(type_id) / extend(index, parse_extend_query(text))
    preview_html(index, iri, lang)

kgraph.web.reconcile_views turns these into HTTP responses (JSON or JSONP).
"""

from kgraph.reconcile.errors import ReconcileInputError
from kgraph.reconcile.extend import extend, parse_extend_query, propose_properties
from kgraph.reconcile.index import Entity, ReconciliationIndex
from kgraph.reconcile.manifest import manifest
from kgraph.reconcile.matching import reconcile_batch, reconcile_one
from kgraph.reconcile.preview import flyout, preview_html
from kgraph.reconcile.queries import parse_query_batch
from kgraph.reconcile.suggest import suggest_entities, suggest_properties, suggest_types

__all__ = [
    "Entity",
    "ReconcileInputError",
    "ReconciliationIndex",
    "extend",
    "flyout",
    "manifest",
    "parse_extend_query",
    "parse_query_batch",
    "preview_html",
    "propose_properties",
    "reconcile_batch",
    "reconcile_one",
    "suggest_entities",
    "suggest_properties",
    "suggest_types",
]
