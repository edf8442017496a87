"""/explore and the named-query API at scale (issue 15 point 7), on a built release (e.g. 1M).

    .venv/bin/python -m benchmarks.explore --release benchmarks/work/explore-build-1M/current [--size 1M]

Starts the real server (the `server` setting, 2 workers) on loopback on the release and measures:
- /explore/data.json, the default view: its size (goal: at most 1 MB), the first answer's time
  (the network's facts read from the store, then the view) and the median of later ones;
- the API's throughput for three named queries (default parameters, one page of 100 rows) next to
  the same query text on /sparql (what the API sends the engine: the query, LIMIT 101), cached
  (repeated text) and cold (a unique comment per request, so no answer cache helps), with
  benchmarks/loadgen.py at concurrency 8.
Writes benchmarks/results/<date>-<size>-explore.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from kgraph.api.run import paged_text
from kgraph.config import load_settings
from kgraph.named_queries import load_catalogue

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ("partners-van-organisatie", "activiteiten-van-stad", "organisaties-per-aantal-activiteiten")


def _get(url: str) -> tuple[bytes, float]:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=600) as response:
        body = response.read()
    return body, time.perf_counter() - started


def _load(job: dict) -> dict:
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "loadgen.py")], input=json.dumps(job),
                         capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    return {"rps": round(len(result["latencies"]) / result["wall"], 1), "errors": result["errors"],
            "median_ms": round(statistics.median(result["latencies"]) * 1000, 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--release", type=Path, required=True)
    ap.add_argument("--size", default="1M")
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--port", type=int, default=18777)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = ap.parse_args(argv)
    settings = load_settings(ROOT / "kgraph.toml", env={})
    base = settings.base
    url = f"http://127.0.0.1:{args.port}"
    env = {**os.environ, "KGRAPH_CONFIG": str(ROOT / "kgraph.toml")}
    server = subprocess.Popen([sys.executable, "-m", "kgraph.serve", "--host", "127.0.0.1", "--port", str(args.port),
                               "--workers", "2", "--store", str(args.release.resolve())], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        for _ in range(600):
            try:
                _get(url + "/healthz")
                break
            except OSError:
                time.sleep(0.5)
        first_body, first = _get(url + "/explore/data.json")
        later = [_get(url + "/explore/data.json")[1] for _ in range(5)]
        view = json.loads(first_body)
        page_body, page_time = _get(url + "/explore")
        catalogue = load_catalogue(settings.queries_dir)
        rows = []
        for name in QUERIES:
            text = paged_text(catalogue[name], base, 100, 0)
            common = {"concurrency": 8, "requests": args.requests, "timeout": 600, "max_seconds": 120}
            api = _load({**common, "urls": [f"{url}/api/queries/{name}.json"], "accept": "application/json"})
            cached = _load({**common, "url": url + "/sparql", "queries": [text]})
            cold = _load({**common, "url": url + "/sparql", "queries": [text], "cold": True})
            rows.append((name, api, cached, cold))
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
    lo = view["left_out"]
    lines = [
        f"# /explore and the named-query API at {args.size} ({dt.date.today()}, 2 cores shared, gunicorn 2 workers)", "",
        "## /explore/data.json, the default view", "",
        "| what | figure |", "| --- | ---: |",
        f"| size | {len(first_body):,} bytes (goal <= 1,048,576) |",
        f"| first answer (facts read from the store + view) | {first:.2f} s |",
        f"| later answers (median of 5; view from the facts kept per release) | {statistics.median(later):.2f} s |",
        f"| organisations drawn / in the network | {sum(1 for n in view['nodes'] if not n.get('collapsed'))} / {lo['total_organisations']} |",
        f"| collapsed into communities | {lo['organisations']} organisations in {lo['communities']} community nodes |",
        f"| edges drawn / in the network | {len(view['edges'])} / {lo['total_edges']} |",
        f"| /explore page | {len(page_body):,} bytes, {page_time:.2f} s |", "",
        f"## Named queries: API vs /sparql ({args.requests} requests each, concurrency 8)", "",
        "| query | API req/s (median ms) | /sparql cached req/s (median ms) | /sparql cold req/s (median ms) | errors |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, api, cached, cold in rows:
        lines.append(f"| {name} | {api['rps']} ({api['median_ms']}) | {cached['rps']} ({cached['median_ms']}) | "
                     f"{cold['rps']} ({cold['median_ms']}) | {api['errors']}/{cached['errors']}/{cold['errors']} |")
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"{dt.date.today()}-{args.size}-explore.md"
    path.write_text("\n".join(lines) + "\n")
    print(path.read_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
