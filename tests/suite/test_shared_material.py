"""Outside material is found through the one `shared_dir` setting, and where it is absent the run
stops at once with one message naming what is missing and where it is published."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from kgraph.config import load_settings
from tests.shared_material import MATERIAL, shared_dir

ROOT = Path(__file__).resolve().parents[2]


def run_pytest(folder: Path, shared: str | None) -> subprocess.CompletedProcess:
    """pytest, with the shared-material check as a plugin, on a folder outside the repository."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KGRAPH_")}
    if shared is not None:
        env["KGRAPH_SHARED_DIR"] = shared
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "tests.shared_material",
                           "--rootdir", str(folder), "-c", os.devnull, str(folder)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_the_setting_defaults_to_the_folder_beside_the_repository_and_the_environment_overrides_it(tmp_path):
    assert load_settings(ROOT / "kgraph.toml", env={}).shared_dir == (ROOT / ".." / "shared").resolve()
    assert load_settings(ROOT / "kgraph.toml", env={"KGRAPH_SHARED_DIR": str(tmp_path)}).shared_dir == tmp_path
    assert load_settings(ROOT / "kgraph.toml", env={"KGRAPH_SHARED_DIR": "elsewhere"}).shared_dir == ROOT / "elsewhere"
    assert all((shared_dir() / item.path).exists() for item in MATERIAL)  # this run has it all


def test_without_the_folder_the_run_stops_with_one_message(tmp_path):
    tests = tmp_path / "tiny"
    tests.mkdir()
    (tests / "test_tiny.py").write_text("def test_reads_nothing():\n    assert True\n")
    missing = tmp_path / "no-such-folder"

    done = run_pytest(tests, str(missing))

    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert f"outside material is missing from shared_dir = {missing} (the folder does not exist)" in output
    for item in MATERIAL:  # each named once, with where it is published
        assert output.count(f"  - {item.path}: ") == 1, output
    assert "github.com/w3c/rdf-tests" in output and "SEMICeu/DCAT-AP" in output
    assert "FileNotFoundError" not in output and "Traceback" not in output
    assert "passed" not in output  # stopped before any test ran

    # The control: the same tiny run with the material present passes.
    present = run_pytest(tests, str(shared_dir()))
    assert present.returncode == 0 and "1 passed" in present.stdout, present.stdout + present.stderr


def test_a_partial_folder_names_only_what_is_missing(tmp_path):
    partial = tmp_path / "shared"
    (partial / "seed").mkdir(parents=True)
    (partial / "seed" / "000_557579d2faabea49.txt").write_text("x")
    tests = tmp_path / "tiny"
    tests.mkdir()
    (tests / "test_tiny.py").write_text("def test_reads_nothing():\n    assert True\n")

    done = run_pytest(tests, str(partial))

    output = done.stdout + done.stderr
    assert done.returncode == 2, output
    assert "seed/000_557579d2faabea49.txt" not in output
    assert "standards/w3c-sparql11-protocol/manifest.ttl" in output and "(the folder does not exist)" not in output
