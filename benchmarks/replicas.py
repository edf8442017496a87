"""Issue 16, 5(c): nginx (deploy/nginx.conf) with two kgraph replicas against one replica without
it, on the real 2018 graph, side by side in one run.

    python -m benchmarks.replicas                  # results/replicas.md (+ .json, .png)
    python -m benchmarks.replicas --smoke --out DIR   # 1 s per measurement (tests/bench)

- The data: a `kgraph build` of the repository's graph into the work folder.
- "one replica": `kgraph serve` with 2 gunicorn workers, clients straight to it. "nginx + 2
  replicas": two `kgraph serve` with 1 worker each (the same number of workers in all, on this
  2-core machine) behind nginx with the shipped configuration (tests/deploy/proxy.py).
- The load: wrk (/usr/bin/wrk), 2 threads, 16 connections, --seconds per measurement after a 1 s
  warm-up, on six workloads: three repeated (the same URL every time: what a cache answers) and
  three uncached (a counter in the query string makes every URL new: nginx must pass each one on,
  and writes it to its cache). Non-2xx answers and socket errors are counted and reported.
- All three servers and nginx run throughout; each workload is measured on one system, then the
  other, back to back, in --rounds rounds whose order alternates (A B, B A: the machine is shared,
  its load changes over a run); the report gives the mean and every round.
- Cache statuses (HIT, MISS, ...) come from nginx's access log of the measured runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import quote

from benchmarks.systems import BIN, ROOT, kgraph_server

# Both set-ups count answered requests: a query waits up to 4 s for a query process (2 x
# slow_query_after) before the executor refuses it (503). With the default 0.5 s, a machine
# starved by other work (the CI suite beside this smoke run) refused a few uncached lookups of
# the single replica, which measured the machine, not the cache.
ADMISSION = {"KGRAPH_SLOW_QUERY_AFTER": "2"}
from kgraph.config import load_settings
from tests.deploy.proxy import nginx_proxy

WRK = shutil.which("wrk") or "/usr/bin/wrk"
CONNECTIONS, THREADS = 16, 2
HTML, JSON = "text/html", "application/sparql-results+json"


def workloads(base: str) -> list[dict]:
    """(name, path, Accept, unique): the same URL every time, or a new one per request."""
    lookup = f"SELECT ?p ?o WHERE {{ <{base}id/organisatie/gent> ?p ?o }}"
    group = ("SELECT ?type (COUNT(?s) AS ?n) WHERE { ?s a ?type } GROUP BY ?type ORDER BY DESC(?n)")
    rows = []
    for unique in (False, True):
        kind = "uncached" if unique else "repeated"
        rows += [
            {"name": f"{kind}: SPARQL point lookup", "path": "/sparql?query=" + quote(lookup), "accept": JSON},
            {"name": f"{kind}: SPARQL GROUP BY", "path": "/sparql?query=" + quote(group), "accept": JSON},
            {"name": f"{kind}: /doc/ page", "path": "/doc/organisatie/gent", "accept": HTML},
        ]
        for row in rows[-3:]:
            row["unique"] = unique
    return rows


LUA = """
wrk.headers["Accept"] = "%(accept)s"
local path, unique, salt, counter, id = "%(path)s", %(unique)s, "%(salt)s", 0, 0
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end
function init(args)
  id = wrk.thread:get("id")
end
function request()
  if not unique then return wrk.format("GET", path) end
  counter = counter + 1
  -- a SPARQL query gets a comment (%%23: '#'), a page a query parameter
  local sep = string.find(path, "?", 1, true) and "%%20%%23" or "?n="
  return wrk.format("GET", path .. sep .. salt .. "-" .. id .. "-" .. counter)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK {"requests": %%d, "duration_us": %%d, "bytes": %%d, "non_2xx_3xx": %%d, ' ..
    '"socket_errors": %%d, "p50_ms": %%.3f, "p99_ms": %%.3f}\\n', summary.requests, summary.duration,
    summary.bytes, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def wrk(url: str, work: dict, seconds: int, folder: Path) -> dict:
    """One wrk run of a workload against a base URL: requests/s, latencies, errors."""
    script = folder / "load.lua"
    # The salt: no run repeats another's URLs (the warm-up's would be cache hits in the measured run).
    script.write_text(LUA % {"accept": work["accept"], "path": work["path"], "unique": str(work["unique"]).lower(),
                             "salt": time.time_ns()})
    done = subprocess.run([WRK, "-t", str(THREADS), "-c", str(CONNECTIONS), "-d", f"{seconds}s", "--latency",
                           "-s", str(script), url], capture_output=True, text=True, timeout=seconds + 60)
    found = re.search(r"^WRK (\{.*\})$", done.stdout, re.MULTILINE)
    if done.returncode != 0 or not found:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stdout[-1000:]} {done.stderr[-1000:]}")
    result = json.loads(found.group(1))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    return result


def measure_one(url: str, work: dict, seconds: int, folder: Path, log=None) -> dict:
    """One workload against one system: a 1 s warm-up, then the measured run (with nginx's cache
    statuses of the measured run when `log` reads its access log)."""
    wrk(url, work, 1, folder)
    if log:
        time.sleep(1.1)  # nginx writes its access log buffer out every second
    before = len(log()) if log else 0
    result = wrk(url, work, seconds, folder)
    if log:
        time.sleep(1.1)
        statuses = Counter(m.group(1) for line in log()[before:] if (m := re.search(r" cache=(\S+) ", line)))
        result["cache"] = dict(statuses)
    return result


def combine(runs: list[dict]) -> dict:
    """The rounds of one workload on one system: mean rate and latencies, errors and cache statuses summed."""
    mean = lambda key: sum(r[key] for r in runs) / len(runs)  # noqa: E731
    cache: Counter = Counter()
    for r in runs:
        cache.update(r.get("cache", {}))
    combined = {"rps": mean("rps"), "rps_rounds": [r["rps"] for r in runs], "p50_ms": mean("p50_ms"),
                "p99_ms": mean("p99_ms"), "requests": sum(r["requests"] for r in runs),
                "non_2xx_3xx": sum(r["non_2xx_3xx"] for r in runs),
                "socket_errors": sum(r["socket_errors"] for r in runs)}
    if any("cache" in r for r in runs):
        combined["cache"] = dict(cache)
    return combined


def build_release(work: Path) -> Path:
    """The repository's graph built into the work folder; the release folder."""
    build_dir = work / "build"
    env = {**os.environ, "KGRAPH_CONFIG": str(ROOT / "kgraph.toml"), "KGRAPH_BUILD_DIR": str(build_dir)}
    subprocess.run([str(BIN / "kgraph"), "build"], env=env, check=True, capture_output=True, timeout=600)
    return (build_dir / "current").resolve()


def write(out: Path, results: dict, meta: dict, plots: bool) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "replicas.json").write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n")
    one, proxied = results["one replica"], results["nginx + 2 replicas"]
    lines = [
        "# nginx with two replicas against one replica (issue 16, 5(c))",
        "",
        f"Run {meta['date']} on this shared 2-core machine (load average before the run {meta['load']}), "
        f"the real 2018 graph ({meta['triples']} triples). wrk, {THREADS} threads, concurrency {CONNECTIONS}, "
        f"{meta['seconds']} s per measurement after a 1 s warm-up, {meta['rounds']} rounds per workload and system "
        "(mean requests/s; the order alternates: A B, B A). One replica: `kgraph serve` with 2 workers, "
        "clients straight to it. nginx + 2 replicas: deploy/nginx.conf in front of two `kgraph serve` with "
        "1 worker each (the same number of workers). Repeated: the same URL every request; uncached: a "
        "counter in the query string makes every URL new. Each workload is measured on both systems back to "
        "back, all servers running throughout. Absolute figures are noise on a shared machine; the ratio is the point.",
        "",
        f"Command: `.venv/bin/python -m benchmarks.replicas --seconds {meta['seconds']} --rounds {meta['rounds']}`.",
        "",
        "| workload | one replica rps | p99 ms | nginx + 2 replicas rps | p99 ms | ratio | rounds (one; nginx) | nginx cache | errors (one/nginx) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |",
    ]
    for name in one:
        a, b = one[name], proxied[name]
        statuses = b.get("cache", {})
        total = sum(statuses.values()) or 1
        cache = ", ".join(f"{k} {100 * v / total:.0f}%" for k, v in sorted(statuses.items())) or "-"
        errors = f"{a['non_2xx_3xx'] + a['socket_errors']}/{b['non_2xx_3xx'] + b['socket_errors']}"
        lines.append(f"| {name} | {a['rps']:.0f} | {a['p99_ms']:.1f} | {b['rps']:.0f} | {b['p99_ms']:.1f} | "
                     f"**{b['rps'] / a['rps']:.2f}x** | {rounds(a)}; {rounds(b)} | {cache} | {errors} |")
    lines += ["", meta.get("notes", ""), ""]
    if plots:
        _plot(out / "replicas.png", one, proxied)
        lines += ["![requests per second](replicas.png)", ""]
    (out / "replicas.md").write_text("\n".join(lines))


def rounds(row: dict) -> str:
    return " ".join(f"{x:.0f}" for x in row["rps_rounds"])


def _plot(path: Path, one: dict, proxied: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(one)
    fig, ax = plt.subplots(figsize=(9, 4.5))
    positions = range(len(names))
    ax.barh([p + 0.2 for p in positions], [one[n]["rps"] for n in names], 0.4, label="one replica")
    ax.barh([p - 0.2 for p in positions], [proxied[n]["rps"] for n in names], 0.4, label="nginx + 2 replicas")
    ax.set_yticks(list(positions), names)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlabel("requests per second (log scale), wrk, concurrency 16")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.replicas")
    parser.add_argument("--seconds", type=int, default=5, help="seconds per measurement")
    parser.add_argument("--rounds", type=int, default=2, help="measurements per workload and system (A B, B A, ...)")
    parser.add_argument("--smoke", action="store_true", help="1 s per measurement, one round (the CI smoke test)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks" / "work")
    parser.add_argument("--no-plots", action="store_true")
    parser.add_argument("--notes", default="", help="a paragraph for the report")
    args = parser.parse_args(argv)
    seconds = 1 if args.smoke else args.seconds
    rounds = 1 if args.smoke else args.rounds
    args.work.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="replicas-", dir=args.work))
    try:
        release = build_release(work)
        manifest = json.loads((release / "manifest.json").read_text())
        base = load_settings(ROOT / "kgraph.toml").base
        works = workloads(base)
        meta = {"date": dt.date.today().isoformat(), "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
                "triples": manifest.get("triples"), "seconds": seconds, "rounds": rounds, "notes": args.notes}
        results: dict[str, dict] = {"one replica": {}, "nginx + 2 replicas": {}}
        with ExitStack() as stack:
            # All three servers run throughout; each workload is measured on both systems back to
            # back, so a change of the machine's load between workloads hits both alike.
            single = kgraph_server(release, work, workers=2, settings=ADMISSION)
            stack.callback(single.stop)
            replicas = []
            for _ in range(2):
                replicas.append(kgraph_server(release, work, workers=1, settings=ADMISSION))
                stack.callback(replicas[-1].stop)
            addresses = [r.url.removeprefix("http://").removesuffix("/sparql") for r in replicas]
            proxy = stack.enter_context(nginx_proxy(addresses))
            systems = {"one replica": (single.url.removesuffix("/sparql"), None),
                       "nginx + 2 replicas": (proxy.url, proxy.access_log)}
            for work_item in works:
                runs: dict[str, list[dict]] = {name: [] for name in systems}
                for round_ in range(rounds):
                    # A B, then B A: a trend in the machine's load favours neither.
                    order = list(systems) if round_ % 2 == 0 else list(reversed(systems))
                    for name in order:
                        url, log = systems[name]
                        runs[name].append(measure_one(url, work_item, seconds, work, log=log))
                for name in systems:
                    results[name][work_item["name"]] = combine(runs[name])
        write(args.out, results, meta, plots=not args.no_plots)
        print((args.out / "replicas.md").read_text())
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
