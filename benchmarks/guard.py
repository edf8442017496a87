"""Time the SERVICE/LOAD check on the issue-10 queries: the old rdflib-layered guard vs the tokenizer pass.

    .venv/bin/python -m benchmarks.guard                 # the new check only
    .venv/bin/python -m benchmarks.guard --old f610c73   # also the guard of that commit (git show)
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import types

from kgraph.sparql import guard


def repeated(item: str, size: int) -> str:
    """`item` (a format with {i}) repeated with i = 0, 1, ... until the text is about `size` bytes."""
    parts, total, i = [], 0, 0
    while total < size:
        parts.append(item.format(i=i))
        total += len(parts[-1])
        i += 1
    return "".join(parts)


def values_query(size: int = 529_000) -> str:
    """A VALUES query of about `size` bytes that mentions 'load' (as the issue's did)."""
    return "SELECT * WHERE { VALUES ?s { " + repeated("<http://example.org/download/{i}> ", size) + "} ?s ?p ?o }"


def filter_in_query(size: int = 259_000) -> str:
    """A FILTER(?o IN (...)) query of about `size` bytes mentioning 'service'."""
    return "SELECT * WHERE { ?s ?p ?o FILTER(?o IN (" + repeated('"service {i}", ', size) + '"x")) }'


def timed(check, text: str) -> str:
    start = time.perf_counter()
    try:
        check(text, ())
        outcome = "passed"
    except Exception as exc:  # noqa: BLE001 - a benchmark reports what happened
        outcome = type(exc).__name__
    return f"{time.perf_counter() - start:8.3f} s  {outcome}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--old", help="a commit whose src/kgraph/sparql/guard.py to time as well")
    args = parser.parse_args()
    checks = {"new": guard.check}
    if args.old:
        source = subprocess.run(["git", "show", f"{args.old}:src/kgraph/sparql/guard.py"], check=True,
                                capture_output=True, text=True).stdout
        old = types.ModuleType("old_guard")
        sys.modules["old_guard"] = old  # dataclasses look their module up
        exec(compile(source, "old_guard.py", "exec"), old.__dict__)  # noqa: S102 - our own history
        checks["old"] = old.check
    sys.setrecursionlimit(10_000)
    for name, text in (("VALUES", values_query()), ("FILTER IN", filter_in_query())):
        for label, check in checks.items():
            print(f"{name:9} {len(text) / 1000:6.0f} KB  {label}: {timed(check, text)}", flush=True)


if __name__ == "__main__":
    main()
