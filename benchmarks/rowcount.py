"""Time counting SELECT rows while pyoxigraph serialises: no counting, the old byte markers, the
exact counter (kgraph.sparql.rowcount), and Python iterating the solutions (the per-row alternative).

    .venv/bin/python benchmarks/rowcount.py            # 10k and 100k rows, every results format

pyoxigraph 0.5 cannot serialise a Python iterator of solutions (only its own QuerySolutions), so
"iterate in Python, count, hand on" is measured as the iteration alone (reading every term of
every row), a lower bound for any design that writes the rows itself.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

import pyoxigraph as ox

from kgraph.sparql.rowcount import RowCountingWriter

FORMATS = ("JSON", "XML", "CSV", "TSV")
QUERY = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT {limit}"


class MarkerWriter:
    """The counting before this change: row markers in the bytes (inexact when literals hold them)."""

    MARKERS = {"JSON": b"},{", "XML": b"<result>", "CSV": b"\r\n", "TSV": b"\n"}

    def __init__(self, handle, fmt: str):
        self.handle, self.marker, self.tail, self.count = handle, self.MARKERS[fmt], b"", 0

    def write(self, data) -> int:
        window = self.tail + bytes(data)
        self.count += window.count(self.marker)
        self.tail = window[-(len(self.marker) - 1):] if len(self.marker) > 1 else b""
        return self.handle.write(data)

    def flush(self) -> None:
        self.handle.flush()


def make_store(rows: int) -> ox.Store:
    """Rows like the 2018 graph's: IRIs and literals, one in ten holding a comma, a quote or a newline."""
    store = ox.Store()
    quads = []
    for i in range(rows):
        text = f"label {i} of a statement" if i % 10 else f'a "quoted", {i}\nsecond line'
        quads.append(ox.Quad(ox.NamedNode(f"http://example.org/id/{i}"), ox.NamedNode("http://example.org/p"),
                             ox.Literal(text, language="nl")))
    store.extend(quads)
    return store


def run_once(store: ox.Store, rows: int, fmt: str, how: str, path: str) -> float:
    results = store.query(QUERY.replace("{limit}", str(rows)))
    start = time.perf_counter()
    if how == "python iteration":
        for solution in results:
            for term in solution:
                term.value if term is not None else None
    else:
        with open(path, "wb") as handle:
            writer = {"no counting": lambda h: h, "byte markers (before)": lambda h: MarkerWriter(h, fmt),
                      "exact (now)": lambda h: RowCountingWriter(h, fmt)}[how](handle)
            results.serialize(writer, getattr(ox.QueryResultsFormat, fmt))
            if how == "exact (now)":
                assert writer.rows == rows, (writer.rows, rows)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    ways = ("no counting", "byte markers (before)", "exact (now)", "python iteration")
    print("| rows | format | " + " | ".join(f"{w} ms" for w in ways) + " |")
    print("|---|---|" + "---|" * len(ways))
    handle, path = tempfile.mkstemp(prefix="kgraph-rowcount-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
    os.close(handle)
    try:
        for rows in args.rows:
            store = make_store(rows)
            for fmt in FORMATS:
                medians = []
                for how in ways:
                    times = [run_once(store, rows, fmt, how, path) for _ in range(args.repeat)]
                    medians.append(statistics.median(times))
                print(f"| {rows} | {fmt} | " + " | ".join(f"{m:.1f}" for m in medians) + " |")
    finally:
        os.unlink(path)


if __name__ == "__main__":
    main()
