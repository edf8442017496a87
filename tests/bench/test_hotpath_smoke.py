"""CI smoke test of benchmarks/hotpath.py (issue 16 point 1, benchmark 5(a)): the whole run in its
--smoke mode (a build of its own, 1 s wrk cells at 2 connections), so the script cannot rot. Not a
timing test: it checks that every system was started and measured (or named as skipped with the
reason), that every request answered 200, and that the goals table names each goal."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_hotpath_benchmark_runs_and_reports_every_goal(tmp_path: Path):
    done = subprocess.run([sys.executable, "-m", "benchmarks.hotpath", "--smoke", "--out", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=400)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads((tmp_path / "hotpath.json").read_text())
    report = (tmp_path / "hotpath.md").read_text()
    measured = {(cell["system"], cell["target"]) for cell in result["cells"]}
    assert ("kgraph (gunicorn)", "doc page") in measured
    assert ("bare Flask (gunicorn)", "hello") in measured
    assert ("oxigraph-server", "point lookup (cached)") in measured or "oxigraph-server" in result["skipped"]
    for server in ("gunicorn", "granian", "uwsgi"):
        name = f"kgraph ({server})"
        if name in result["skipped"]:
            assert result["skipped"][name], "skipped without a reason"
            continue
        targets = {target for system, target in measured if system == name}
        assert targets == {"healthz", "doc page", "doc .ttl", "home", "point lookup (cached)", "group by (cached)"}
    assert all(cell["rps"] > 0 and cell["non_2xx"] == 0 for cell in result["cells"]), result["cells"]
    goals = {row["goal"] for row in result["goals"] if row["server"] == "gunicorn"}
    assert goals == {"/doc/ page req/s", "home page req/s", "cached point lookup / Oxigraph server",
                     "/healthz / bare Flask hello"}
    assert "## Goals" in report and (tmp_path / "hotpath.png").stat().st_size > 1000
