"""Fixtures of the deploy tests: two small releases whose every triple names its release, so a body
tells which release it came from, and replicas of the real server behind the real nginx."""

from __future__ import annotations

import re
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

import pytest

from kgraph.config import Settings
from tests.deploy.proxy import Proxy, nginx_proxy
from tests.live import free_port, live_server, make_release

BASE = Settings().base
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
ITEMS = 20
RELEASE_MARK = re.compile(r"release ([AB]) item")
SELECT_ALL = f"SELECT ?s ?label WHERE {{ ?s <{LABEL}> ?label }} ORDER BY ?s"
# Representations that depend on the release: a page in three formats and a query in two.
VARIANTS = (
    ("/doc/organisatie/r1", "text/turtle"),
    ("/doc/organisatie/r1", "application/n-triples"),
    ("/doc/organisatie/r1", "text/html"),
    ("/sparql?query=" + quote(SELECT_ALL), "application/sparql-results+json"),
    ("/sparql?query=" + quote(SELECT_ALL), "application/sparql-results+xml"),
)


def release_graphs(letter: str) -> dict[str, str]:
    """One graph of ITEMS organisations labelled "release <letter> item <i>"."""
    lines = "".join(f'<{BASE}id/organisatie/r{i}> <{LABEL}> "release {letter} item {i}" .\n' for i in range(ITEMS))
    return {"http://example.org/graph/items": lines}


def releases_in(body: str) -> set[str]:
    """The releases a body's triples come from (one, unless an answer mixed releases)."""
    return set(RELEASE_MARK.findall(body))


@pytest.fixture(scope="session")
def releases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Releases A and B (release folders as the build writes them, versions release-A/-B)."""
    root = tmp_path_factory.mktemp("releases")
    return {letter: make_release(root / letter, release_graphs(letter), version=f"release-{letter}")
            for letter in "AB"}


# nginx keeps time in whole seconds: an entry with max-age=N expires up to N + 1 s after it was
# stored. A test waiting for an expiry waits N + EXPIRY_SLACK.
EXPIRY_SLACK = 1.6

# Small replicas: the machine has two cores for two replicas, nginx and the test's clients.
REPLICA_SETTINGS = Settings(query_workers=2, threads=8)


@contextmanager
def replicas_behind_nginx(stores: list[Path | None], settings_list: list[Settings], started: list | None = None,
                          proxy_port: int | None = None) -> Iterator[tuple[Proxy, list[str]]]:
    """Replicas (one per store; None: follows its settings' build_dir/current) behind nginx (on
    `proxy_port`, else a free port); yields the proxy and the replicas' base URLs. Every process is
    stopped on exit; each replica's process is appended to `started` when given."""
    with ExitStack() as stack:
        urls = [stack.enter_context(live_server(store, settings, started=started))
                for store, settings in zip(stores, settings_list)]
        proxy = stack.enter_context(nginx_proxy([url.removeprefix("http://") for url in urls], port=proxy_port or free_port()))
        yield proxy, urls
