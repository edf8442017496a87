"""The W3C SPARQL 1.1 Protocol tests (tests/conformance/test_w3c_protocol.py) against kgraph on
each external engine: the same test function, with `query_server` here publishing the suite's
data into a fresh engine of each kind (a fresh one: publishing switches what an engine serves).

The tests that need an update-enabled instance are skipped here, with the reason: kgraph refuses
an update token in backend mode (a published release changes only by `kgraph publish`; see
test_backend.py::test_an_update_token_is_refused_with_a_backend).
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


@pytest.mark.live
@pytest.mark.parametrize("test", suite.TESTS, ids=[t.name for t in suite.TESTS])
def test_w3c_protocol(test: suite.ProtocolTest, engine: str, request: pytest.FixtureRequest):
    """tests/conformance/test_w3c_protocol.py's test, on kgraph over `engine`."""
    suite.test_w3c_protocol(test, request)


@pytest.fixture(scope="module")
def update_server() -> str:
    pytest.skip("backend mode takes no update token: updates are refused (README, 'The graph on an external SPARQL engine')")
