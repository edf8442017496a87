"""What the web layer keeps per app: settings, the store served and its executor.

Stored in `app.extensions["kgraph"]` by create_app (no module globals), read with get_state().
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field

from flask import current_app

from kgraph.config import Settings
from kgraph.sparql import Executor, StoreInfo, negotiation
from kgraph.sparql.cache import ResultCache
from kgraph.sparql.service_description import STATISTICS_QUERY, DatasetStatistics

EXTENSION = "kgraph"


@dataclass
class EndpointState:
    """The per-app endpoint state."""

    settings: Settings
    store: StoreInfo
    executor: Executor
    cache: ResultCache
    _stats: tuple[int, DatasetStatistics] | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def update_enabled(self) -> bool:
        """Updates (and Graph Store writes) are possible only when a token is configured."""
        return bool(self.settings.update_token)

    @property
    def data_version(self) -> str:
        """The dataset version plus the count of updates applied since start (for validators)."""
        return f"{self.store.version}.{self.executor.generation}"

    def statistics(self) -> DatasetStatistics:
        """Triples in all and per named graph, from the manifest if it has them, else counted once."""
        with self._lock:
            if self._stats and self._stats[0] == self.executor.generation:
                return self._stats[1]
        graphs = self.store.manifest.get("graphs") if not self.executor.generation else None
        if isinstance(graphs, dict) and all(isinstance(v, int) for v in graphs.values()):
            counts = dict(graphs)
        else:
            result = self.executor.query(
                STATISTICS_QUERY, {negotiation.SOLUTIONS: "application/sparql-results+json"}
            )
            rows = json.loads(result.read())["results"]["bindings"]
            counts = {row["g"]["value"]: int(row["n"]["value"]) for row in rows if row["g"]["type"] == "uri"}
        triples = self.store.manifest.get("triples") if not self.executor.generation else None
        stats = DatasetStatistics(triples if isinstance(triples, int) else sum(counts.values()), counts)
        with self._lock:
            self._stats = (self.executor.generation, stats)
        return stats


def get_state() -> EndpointState:
    """The endpoint state of the current app."""
    return current_app.extensions[EXTENSION]
