"""Shared fixtures: the project's settings and a session build (lead), test stores and live
servers (endpoint; see tests/live.py for the plain helpers)."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import Callable, Iterator

import pytest

from kgraph.config import Settings, load_settings
from tests.live import live_server, make_release
from tests.shared_material import check_material, shared_dir as configured_shared_dir, stop_unless_present
from tests.system_programs import check_programs
from tests.suite_counts import pytest_terminal_summary  # noqa: F401 (the hook: fuzz and W3C counts)

ROOT = Path(__file__).resolve().parents[1]


def pytest_configure(config: pytest.Config) -> None:
    """Stop the whole run at once, with one message, when outside material (tests/shared_material.py)
    or a system program the suite runs (tests/system_programs.py) is missing."""
    stop_unless_present(check_material, check_programs)


@pytest.fixture(scope="session")
def project_settings() -> Settings:
    """The repository's own kgraph.toml (content folders of the repository)."""
    return load_settings(ROOT / "kgraph.toml", env={})


@pytest.fixture(scope="session")
def built_release(project_settings: Settings, tmp_path_factory: pytest.TempPathFactory):
    """One build of the project's data per session, in a temporary build folder. Treat as read-only."""
    from kgraph.build import build

    out = tmp_path_factory.mktemp("build")
    return build(project_settings.replace(build_dir=out), out)


@pytest.fixture(scope="session")
def store(built_release):
    """The built store, opened read-only (for the RDF core, tested without HTTP)."""
    return built_release.open_store()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The folder of outside material (setting `shared_dir`, KGRAPH_SHARED_DIR): seed/, standards/.
    Its presence is checked before the run starts (tests/shared_material.py)."""
    return configured_shared_dir()


@pytest.fixture(scope="session")
def seed_text(shared_dir: Path) -> str:
    """The source report's text: what every fact in the graph must be traceable to."""
    return (shared_dir / "seed" / "000_557579d2faabea49.txt").read_text(encoding="utf-8")


SAMPLE_GRAPHS = {
    "http://example.org/graph/people": (
        '<http://example.org/alice> <http://xmlns.com/foaf/0.1/name> "Alice" .\n'
        '<http://example.org/alice> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://xmlns.com/foaf/0.1/Person> .\n'
        '<http://example.org/bob> <http://xmlns.com/foaf/0.1/name> "Bob"@en .\n'
    ),
    "http://example.org/graph/places": (
        '<http://example.org/gent> <http://www.w3.org/2000/01/rdf-schema#label> "Gent" .\n'
        '<http://example.org/gent> <http://example.org/population> "265086"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
    ),
}


@pytest.fixture(scope="session")
def sample_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small release (two named graphs, 5 triples) built once per session. Treat as read-only."""
    return make_release(tmp_path_factory.mktemp("sample") / "release", SAMPLE_GRAPHS, version="sample-1")


@pytest.fixture
def live_server_factory() -> Iterator[Callable[..., str]]:
    """A function `start(store_dir, settings=Settings(), workers=1) -> base_url` running the real server
    (settings.server: uWSGI by default) on a free 127.0.0.1 port; every server started is stopped after the test."""
    with ExitStack() as stack:

        def start(store_dir: Path, settings: Settings | None = None, workers: int = 1) -> str:
            return stack.enter_context(live_server(store_dir, settings or Settings(), workers=workers))

        yield start


@pytest.fixture(scope="session")
def live_2018(built_release, project_settings: Settings) -> Iterator[str]:
    """The real server (the default, uWSGI, loopback) serving the built 2018 graph with the project's settings
    (its queries/ and node_modules/ assets): base URL like http://127.0.0.1:40123. One per session."""
    with live_server(built_release.path, project_settings) as base_url:
        yield base_url
