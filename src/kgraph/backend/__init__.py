"""The graph on an external SPARQL engine (Oxigraph server, Virtuoso, QLever, Fuseki, GraphDB ...).

- kgraph.backend.client: HTTP to the engine (SPARQL Protocol, Graph Store Protocol), httpx;
- kgraph.backend.naming: engine graph names by release, and the query / answer rewriting;
- kgraph.backend.values: bound parameters as a VALUES block;
- kgraph.backend.executor: RemoteExecutor, kgraph.sparql.Executor's interface over the engine;
- kgraph.backend.updates: an update written for the served release's graphs in the engine;
- kgraph.backend.pointer: the served release, a pointer in the engine's control graph;
- kgraph.backend.publish: `kgraph publish` (load, count, switch, remove the previous release).

No Flask here: kgraph.web.state picks the RemoteExecutor when backend_query_url is set.
"""

from kgraph.backend.client import BackendError, BackendUnavailable, EngineClient
from kgraph.backend.executor import RemoteExecutor
from kgraph.backend.naming import GraphNames, NamingError
from kgraph.backend.pointer import Pointer
from kgraph.backend.publish import PublishError, Published, publish

__all__ = ["BackendError", "BackendUnavailable", "EngineClient", "GraphNames", "NamingError", "Pointer",
           "PublishError", "Published", "RemoteExecutor", "publish"]
