"""SPARQL query execution for kgraph: negotiation, the SERVICE/LOAD guard, the worker-process
executor and the service description. Nothing here imports Flask (see kgraph.web for HTTP)."""

from kgraph.sparql.executor import (
    EngineError,
    Executor,
    NotAcceptable,
    QueryError,
    QueryEvaluationError,
    QuerySyntaxError,
    QueryTimeout,
    Result,
    ResultTooLarge,
)
from kgraph.sparql.guard import ForbiddenOperation
from kgraph.sparql.protocol import DatasetConflict
from kgraph.sparql.store import StoreInfo, StoreNotFound, StoreUnusable, check_store, locate

__all__ = [
    "DatasetConflict",
    "EngineError",
    "Executor",
    "ForbiddenOperation",
    "NotAcceptable",
    "QueryError",
    "QueryEvaluationError",
    "QuerySyntaxError",
    "QueryTimeout",
    "Result",
    "ResultTooLarge",
    "StoreInfo",
    "StoreNotFound",
    "StoreUnusable",
    "check_store",
    "locate",
]
