"""Dataset metadata, no Flask: the DCAT-AP catalogue (dcat), the VoID description (void), the
published vocabulary and shapes (vocabulary), their serialisation (rdfio) and the DCAT-AP
validation (validation). Facts come through a kgraph.query_source.QuerySource: a store or the executor."""

from kgraph.metadata.dcat import build_catalogue, catalogue
from kgraph.query_source import ExecutorSource, QuerySource, StoreSource
from kgraph.metadata.void import build_void, statistics, void

__all__ = [
    "ExecutorSource",
    "QuerySource",
    "StoreSource",
    "build_catalogue",
    "build_void",
    "catalogue",
    "statistics",
    "void",
]
