"""Where a system program the suite runs (Virtuoso, nginx, wrk, Chromium) is missing, the run stops
at once with one message naming each missing program and its Debian package."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.system_programs import PROGRAMS

ROOT = Path(__file__).resolve().parents[2]


def run_pytest(folder: Path, path: str) -> subprocess.CompletedProcess:
    """pytest, with the programs check as a plugin and the given PATH, on a folder outside the repository."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KGRAPH_")}
    env["PATH"] = path
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "tests.system_programs",
                           "--rootdir", str(folder), "-c", os.devnull, str(folder)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_a_missing_program_stops_the_run_naming_it_and_its_package(tmp_path):
    tests = tmp_path / "tiny"
    tests.mkdir()
    (tests / "test_tiny.py").write_text("def test_runs_nothing():\n    assert True\n")
    bin_dir = tmp_path / "bin"  # a PATH with Virtuoso's two programs only (nginx is found in /usr/sbin)
    bin_dir.mkdir()
    for name in ("virtuoso-t", "isql-vt"):
        (bin_dir / name).write_text("#!/bin/sh\n")
        (bin_dir / name).chmod(0o755)

    done = run_pytest(tests, str(bin_dir))

    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert "system programs the suite runs are missing (install them as .ci/run does: apt-get install wrk chromium)" in output
    for program in PROGRAMS:  # the missing ones named once each, the others not at all
        named = output.count(f"  - {program.name} (Debian package {program.package}): ")
        assert named == (program.name in ("wrk", "chromium")), (program.name, output)
    assert "Traceback" not in output and "passed" not in output  # stopped before any test ran

    # The control: the same tiny run with this machine's PATH passes.
    present = run_pytest(tests, os.environ["PATH"])
    assert present.returncode == 0 and "1 passed" in present.stdout, present.stdout + present.stderr
