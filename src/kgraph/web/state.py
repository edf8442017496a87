"""What the web layer keeps per app: settings, the release served, its executor and caches.

Stored in `app.extensions["kgraph"]` by create_app (no module globals), read with get_state().

A server started without a store folder follows `build_dir/current`: before a request it looks
(a readlink, at most every CHECK_INTERVAL seconds) whether a build has published a new release.
If so, a background thread opens it (a lease, so no build prunes it; query workers started and
asked a real query) and only then makes it the one new requests get. Each request pins the
release it started on (reference counting), so requests in flight finish on the old one, which
is closed, and its lease given up, when the last of them ends.

With a backend (settings.backend_query_url, kgraph.backend) the release served is the one the
engine's pointer names: a server looks at the pointer (one small query, at most every
BACKEND_CHECK_INTERVAL seconds) instead of `current`, and switches the same way; every query,
page and index then goes through a RemoteExecutor on that release's engine graphs, never a
local store. The release folder of that version (manifest, dumps, indexes) comes from build_dir.
"""

from __future__ import annotations

import collections
import json
import logging
import threading
import time
from pathlib import Path
from typing import Any, Callable

from flask import has_request_context

from kgraph import release
from kgraph.config import Settings
from kgraph.sparql import Executor, StoreInfo, StoreNotFound, locate, negotiation
from kgraph.sparql.cache import ResultCache
from kgraph.sparql.errors import QueryError
from kgraph.sparql.service_description import STATISTICS_QUERY, DatasetStatistics
from kgraph.sparql.store import memory_copy_source
from kgraph.web.context import app_object, request_environ
from kgraph.web.render_once import RenderCache

EXTENSION = "kgraph"
PINNED = "kgraph.release"  # environ key of the release a request is served from
CHECK_INTERVAL = 0.25  # seconds between two looks at `current`
BACKEND_CHECK_INTERVAL = 1.0  # seconds between two looks at the engine's pointer (a query, not a readlink)
PROBE = "ASK { ?s ?p ?o }"
PROBE_FORMATS = {negotiation.BOOLEAN: "application/sparql-results+json"}

log = logging.getLogger(__name__)


def _memory_copy(settings: Settings, store: StoreInfo) -> tuple[Path, int] | None:
    """What the query workers copy the release into memory from, when it is small enough."""
    source = memory_copy_source(store)
    return source if source is not None and source[1] <= settings.query_memory_quads else None


class ServedRelease:
    """One release (or store folder) being served: its store, executor, result cache and lease."""

    def __init__(self, settings: Settings, store: StoreInfo, query_workers: int,
                 lease: release.Lease | None = None, target: str | None = None, remote: Any = None):
        self.store = store
        self.target = target  # what `current` (or the engine's pointer) named when opened (None: a named folder)
        self.lease = lease
        self.remote = remote is not None  # a RemoteExecutor on an external engine (kgraph.backend)
        self.executor = remote if remote is not None else Executor(
            store.store_path,
            workers=query_workers,
            timeout=settings.query_timeout,
            max_rows=settings.max_result_rows,
            writable=bool(settings.update_token),
            slow_queries=settings.slow_queries,
            slow_after=settings.slow_query_after,
            memory_copy=_memory_copy(settings, store),
        )
        # Answers are cached only while the data cannot change (no update token).
        budget = 0 if settings.update_token else settings.result_cache_bytes
        self.cache = ResultCache.for_store(store.store_path, f"{store.version}/{target}" if remote else store.version,
                                           budget, self.executor.tmp_dir)
        # Rendered answers of this release, served as bytes (kgraph.web.render_once); keyed on
        # the executor's generation, so with updates on nothing outlives an update.
        self.rendered = RenderCache(settings.render_cache_bytes)
        self.stats: tuple[int, DatasetStatistics] | None = None
        self.health: bytes | None = None  # /healthz's body, the same for the release's life (kgraph.web.health)
        # (update generation, SHA-256 of the data version): the part of every weak ETag that is
        # the same for all bodies of this release (kgraph.web.caching.weak_etag_header).
        self.etag_base: tuple[int, Any] | None = None
        self._settings = settings
        self._history: Executor | None = None  # on the release's history store, made on first use
        self.pointer: Any = None  # with a backend: the engine's pointer this release was opened by
        self._source: Any = None
        self._derived: dict[str, tuple[int, Any]] = {}  # name -> (update generation, value)
        # The requests using this release, one entry each: deque.append and .pop are atomic, so
        # pinning takes no lock (every request pins; with a lock, eight threads of a worker
        # queued on it behind one that had lost the GIL: py-spy found half their time there).
        self._users: collections.deque[None] = collections.deque()
        self._retired = False
        self._closed = False
        self._lock = threading.Lock()

    @classmethod
    def open(cls, settings: Settings, store_dir: str | Path | None, query_workers: int,
             engine: Any = None) -> "ServedRelease":
        """The release to serve: `store_dir` if given, else the current release of settings.build_dir,
        leased (or, with an engine client, the release the engine's pointer names)."""
        if engine is not None:
            return cls.published(settings, engine, query_workers)
        if store_dir is not None:
            return cls(settings, locate(settings, store_dir), query_workers)
        locate(settings)  # StoreNotFound with a clear message if there is no build
        for _ in range(5):  # a build may prune what `current` pointed at before we lock it: look again
            target = release.current_target(settings.build_dir)
            folder = (Path(settings.build_dir) / release.CURRENT).resolve()
            try:
                lease = release.Lease(folder)
            except (OSError, release.ReleaseError):
                continue
            try:
                return cls(settings, locate(settings, folder), query_workers, lease, target)
            except BaseException:
                lease.close()
                raise
        raise StoreNotFound("the current release kept disappearing while it was being opened")

    @classmethod
    def published(cls, settings: Settings, engine: Any, query_workers: int) -> "ServedRelease":
        """The release an external engine serves (its pointer), on a RemoteExecutor, with the
        release folder of that version from build_dir leased (no build prunes it meanwhile)."""
        from kgraph.backend import RemoteExecutor
        from kgraph.backend.serving import published, release_folder

        found = published(engine)
        folder, manifest = release_folder(settings, found)
        lease = release.Lease(folder)
        remote = RemoteExecutor(engine, found.names, timeout=settings.query_timeout,
                                max_rows=settings.max_result_rows, service_allowlist=settings.service_allowlist,
                                writable=bool(settings.update_token))
        served = cls(settings, StoreInfo(folder / "store", found.version, manifest), query_workers, lease,
                     found.tag, remote)
        served.pointer = found
        return served

    @property
    def update_enabled(self) -> bool:
        """Updates (and Graph Store writes) are possible only when a token is configured."""
        return bool(self._settings.update_token)

    @property
    def data_version(self) -> str:
        """The release's version plus the count of updates applied since it was opened."""
        return f"{self.store.version}.{self.executor.generation}"

    def linked_data_source(self) -> Any:
        """What the Linked Data pages read: a read-only handle in this process (the executor when
        updates are on, as a read-only handle would not see them, or on an external engine), made
        once per release."""
        from kgraph.linkeddata import ExecutorSource, StoreSource

        source = self._source
        if source is not None:  # made already: no lock on every request
            return source
        with self._lock:
            if self._source is None:
                self._source = (ExecutorSource(self.executor) if self.executor.writable or self.remote
                                else StoreSource.open(str(self.store.store_path)))
            return self._source

    def derived(self, name: str, make: Callable[[Any], Any]) -> Any:
        """A value computed once per release (and update) from its Linked Data source, e.g. the
        reconciliation index: make(source) on first use, kept until the data changes."""
        with self._lock:
            held = self._derived.get(name)
        if held is not None and held[0] == self.executor.generation:
            return held[1]
        generation = self.executor.generation
        value = make(self.linked_data_source())
        with self._lock:
            self._derived[name] = (generation, value)
        return value

    def history_executor(self) -> Executor | None:
        """An executor (one query worker) on the release's history store (kgraph.build.history),
        made on first use; None when the release has none. With a backend: a RemoteExecutor on the
        release's version graphs in the engine (kgraph.backend.history), never a local store."""
        if self.remote:
            return self._remote_history()
        path = Path(self.store.store_path).parent / "history-store"
        with self._lock:
            if self._history is None and path.is_dir():
                settings = self._settings
                self._history = Executor(path, workers=1, timeout=settings.query_timeout,
                                         max_rows=settings.max_result_rows, slow_queries=1,
                                         slow_after=settings.slow_query_after)
            return self._history

    def _remote_history(self) -> Any:
        """The history's RemoteExecutor (its graph list read from the engine once); None when the
        release was published without one."""
        from kgraph.backend import RemoteExecutor
        from kgraph.backend.history import read_names

        if self.pointer is None or not self.pointer.history:
            return None
        if self._history is None:  # the list is read outside the lock, which every request takes
            settings, engine = self._settings, self.executor.client
            made = RemoteExecutor(engine, read_names(engine, self.pointer.tag), timeout=settings.query_timeout,
                                  max_rows=settings.max_result_rows, service_allowlist=settings.service_allowlist)
            with self._lock:
                self._history = self._history or made
        return self._history

    def acquire(self) -> None:
        """One more request uses this release."""
        self._users.append(None)

    def release(self) -> None:
        """A request using this release ended; the last one after retire() closes it."""
        self._users.pop()
        if self._retired and not self._users:
            self._close_once()

    def retire(self) -> None:
        """No new request gets this release; it closes when the last one using it ends."""
        self._retired = True
        if not self._users:
            self._close_once()

    def _close_once(self) -> None:
        # release() and retire() may both find the release retired and unused: one closes it.
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self.close()

    def close(self) -> None:
        """Stop its query workers, drop its caches and give up its lease (it may be pruned)."""
        self.executor.close()
        if self._history is not None:
            self._history.close()
        self.cache.clear()
        self.rendered.clear()
        self._source = None
        self._derived.clear()
        if self.lease is not None:
            self.lease.close()


class EndpointState:
    """The per-app endpoint state: settings and the release each request is served from."""

    def __init__(self, settings: Settings, served: ServedRelease, *, follow_current: bool, query_workers: int,
                 engine: Any = None):
        self.settings = settings
        self.engine = engine  # the external engine's client (kgraph.backend.EngineClient), or None
        self.follow_current = follow_current
        self.query_workers = query_workers
        self._current = served
        self._lock = threading.Lock()
        self._checked = time.monotonic()
        self._preparing = False
        self._failed_target: str | None = None

    @classmethod
    def open(cls, settings: Settings, store_dir: str | Path | None = None, query_workers: int = 2) -> "EndpointState":
        """Open the store to serve (StoreNotFound if there is none); workers start on first use."""
        engine = None
        if settings.backend:
            from kgraph.backend import EngineClient

            engine = EngineClient.from_settings(settings)
        try:
            served = ServedRelease.open(settings, store_dir, query_workers, engine)
        except BaseException:
            if engine is not None:
                engine.close()
            raise
        return cls(settings, served, follow_current=store_dir is None or engine is not None,
                   query_workers=query_workers, engine=engine)

    # -- what a request sees: the release it was pinned to (else the current one)
    @property
    def served(self) -> ServedRelease:
        if has_request_context():
            pinned = request_environ().get(PINNED)
            if pinned is not None:
                return pinned
        return self._current

    def served_for(self, environ: dict[str, Any]) -> ServedRelease:
        """The release a request (by its WSGI environ) is pinned to, else the current one."""
        return environ.get(PINNED) or self._current

    @property
    def store(self) -> StoreInfo:
        return self.served.store

    @property
    def executor(self) -> Executor:
        return self.served.executor

    @property
    def cache(self) -> ResultCache:
        return self.served.cache

    def linked_data_source(self) -> Any:
        """The Linked Data pages' source for the release of this request."""
        return self.served.linked_data_source()

    @property
    def update_enabled(self) -> bool:
        """Updates (and Graph Store writes) are possible only when a token is configured."""
        return bool(self.settings.update_token)

    @property
    def data_version(self) -> str:
        """The dataset version plus the count of updates applied since start (for validators)."""
        return self.served.data_version

    def statistics(self) -> DatasetStatistics:
        """Triples in all and per named graph, from the manifest if it has them, else counted once."""
        served = self.served
        executor, manifest = served.executor, served.store.manifest
        cached = served.stats
        if cached and cached[0] == executor.generation:
            return cached[1]
        graphs = manifest.get("graphs") if not executor.generation else None
        if isinstance(graphs, dict) and all(isinstance(v, int) for v in graphs.values()):
            counts = dict(graphs)
        else:
            result = executor.query(STATISTICS_QUERY, {negotiation.SOLUTIONS: "application/sparql-results+json"})
            rows = json.loads(result.read())["results"]["bindings"]
            counts = {row["g"]["value"]: int(row["n"]["value"]) for row in rows if row["g"]["type"] == "uri"}
        triples = manifest.get("triples") if not executor.generation else None
        stats = DatasetStatistics(triples if isinstance(triples, int) else sum(counts.values()), counts)
        served.stats = (executor.generation, stats)
        return stats

    # -- readiness
    def readiness(self, timeout: float = 5.0) -> str | None:
        """None when the store answers a real query, else the reason (no filesystem path in it)."""
        try:
            self.executor.query(PROBE, PROBE_FORMATS, timeout=timeout).close()
        except QueryError as exc:
            message = str(exc).replace(str(self.store.store_path), "the store")  # no path in a body
            return f"the store does not answer queries: {exc.title}: {message}"
        return None

    # -- following `current`
    def pin(self) -> ServedRelease:
        """The release a new request is served from (counted until unpin)."""
        if self.follow_current and time.monotonic() - self._checked >= CHECK_INTERVAL:  # the cheap test first
            self._look_for_new_release()
        while True:  # no lock: counted first, then checked still current (else a switch came between)
            served = self._current
            served.acquire()
            if served is self._current:
                return served
            served.release()

    def unpin(self, served: ServedRelease) -> None:
        served.release()

    def _look_for_new_release(self) -> None:
        if not self.follow_current:
            return
        now = time.monotonic()
        if now - self._checked < (CHECK_INTERVAL if self.engine is None else BACKEND_CHECK_INTERVAL):
            return
        self._checked = now
        target = release.current_target(self.settings.build_dir) if self.engine is None else self._published_tag()
        if target is None or target in (self._current.target, self._failed_target):
            return
        with self._lock:
            if self._preparing:
                return
            self._preparing = True
        threading.Thread(target=self._switch_to, args=(target,), name="kgraph-release-switch", daemon=True).start()

    def _published_tag(self) -> str | None:
        """The tag the engine's pointer names now (None if it cannot be read: keep serving)."""
        from kgraph.backend import pointer

        try:
            found = pointer.read(self.engine, timeout=1.0)
        except QueryError as exc:
            log.warning("cannot read the served release from the SPARQL engine: %s", exc)
            return None
        return found.tag if found is not None else None

    def _switch_to(self, target: str) -> None:
        """Open the new release and make it current once it answers; the old one retires."""
        new: ServedRelease | None = None
        try:
            new = ServedRelease.open(self.settings, None, self.query_workers, self.engine)
            new.executor.query(PROBE, PROBE_FORMATS).close()  # starts its workers; proves it answers
        except Exception as exc:  # a broken new release: keep serving the one we have
            log.error("not switching to the new release %s: %s", target, exc)
            self._failed_target = target
            if new is not None:
                new.close()
            with self._lock:
                self._preparing = False
            return
        with self._lock:
            old, self._current = self._current, new
            self._preparing = False
        log.info("now serving release %s (version %s)", Path(new.target or "").name if self.engine is None
                 else new.target, new.store.version)
        old.retire()

    def close(self) -> None:
        """Stop the current release's workers and drop its caches (and the engine's connections)."""
        self._current.close()
        if self.engine is not None:
            self.engine.close()


def served_release(environ: dict[str, Any]) -> ServedRelease:
    """The release a request is served from, by its WSGI environ (kgraph.web.front pins every
    request; else the app's current one), without a look through Flask's app proxy when pinned."""
    return environ.get(PINNED) or get_state().served


def get_state() -> EndpointState:
    """The endpoint state of the current app."""
    return app_object().extensions[EXTENSION]
