"""A running server survives builds (issue 10.6): it keeps answering while `kgraph build` runs,
switches to the new release without a restart, and what killed builds leave is removed."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from kgraph import release
from kgraph.build import build
from tests.live import live_server, settings_environment

ROOT = Path(__file__).resolve().parents[3]
OWL_VERSION = ("SELECT ?v WHERE { ?d a <http://www.w3.org/ns/dcat#Dataset> ; "
               "<http://www.w3.org/2002/07/owl#versionInfo> ?v }")


@pytest.fixture
def project_copy(tmp_path, project_settings):
    """The project's content in a private folder (a test changes it to make new versions)."""
    for name in ("ontology", "data", "shapes"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return project_settings.replace(
        ontology_dir=tmp_path / "ontology", data_dir=tmp_path / "data",
        shapes_dir=tmp_path / "shapes", build_dir=tmp_path / "build",
    )


def touch_content(settings, mark: str) -> None:
    """A new input version: a comment added to one data file (the graph stays valid)."""
    path = sorted((settings.data_dir / "2018").glob("*.ttl"))[0]
    path.write_text(path.read_text() + f"\n# {mark}\n")


def run_build(settings, *, kill_when_started: bool = False) -> subprocess.CompletedProcess | None:
    """`kgraph build` in a process of its own; with kill_when_started, SIGKILL it (and its
    children) as soon as its partial release folder exists."""
    env = {**os.environ, **settings_environment(settings)}
    command = [sys.executable, "-m", "kgraph.cli", "build"]
    if not kill_when_started:
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    releases = settings.build_dir / release.RELEASES
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.monotonic() + 60
    while not list(releases.glob(".partial-*")) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGKILL)  # its own process group only
    process.wait(10)
    return None


class Load(threading.Thread):
    """A steady loop of requests (/sparql uncached, a /doc/ page, the dumps), recording failures."""

    def __init__(self, base_url: str):
        super().__init__(daemon=True)
        self.base_url, self.stop, self.failures, self.count = base_url, threading.Event(), [], 0

    def run(self) -> None:
        session = requests.Session()
        i = 0
        while not self.stop.is_set():
            i += 1
            checks = [
                ("/sparql", {"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o }} # {i}"},
                 {"Accept": "application/sparql-results+json"}),
                ("/doc/organisatie/gent", None, {"Accept": "text/html"}),
                ("/dumps/", None, {"Accept": "text/html"}),
                ("/dumps/kgraph.nt.gz", None, {}),
            ]
            for path, params, headers in checks:
                try:
                    response = session.get(self.base_url + path, params=params, headers=headers, timeout=30)
                    if response.status_code != 200:
                        self.failures.append((path, response.status_code, response.text[:200]))
                except requests.RequestException as exc:
                    self.failures.append((path, "error", str(exc)))
                self.count += 1


def served_versions(base_url: str) -> tuple[str, str, bytes]:
    health = requests.get(base_url + "/healthz", timeout=10).json()["version"]
    answer = requests.get(base_url + "/sparql", params={"query": OWL_VERSION},
                          headers={"Accept": "application/sparql-results+json"}, timeout=10).json()
    catalog = requests.get(base_url + "/catalog", headers={"Accept": "text/turtle"}, timeout=10).content
    return health, answer["results"]["bindings"][0]["v"]["value"], catalog


def test_server_survives_two_builds_under_load_and_serves_the_newest(project_copy):
    settings = project_copy
    first = build(settings)
    with live_server(None, settings) as base_url:
        assert served_versions(base_url)[0] == first.version
        load = Load(base_url)
        load.start()
        try:
            versions = []
            for n in (1, 2):
                touch_content(settings, f"build {n}")
                done = run_build(settings)
                assert done.returncode == 0, done.stderr
                versions.append(release.load(settings.build_dir).version)
            newest = versions[-1]
            assert len({first.version, *versions}) == 3
            deadline = time.monotonic() + 15
            while served_versions(base_url)[0] != newest and time.monotonic() < deadline:
                time.sleep(0.1)
            time.sleep(0.5)  # the load keeps running on the new release for a moment
        finally:
            load.stop.set()
            load.join(30)
        health, in_store, catalog = served_versions(base_url)
    print(f"\n{load.count} requests during two builds, {len(load.failures)} failed")
    assert load.count > 20
    assert load.failures == []
    assert health == in_store == newest  # the manifest's and the store's own version
    assert newest.encode() in catalog


def test_a_killed_build_leaves_a_partial_folder_that_the_next_build_removes(project_copy):
    settings = project_copy
    build(settings)
    touch_content(settings, "killed")
    run_build(settings, kill_when_started=True)
    partials = list((settings.build_dir / release.RELEASES).glob(".partial-*"))
    assert partials, "the killed build left nothing to clean up (killed too late?)"
    done = run_build(settings)
    assert done.returncode == 0, done.stderr
    assert not any(p.exists() for p in partials)
    assert not list((settings.build_dir / release.RELEASES).glob(".partial-*"))
