"""CI smoke test of the benchmark command at a tiny size (--smoke: the benchmark's own query
mix only, few repetitions and requests; about a minute): it runs, every system that can start
gives the same answers, and systems that cannot start are named as skipped in the report.
Not a timing test."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_benchmark_runs_and_answers_agree(tmp_path: Path):
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--size", "8k", "--smoke", "--out", str(tmp_path),
         "--no-plots"],
        capture_output=True, text=True, timeout=240,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = next(tmp_path.glob("*-8k.md")).read_text()
    # The benchmark's own query mix must agree everywhere (the competency queries, where the
    # peers' SPARQL dialects differ, are left out in smoke mode; the full run reports them).
    mix = [line for line in report.splitlines() if line.startswith("| ") and " rows " in line]
    assert len(mix) >= 9, report
    assert not any("| cq:" in line for line in mix)
    assert all(line.endswith("| yes |") for line in mix), "\n".join(mix)
    for name in ("oxigraph-server", "kgraph", "virtuoso", "rdflib-endpoint"):
        assert name in report  # measured, or listed as skipped with its reason
