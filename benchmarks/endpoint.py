"""Endpoint benchmark: what the HTTP endpoint costs over the engine itself, and what a naive
Python (rdflib) service would cost, on one store and one set of queries.

    .venv/bin/python -m benchmarks.endpoint                 # 100k generated triples + the 2018 graph
    .venv/bin/python -m benchmarks.endpoint --triples 1M --repeat 50

In one run, for each query:
  in-process  pyoxigraph Store.query + its JSON serialiser into memory (the ceiling)
  http x1     the real server (the `server` setting, loopback) answered one request at a time
  http x16    the same server with 16 concurrent clients (threads with their own connection)
  http cached the same request repeated: answered from the endpoint's result cache
  (x1 and x16 send a numbered comment with each request so the cache never answers them)
  rdflib      an in-memory rdflib Dataset answering the same query, serialised to the same JSON
It prints median and p99 latency, throughput (answers per second) and endpoint/in-process.
Goal (issue 3): for results of 10k rows or more, http x1 costs at most 1.3x in-process.

The data: the 2018 graph (data/) plus a synthetic set from benchmarks/generate.py (written once
to benchmarks/work/, gitignored), each file a named graph as in a build; the store is built once
and reused. This is a measurement, not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import io
import json
import math
import shutil
import statistics
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "benchmarks" / "work"

import pyoxigraph as ox
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from kgraph.config import load_settings  # noqa: E402

P = """PREFIX kg: <ns/kgraph#>
PREFIX organisatie: <id/organisatie/>
PREFIX rol: <id/rol/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""

# name -> query (relative IRIs resolved against the dataset base, sent as BASE)
QUERIES: dict[str, str] = {
    "point lookup": P + "SELECT ?p ?o WHERE { organisatie:turnhout ?p ?o }",
    "join (leads)": P + """SELECT ?activity ?label ?lead ?leadLabel WHERE {
  ?activity prov:qualifiedAssociation ?a . ?a prov:hadRole rol:trekker ; prov:agent ?lead .
  ?activity rdfs:label ?label . ?lead rdfs:label ?leadLabel
  FILTER(LANG(?label) = "nl" && LANG(?leadLabel) = "nl") } LIMIT 1000""",
    "FILTER on labels": P + """SELECT ?s ?label WHERE { ?s rdfs:label ?label
  FILTER(CONTAINS(LCASE(STR(?label)), "smart")) }""",
    "GROUP BY": P + """SELECT ?theme (COUNT(DISTINCT ?activity) AS ?n) WHERE {
  ?activity a kg:Activity ; dcterms:subject ?theme } GROUP BY ?theme ORDER BY DESC(?n)""",
    "ORDER BY/LIMIT": P + """SELECT ?activity ?label WHERE { ?activity a kg:Activity ; rdfs:label ?label
  FILTER(LANG(?label) = "nl") } ORDER BY DESC(?label) LIMIT 20""",
    "10k rows": P + "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10000",
    "50k rows": P + "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 50000",
}
BIG = {"10k rows", "50k rows"}
JSON_TYPE = "application/sparql-results+json"


# --------------------------------------------------------------------------- data and store

def synthetic_data(triples: str) -> Path:
    """The generated data folder for a size, written once (benchmarks/generate.py, the bench helper's)."""
    out = WORK / f"data-{triples}"
    if out.is_dir() and any(out.iterdir()):
        return out
    from benchmarks import generate  # noqa: PLC0415  (only when the data is not there yet)

    print(f"generating {triples} triples into {out} ...", flush=True)
    generate.generate(out, generate.parse_size(triples))
    return out


def data_files(folders: list[Path]) -> list[tuple[str, Path]]:
    """(named graph IRI, Turtle file) for every file, each folder's files under their own graph names."""
    files = []
    for index, folder in enumerate(folders):
        for path in sorted(folder.rglob("*.ttl")):
            files.append((f"urn:kgraph:bench:{index}:{path.relative_to(folder).as_posix()}", path))
    return files


def build_store(files: list[tuple[str, Path]], base: str, folder: Path) -> Path:
    """A release-like folder (store/ + manifest.json) holding the files; reused when present."""
    manifest = folder / "manifest.json"
    if manifest.is_file():
        return folder
    print(f"loading {len(files)} files into {folder / 'store'} ...", flush=True)
    shutil.rmtree(folder / "store", ignore_errors=True)  # a half-built store from an interrupted run
    folder.mkdir(parents=True, exist_ok=True)
    store = ox.Store(str(folder / "store"))
    for graph, path in files:
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=base, to_graph=ox.NamedNode(graph))
    store.flush()
    store.optimize()
    triples = len(store)
    del store  # release the RocksDB lock before the server opens the store
    manifest.write_text(json.dumps({"version": f"bench-{triples}", "triples": triples}))
    return folder


def rdflib_dataset(files: list[tuple[str, Path]], base: str):
    """The same quads in an rdflib Dataset whose default graph is the union (as the endpoint's)."""
    import rdflib

    dataset = rdflib.Dataset(default_union=True)
    for graph, path in files:
        dataset.graph(rdflib.URIRef(graph)).parse(path, format="turtle", publicID=base)
    return dataset


# --------------------------------------------------------------------------- measuring

@dataclass
class Measure:
    """Latencies (seconds) of one system on one query, and the wall time they took in all."""

    latencies: list[float]
    wall: float
    rows: int

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies) * 1000

    @property
    def p99_ms(self) -> float:
        ordered = sorted(self.latencies)
        return ordered[max(math.ceil(0.99 * len(ordered)) - 1, 0)] * 1000

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.wall


def sequential(run: Callable[[], int], repeat: int, warmup: int = 2) -> Measure:
    for _ in range(warmup):
        rows = run()
    latencies = []
    started = time.perf_counter()
    for _ in range(repeat):
        t0 = time.perf_counter()
        rows = run()
        latencies.append(time.perf_counter() - t0)
    return Measure(latencies, time.perf_counter() - started, rows)


def parallel(make_run: Callable[[], Callable[[], int]], clients: int, per_client: int) -> Measure:
    """`clients` threads, each with its own run function (own HTTP connection), `per_client` calls each."""
    runs = [make_run() for _ in range(clients)]
    for run in runs:
        run()  # warm: connection open, worker processes started
    barrier = threading.Barrier(clients + 1)
    lock = threading.Lock()
    latencies: list[float] = []
    rows = [0]

    def client(run: Callable[[], int]) -> None:
        barrier.wait()
        mine = []
        for _ in range(per_client):
            t0 = time.perf_counter()
            rows[0] = run()
            mine.append(time.perf_counter() - t0)
        with lock:
            latencies.extend(mine)

    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        futures = [pool.submit(client, run) for run in runs]
        barrier.wait()
        started = time.perf_counter()
        for future in futures:
            future.result()
        wall = time.perf_counter() - started
    return Measure(latencies, wall, rows[0])


def in_process(store: ox.Store, query: str, base: str) -> Callable[[], int]:
    def run() -> int:
        results = store.query(query, base_iri=base, use_default_graph_as_union=True)
        buffer = io.BytesIO()
        results.serialize(buffer, ox.QueryResultsFormat.JSON)
        return 0  # rows are reported from the endpoint's X-Result-Rows (counting here would cost time)
    return run


_FRESH = iter(range(1 << 62))


def over_http(url: str, query: str, cold: bool = True) -> Callable[[], int]:
    """A client sending query; cold: a text the server has not seen (a numbered comment), so
    its result cache cannot answer and the query is evaluated every time."""
    session = requests.Session()
    # A server closes a keep-alive connection when idle (gunicorn once did after 2 s; uWSGI after
    # a file answer, saying so): a request racing that close is reset, as any HTTP client sees in production. Such a (GET, idempotent) request is resent.
    retry = Retry(total=2, connect=2, read=2, backoff_factor=0, allowed_methods=["GET"])
    session.mount("http://", HTTPAdapter(max_retries=retry, pool_connections=1, pool_maxsize=1))

    def run() -> int:
        text = f"{query}\n# {next(_FRESH)}" if cold else query
        response = session.get(url, params={"query": text}, headers={"Accept": JSON_TYPE}, timeout=120)
        if response.status_code != 200:
            raise RuntimeError(f"{response.status_code}: {response.text[:300]}")
        return int(response.headers.get("X-Result-Rows", 0))
    return run


def with_rdflib(dataset, query: str, base: str) -> Callable[[], int]:
    def run() -> int:
        result = dataset.query(query, base=base)
        result.serialize(format="json")
        return len(result)
    return run


# --------------------------------------------------------------------------- report

def table(results: dict[str, dict[str, Measure]]) -> str:
    head = ("| query | rows | in-process median / p99 ms | http x1 (uncached) median / p99 ms | http x1 / in-process "
            "| http x16 median / p99 ms | http x16 answers/s | http repeated (cached) median ms "
            "| rdflib median / p99 ms | rdflib / in-process |")
    lines = [head, "|" + "---|" * 10]
    for name, row in results.items():
        ip, h1, h16, rl = row["in-process"], row["http x1"], row["http x16"], row.get("rdflib")
        hc = row["http cached"]
        rdflib_cells = (f"{rl.median_ms:.1f} / {rl.p99_ms:.1f}", f"{rl.median_ms / ip.median_ms:.1f}x") if rl else ("-", "-")
        lines.append(
            f"| {name} | {h1.rows} | {ip.median_ms:.2f} / {ip.p99_ms:.2f} | {h1.median_ms:.2f} / {h1.p99_ms:.2f} "
            f"| {h1.median_ms / ip.median_ms:.2f}x | {h16.median_ms:.1f} / {h16.p99_ms:.1f} | {h16.throughput:.0f} "
            f"| {hc.median_ms:.2f} | {rdflib_cells[0]} | {rdflib_cells[1]} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", default="100k", help="generated triples besides the 2018 graph (default 100k)")
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per query, in-process and http x1")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--per-client", type=int, default=5, help="requests per concurrent client")
    parser.add_argument("--rdflib-repeat", type=int, default=3, help="timed rdflib runs (it is slow)")
    parser.add_argument("--no-rdflib", action="store_true", help="skip rdflib (loading it takes a while)")
    parser.add_argument("--workers", type=int, default=2, help="server workers (each with 4 threads/query processes)")
    parser.add_argument("--json", type=Path, help="also write the measurements to this JSON file")
    args = parser.parse_args(argv)

    from tests.live import live_server  # noqa: PLC0415  (the test suite's server runner)

    settings = load_settings(ROOT / "kgraph.toml", env={})
    base = settings.base
    files = data_files([ROOT / "data", synthetic_data(args.triples)])
    release = build_store(files, base, WORK / f"endpoint-store-{args.triples}")
    store = ox.Store.read_only(str(release / "store"))
    print(f"store: {len(store)} quads in {len(files)} named graphs", flush=True)
    dataset = None
    if not args.no_rdflib:
        t0 = time.perf_counter()
        dataset = rdflib_dataset(files, base)
        print(f"rdflib: parsed in {time.perf_counter() - t0:.1f} s", flush=True)

    results: dict[str, dict[str, Measure]] = {}
    # A high row limit: the 50k query must be served, not refused.
    server_settings = settings.replace(max_result_rows=1_000_000, query_timeout=120)
    with live_server(release, server_settings, workers=args.workers) as base_url:
        url = f"{base_url}/sparql"
        for name, query in QUERIES.items():
            text = f"BASE <{base}>\n{query}"
            row = {
                "in-process": sequential(in_process(store, text, base), args.repeat),
                "http x1": sequential(over_http(url, text), args.repeat),
                "http x16": parallel(lambda: over_http(url, text), args.clients, args.per_client),
                "http cached": sequential(over_http(url, text, cold=False), args.repeat),
            }
            if dataset is not None:
                row["rdflib"] = sequential(with_rdflib(dataset, text, base), args.rdflib_repeat, warmup=1)
            results[name] = row
            print(f"  {name}: in-process {row['in-process'].median_ms:.2f} ms, http {row['http x1'].median_ms:.2f} ms "
                  f"({row['http x1'].rows} rows)", flush=True)
    print()
    print(f"{len(store)} quads; {args.repeat} runs (x1), {args.clients} clients x {args.per_client} (x16); "
          f"server: {server_settings.server}, {args.workers} workers x 4 threads")
    print(table(results))
    misses = [n for n in BIG if results[n]["http x1"].median_ms > 1.3 * results[n]["in-process"].median_ms]
    print("\ngoal (>= 10k rows: http x1 <= 1.3x in-process): " + ("met" if not misses else f"missed for {', '.join(misses)}"))
    if args.json:
        args.json.write_text(json.dumps({n: {k: vars(m) for k, m in row.items()} for n, row in results.items()}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
