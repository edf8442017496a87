"""`make run` installs what serving needs, `make test` and `make bench` add theirs, and an install
only ever adds (issue 16 point 3). Checked on the Makefile itself with `make -n` (what make would
run, given the stamps present) in a copy of the files it reads; the installs themselves are real in
`make run`/`make test` and measured in README.md ("Two commands")."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INPUTS = ("Makefile", "pyproject.toml", "package.json", "package-lock.json")
PY_RUN, PY_TEST, PY_BENCH = ".venv/.installed-run", ".venv/.installed-test", ".venv/.installed-bench"
JS_RUN, JS_DEV = "node_modules/.installed-run", "node_modules/.installed-dev"


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    for name in INPUTS:
        shutil.copy(ROOT / name, tmp_path / name)
        os.utime(tmp_path / name, (1_000_000, 1_000_000))
    (tmp_path / ".venv").mkdir()
    (tmp_path / "node_modules").mkdir()
    return tmp_path


def stamp(folder: Path, *names: str, when: int = 2_000_000) -> None:
    for name in names:
        (folder / name).touch()
        os.utime(folder / name, (when, when))


def planned(folder: Path, target: str) -> list[str]:
    """The commands `make -n target` prints: what make would run now."""
    done = subprocess.run(["make", "-n", target], cwd=folder, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def installs(lines: list[str]) -> list[str]:
    return [line for line in lines if "pip install" in line or " ci" in line]


def test_run_installs_the_runtime_only(checkout: Path):
    lines = installs(planned(checkout, "run"))
    assert any(line.endswith("pip install --quiet -e .") for line in lines), lines
    assert any("ci --omit=dev" in line for line in lines), lines
    assert not any("[test" in line or "[bench" in line for line in lines), lines


def test_test_after_run_adds_what_is_missing(checkout: Path):
    stamp(checkout, PY_RUN, JS_RUN)
    lines = installs(planned(checkout, "test"))
    assert any("-e '.[test]'" in line for line in lines), lines
    assert any("-e '.[bench]'" in line for line in lines), lines  # tests/bench smoke-runs the benchmarks
    assert any(line.rstrip().endswith(" ci") for line in lines), lines  # the dev npm packages
    assert not any(line.endswith("pip install --quiet -e .") for line in lines), lines  # the runtime is there


def test_bench_adds_its_extra_not_the_tests(checkout: Path):
    stamp(checkout, PY_RUN, JS_RUN)
    lines = installs(planned(checkout, "bench"))
    assert any("-e '.[bench]'" in line for line in lines), lines
    assert not any("[test" in line for line in lines), lines


def test_run_after_test_removes_nothing(checkout: Path):
    stamp(checkout, PY_RUN, PY_TEST, PY_BENCH, JS_RUN, JS_DEV)
    assert installs(planned(checkout, "run")) == []
    # A new lock file: the runtime install reinstalls the dev packages too (npm ci empties node_modules).
    stamp(checkout, "package-lock.json", when=3_000_000)
    lines = installs(planned(checkout, "run"))
    assert lines and all("--omit=dev" not in line for line in lines), lines
