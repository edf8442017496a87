"""Which drawing library for /explore: vis-network, sigma.js (+ graphology) and cytoscape.js,
measured in headless Chromium (Debian's) on the same graph, loaded from the npm install.

    .venv/bin/python -m benchmarks.drawing [--nodes 300] [--edges 1200] [--repeat 3]

The graph is networkx's seeded power-law cluster graph (hubs, like the collaboration network),
with spring-layout positions computed beforehand. Per library, the median of --repeat runs of:
- preset: the time from creating the drawing with given positions to two animation frames later
  (drawn on screen);
- own layout: the time until the library's own force layout has settled (vis-network: its
  stabilisation, 250 iterations; cytoscape: the `cose` layout; sigma has none of its own: it
  needs graphology-layout-forceatlas2, not installed);
plus the size of the script served. Writes benchmarks/results/<date>-drawing.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import tempfile
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[1]
MODULES = ROOT / "node_modules"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-dev-shm-usage", "--no-first-run"]

LIBRARIES = {
    "vis-network": ["vis-network/standalone/umd/vis-network.min.js"],
    "sigma.js + graphology": ["graphology/dist/graphology.umd.min.js", "sigma/dist/sigma.min.js"],
    "cytoscape.js": ["cytoscape/dist/cytoscape.min.js"],
}

DRAW = {
    "vis-network": """
      window.draw = function (g, layout) { return new Promise(function (done) {
        var t = performance.now();
        var net = new vis.Network(document.getElementById('c'),
          { nodes: g.nodes.map(function (n) { return { id: n.id, label: n.id, x: n.x * 400, y: n.y * 400 }; }),
            edges: g.edges.map(function (e, i) { return { id: i, from: e[0], to: e[1] }; }) },
          { physics: layout ? { solver: 'forceAtlas2Based', stabilization: { iterations: 250 } } : false,
            edges: { smooth: false } });
        if (layout) net.once('stabilizationIterationsDone', function () { done(performance.now() - t); });
        else requestAnimationFrame(function () { requestAnimationFrame(function () { done(performance.now() - t); }); });
      }); };""",
    "sigma.js + graphology": """
      window.draw = function (g, layout) { return new Promise(function (done) {
        if (layout) { done(null); return; }
        var t = performance.now();
        var graph = new graphology.Graph();
        g.nodes.forEach(function (n) { graph.addNode(n.id, { x: n.x, y: n.y, size: 4, label: n.id }); });
        g.edges.forEach(function (e) { graph.addEdge(e[0], e[1]); });
        new Sigma(graph, document.getElementById('c'));
        requestAnimationFrame(function () { requestAnimationFrame(function () { done(performance.now() - t); }); });
      }); };""",
    "cytoscape.js": """
      window.draw = function (g, layout) { return new Promise(function (done) {
        var t = performance.now();
        var cy = cytoscape({ container: document.getElementById('c'),
          elements: g.nodes.map(function (n) { return { data: { id: n.id }, position: { x: n.x * 400, y: n.y * 400 } }; })
            .concat(g.edges.map(function (e, i) { return { data: { id: 'e' + i, source: e[0], target: e[1] } }; })),
          layout: { name: 'preset' } });
        if (layout) { var l = cy.layout({ name: 'cose', animate: false, randomize: false }); l.one('layoutstop', function () {
          requestAnimationFrame(function () { done(performance.now() - t); }); }); l.run(); }
        else requestAnimationFrame(function () { requestAnimationFrame(function () { done(performance.now() - t); }); });
      }); };""",
}


def test_graph(nodes: int, edges: int) -> dict:
    """A seeded hub-and-cluster graph with spring-layout positions."""
    graph = nx.powerlaw_cluster_graph(nodes, max(1, edges // nodes), 0.3, seed=15)
    positions = nx.spring_layout(graph, seed=15)
    return {"nodes": [{"id": str(n), "x": float(positions[n][0]), "y": float(positions[n][1])} for n in graph.nodes],
            "edges": [[str(a), str(b)] for a, b in graph.edges]}


def measure(nodes: int, edges: int, repeat: int) -> list[dict]:
    """Median times per library (milliseconds) and script sizes."""
    from playwright.sync_api import sync_playwright

    graph = test_graph(nodes, edges)
    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for name, scripts in LIBRARIES.items():
            page_file = Path(tmp) / f"{name.split()[0]}.html"
            tags = "".join(f'<script src="{(MODULES / s).as_uri()}"></script>' for s in scripts)
            page_file.write_text(f'<!doctype html><html><body><div id="c" style="width:1000px;height:800px"></div>'
                                 f'{tags}<script>{DRAW[name]}</script></body></html>')
            result = {"library": name, "bytes": sum((MODULES / s).stat().st_size for s in scripts)}
            for layout in (False, True):
                times = []
                for _ in range(repeat):
                    page = browser.new_page(viewport={"width": 1100, "height": 900})
                    page.goto(page_file.as_uri())
                    times.append(page.evaluate("g => window.draw(g[0], g[1])", [graph, layout]))
                    page.close()
                result["layout" if layout else "preset"] = None if None in times else round(statistics.median(times), 1)
            rows.append(result)
        browser.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=300)
    ap.add_argument("--edges", type=int, default=1200)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = ap.parse_args(argv)
    rows = measure(args.nodes, args.edges, args.repeat)
    lines = [f"# Drawing libraries for /explore ({dt.date.today()}, {args.nodes} nodes, "
             f"{len(test_graph(args.nodes, args.edges)['edges'])} edges, headless Chromium, median of {args.repeat})", "",
             "| library | script bytes | drawn with given positions (ms) | own force layout settled (ms) |",
             "| --- | ---: | ---: | ---: |"]
    for r in rows:
        lines.append(f"| {r['library']} | {r['bytes']:,} | {r['preset']} | {r['layout'] if r['layout'] is not None else 'n/a (none of its own)'} |")
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"{dt.date.today()}-drawing.md"
    path.write_text("\n".join(lines) + "\n\n```json\n" + json.dumps(rows, indent=1) + "\n```\n")
    print(path.read_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
