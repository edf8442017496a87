"""The W3C SPARQL 1.1 Protocol tests (tests/conformance/test_w3c_protocol.py) against kgraph on
each external engine: the same test function, with `query_server` here publishing the suite's
data into a fresh engine of each kind (a fresh one: publishing switches what an engine serves).

The tests that need an update-enabled instance are not run as written: kgraph refuses an update
token in backend mode (a published release changes only by `kgraph publish`; see
test_backend.py::test_an_update_token_is_refused_with_a_backend). Instead each of their
requests is sent to the backend server and must be refused in words (4xx), never run or a 5xx.
"""

from __future__ import annotations

from typing import Iterator

import pytest

from kgraph.config import Settings
from tests.backend.conftest import ENGINE_STARTERS, ENGINES, published_server
from tests.conformance import test_w3c_protocol as suite
from tests.live import make_release

# The number of statements, asked before and after the refused updates.
COUNT = suite.Exchange("GET", "/sparql/?query=SELECT%20(COUNT(*)%20AS%20%3Fn)%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D",
                       [("Accept", "application/sparql-results+json")], None, {"StatusCode2xx"}, None, None)


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


def _is_update(exchange: suite.Exchange) -> bool:
    headers = {name.lower(): value.lower() for name, value in exchange.headers}
    body = (exchange.body or b"").decode("utf-8", "replace")
    return ("sparql-update" in headers.get("content-type", "") or body.startswith("update=")
            or "&update=" in body or "?update=" in exchange.path)


QUERY_TESTS = [t for t in suite.TESTS if not t.needs_update_instance]
UPDATE_TESTS = [t for t in suite.TESTS if t.needs_update_instance]


@pytest.mark.live
@pytest.mark.parametrize("test", QUERY_TESTS, ids=[t.name for t in QUERY_TESTS])
def test_w3c_protocol(test: suite.ProtocolTest, engine: str, request: pytest.FixtureRequest):
    """tests/conformance/test_w3c_protocol.py's test, on kgraph over `engine`."""
    suite.test_w3c_protocol(test, request)


@pytest.mark.live
@pytest.mark.parametrize("test", UPDATE_TESTS, ids=[t.name for t in UPDATE_TESTS])
def test_w3c_update_requests_are_refused(test: suite.ProtocolTest, engine: str, query_server: str):
    """The suite's update requests, with a token: refused in words, and the data unchanged."""
    before = suite.send(query_server, COUNT, None)
    for number, exchange in enumerate(test.exchanges, 1):
        status, _, body = suite.send(query_server, exchange, "any-token")
        where = f"{test.name} request {number}: {exchange.method} {exchange.path} -> {status}"
        assert status < 500, where
        # Each test starts with its update (or bad update); its later queries, checking what an
        # update did, are answered.
        if number == 1 or _is_update(exchange):
            assert 400 <= status < 500 and body.strip(), where
    assert suite.send(query_server, COUNT, None) == before
