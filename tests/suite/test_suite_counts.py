"""The fuzz and W3C suites' counts show in every run's output, and say so when a suite did not run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_counts_of_each_suite_are_printed(tmp_path):
    (tmp_path / "tests" / "fuzz").mkdir(parents=True)
    (tmp_path / "tests" / "fuzz" / "test_a.py").write_text(
        "import pytest\n\ndef test_one():\n    pass\n\ndef test_two():\n    assert False\n\n"
        "@pytest.mark.skip(reason='x')\ndef test_three():\n    pass\n")
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "tests.suite_counts",
                           "--rootdir", str(tmp_path), "-c", os.devnull, "tests"],
                          cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "fuzz (hypothesis; tests/fuzz): 1 passed, 1 failed, 1 skipped" in done.stdout, done.stdout
    assert "W3C conformance (tests/conformance): not run" in done.stdout, done.stdout
