"""Smoke test of benchmarks/replicas.py (issue 16, 5(c)), so that it cannot rot: `--smoke` (1 s per
measurement) in temporary folders, about 50 s. Not a timing test: it checks that both systems
were measured on every workload without an error, and that the cache did what the workload says
(repeated requests answered from nginx's cache, uncached ones all passed on to a replica)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_replica_benchmark_runs_and_the_cache_does_what_the_workload_says(tmp_path: Path):
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.replicas", "--smoke", "--no-plots",
         "--out", str(tmp_path / "results"), "--work", str(tmp_path / "work")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    results = json.loads((tmp_path / "results" / "replicas.json").read_text())["results"]
    assert set(results) == {"one replica", "nginx + 2 replicas"}
    names = list(results["one replica"])
    assert len(names) == 6 and names == list(results["nginx + 2 replicas"])
    for system, rows in results.items():
        for name, row in rows.items():
            assert row["requests"] > 0 and row["rps"] > 0, (system, name, row)
            assert row["non_2xx_3xx"] == 0 and row["socket_errors"] == 0, (system, name, row)
    for name, row in results["nginx + 2 replicas"].items():
        cache = row["cache"]
        if name.startswith("repeated"):
            assert cache.get("HIT", 0) >= 0.9 * sum(cache.values()), (name, cache)
        else:
            assert "HIT" not in cache and cache.get("MISS", 0) > 0, (name, cache)
    report = (tmp_path / "results" / "replicas.md").read_text()
    assert report.count("\n| repeated: ") == 3 and report.count("\n| uncached: ") == 3, report
