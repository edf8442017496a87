"""The layering contracts (pyproject.toml [tool.importlinter]) hold, and they would catch a breach.

`lint-imports` runs from the venv on the source tree; a second run on a copy of the package with
one breach per contract (made through PYTHONPATH, which comes before the editable install) shows
that every contract can fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

CONTRACTS = {
    "Flask and werkzeug are used only in kgraph.web": ("sparql/store.py", "import werkzeug.http\n"),
    "click is used only in kgraph.cli": ("stats.py", "import click\n"),
    "Only the entry point kgraph.serve imports the web layer": ("release.py", "import kgraph.web.caching\n"),
    "The build and the validation never import the web layer": ("validation/__init__.py", "from kgraph.web import errors\n"),
    "The SPARQL core never imports the Linked Data layer": ("sparql/protocol.py", "import kgraph.linkeddata.iris\n"),
}


def lint_imports(env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_the_layering_contracts_are_kept():
    done = lint_imports()
    assert done.returncode == 0, done.stdout + done.stderr
    for name in CONTRACTS:
        assert f"{name} KEPT" in done.stdout, done.stdout


def test_every_contract_breaks_on_a_breach(tmp_path: Path):
    package = tmp_path / "kgraph"
    shutil.copytree(ROOT / "src" / "kgraph", package, ignore=shutil.ignore_patterns("__pycache__"))
    for relative, line in CONTRACTS.values():
        target = package / relative
        target.parent.mkdir(exist_ok=True)
        target.write_text((target.read_text() if target.exists() else "") + line)
    done = lint_imports({**os.environ, "PYTHONPATH": str(tmp_path)})
    assert done.returncode == 1, done.stdout + done.stderr
    for name in CONTRACTS:
        assert f"{name} BROKEN" in done.stdout, done.stdout
