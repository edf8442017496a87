"""One benchmark command: kgraph against its peers on the same generated data.

    python -m benchmarks.run --size 1M        (or: make bench SIZE=1M)

Generates (or reuses) benchmarks/work/data-<size>, builds it with kgraph (stage times, peak
memory), loads the release's N-Quads dump into every peer, checks that all systems give the
same answers (row count + checksum of the sorted rows) on the query mix, then measures latency
at concurrency 1 and throughput/p99 at 8 and 32 (cold and repeated), with ratios against
in-process pyoxigraph and the Oxigraph server. Writes benchmarks/results/<date>-<size>.md and
PNG plots. Systems that cannot start are listed as skipped, with the reason.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal, InvalidOperation
from pathlib import Path

import httpx
import pyoxigraph as ox

from benchmarks import generate, systems
from kgraph.config import load_settings

HERE = Path(__file__).resolve().parent

BASE = "https://data.kenniscentrumvlaamsesteden.be/"
P = f"""PREFIX kg: <{BASE}ns/kgraph#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <http://schema.org/> PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
ORG, THEMA, ROL = f"<{BASE}id/organisatie/", f"<{BASE}id/thema/", f"<{BASE}id/rol/"
MIX = {
    "point": f"SELECT ?p ?o WHERE {{ {ORG}kenniscentrum-vlaamse-steden> ?p ?o }}",
    "join2": P + f"SELECT ?e ?a WHERE {{ ?e kg:eventOf ?a . ?a dcterms:subject {THEMA}gdpr> . ?e schema:startDate ?d FILTER(?d >= \"2024-06-01\"^^xsd:date) }}",
    "join3": P + f"SELECT ?a ?agent WHERE {{ ?a prov:qualifiedAssociation ?q . ?q prov:agent ?agent ; prov:hadRole {ROL}financier> . ?a kg:startYear \"2020\"^^xsd:gYear }}",
    "label-filter": P + "SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER(LANG(?l) = \"nl\" && CONTAINS(LCASE(STR(?l)), \"circulaire mobiliteit\")) }",
    "group-count": P + "SELECT ?agent (COUNT(?a) AS ?n) WHERE { ?a prov:wasAssociatedWith ?agent } GROUP BY ?agent",
    "order-limit": P + "SELECT ?e ?d WHERE { ?e schema:startDate ?d } ORDER BY DESC(?d) ?e LIMIT 20",
    "optional": P + "SELECT ?e ?loc ?org ?end WHERE { ?e a kg:Meeting ; schema:startDate ?d FILTER(?d >= \"2024-01-01\"^^xsd:date) OPTIONAL { ?e schema:location ?loc } OPTIONAL { ?e schema:organizer ?org } OPTIONAL { ?e schema:endDate ?end } }",
    "path": P + "SELECT ?a ?root WHERE { ?a kg:partOfActivity+ ?root . ?root kg:startYear \"2016\"^^xsd:gYear }",
    "rows-10k": P + "SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER(LANG(?l) = \"nl\") } ORDER BY ?s LIMIT 10000",
}
RESULTS = HERE / "results"
WORK = HERE / "work"
# --smoke (CI): one repetition per latency cell, one request per light query per load run, short
# budgets. Enough to prove that every system is measured; the timings mean nothing.
SMOKE = {"reps": 1, "requests": 8, "budget": 2.0}


def competency_queries(settings) -> dict[str, str]:
    """The parameterless queries of queries/, with their relative IRIs made absolute."""
    found = {}
    for path in sorted(Path(settings.queries_dir).glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(("#", "PREFIX", "BASE")))
        if "# param:" in text or not body.lstrip().upper().startswith("SELECT"):
            continue  # parameters need values; the answer check compares SELECT results
        found[f"cq:{path.stem}"] = text.replace("<ns/", f"<{BASE}ns/").replace("<id/", f"<{BASE}id/")
    return found


# --- answers ----------------------------------------------------------------------------
# What the fingerprint normalises, and why: only what SPARQL leaves open, so that a real
# difference between systems still changes the checksum (tests/bench/test_fingerprint.py).
XSD = "http://www.w3.org/2001/XMLSchema#"
# xsd:decimal and the types derived from it share one value space: "2"^^xsd:int, "2"^^xsd:integer
# and "2.0"^^xsd:decimal are the same number, which systems print differently. (xsd:double and
# xsd:float are other value spaces and are left alone.)
DECIMALS = {XSD + t for t in ("decimal", "integer", "long", "int", "short", "byte", "nonNegativeInteger",
                              "positiveInteger", "nonPositiveInteger", "negativeInteger", "unsignedLong",
                              "unsignedInt", "unsignedShort", "unsignedByte")}
GROUP_CONCAT = re.compile(
    r"GROUP_CONCAT\s*\((?:[^;()]|\([^()]*\))*(?:;\s*SEPARATOR\s*=\s*(?:\"([^\"]*)\"|'([^']*)'))?\s*\)\s*AS\s+[?$](\w+)",
    re.IGNORECASE)


def _number(value: str) -> str:
    """One spelling per decimal value: 2, 2.0 and 02 all give '2'."""
    try:
        return str((Decimal(value) + 0).normalize())  # + 0 turns -0 into 0
    except InvalidOperation:
        return value


def _term(t: dict | None) -> str:
    """One RDF term of a SPARQL JSON row as comparable text ('' when unbound)."""
    if t is None:
        return ""
    if t["type"] == "uri":
        return f"<{t['value']}>"
    if t["type"] == "bnode":
        return "_:"
    dt_ = t.get("datatype", "")
    if dt_ in (XSD + "string", ""):
        dt_ = ""
    if dt_ in DECIMALS:
        return "number " + _number(t["value"])
    return f"{t['value']!r}@{t.get('xml:lang', '').lower()}^{dt_}"


def concat_columns(query: str) -> dict[str, str]:
    """The variables a query binds with GROUP_CONCAT, each with its separator (default ' ')."""
    columns = {}
    for match in GROUP_CONCAT.finditer(query):
        double_quoted, single_quoted, name = match.groups()
        columns[name] = next((s for s in (double_quoted, single_quoted) if s is not None), " ")
    return columns


def _concat(t: dict | None, separator: str) -> str:
    """A GROUP_CONCAT value, reduced to what SPARQL 1.1 defines about it:
    - the order of the concatenated values is unspecified (18.5.1.7): the parts are sorted;
    - whether the result keeps the common language tag of its parts is disputed (Oxigraph 0.5
      keeps it, Virtuoso does not; W3C rdf-tests#280 and oxigraph#1717 later settled on no tag):
      the tag is dropped;
    - whether an unbound value in the group is skipped or makes the aggregate an error is open
      (errata-query-6, rdf-tests#39): a group holding only unbound values gives "" on Virtuoso
      and no value on Oxigraph, so unbound and "" are the same here. A group with some bound
      values still differs (Oxigraph: unbound, Virtuoso: the bound ones): not normalised.
    """
    if t is None or t["value"] == "":
        return ""
    if t["type"] in ("uri", "bnode"):  # not a concatenation at all: compared as it is
        return _term(t)
    parts = t["value"].split(separator) if separator else list(t["value"])
    return "concat " + repr(sorted(parts))


def fingerprint(doc: dict, query: str = "") -> tuple[int, str]:
    """Row count and checksum of the sorted rows of a SPARQL JSON result (sorted, so row order,
    ties under ORDER BY included, does not count). Given the query, its GROUP_CONCAT columns are
    compared as _concat says."""
    names = doc["head"].get("vars", [])
    concat = concat_columns(query)
    rows = sorted("\t".join(_concat(b.get(n), concat[n]) if n in concat else _term(b.get(n)) for n in names)
                  for b in doc["results"]["bindings"])
    return len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16]


def in_process(store: ox.Store, query: str) -> bytes:
    """The ceiling: pyoxigraph without HTTP, serialised to SPARQL JSON like an endpoint."""
    return store.query(query, use_default_graph_as_union=True).serialize(format=ox.QueryResultsFormat.JSON)


CLIENT = httpx.Client(timeout=300)  # keep-alive: a new connection per request would dominate small queries


def http_answer(url: str, query: str) -> bytes:
    r = CLIENT.get(url, params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    r.raise_for_status()
    return r.content


# --- measurements -----------------------------------------------------------------------
def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else float("nan")


def salted(query: str, tag: str) -> str:
    """The query with a trailing comment that makes its text unique: no result cache (kgraph's
    is keyed by the query text) can answer it. Sent to every system alike, so the runs are fair."""
    return f"{query}\n# {tag}"


def latency(call, query: str, reps: int, cold: bool = True, budget: float = 20.0) -> dict:
    """Median/p99 over up to `reps` calls, stopping early once `budget` seconds are spent (a
    query that takes 10 s on a slow peer is measured once or twice, not ten times)."""
    times = []
    spent = time.perf_counter()
    for i in range(reps):
        text = salted(query, f"lat-{i}-{time.time_ns()}") if cold else query
        started = time.perf_counter()
        try:
            call(text)
        except Exception:  # an error (timeout, 5xx) is reported as such, never as a fast answer
            return {"median": float("nan"), "p99": float("nan"), "error": True}
        times.append(time.perf_counter() - started)
        if time.perf_counter() - spent > budget:
            break
    return {"median": statistics.median(times), "p99": pct(times, 0.99), "n": len(times)}


def rates(r: dict) -> dict:
    """A load run's throughput from loadgen.py's output: answered requests (200) a second, an error
    (a refusal, 503 from admission control, a timeout) counted apart and not in it; p99 over all."""
    return {"rps": (len(r["latencies"]) - r["errors"]) / r["wall"], "p99": pct(r["latencies"], 0.99),
            "errors": r["errors"]}


def load(url: str, queries: list[str], concurrency: int, requests: int, cold: bool, salt: int,
         max_seconds: float = 60.0) -> dict:
    job = {"url": url, "queries": queries, "concurrency": concurrency, "requests": requests, "cold": cold, "salt": salt,
           "max_seconds": max_seconds}
    out = subprocess.run([sys.executable, str(HERE / "loadgen.py")], input=json.dumps(job), capture_output=True,
                         text=True, check=True)
    return rates(json.loads(out.stdout))


def load_urls(urls: list[str], accept: str, concurrency: int, requests: int, max_seconds: float) -> dict:
    """Throughput of fetching resources through their 303 redirect (loadgen.py, own process)."""
    job = {"urls": urls, "accept": accept, "redirect": True, "concurrency": concurrency, "requests": requests,
           "max_seconds": max_seconds}
    out = subprocess.run([sys.executable, str(HERE / "loadgen.py")], input=json.dumps(job), capture_output=True,
                         text=True, check=True)
    return rates(json.loads(out.stdout))


def dereferencing(store: ox.Store, servers: dict, requests: int, budget: float, how_many: int = 200) -> dict:
    """Resource dereferencing at concurrency 32: kgraph's /id/ -> 303 -> /doc/ as Turtle and as
    HTML, over resources spread through the dataset; for scale, the same resources' statements
    as a CONSTRUCT in Turtle from in-process pyoxigraph and from the Oxigraph server (the bare
    statements, where kgraph's page also has labels of linked resources and incoming links)."""
    found = sorted(row["s"].value for row in store.query(
        f'SELECT DISTINCT ?s WHERE {{ ?s a ?t FILTER(STRSTARTS(STR(?s), "{BASE}id/")) }}', use_default_graph_as_union=True))
    picked = found[::max(1, len(found) // how_many)][:how_many]
    origin = servers["kgraph"].url.rsplit("/sparql", 1)[0]
    urls = [origin + "/" + iri[len(BASE):] for iri in picked]
    constructs = [f"CONSTRUCT {{ <{iri}> ?p ?o }} WHERE {{ <{iri}> ?p ?o }}" for iri in picked]
    out = {"resources": len(picked)}
    for name, accept in (("kgraph /id/ -> /doc/ Turtle", "text/turtle"), ("kgraph /id/ -> /doc/ HTML", "text/html")):
        out[name] = load_urls(urls, accept, 32, requests, budget)
    out["pyoxigraph CONSTRUCT Turtle"] = load_in_process(store, constructs, 32, requests, False, 0, budget,
                                                         fmt=ox.RdfFormat.TURTLE)
    if "oxigraph-server" in servers:
        job = {"url": servers["oxigraph-server"].url, "queries": constructs, "concurrency": 32, "requests": requests,
               "cold": False, "max_seconds": budget, "accept": "text/turtle"}
        done = subprocess.run([sys.executable, str(HERE / "loadgen.py")], input=json.dumps(job), capture_output=True,
                              text=True, check=True)
        out["oxigraph-server CONSTRUCT Turtle"] = rates(json.loads(done.stdout))
    return out


def load_in_process(store: ox.Store, queries: list[str], concurrency: int, requests: int, cold: bool, salt: int,
                    max_seconds: float = 60.0, fmt: ox.RdfFormat | None = None) -> dict:
    lat: list[float] = []
    begun = time.perf_counter()

    def one(i: int) -> None:
        if time.perf_counter() - begun > max_seconds:  # like loadgen.py: no new request after the budget
            return
        query = queries[i % len(queries)]
        started = time.perf_counter()
        text = salted(query, f"cold {salt}-{i}") if cold else query
        if fmt is None:
            in_process(store, text)
        else:  # a CONSTRUCT, serialised like an endpoint would
            store.query(text, use_default_graph_as_union=True).serialize(format=fmt)
        lat.append(time.perf_counter() - started)

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, range(requests)))
    return {"rps": len(lat) / (time.perf_counter() - started), "p99": pct(lat, 0.99), "errors": 0}


# --- the run ----------------------------------------------------------------------------
T0 = time.perf_counter()


def progress(msg: str) -> None:
    print(f"[{time.perf_counter() - T0:7.1f} s] {msg}", file=sys.stderr, flush=True)


def build_release(size: str, triples: int, seed: int, work: Path = WORK) -> tuple[Path, dict, float]:
    """Generate the data once (reused from work/data-<size> by later runs), then build it."""
    data = work / f"data-{size}"
    if not data.exists():
        generate.generate(data, triples, seed)
    settings = load_settings(HERE.parent / "kgraph.toml", env={}).replace(data_dir=data, build_dir=work / f"build-{size}")
    code = ("import json,resource,sys; from kgraph.build import build; from kgraph.config import load_settings; "
            "from pathlib import Path; s=load_settings(Path(sys.argv[1]), env={}).replace(data_dir=Path(sys.argv[2]), "
            "build_dir=Path(sys.argv[3])); r=build(s, progress=lambda st: print('  build:', st.line(), file=sys.stderr, flush=True)); print(json.dumps({'path': str(r.path), 'stages': r.manifest['stages'], "
            "'triples': r.manifest['triples'], 'peak_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024}))")
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", code, str(HERE.parent / "kgraph.toml"), str(data),
                                str(settings.build_dir)], stdout=subprocess.PIPE, text=True)
    # The build runs the dumps, the release store and sort in processes of its own: its memory
    # is the whole process tree's, sampled, not the main process's peak alone.
    memory = systems.TreeMemory(process.pid)
    stdout, _ = process.communicate()
    tree_peak = memory.stop()
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, "kgraph build")
    at_peak = memory.at_peak
    info = {**json.loads(stdout.strip().splitlines()[-1]), "tree_peak_mb": tree_peak,
            "tree_peak_build_mb": at_peak.get(process.pid, 0.0),
            "tree_peak_helpers": sorted((mb for pid, mb in at_peak.items() if pid != process.pid), reverse=True)}
    (settings.build_dir / "last-build.json").write_text(json.dumps({**info, "wall": time.perf_counter() - started}))
    return Path(info["path"]), info, time.perf_counter() - started


def deref_only(args, work: Path) -> int:
    """Dereferencing alone, on the current release of work/build-<size>: kgraph and the Oxigraph
    server started as in a full run; the section a full run would write, in a file of its own."""
    current = work / f"build-{args.size}" / "current"
    if not current.exists():
        print(f"no build of size {args.size} in {work}: run `run.py --size {args.size}` first", file=sys.stderr)
        return 2
    release_dir = current.resolve()
    nquads = release_dir / "dumps" / "kgraph.nq"
    store = ox.Store.read_only(str(release_dir / "store"))
    servers = {"kgraph": systems.kgraph_server(release_dir, work), "oxigraph-server": systems.oxigraph_server(nquads, work)}
    try:
        deref = dereferencing(store, servers, args.requests, args.budget)
    finally:
        for server in servers.values():
            server.stop()
    from benchmarks import report

    path = report.write_dereferencing(args.out, args.size, release_dir.name, deref)
    print(path)
    return 0


def size_argument(text: str) -> str:
    """--size as given, if generate.parse_size reads it (else argparse says why, no traceback)."""
    try:
        generate.parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", default="100k", type=size_argument, help="triples to generate: 100k, 1M, 10M, ...")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--reps", type=int, default=10, help="repetitions per query at concurrency 1")
    ap.add_argument("--requests", type=int, default=200, help="requests per load run")
    ap.add_argument("--systems", default="pyoxigraph,oxigraph-server,kgraph,virtuoso,rdflib-endpoint")
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--no-plots", action="store_true")
    ap.add_argument("--deref-only", action="store_true",
                    help="measure only resource dereferencing, on the last build of this size (no new build); "
                         "writes results/<date>-<size>-deref.md")
    ap.add_argument("--build-only", action="store_true",
                    help="generate (or reuse) the data and build it, nothing else: for sizes where the peers are "
                         "not run (10M); writes results/<date>-<size>-build.md")
    ap.add_argument("--smoke", action="store_true",
                    help="CI smoke mode: the benchmark's own query mix only (no competency queries), "
                         f"at most {SMOKE['reps']} repetition(s), {SMOKE['requests']} requests per load run and "
                         f"{SMOKE['budget']:.0f} s budgets; checks the command and the answers, not timing")
    ap.add_argument("--work", type=Path, default=WORK,
                    help="folder for generated data, builds and peer databases (default benchmarks/work)")
    ap.add_argument("--cq-systems", default="pyoxigraph,oxigraph-server,kgraph,virtuoso",
                    help="systems asked the competency queries (rdflib-endpoint is left out by default: "
                         "several of them take minutes each on it from 100k triples on)")
    ap.add_argument("--skip-queries", default="",
                    help="comma-separated query names left out of the run (listed in the report with the reason "
                         "'skipped by --skip-queries')")
    ap.add_argument("--query-timeout", type=float, default=60.0,
                    help="seconds before an HTTP query counts as timed out (reported as an error)")
    ap.add_argument("--budget", type=float, default=60.0, help="max seconds per load run / 3 per latency cell")
    args = ap.parse_args(argv)
    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    CLIENT.timeout = httpx.Timeout(args.query_timeout)
    triples = generate.parse_size(args.size)
    if args.deref_only:
        return deref_only(args, work)
    release_dir, build_info, build_wall = build_release(args.size, triples, args.seed, work)
    progress(f"built in {build_wall:.1f} s")
    if args.build_only:
        from benchmarks import report

        print(report.write_build(args.out, args.size, build_info, build_wall))
        return 0
    nquads = release_dir / "dumps" / "kgraph.nq"
    settings = load_settings(HERE.parent / "kgraph.toml", env={})
    mix = dict(MIX) if args.smoke else {**MIX, **competency_queries(settings)}
    left_out = [q for q in args.skip_queries.split(",") if q]
    for q in left_out:
        mix.pop(q, None)
    if args.smoke:
        for key, cap in SMOKE.items():
            setattr(args, key, min(getattr(args, key), cap))
    wanted = args.systems.split(",")
    store = ox.Store.read_only(str(release_dir / "store"))
    servers: dict[str, systems.Server] = {}
    skipped: dict[str, str] = {}
    starters = {"oxigraph-server": lambda: systems.oxigraph_server(nquads, work),
                "oxigraph-memory": lambda: systems.oxigraph_server_in_memory(nquads, work),
                # The smoke run checks the command and the answers, not speed: one server worker
                # (the default's 4, with 6 query processes each, took the smoke test from 59 to 65 s).
                "kgraph": lambda: systems.kgraph_server(release_dir, work, workers=1 if args.smoke else None),
                "virtuoso": lambda: systems.virtuoso(nquads, work),
                "rdflib-endpoint": lambda: systems.rdflib_endpoint(nquads, work)}
    try:
        for name in wanted:
            if name in starters:
                try:
                    servers[name] = starters[name]()
                    progress(f"{name} up (load {servers[name].load_seconds:.1f} s)")
                except (systems.Unavailable, subprocess.CalledProcessError, OSError) as exc:
                    skipped[name] = str(exc)
        calls = {"pyoxigraph": lambda q: in_process(store, q)}
        calls.update({n: (lambda q, u=s.url: http_answer(u, q)) for n, s in servers.items()})
        answers: dict[str, dict[str, str]] = {}
        for qname, text in mix.items():
            answers[qname] = {}
            for sname, call in calls.items():
                if qname.startswith("cq:") and sname not in args.cq_systems.split(","):
                    answers[qname][sname] = "not run"
                    continue
                try:
                    answers[qname][sname] = "%d rows %s" % fingerprint(json.loads(call(text)), text)
                except Exception as exc:  # a peer's error is a finding, not a crash
                    answers[qname][sname] = f"error: {type(exc).__name__}: {str(exc)[:80]}"
        progress("answers checked")
        failed = {(q, s_) for q, per in answers.items() for s_, v in per.items() if v.startswith(("error", "not run"))}
        skip = {"median": float("nan"), "p99": float("nan"), "error": True}  # errored or timed out above: not again
        lat = {s: {q: skip if (q, s) in failed else latency(c, t, args.reps, budget=args.budget / 3)
                   for q, t in mix.items()} for s, c in calls.items()}
        lat_rep = {s: {q: skip if (q, s) in failed else latency(c, t, args.reps, cold=False, budget=args.budget / 6)
                       for q, t in mix.items()}
                   for s, c in calls.items()}
        progress("latency measured")
        light = [t for q, t in mix.items() if not q.startswith("cq:") and q not in ("group-count",)]
        throughput: dict[str, dict[str, dict]] = {}
        for sname in calls:
            throughput[sname] = {}
            for conc in (8, 32):
                for cold in (True, False):
                    key = f"c{conc}-{'cold' if cold else 'repeated'}"
                    if sname == "pyoxigraph":
                        throughput[sname][key] = load_in_process(store, light, conc, args.requests, cold, conc,
                                                                   args.budget)
                    else:
                        throughput[sname][key] = load(servers[sname].url, light, conc, args.requests, cold, conc,
                                                      args.budget)
                    progress(f"{sname} {key}: {throughput[sname][key]['rps']:.0f} rps")
        deref = None
        if "kgraph" in servers:
            deref = dereferencing(store, servers, args.requests, args.budget)
            progress("dereferencing: " + ", ".join(f"{k} {v['rps']:.0f} rps" for k, v in deref.items()
                                                     if isinstance(v, dict)))
        memory = {n: s.peak_mb() for n, s in servers.items()}
        loads = {n: s.load_seconds for n, s in servers.items()}
    finally:
        for s in servers.values():
            s.stop()
    from benchmarks import report  # (matplotlib only when writing)

    path = report.write(args.out, args.size, build_info, build_wall, answers, lat, lat_rep, throughput, memory, loads, skipped,
                        plots=not args.no_plots, left_out=left_out, deref=deref)
    print(path)
    same = all(report.agreement(a) != "no" for a in answers.values())
    print("answers identical across systems" if same else "ANSWERS DIFFER (see report)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
