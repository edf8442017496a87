"""The production install (issue 16 point 3): `deploy/install.sh PREFIX` gives a venv of its own with
the runtime dependencies only and the served browser files, and that install alone builds the graph
and serves it. A real separate venv (no --system-site-packages) made once here, from the package
index as pip is configured (a local mirror here) and npm's cache: about 25 s."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import requests

from kgraph.config import Settings
from tests.live import live_server

pytestmark = pytest.mark.live  # the real server on loopback

ROOT = Path(__file__).resolve().parents[2]
# Packages of the test and benchmark extras and npm dev packages that serving never needs.
NOT_FOR_SERVING = ("pytest", "hypothesis", "playwright", "matplotlib", "pandas", "schemathesis")
NPM_DEV = ("@comunica", "axe-core", "ldes-client", "sigma", "cytoscape")


@pytest.fixture(scope="module")
def prod_install(tmp_path_factory: pytest.TempPathFactory) -> Path:
    prefix = tmp_path_factory.mktemp("prod")
    # npm from its cache where it can (`make test` has just run `npm ci` with the same lock file).
    env = {**os.environ, "npm_config_prefer_offline": "true"}
    done = subprocess.run([str(ROOT / "deploy" / "install.sh"), str(prefix)], capture_output=True, text=True,
                          timeout=600, env=env)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    return prefix


def _python(prefix: Path, code: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(prefix / "venv" / "bin" / "python"), "-c", code], capture_output=True, text=True,
                          cwd=prefix, timeout=60)


def test_the_install_has_the_runtime_only(prod_install: Path):
    where = _python(prod_install, "import kgraph, flask, pyoxigraph; print(kgraph.__file__)")
    assert where.returncode == 0, where.stderr
    # Its own copy, not the checkout (an editable install would point into src/).
    assert Path(where.stdout.strip()).is_relative_to(prod_install / "venv"), where.stdout
    for name in NOT_FOR_SERVING:
        assert _python(prod_install, f"import {name}").returncode != 0, f"{name} is in the production venv"
    modules = prod_install / "node_modules"
    assert (modules / "@zazuko" / "yasgui").is_dir() and (modules / "vis-network").is_dir()
    for name in NPM_DEV:
        assert not (modules / name).exists(), f"the npm dev package {name} is in the production install"


def test_the_install_builds_and_serves_sparql(prod_install: Path, project_settings: Settings, tmp_path: Path):
    build_dir = tmp_path / "build"
    env = {**os.environ, "KGRAPH_CONFIG": str(ROOT / "kgraph.toml"), "KGRAPH_BUILD_DIR": str(build_dir)}
    built = subprocess.run([str(prod_install / "venv" / "bin" / "kgraph"), "build"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-3000:]
    assert (build_dir / "current" / "manifest.json").is_file()
    settings = project_settings.replace(build_dir=build_dir, assets_dir=prod_install / "node_modules")
    with live_server(None, settings, python=str(prod_install / "venv" / "bin" / "python")) as base:
        answer = requests.get(base + "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
                              headers={"Accept": "application/sparql-results+json"}, timeout=30)
        assert answer.status_code == 200, answer.text[:500]
        assert int(answer.json()["results"]["bindings"][0]["n"]["value"]) > 1000
        # The query UI's files come from the production node_modules.
        page = requests.get(base + "/sparql", headers={"Accept": "text/html"}, timeout=30)
        assert page.status_code == 200
        assert "/assets/yasgui/" in page.text, "the query page does not load YASGUI"
        script = requests.get(base + "/assets/yasgui/yasgui.min.js", timeout=30)
        assert script.status_code == 200 and len(script.content) > 100_000
