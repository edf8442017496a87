"""Stable validators (issue 10.5): the ETag of a representation depends only on the release and
the representation. Through the real server: with two workers (both shown to have
answered), after a restart on the same release, and against another release.

Every kind of URL is asked for; the blank nodes of the metadata (checksums, periods, shapes) and
anything else a process makes its own way used to give each worker its own ETag for /catalog.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest
import requests

from tests.live import live_server

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
# The same Host every time: links in pages are built from it, and the restarted server listens on
# another port (a body that depends on Host says so with Vary: Host).
HOST = "kgraph.test"
REQUESTS_PER_URL = 8  # each on a new connection, so the two workers share them

URLS = [  # (path, Accept)
    ("/catalog", "*/*"),
    ("/catalog", BROWSER),
    ("/catalog.jsonld", "*/*"),
    ("/.well-known/void", "*/*"),
    ("/ns/kgraph", BROWSER),
    ("/ns/kgraph.ttl", "*/*"),
    ("/ns/kgraph/shapes", "*/*"),
    ("/ns/kgraph/shapes.nt", "*/*"),
    ("/", BROWSER),
    ("/doc/organisatie/", BROWSER),
    ("/doc/organisatie/gent", BROWSER),
    ("/doc/organisatie/gent", "text/turtle"),
    ("/doc/activiteit/project-orba.jsonld", "*/*"),
    ("/search?q=gent", BROWSER),
    ("/graph/organisatie/gent.json", "*/*"),
    ("/dumps/", BROWSER),
    ("/sparql", "text/turtle"),
    ("/sparql?query=" + quote("SELECT ?s { ?s a ?c } ORDER BY ?s LIMIT 5"), "*/*"),
]


def etags(base_url: str) -> dict[tuple[str, str], set[str]]:
    """Every ETag each URL came back with, over REQUESTS_PER_URL fresh connections."""
    seen: dict[tuple[str, str], set[str]] = {}
    for path, accept in URLS:
        for _ in range(REQUESTS_PER_URL):
            response = requests.get(base_url + path, headers={"Accept": accept, "Host": HOST, "Connection": "close"})
            assert response.status_code == 200, (path, response.status_code, response.text[:200])
            seen.setdefault((path, accept), set()).add(response.headers["ETag"])
    return seen


def server_pids(base_url: str) -> tuple[int, list[int]]:
    """The server's main process serving base_url and its workers, found through /proc."""
    port = str(urlparse(base_url).port)
    candidates = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if b"kgraph.serve" in argv and port.encode() in argv:
            candidates[int(entry.name)] = parent
    masters = [pid for pid, parent in candidates.items() if parent not in candidates]
    assert len(masters) == 1, candidates
    return masters[0], [pid for pid, parent in candidates.items() if parent == masters[0]]


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue
    return found


@pytest.fixture(scope="module")
def other_release(built_release, tmp_path_factory) -> Path:
    """The same data as another release (another version in its manifest)."""
    folder = tmp_path_factory.mktemp("other") / "release"
    shutil.copytree(built_release.path, folder, symlinks=True)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["version"] = manifest["version"] + "-next"
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


def test_etags_are_the_same_in_every_worker_after_a_restart_and_new_with_a_release(
        built_release, project_settings, other_release):
    settings = project_settings.replace(result_cache_bytes=0)  # every answer made by the worker asked
    with live_server(built_release.path, settings, workers=2) as base_url:
        first = etags(base_url)
        _, workers = server_pids(base_url)
        assert len(workers) == 2
        # Each worker has its own query processes (started when it starts): both answered requests.
        assert all(children(pid) for pid in workers), workers
    varying = {url: tags for url, tags in first.items() if len(tags) != 1}
    assert varying == {}, "ETags differ between the workers"
    with live_server(built_release.path, settings, workers=1) as base_url:
        again = etags(base_url)
        for (path, accept), tags in first.items():
            # An old validator is still current after the restart: 304.
            response = requests.get(base_url + path, headers={"Accept": accept, "Host": HOST, "If-None-Match": next(iter(tags))})
            assert response.status_code == 304, (path, accept)
    assert again == first, "ETags changed with a restart on the same release"
    with live_server(other_release, settings, workers=1) as base_url:
        for (path, accept), tags in first.items():
            response = requests.get(base_url + path, headers={"Accept": accept, "Host": HOST, "If-None-Match": next(iter(tags))})
            assert response.status_code == 200, (path, accept)
            assert response.headers["ETag"] not in tags, (path, accept)
