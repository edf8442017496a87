"""The W3C SPARQL 1.1 Protocol tests (tests/conformance/test_w3c_protocol.py) against kgraph on
each external engine: the same test function, with `query_server` and `update_server` here
publishing the suite's data into a fresh engine of each kind (a fresh one: publishing switches what
an engine serves, and the update tests clear everything they can).

The update tests run for real, on a server with the update token: their updates go to the engine,
applied to the served release's graphs (kgraph.backend.updates).
"""

from __future__ import annotations

from typing import Iterator

import pytest

from kgraph.config import Settings
from tests.backend.conftest import ENGINE_STARTERS, ENGINES, published_server
from tests.conformance import test_w3c_protocol as suite
from tests.live import make_release

@pytest.fixture(scope="module", params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """The engine kind (a name: each module run starts its own engine of that kind)."""
    return request.param


@pytest.fixture(scope="module")
def query_server(engine: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    work = tmp_path_factory.mktemp(f"w3c-{engine}")
    release = make_release(work / "release", suite._all_graphs(), "w3c-query")
    with ENGINE_STARTERS[engine]() as started, published_server(started, release, Settings(), work) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def update_server(engine: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    work = tmp_path_factory.mktemp(f"w3c-update-{engine}")
    release = make_release(work / "release", suite._all_graphs(), "w3c-update")
    settings = Settings(update_token=suite.TOKEN)
    with ENGINE_STARTERS[engine]() as started, published_server(started, release, settings, work) as base_url:
        yield base_url


QUERY_TESTS = [t for t in suite.TESTS if not t.needs_update_instance]
UPDATE_TESTS = [t for t in suite.TESTS if t.needs_update_instance]


@pytest.mark.live
@pytest.mark.parametrize("test", QUERY_TESTS, ids=[t.name for t in QUERY_TESTS])
def test_w3c_protocol(test: suite.ProtocolTest, engine: str, request: pytest.FixtureRequest):
    """tests/conformance/test_w3c_protocol.py's test, on kgraph over `engine`."""
    suite.test_w3c_protocol(test, request)


@pytest.mark.live
@pytest.mark.parametrize("test", UPDATE_TESTS, ids=[t.name for t in UPDATE_TESTS])
def test_w3c_update_protocol(test: suite.ProtocolTest, engine: str, request: pytest.FixtureRequest):
    """The suite's update tests (and bad updates), with the token, on kgraph over `engine`."""
    suite.test_w3c_protocol(test, request)
