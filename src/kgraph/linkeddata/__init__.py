"""Linked Data pages without Flask: the /doc/ graph of a resource and the page models.

    source = StoreSource.open(store_path)                 # or ExecutorSource(executor)
    ctx = Context(source, settings.base, Vocabulary.load(source))
    triples = describe(source, settings.base, Ref("organisatie", "gent"))
    page = resource_page(ctx, Ref("organisatie", "gent"), lang="en")

kgraph.web.ld_views turns these into HTTP responses.
"""

from kgraph.linkeddata.collections import (
    LabelIndex,
    category_index,
    category_title,
    dataset_title,
    home_page,
    timeline,
)
from kgraph.linkeddata.common import Context, negotiate_language, show_date
from kgraph.linkeddata.describe import describe, describe_query, describes
from kgraph.linkeddata.formats import BY_EXTENSION, BY_MEDIA_TYPE, FORMATS, serialise
from kgraph.linkeddata.iris import Ref, normalise, parse_ref, ref_of, to_local
from kgraph.linkeddata.relations import graph_json, relation_graph
from kgraph.linkeddata.resource import resource_page
from kgraph.query_source import ExecutorSource, StoreSource
from kgraph.query_source import QuerySource as Source
from kgraph.linkeddata.vocab import Vocabulary

__all__ = [
    "BY_EXTENSION",
    "BY_MEDIA_TYPE",
    "FORMATS",
    "Context",
    "ExecutorSource",
    "LabelIndex",
    "Ref",
    "Source",
    "StoreSource",
    "Vocabulary",
    "category_index",
    "category_title",
    "dataset_title",
    "describe",
    "describe_query",
    "describes",
    "graph_json",
    "home_page",
    "negotiate_language",
    "normalise",
    "parse_ref",
    "ref_of",
    "relation_graph",
    "resource_page",
    "serialise",
    "show_date",
    "timeline",
    "to_local",
]
