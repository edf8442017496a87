"""Issue 16 point 1 / benchmark 5(a): kgraph's hot path next to a bare Flask app and Oxigraph server.

    python -m benchmarks.hotpath                 # the real graph (./build, built if missing), 5 s per cell
    python -m benchmarks.hotpath --smoke         # CI: 1 s cells, 2 connections, a tmp build; proves it runs

Every system is started by this script on a free loopback port, all at once, and measured with
wrk (concurrency 16, 2 threads, 5 s per cell, like the issue's figures), every cell in turn for
three rounds (the figure is the median), so load from other work hits every system alike:

- kgraph as production serves it (`kgraph serve`, following build_dir/current; 2 workers, not the
  default 4, as the bare app has) on each
  WSGI server kgraph supports (settings.server): /healthz, a /doc/ page (HTML), its .ttl, the
  home page, a repeated SPARQL point lookup and a GROUP BY (both answered from the cache);
- a bare Flask app (benchmarks/bare_flask.py) on the same servers with the same worker settings;
- Oxigraph server (PyPI `oxigraph`) loaded with the release's N-Quads dump: the same two queries.

Before measuring, every URL is fetched once and must answer 200 (a cell of errors is no figure);
wrk's non-2xx count is recorded too. The /healthz goal is a ratio to bare Flask on the same server,
measured right after it in every round: the median of the rounds' ratios. Writes results/hotpath.{json,md} and hotpath.png.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

import httpx

from benchmarks import systems
from benchmarks.run import MIX

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
BIN = Path(sys.executable).parent
DOC = "/doc/organisatie/kenniscentrum-vlaamse-steden"
JSON_RESULTS = "application/sparql-results+json"
POINT = MIX["point"]
GROUP = MIX["group-count"]
SERVERS = ("gunicorn", "granian", "uwsgi")  # kgraph's settings.server values
# The goals (real graph, concurrency 16).
GOALS = {"doc_rps": 5000, "home_rps": 3000, "cached_vs_oxigraph": 0.5, "healthz_vs_flask": 1 / 1.3}


@dataclass
class Cell:
    """One wrk measurement: a system, what it was asked, the result."""

    system: str
    target: str
    url: str
    headers: dict = field(default_factory=dict)
    rps: float = 0.0
    p99_ms: float | None = None
    non_2xx: int = 0
    errors: str = ""
    rounds: list = field(default_factory=list)  # req/s of each round; rps is their median


def wrk(url: str, headers: dict, seconds: float, connections: int, threads: int) -> tuple[float, float | None, int, str]:
    """Requests per second, p99 latency (ms), non-2xx/3xx responses and socket errors of one wrk run."""
    command = ["/usr/bin/wrk", f"-c{connections}", f"-t{threads}", f"-d{seconds:g}s", "--latency", url]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30)
    out = done.stdout
    if "Requests/sec" not in out:
        raise RuntimeError(f"wrk failed on {url}: {done.stderr or out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    p99_ms = None
    if p99:
        p99_ms = float(p99.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return rps, p99_ms, int(bad.group(1)) if bad else 0, errors.group(0) if errors else ""


def start(command: list[str], env: dict, ready_url: str, log: Path) -> subprocess.Popen:
    """Start a server and wait until `ready_url` answers 200."""
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=open(log, "w"), cwd=ROOT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise systems.Unavailable(f"{command[0]} exited with {process.returncode}: {log.read_text()[-500:]}")
        try:
            if httpx.get(ready_url, timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    raise systems.Unavailable(f"{command} not answering after 120 s")


def kgraph_command(server: str, port: int) -> tuple[list[str], dict]:
    env = {**os.environ, "KGRAPH_CONFIG": str(ROOT / "kgraph.toml"), "KGRAPH_SERVER": server}
    return [str(BIN / "kgraph"), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2"], env


def bare_command(server: str, port: int, threads: int) -> list[str]:
    """The bare Flask app on the same server settings kgraph.serve uses."""
    if server == "granian":
        return [str(BIN / "granian"), "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
                "--workers", "2", "--blocking-threads", str(threads), "--log-level", "warning",
                "--no-ws", "benchmarks.bare_flask:app"]
    if server == "uwsgi":  # kgraph.serve's own uWSGI options, the bare app instead of kgraph's loader
        from kgraph.config import Settings
        from kgraph.serve import uwsgi_argv

        options = {"module": "benchmarks.bare_flask:app"}
        return [str(BIN / "uwsgi"), *uwsgi_argv(Settings(), "127.0.0.1", port, 2, threads, options)]
    return [str(BIN / "gunicorn"), "-k", "gthread", "-w", "2", "--threads", str(threads), "--keep-alive", "10",
            "-b", f"127.0.0.1:{port}", "--log-level", "warning", "benchmarks.bare_flask:app"]


def sparql_url(root: str, path: str, query: str) -> str:
    return f"{root}{path}?query={quote(query)}"


def kgraph_targets(root: str) -> list[tuple[str, str, dict]]:
    return [
        ("healthz", f"{root}/healthz", {}),
        ("doc page", f"{root}{DOC}", {"Accept": "text/html"}),
        ("doc .ttl", f"{root}{DOC}.ttl", {}),
        ("home", f"{root}/", {"Accept": "text/html"}),
        ("point lookup (cached)", sparql_url(root, "/sparql", POINT), {"Accept": JSON_RESULTS}),
        ("group by (cached)", sparql_url(root, "/sparql", GROUP), {"Accept": JSON_RESULTS}),
    ]


def check(system: str, target: str, url: str, headers: dict) -> None:
    """A cell is measured only if its request answers 200 (a cell of errors is no figure)."""
    first = httpx.get(url, headers=headers, timeout=30)
    if first.status_code != 200:
        raise RuntimeError(f"{system} {target}: {url} answered {first.status_code}: {first.text[:300]}")


def measure(plan: list[tuple[str, str, str, dict]], args: argparse.Namespace) -> list[Cell]:
    """Every cell of the plan, `args.rounds` times in turn (so a burst of load from other work
    hits every system alike); each cell's figure is the median of its rounds."""
    for system, target, url, headers in plan:
        check(system, target, url, headers)
    runs: dict[tuple[str, str], list[tuple[float, float | None, int, str]]] = {}
    for round_number in range(args.rounds):
        for system, target, url, headers in plan:
            runs.setdefault((system, target), []).append(wrk(url, headers, args.seconds, args.connections, args.threads))
            rps = runs[(system, target)][-1][0]
            print(f"round {round_number + 1} {system:24} {target:24} {rps:10.0f} req/s", flush=True)
    cells = []
    for system, target, url, headers in plan:
        measured = sorted(runs[(system, target)], key=lambda run: run[0])
        cell = Cell(system, target, url, headers)
        cell.rps, cell.p99_ms, _, cell.errors = measured[len(measured) // 2]
        cell.non_2xx = sum(run[2] for run in measured)
        cell.rounds = [run[0] for run in runs[(system, target)]]
        cells.append(cell)
    return cells


def in_process_profile(build_dir: Path, args: argparse.Namespace) -> list[str]:
    """benchmarks/hotpath_profile.py on the same release (after wrk, servers still up: the same
    load): kgraph's CPU per /healthz request, layer by layer, beside bare Flask's."""
    env = {**os.environ, "KGRAPH_CONFIG": str(ROOT / "kgraph.toml"), "KGRAPH_BUILD_DIR": str(build_dir)}
    quick = ["--rounds", "2", "--requests", "20"] if args.smoke else []
    done = subprocess.run([sys.executable, "-m", "benchmarks.hotpath_profile", *quick], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"hotpath_profile failed: {done.stderr[-1000:]}")
    return done.stdout.strip().splitlines()


def servers_available(wanted: list[str]) -> list[str]:
    return [s for s in wanted if s == "gunicorn" or (BIN / s).exists()]  # granian, uwsgi: optional packages


def run(args: argparse.Namespace) -> dict:
    work = Path(tempfile.mkdtemp(prefix="hotpath-"))
    skipped: dict[str, str] = {}
    build_dir = Path(args.build_dir).resolve() if args.build_dir else work / "build"
    if not (build_dir / "current").exists():
        env = {**os.environ, "KGRAPH_CONFIG": str(ROOT / "kgraph.toml"), "KGRAPH_BUILD_DIR": str(build_dir)}
        subprocess.run([str(BIN / "kgraph"), "build"], env=env, cwd=ROOT, check=True, capture_output=True)
    manifest = json.loads((build_dir / "current" / "manifest.json").read_text())
    processes: list[subprocess.Popen] = []
    oxigraph = None
    plan: list[tuple[str, str, str, dict]] = []
    try:
        for server in servers_available(args.servers.split(",")):
            port = systems.free_port()
            command, env = kgraph_command(server, port)
            env["KGRAPH_BUILD_DIR"] = str(build_dir)
            root = f"http://127.0.0.1:{port}"
            kgraph: list[tuple[str, str, str, dict]] = []
            try:
                processes.append(start(command, env, f"{root}/readyz", work / f"kgraph-{server}.log"))
                kgraph = [(f"kgraph ({server})", *target) for target in kgraph_targets(root)]
            except systems.Unavailable as exc:
                skipped[f"kgraph ({server})"] = str(exc)
            port = systems.free_port()
            bare_root = f"http://127.0.0.1:{port}"
            bare: list[tuple[str, str, str, dict]] = []
            try:
                processes.append(start(bare_command(server, port, args.server_threads), dict(os.environ),
                                       bare_root + "/", work / f"flask-{server}.log"))
                bare = [(f"bare Flask ({server})", "hello", bare_root + "/", {})]
            except systems.Unavailable as exc:
                skipped[f"bare Flask ({server})"] = str(exc)
            # Bare Flask right after kgraph's /healthz (the first target): the pair whose ratio is
            # a goal is measured seconds apart in every round, not a whole server's cells apart.
            plan += kgraph[:1] + bare + kgraph[1:]
        try:
            oxigraph = systems.oxigraph_server(build_dir / "current" / "dumps" / "kgraph.nq", work)
        except (systems.Unavailable, subprocess.CalledProcessError) as exc:
            skipped["oxigraph-server"] = str(exc)
        else:
            base = oxigraph.url.rsplit("/", 1)[0]
            plan += [("oxigraph-server", "point lookup (cached)", sparql_url(base, "/query", POINT), {"Accept": JSON_RESULTS}),
                     ("oxigraph-server", "group by (cached)", sparql_url(base, "/query", GROUP), {"Accept": JSON_RESULTS})]
        cells = measure(plan, args)
        profile = in_process_profile(build_dir, args)
    finally:
        for process in processes:
            systems.stop_process(process)
        if oxigraph is not None:
            oxigraph.stop()
        shutil.rmtree(work, ignore_errors=True)
    load = os.getloadavg()
    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": f"{os.cpu_count()} cores, shared with other work; load average before/after "
                   f"{args.load_before[0]:.2f} / {load[0]:.2f}",
        "graph": f"{manifest.get('triples')} triples, release {manifest.get('version')}",
        "wrk": f"-c{args.connections} -t{args.threads} -d{args.seconds:g}s, median of {args.rounds} rounds",
        "smoke": args.smoke,
        "cells": [cell.__dict__ for cell in cells],
        "skipped": skipped,
        "profile": profile,
    }


# Why a goal is missed, where it is (the in-process profile is in the same report).
WHY = {
    "/healthz / bare Flask hello": (
        "/healthz is made by the app each time (liveness), and kgraph's work comes on top of Flask's: "
        "one per-response step in Flask (language, Vary: Host, validators, the render-once mark) and one "
        "WSGI layer (release pinning, the render-once lookup, the precomputed licence Link, CORS and nosniff, "
        "the access line; /healthz is no-store, so it has no ETag to hash), and Flask's own extra cost for "
        "kgraph's blueprints; the in-process profile below gives each step's share. Where the server's "
        "own per-request cost is large (gunicorn) it hides most of it; where it is small (granian) the "
        "ratio is close to the in-process one (granian, uwsgi)"),
    "/doc/ page req/s": "kept pages are sent by middleware before Flask runs; what remains is the WSGI server's own "
                        "cost, which bounds a bare Flask app too (see its row)",
    "home page req/s": "as for /doc/ pages: the server's own per-request cost",
    "cached point lookup / Oxigraph server": (
        "a kept answer is sent by middleware before Flask runs (a few us of CPU in-process: the profile's kept "
        "page), so what is left is the WSGI server's own per-request cost: bare Flask's hello on gunicorn's "
        "gthread workers is itself below half of Oxigraph server's point lookup (see its row); the same app on "
        "granian or uWSGI meets the goal"),
}

# Which server `kgraph serve` runs by default, and why (issue 16 point 1: "chosen by measurement,
# keeping the time limits, worker recycling and the release switch that Hardening asks for").
SERVER_CHOICE = """\
uWSGI (the pyuwsgi wheel) and granian answer 4-6x the requests per second of gunicorn's gthread
workers for pages, their RDF and kept answers above (1.5-2x for /healthz, made each time), and
meet the cached lookup goal that gunicorn cannot (a kept answer
costs what the server costs: bare Flask on gunicorn is itself below half of Oxigraph server's
point lookup). **uWSGI is the default**, because it also keeps what "Hardening" asks of the server
(tests/web/api/test_servers.py, on every server):

- a worker that dies is replaced however often it dies (the master process), the others go on
  serving; granian 2.8 (2.8.9 checked) takes a second death of the same worker within 5.5 s of
  its respawn for a crash loop and stops the whole server, healthy workers included ("Worker
  crash loop detected, exiting", hard-coded in granian/server/common.py);
- a worker stuck with a request in hand (SIGSTOP in the test, as a native call holding the GIL)
  is killed and replaced after worker_timeout (default query_timeout + 30 s; uWSGI's harakiri,
  gunicorn's worker timeout); granian has no such limit;
- each worker loads the app after the fork and starts its query processes there, and stops
  them when it exits; SIGTERM answers the requests in flight, then stops; SIGHUP replaces the
  workers; keep-alive 10 s (> Node's 4 s); the request head bounded at 64 KiB; kgraph's access
  line per request and no request log of uWSGI's;
- a file answer (a dump) reaches a slow client whole: uWSGI hands it to an offload thread
  (offload-threads), which sends it outside the worker's request, so neither harakiri nor
  socket-timeout cuts it. Measured (2026-12-03, one worker, query_timeout 2 s: worker limit
  32 s): a 30 MB dump read by `curl --limit-rate 400k` arrived whole in 57.3 s; without the
  offload thread uWSGI had stopped at 16.5 MB after 25.9 s ("uwsgi_response_sendfile_do()
  TIMEOUT": the client's socket full for socket-timeout, 10 s) and, with socket-timeout 60 s,
  at the worker limit by harakiri; gunicorn sent it whole in 51.8 s.

Also different from gunicorn: uWSGI's harakiri clock is one per worker (uWSGI 2.0), so it does
not see a worker stopped between requests; an HTTP/1.1 `Connection: close` request is answered
at once but its connection closed only after socket-timeout; a Range answer (206) is sent by the
worker (uWSGI 2.0.30's offload cannot start inside a file), so a client that leaves its socket
full for 10 s loses the rest of that part; on SIGTERM or a reload a worker waits up to 8 s for
the files its offload thread is sending, as gunicorn gives requests in flight graceful_timeout.
`server = "gunicorn"` and `server = "granian"` stay available."""


def rps(result: dict, system: str, target: str) -> float | None:
    for cell in result["cells"]:
        if cell["system"] == system and cell["target"] == target:
            return cell["rps"]
    return None


def goals(result: dict) -> list[dict]:
    """Each goal of the issue, per WSGI server: the figure, the goal, met or by how much missed."""
    rows = []
    oxigraph = rps(result, "oxigraph-server", "point lookup (cached)")
    for server in SERVERS:
        name = f"kgraph ({server})"
        if rps(result, name, "healthz") is None:
            continue
        flask = rps(result, f"bare Flask ({server})", "hello")
        checks = [
            ("/doc/ page req/s", rps(result, name, "doc page"), GOALS["doc_rps"]),
            ("home page req/s", rps(result, name, "home"), GOALS["home_rps"]),
            ("cached point lookup / Oxigraph server", _ratio(rps(result, name, "point lookup (cached)"), oxigraph),
             GOALS["cached_vs_oxigraph"]),
            ("/healthz / bare Flask hello", paired_ratio(result, name, f"bare Flask ({server})"),
             GOALS["healthz_vs_flask"]),
        ]
        for goal, value, wanted in checks:
            if value is None:
                continue
            rows.append({"server": server, "goal": goal, "value": value, "wanted": wanted, "met": value >= wanted,
                         "shortfall": 0.0 if value >= wanted else 1 - value / wanted})
    return rows


def rounds_of(result: dict, system: str, target: str) -> list[float]:
    for cell in result["cells"]:
        if cell["system"] == system and cell["target"] == target:
            return cell["rounds"]
    return []


def paired_ratio(result: dict, kgraph: str, bare: str) -> float | None:
    """kgraph's /healthz over bare Flask's hello, the median of each round's ratio (the two are
    measured one after the other in every round, so each ratio is taken seconds apart)."""
    pairs = [k / b for k, b in zip(rounds_of(result, kgraph, "healthz"), rounds_of(result, bare, "hello")) if b]
    return sorted(pairs)[len(pairs) // 2] if pairs else None


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def _figure(value: float) -> str:
    return f"{value:.2f}" if value < 10 else f"{value:,.0f}"


def write(result: dict, out: Path, plots: bool) -> None:
    out.mkdir(parents=True, exist_ok=True)
    result["goals"] = goals(result)
    (out / "hotpath.json").write_text(json.dumps(result, indent=2) + "\n")
    lines = [
        "# Hot path (issue 16 point 1, benchmark 5(a))", "",
        f"Run {result['date']} with `python -m benchmarks.hotpath`{' --smoke' if result['smoke'] else ''}; "
        f"{result['graph']}; wrk {result['wrk']}; machine: {result['machine']}.", "",
        "| system | request | req/s (median) | rounds | p99 ms | non-2xx |", "|---|---|---:|---|---:|---:|",
    ]
    for cell in result["cells"]:
        p99 = f"{cell['p99_ms']:.2f}" if cell["p99_ms"] is not None else "-"
        rounds = ", ".join(f"{r:,.0f}" for r in cell["rounds"])
        lines.append(f"| {cell['system']} | {cell['target']} | {cell['rps']:,.0f} | {rounds} | {p99} | {cell['non_2xx']} |")
    lines += ["", "## Goals", "", "| server | goal | measured | wanted | result |", "|---|---|---:|---:|---|"]
    for row in result["goals"]:
        verdict = "met" if row["met"] else f"missed by {row['shortfall']:.0%}"
        lines.append(f"| {row['server']} | {row['goal']} | {_figure(row['value'])} | {_figure(row['wanted'])} | {verdict} |")
    lines += ["", "The /healthz goal is the median of the rounds' ratios: in each round bare Flask's hello is "
              "measured right after kgraph's /healthz on the same server. Each round's ratio: "
              + "; ".join(f"{server} " + ", ".join(
                  f"{k / b:.2f}" for k, b in zip(rounds_of(result, f"kgraph ({server})", "healthz"),
                                                  rounds_of(result, f"bare Flask ({server})", "hello")) if b)
                  for server in SERVERS if rounds_of(result, f"kgraph ({server})", "healthz")) + "."]
    missed = [row for row in result["goals"] if not row["met"]]
    if missed:
        lines += ["", "Why the misses:", ""]
        for row in missed:
            lines.append(f"- {row['server']}, {row['goal']}: {WHY[row['goal']]}.")
    for name, reason in result["skipped"].items():
        lines.append(f"- **{name}** skipped: {reason}")
    if result.get("profile"):
        lines += ["", "## In-process CPU per request (`benchmarks/hotpath_profile.py`, same run)", "", "```",
                  *result["profile"], "```"]
    lines += ["", "## The default server", "", SERVER_CHOICE]
    if plots:
        lines += ["", "![req/s per request and system](hotpath.png)"]
        _plot(result, out / "hotpath.png")
    (out / "hotpath.md").write_text("\n".join(lines) + "\n")


def _plot(result: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = [f"{c['system']}\n{c['target']}" for c in result["cells"]]
    fig, ax = plt.subplots(figsize=(9, 0.35 * len(labels) + 1.5))
    colours = ["tab:blue" if c["system"].startswith("kgraph") else "tab:gray" if "Flask" in c["system"] else "tab:orange"
               for c in result["cells"]]
    ax.barh(range(len(labels)), [c["rps"] for c in result["cells"]], color=colours)
    ax.set_yticks(range(len(labels)), labels, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel(f"requests per second (wrk {result['wrk']})")
    ax.set_title("kgraph hot path vs bare Flask and Oxigraph server")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.hotpath")
    ap.add_argument("--build-dir", help="a build folder with a current release (default ./build, built if missing)")
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--rounds", type=int, default=3, help="measurements of each cell, in turn; the median is kept")
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--threads", type=int, default=2, help="wrk threads")
    ap.add_argument("--server-threads", type=int, default=16, help="request threads per worker (settings.threads)")
    ap.add_argument("--servers", default=",".join(SERVERS), help="WSGI servers to run kgraph and bare Flask on")
    ap.add_argument("--out", default=str(RESULTS))
    ap.add_argument("--no-plots", action="store_true")
    ap.add_argument("--smoke", action="store_true", help="1 s cells, 2 connections, a build of its own (CI)")
    args = ap.parse_args(argv)
    args.load_before = os.getloadavg()
    if args.smoke:
        args.seconds, args.connections, args.rounds = 1.0, 2, 1
    elif not args.build_dir:
        args.build_dir = str(ROOT / "build")
    write(run(args), Path(args.out), not args.no_plots)


if __name__ == "__main__":
    main()
