"""`kgraph publish`: the current release into the engine, checked, then served, then the old one gone.

1. every named graph of the release's store is loaded with the Graph Store Protocol (PUT, one
   request per graph, N-Triples) into its engine name for a new tag (kgraph.backend.naming), the
   graph IRIs in the data renamed the same way; then all of them once more into the release's
   union graph (the default graph of its queries);
2. the engine's statement count of every new graph is checked against the release (the store's
   count per graph, and their sum against the manifest's `triples`); on any difference the new
   graphs are removed again and nothing else changes (PublishError names the graphs);
3. the pointer (kgraph.backend.pointer) is switched in one SPARQL Update: every replica follows;
4. after a grace period (requests already pinned to the old release finish: the query time
   limit, plus the replicas' look interval), the previous release's graphs are removed.

A tag is the version's first 12 hex digits and the publishing time, so publishing the same build
twice still loads fresh graphs and never touches the ones being served.

The release's history store (/ldes/sparql: one named graph per resource version) is published
too, after the data is checked and before the switch, by kgraph.backend.history (batched INSERT
DATA, its own union graph and list graph), and checked the same way; the pointer says it is there.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass, field
from typing import Callable

import pyoxigraph as ox

from kgraph import release as releases
from kgraph.backend import history, pointer
from kgraph.backend.client import EngineClient
from kgraph.backend.naming import GraphNames
from kgraph.config import Settings
from kgraph.sparql.errors import QueryError

log = logging.getLogger(__name__)

COUNT_QUERY = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
LOAD_SECONDS = 600.0  # per graph
HISTORY_STORE = "history-store"  # in the release folder (kgraph.build.history)


class PublishError(RuntimeError):
    """Publishing stopped; the served release is unchanged (the message says what and why)."""


@dataclass
class Published:
    """What a publish did."""

    tag: str
    version: str
    release: str
    graphs: int
    triples: int
    load_seconds: float
    previous: str | None
    removed: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def new_tag(version: str, now: dt.datetime | None = None) -> str:
    """A tag for a publish of `version`: unique per publish."""
    now = now or dt.datetime.now(dt.timezone.utc)
    return f"{version[:12]}-{now.strftime('%Y%m%dT%H%M%S%fZ')}"


def publish(settings: Settings, *, grace: float | None = None, client: EngineClient | None = None,
            say: Callable[[str], None] = log.info) -> Published:
    """Publish the current release of settings.build_dir into the engine (see the module's steps)."""
    if not (settings.backend_query_url and settings.backend_update_url and settings.backend_store_url):
        raise PublishError("publishing needs backend_query_url, backend_update_url and backend_store_url")
    try:
        current = releases.load(settings.build_dir)
    except releases.ReleaseError as exc:
        raise PublishError(str(exc)) from None
    own = client is None
    client = client or EngineClient.from_settings(settings)
    try:
        return _publish(settings, current, client, settings.query_timeout + 2.0 if grace is None else grace, say)
    except QueryError as exc:
        raise PublishError(f"the SPARQL engine: {exc.title}: {exc}") from None
    finally:
        if own:
            client.close()


def _publish(settings: Settings, current: releases.Release, client: EngineClient, grace: float,
             say: Callable[[str], None]) -> Published:
    previous = pointer.read(client)
    tag = new_tag(current.version)
    store = current.open_store()
    names = GraphNames.of(tag, [g.value for g in store.named_graphs()])
    history_path = current.path / HISTORY_STORE
    started = time.perf_counter()
    try:
        expected, bodies = _load(client, store, names)
        data_triples = sum(expected.values())
        client.put_graph(names.union, b"".join(bodies), deadline=time.monotonic() + LOAD_SECONDS)
        expected[names.union] = _distinct(store)
        loaded = time.perf_counter() - started
        say(f"loaded {len(names.public)} graphs, {data_triples} statements, as tag {tag} in {loaded:.1f} s")
        counts = _check(client, names, expected, data_triples, current.manifest)
        if history_path.is_dir():
            _publish_history(client, history_path, tag, say)
    except BaseException:
        _remove(client, names.all)
        if history_path.is_dir():
            history.remove(client, tag, log.warning)
        raise
    client.update(pointer.switch_update(tag, current.version, current.path.name, names, first=previous is None,
                                        history=history_path.is_dir()),
                  deadline=time.monotonic() + 60)
    say(f"now serving release {current.path.name} (version {current.version[:12]}, tag {tag})")
    done = Published(tag, current.version, current.path.name, len(names.public), data_triples,
                     loaded, previous.tag if previous else None, counts=counts)
    if previous is not None and previous.tag != tag:
        if grace > 0:
            say(f"removing the previous release's graphs (tag {previous.tag}) in {grace:g} s")
            time.sleep(grace)
        done.removed = _remove(client, previous.names.all)
        if previous.history:
            history.remove(client, previous.tag, log.warning)
    return done


def _publish_history(client: EngineClient, path, tag: str, say: Callable[[str], None]) -> None:
    """Load the release's history store (kgraph.backend.history) and check its counts."""
    started = time.perf_counter()
    store = ox.Store.read_only(str(path))
    names, expected = history.load(client, store, tag)
    counts = engine_counts(client, tuple(expected))
    wrong = [f"<{g}>: {counts.get(g, 0)} in the engine, {n} in the history" for g, n in expected.items()
             if counts.get(g, 0) != n]
    if wrong:
        raise PublishError("the history's statement counts differ, so the served release was not switched: "
                           + "; ".join(wrong[:10]) + (f" (and {len(wrong) - 10} more)" if len(wrong) > 10 else ""))
    say(f"loaded the history: {len(names.public)} version graphs, {sum(expected.values())} statements, "
        f"in {time.perf_counter() - started:.1f} s")


def _load(client: EngineClient, store: ox.Store, names: GraphNames) -> tuple[dict[str, int], list[bytes]]:
    """PUT every graph of `store` into its engine name: statements per engine graph, and the bodies
    (blank nodes keep the store's labels, so their concatenation is the union graph's body)."""
    expected: dict[str, int] = {}
    bodies = []
    for graph in names.public:
        triples = list(names.triples(store.quads_for_pattern(None, None, None, ox.NamedNode(graph))))
        expected[names.to_engine(graph)] = len(triples)
        bodies.append(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
        client.put_graph(names.to_engine(graph), bodies[-1], deadline=time.monotonic() + LOAD_SECONDS)
    return expected, bodies


def _distinct(store: ox.Store) -> int:
    """Distinct statements over every named graph: what the union graph holds (a graph is a set)."""
    query = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"
    return int(next(iter(store.query(query)))["n"].value)


def engine_counts(client: EngineClient, graphs: tuple[str, ...], timeout: float = 120.0) -> dict[str, int]:
    """Statements per engine graph, as the engine counts them."""
    from io import BytesIO

    body = BytesIO()
    client.query(COUNT_QUERY, "application/sparql-results+xml", body, deadline=time.monotonic() + timeout,
                 named_graphs=list(graphs))
    return {row["g"].value: int(row["n"].value)
            for row in ox.parse_query_results(body.getvalue(), ox.QueryResultsFormat.XML)}


def _check(client: EngineClient, names: GraphNames, expected: dict[str, int], data_triples: int,
           manifest: dict) -> dict[str, int]:
    counts = engine_counts(client, names.all)
    wrong = [f"<{g}>: {counts.get(g, 0)} in the engine, {n} in the release"
             for g, n in expected.items() if counts.get(g, 0) != n]
    total = manifest.get("triples")
    if isinstance(total, int) and total != data_triples:
        wrong.append(f"the manifest says {total} statements, the release's graphs hold {data_triples}")
    per_graph = manifest.get("graphs")
    if isinstance(per_graph, dict):
        wrong += [f"<{g}>: {counts.get(names.to_engine(g), 0)} in the engine, {n} in the manifest"
                  for g, n in per_graph.items() if counts.get(names.to_engine(g), 0) != n]
    if wrong:
        raise PublishError("the statement counts differ, so the served release was not switched: "
                           + "; ".join(wrong[:10]) + (f" (and {len(wrong) - 10} more)" if len(wrong) > 10 else ""))
    return counts


def _remove(client: EngineClient, graphs: tuple[str, ...]) -> int:
    removed = 0
    for graph in graphs:
        try:
            client.delete_graph(graph, deadline=time.monotonic() + 120)
            removed += 1
        except QueryError as exc:
            log.warning("could not remove <%s> from the engine: %s", graph, exc)
    return removed
