"""Triple Pattern Fragments side by side: kgraph's /fragments against the reference Linked Data
Fragments server (npm @ldf/server 3.3.0), both on loopback over the same generated data.

    python -m benchmarks.fragments --size 100k      # results/<date>-<size>-fragments.md (+ .json, .png)

- The data: benchmarks.run's generator and kgraph build (reused from benchmarks/work/); the LDF
  server reads the release's own N-Triples dump (the union default graph, each triple once) with
  its NTriplesDatasource (in memory: HDT would need its native module, which needs a compiler).
- @ldf/server is installed from benchmarks/ldf-server/package-lock.json by `npm ci` into a folder
  of its own outside the repository (Components.js scans every node_modules above it, and the
  repository's Comunica 5 packages make it fail to start), kept across runs per lock file.
- Throughput: page 1 of fragments for four pattern kinds (s??, ?p?, ?po, ??o), each a list of
  distinct patterns sampled from the data (the same URLs on both but for the path), each asked
  once (there are only a few dozen predicates: ?p? repeats them, and kgraph's page cache answers
  those repeats, as it would Comunica's), in the
  default graph (`graph=urn:ldf:defaultGraph`, as Comunica asks), TriG, at concurrency 16 from
  wrk (2 threads, a Lua script giving each thread its share of the URLs). Each server runs as
  it is best on this 2-core machine: kgraph with its default settings (`kgraph serve`: 4 uWSGI
  workers, two a core), @ldf/server with 2 workers, one a core (`--ldf-workers`; on ??o at 100k,
  median of 5: 8,461 rps with 2, 7,771 with 3, 6,186 with 4: Node's one event loop a process
  already fills its core). Until 2026-12-03 kgraph ran 2 workers here too. (Until 2026-12-02
  the load came from benchmarks/loadgen.py, Python: it spent more CPU per request than either
  server, so both ran at the client's pace and every ratio came out near 1.)
- Comunica end-to-end: five named queries (queries/), one Node process per server
  (tests/fragments/comunica_batch.cjs), its HTTP cache cleared between queries; the answers of
  the two servers are compared (tests/fragments/answers.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx
import pyoxigraph as ox

from benchmarks import generate, systems
from benchmarks.run import RESULTS, WORK, build_release, pct
from kgraph.config import load_settings
from kgraph.fragments.terms import term_to_string
from tests.fragments.answers import rows, same_answers

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LDF_FOLDER = HERE / "ldf-server"
BATCH = ROOT / "tests" / "fragments" / "comunica_batch.cjs"
DEFAULT_GRAPH = "urn:ldf:defaultGraph"
KINDS = ("s??", "?p?", "?po", "??o")
# Selective ones (each starts from a few resources): the others scan every activity or label,
# which over fragments of 100k+ triples means tens of thousands of requests per query.
QUERIES = ("centrumsteden", "evenementen-op-plaats", "partners-van-organisatie", "activiteiten-van-stad",
           "werkte-kenniscentrum-samen-met")
BASE = "https://data.kenniscentrumvlaamsesteden.be/"


def progress(message: str) -> None:
    print(f"[fragments {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def install_ldf_server() -> Path:
    """@ldf/server's npm folder (npm ci from the committed lock file), outside the repository."""
    lock = (LDF_FOLDER / "package-lock.json").read_bytes()
    folder = Path(tempfile.gettempdir()) / f"kgraph-ldf-server-{hashlib.sha256(lock).hexdigest()[:12]}"
    binary = folder / "node_modules" / ".bin" / "ldf-server"
    if not binary.exists():
        folder.mkdir(parents=True, exist_ok=True)
        for name in ("package.json", "package-lock.json"):
            shutil.copy(LDF_FOLDER / name, folder / name)
        progress(f"npm ci @ldf/server into {folder}")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=folder, check=True)
    return binary


def ldf_server(binary: Path, ntriples: Path, work: Path, workers: int = 2) -> tuple[systems.Server, str]:
    """The reference server on a free loopback port over an N-Triples file; its fragments URL."""
    port = systems.free_port()
    workdir = Path(tempfile.mkdtemp(prefix="ldf-", dir=work))
    config = {
        "@context": "https://linkedsoftwaredependencies.org/bundles/npm/@ldf/server/^3.0.0/components/context.jsonld",
        "@id": "urn:ldf-server:my",  # the id config-defaults.json gives the server: settings attach to it
        "import": "preset-qpf:config-defaults.json",
        "title": "kgraph benchmark",
        "baseURL": f"http://127.0.0.1:{port}/",
        "datasources": [{"@id": "urn:ldf-server:kgraph", "@type": "NTriplesDatasource", "datasourceTitle": "kgraph",
                         "description": "the kgraph release's N-Triples dump", "datasourcePath": "kgraph",
                         "file": str(ntriples)}],
    }
    (workdir / "config.json").write_text(json.dumps(config))
    process = subprocess.Popen([str(binary), str(workdir / "config.json"), str(port), str(workers)], cwd=binary.parents[2],
                               stdout=open(workdir / "ldf.log", "w"), stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/kgraph"
    deadline = time.monotonic() + 600  # it parses the whole file into memory before it answers
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise systems.Unavailable(f"ldf-server exited: {(workdir / 'ldf.log').read_text()[-2000:]}")
        try:
            if httpx.get(url + "?subject=urn%3Ax", headers={"Accept": "application/trig"}, timeout=5).status_code == 200:
                return systems.Server("ldf-server", url, process, 0.0, workdir), url
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    process.kill()
    raise systems.Unavailable("ldf-server did not answer within 600 s")


def stop(server: systems.Server) -> None:
    try:
        os.killpg(server.process.pid, 15)
    except ProcessLookupError:
        return
    try:
        server.process.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(server.process.pid, 9)


def sample_patterns(store: ox.Store, per_kind: int, seed: int) -> dict[str, list[dict[str, ox.NamedNode | ox.Literal]]]:
    """Distinct patterns of each kind, sampled from the default graph (no blank nodes: their
    labels differ between the servers)."""
    rnd = random.Random(seed)

    def column(query: str, *names: str) -> list[tuple]:
        found = [tuple(s[n] for n in names) for s in store.query(query, use_default_graph_as_union=True)]
        return rnd.sample(found, min(per_kind, len(found)))

    limit = per_kind * 20
    return {
        "s??": [{"subject": s} for (s,) in column(f"SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(isIRI(?s)) }} LIMIT {limit}", "s")],
        "?p?": [{"predicate": p} for (p,) in column("SELECT DISTINCT ?p WHERE { ?s ?p ?o }", "p")],
        "?po": [{"predicate": p, "object": o} for p, o in column(
            f"SELECT DISTINCT ?p ?o WHERE {{ ?s ?p ?o FILTER(!isBlank(?o)) }} LIMIT {limit}", "p", "o")],
        "??o": [{"object": o} for (o,) in column(
            f"SELECT DISTINCT ?o WHERE {{ ?s ?p ?o FILTER(!isBlank(?o)) }} LIMIT {limit}", "o")],
    }


def url_of(fragments: str, pattern: dict) -> str:
    terms = {**pattern, "graph": ox.NamedNode(DEFAULT_GRAPH)}
    order = ("subject", "predicate", "object", "graph")
    return fragments + "?" + "&".join(f"{k}={quote(term_to_string(terms[k]), safe='')}" for k in order if k in terms)


# Each wrk thread takes every other URL of the list, in turn: no URL is asked twice until the
# list is used up (wrk runs for a fixed time, so the list must outlast it: see `repeated`).
WRK_SCRIPT = """
local paths = dofile(os.getenv("KGRAPH_WRK_PATHS"))
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end
function init(args)
  sent, step = 0, tonumber(os.getenv("KGRAPH_WRK_THREADS"))
end
function request()
  local i = ((id + sent * step) % #paths) + 1
  sent = sent + 1
  return wrk.format("GET", paths[i], {["Accept"] = "application/trig"})
end
"""


def throughput(urls: list[str], concurrency: int, seconds: float, threads: int = 2) -> dict:
    """wrk (C, in its own process) over the URLs at `concurrency` for `seconds`, each URL asked
    once while the list lasts; `repeated` says how many requests had to ask a URL again.
    (A Python client costs more per request than either server: with one, both ran at the
    client's pace and every ratio came out near 1.)"""
    split = urlsplit(urls[0])
    with tempfile.TemporaryDirectory() as folder:
        script, paths = Path(folder) / "fragments.lua", Path(folder) / "paths.lua"
        script.write_text(WRK_SCRIPT)
        paths.write_text("return {" + ",".join(lua_string(urlsplit(u).path + "?" + urlsplit(u).query) for u in urls) + "}\n")
        env = {**os.environ, "KGRAPH_WRK_PATHS": str(paths), "KGRAPH_WRK_THREADS": str(threads)}
        done = subprocess.run(["wrk", f"-c{concurrency}", f"-t{threads}", f"-d{seconds:g}s", "--latency", "-s", str(script),
                               f"{split.scheme}://{split.netloc}"], capture_output=True, text=True, env=env,
                              timeout=seconds + 60)
    out = done.stdout
    if "Requests/sec" not in out:
        raise RuntimeError(f"wrk failed: {done.stderr or out}")
    answered = int(re.search(r"(\d+) requests in", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "p50_ms": _wrk_ms(out, "50%"),
            "p99_ms": _wrk_ms(out, "99%"), "requests": answered, "distinct": len(set(urls)),
            "repeated": max(0, answered - len(urls)), "errors": int(non_2xx.group(1)) if non_2xx else 0,
            "socket_errors": errors.group(1) if errors else ""}


def lua_string(text: str) -> str:
    """A Lua string literal (the paths are percent-encoded ASCII; escape anyway)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _wrk_ms(out: str, percentile: str) -> float | None:
    found = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)\b", out)
    if not found:
        return None
    return float(found.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[found.group(2)]


def total_items(url: str) -> int | None:
    """hydra:totalItems of a fragment page (each server's own metadata)."""
    text = httpx.get(url, headers={"Accept": "application/n-quads"}, timeout=60).text
    for quad in ox.parse(text.encode(), format=ox.RdfFormat.N_QUADS):
        if quad.predicate.value == "http://www.w3.org/ns/hydra/core#totalItems" and quad.subject.value == url:
            return int(quad.object.value)
    return None


def comunica(fragments: str, queries: dict[str, str], timeout: float) -> dict[str, dict]:
    """Each query in a Node process of its own (so that one query can be given up at `timeout`
    seconds); the time is measured inside it, without Node's start."""
    answers = {}
    for name, query in queries.items():
        payload = {"source": fragments, "queries": [{"name": name, "query": query}]}
        try:
            done = subprocess.run(["node", str(BATCH)], input=json.dumps(payload), capture_output=True, text=True,
                                  timeout=timeout, cwd=ROOT)
        except subprocess.TimeoutExpired:
            answers[name] = {"name": name, "ok": False, "error": f"not done in {timeout:.0f} s", "ms": timeout * 1000}
            continue
        if done.returncode:
            answers[name] = {"name": name, "ok": False, "error": done.stderr[-300:], "ms": 0}
            continue
        answers[name] = json.loads(done.stdout.splitlines()[-1])
    return answers


def named_queries() -> dict[str, str]:
    from kgraph.named_queries import load_catalogue

    catalogue = load_catalogue(ROOT / "queries")
    return {name: catalogue[name].text(BASE) for name in QUERIES}


def plot(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    width = 0.38
    for i, system in enumerate(("kgraph", "ldf-server")):
        left.bar([k + (i - 0.5) * width for k in range(len(KINDS))],
                 [results["throughput"][system][kind]["rps"] for kind in KINDS], width, label=system)
        times = [results["comunica"][system].get(q, {}).get("ms", 0) / 1000 for q in QUERIES]
        right.bar([k + (i - 0.5) * width for k in range(len(QUERIES))], times, width, label=system)
    left.set_xticks(range(len(KINDS)), KINDS)
    left.set_ylabel("fragments/s (c=16)")
    left.set_title(f"Fragment throughput, {results['size']}")
    right.set_xticks(range(len(QUERIES)), QUERIES, rotation=25, ha="right", fontsize=8)
    right.set_ylabel("s")
    right.set_title("Comunica end-to-end time")
    left.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def report(results: dict, path: Path) -> None:
    t, c = results["throughput"], results["comunica"]
    lines = [f"# Triple Pattern Fragments: kgraph vs @ldf/server 3.3.0, {results['size']} ({results['triples']} triples)", "",
             f"Run {results['date']} on this shared 2-core machine (loopback; kgraph as `kgraph serve` runs by default, "
             f"{results.get('kgraph_workers', 2)} {results.get('kgraph_server', 'uwsgi')} workers of {results.get('kgraph_threads', 16)} threads, "
             f"@ldf/server with {results.get('ldf_workers', 2)} workers, each server's best here; "
             f"load from wrk at concurrency {results['concurrency']}, {results['seconds']:g} s per kind and server over up to "
             f"{results['patterns']} distinct patterns a kind, each asked once while they last (?p?: the few predicates again); "
             f"load average {results.get('load', '?')}; absolute figures are noise, the ratio is the point).",
             "", "## Fragment throughput (page 1, TriG, default graph)", "",
             f"Each kind measured {results.get('repeat', 1)} times (kgraph started afresh each time); the run with the "
             "median ratio is shown, every run's ratio in the last column.", "",
             "| kind | kgraph rps | p99 ms | ldf-server rps | p99 ms | kgraph / ldf | requests, asked again (k/l) | errors (k/l) | counts agree | ratios, every run |",
             "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- | --- |"]
    for kind in KINDS:
        k, ref = t["kgraph"][kind], t["ldf-server"][kind]
        lines.append(f"| `{kind}` | {k['rps']:.0f} | {k['p99_ms']:.0f} | {ref['rps']:.0f} | {ref['p99_ms']:.0f} | "
                     f"**{k['rps'] / ref['rps']:.2f}x** | {k['requests']}, {k['repeated']} / {ref['requests']}, {ref['repeated']} | "
                     f"{k['errors']}/{ref['errors']} | {results['counts'][kind]} | "
                     f"{', '.join(f'{r:.2f}' for r in results.get('ratios', {}).get(kind, []))} |")
    lines += ["", "## Comunica end-to-end (five named queries)", "",
              "| query | kgraph s | ldf-server s | ldf / kgraph time | same answers |", "| --- | ---: | ---: | ---: | --- |"]
    for q in QUERIES:
        k, ref = c["kgraph"].get(q, {}), c["ldf-server"].get(q, {})
        ks = f"{k['ms'] / 1000:.1f}" if k.get("ok") else f"failed: {k.get('error', '')[:60]}"
        rs = f"{ref['ms'] / 1000:.1f}" if ref.get("ok") else f"failed: {ref.get('error', '')[:60]}"
        ratio = f"**{ref['ms'] / k['ms']:.2f}x**" if k.get("ok") and ref.get("ok") else "-"
        lines.append(f"| `{q}` | {ks} | {rs} | {ratio} | {results['same_answers'].get(q, '-')} |")
    lines += ["", f"![plots]({path.with_suffix('.png').name})", ""]
    path.write_text("\n".join(lines))


def _at_least_one(text: str) -> int:
    """argparse type: a whole number of at least 1 (a median needs a run)."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return int(text)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", default="100k")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--patterns", type=int, default=4000, help="distinct patterns per kind (fewer ?p?: one per predicate)")
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=2.0, help="wrk's time per kind and server (the patterns must outlast it)")
    ap.add_argument("--comunica-timeout", type=float, default=300.0, help="seconds per query")
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--reuse-build", action="store_true", help="serve the last build of this size (no new build)")
    ap.add_argument("--ldf-workers", type=_at_least_one, default=2, help="@ldf/server's worker processes")
    ap.add_argument("--repeat", type=_at_least_one, default=3,
                    help="throughput runs of every kind (kgraph restarted between them)")
    args = ap.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    binary = install_ldf_server()
    progress(f"build {args.size}")
    last = WORK / f"build-{args.size}" / "last-build.json"
    if args.reuse_build and last.exists():
        info = json.loads(last.read_text())
        release = Path(info["path"])
    else:
        release, info, _ = build_release(args.size, generate.parse_size(args.size), args.seed)
    store = ox.Store.read_only(str(release / "store"))
    patterns = sample_patterns(store, args.patterns, args.seed)
    del store
    progress("start kgraph and ldf-server")
    kgraph = systems.kgraph_server(release, WORK)
    # Each kgraph worker copies a release of up to fragment_memory_quads into memory as it starts
    # (kgraph.fragments.memory: 0.3 s per 121,544 quads, measured), reading pages from disk
    # meanwhile: measured is the server once it has done so, as @ldf/server is measured once it
    # has loaded its file.
    time.sleep(max(1.0, info["triples"] / 200_000))
    servers = {"kgraph": kgraph.url.replace("/sparql", "/fragments")}
    ldf, servers["ldf-server"] = ldf_server(binary, release / "dumps" / "kgraph.nt", WORK,
                                          workers=args.ldf_workers)
    served = load_settings(ROOT / "kgraph.toml")  # what systems.kgraph_server's `kgraph serve` runs with
    results = {"size": args.size, "triples": info["triples"], "date": dt.date.today().isoformat(),
               "kgraph_server": served.server, "kgraph_workers": served.workers, "kgraph_threads": served.threads, "ldf_workers": args.ldf_workers,
               "concurrency": args.concurrency, "seconds": args.seconds, "patterns": args.patterns,
               "throughput": {}, "ratios": {}, "repeat": args.repeat, "comunica": {}, "counts": {}, "same_answers": {}}
    try:
        for kind in KINDS:  # the same patterns: both servers count them alike
            sample = patterns[kind][:20]
            agree = all(total_items(url_of(servers["kgraph"], p)) == total_items(url_of(servers["ldf-server"], p))
                        for p in sample)
            results["counts"][kind] = f"{'yes' if agree else 'NO'} ({len(sample)} checked)"
        # Kind by kind, the two servers one after the other: on a shared machine the load of
        # other jobs drifts, and this way each ratio is taken seconds, not minutes, apart. Each
        # repeat asks the same patterns of a kgraph started afresh (no page of them kept), and the
        # run whose ratio is the median of a kind's repeats is the one reported.
        runs: dict[str, list[dict]] = {kind: [] for kind in KINDS}
        for repeat in range(args.repeat):
            if repeat:
                kgraph.stop()
                kgraph = systems.kgraph_server(release, WORK)
                time.sleep(max(1.0, info["triples"] / 200_000))
                servers["kgraph"] = kgraph.url.replace("/sparql", "/fragments")
            for kind in KINDS:
                got = {}
                for system, fragments in servers.items():
                    urls = [url_of(fragments, p) for p in patterns[kind]]
                    # Warm-up on other patterns (s?? of the other kinds' subjects would be too alike):
                    # the measured requests find no page of theirs in kgraph's page cache.
                    warm = [url_of(fragments, p) for other in KINDS if other != kind for p in patterns[other][-30:]]
                    throughput(warm, args.concurrency, 1)
                    got[system] = r = throughput(urls, args.concurrency, args.seconds)
                    progress(f"{system} {kind} ({repeat + 1}/{args.repeat}): {r['rps']:.0f} rps, p99 {r['p99_ms']:.0f} ms, "
                             f"{r['errors']} errors")
                runs[kind].append(got)
        for kind, measured in runs.items():
            measured.sort(key=lambda got: got["kgraph"]["rps"] / got["ldf-server"]["rps"])
            median = measured[len(measured) // 2]
            for system in servers:
                results["throughput"].setdefault(system, {})[kind] = median[system]
            results["ratios"][kind] = [round(got["kgraph"]["rps"] / got["ldf-server"]["rps"], 2) for got in measured]
        queries = named_queries()
        for system, fragments in servers.items():
            results["comunica"][system] = comunica(fragments, queries, args.comunica_timeout)
            progress(f"{system} comunica: " + ", ".join(f"{n} {a['ms'] / 1000:.1f}s{'' if a['ok'] else ' FAILED'}"
                                                        for n, a in results["comunica"][system].items()))
        for name, query in queries.items():
            k, ref = results["comunica"]["kgraph"][name], results["comunica"]["ldf-server"][name]
            if k["ok"] and ref["ok"]:
                results["same_answers"][name] = "yes" if same_answers(rows(k["result"], query), rows(ref["result"], query), query) else "NO"
        for system in results["comunica"].values():
            for answer in system.values():
                answer.pop("result", None)
        results["load"] = " / ".join(f"{v:.2f}" for v in os.getloadavg())
    finally:
        kgraph.stop()
        stop(ldf)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = args.out / f"{results['date']}-{args.size}-fragments"
    stem.with_suffix(".json").write_text(json.dumps(results, indent=1))
    plot(results, stem.with_suffix(".png"))
    report(results, stem.with_suffix(".md"))
    progress(f"wrote {stem}.md")
    print(stem.with_suffix(".md").read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
