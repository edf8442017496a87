"""The fuzz suite's bounds and its two ways of sending a request.

Bounds: the hypothesis profile "kgraph-fuzz" (fixed example counts, derandomised so that `make
test` sends the same requests every run, no example database, a deadline per example) keeps the
whole suite near a minute. `--hypothesis-profile kgraph-fuzz-explore` searches wider and randomly.

Targets: the session build (2018 graph) through Flask's test client (real store, real query worker:
volume, cheaply) and through the real server on loopback, both with query_timeout=3
so that a slow fuzzed query ends in the documented 503 instead of holding the run.
"""

from __future__ import annotations

from typing import Iterator

import pytest
from hypothesis import HealthCheck, settings

from tests.fuzz.checks import machine_paths
from tests.fuzz.senders import Send, connection_sender, client_sender
from tests.live import live_server

QUERY_TIMEOUT = 3

settings.register_profile(
    "kgraph-fuzz",
    max_examples=100,
    deadline=4 * QUERY_TIMEOUT * 1000,  # ms: a query is stopped after QUERY_TIMEOUT; nothing may take much longer
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
settings.register_profile("kgraph-fuzz-explore", parent=settings.get_profile("kgraph-fuzz"),
                          max_examples=2000, derandomize=False)
PROFILE = settings.get_profile("kgraph-fuzz")

@pytest.fixture(scope="session")
def fuzz_settings(project_settings, built_release):
    return project_settings.replace(query_timeout=QUERY_TIMEOUT, build_dir=built_release.path.parent.parent)


@pytest.fixture(scope="session")
def leak_paths(built_release) -> tuple[str, ...]:
    return machine_paths(built_release.path)


@pytest.fixture(scope="module")
def app_send(fuzz_settings, built_release) -> Iterator[Send]:
    """Send through Flask's test client to an app serving the session build (one query worker)."""
    from kgraph.web import create_app

    app = create_app(fuzz_settings, built_release.path, query_workers=1)
    yield client_sender(app)
    app.extensions["kgraph"].executor.close()


@pytest.fixture(scope="session")
def live_fuzz_server(fuzz_settings, built_release) -> Iterator[str]:
    """The real server (the default server, two workers, loopback) on the session build: host:port."""
    with live_server(built_release.path, fuzz_settings, workers=2) as base_url:
        yield base_url.removeprefix("http://")


@pytest.fixture(scope="session")
def live_send(live_fuzz_server) -> Send:
    """Send byte for byte over a fresh HTTP/1.1 connection to the live server."""
    return connection_sender(live_fuzz_server, timeout=8 * QUERY_TIMEOUT)
