"""Partner endpoints for the `kgraph link` tests: one Oxigraph server and one Virtuoso per session."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from tests.linking.partners import oxigraph_server, partner_turtle, virtuoso_server

OXIGRAPH = Path(sys.executable).parent / "oxigraph"


@pytest.fixture(scope="session")
def oxigraph_partner(project_settings, tmp_path_factory):
    """Oxigraph server (PyPI oxigraph) with the partner fixture loaded: its endpoint URL."""
    with oxigraph_server(OXIGRAPH, tmp_path_factory.mktemp("oxigraph-partner"),
                         partner_turtle(project_settings.base)) as endpoint:
        yield endpoint


@pytest.fixture(scope="session")
def virtuoso_partner(project_settings, tmp_path_factory):
    """Virtuoso 7 (Debian virtuoso-opensource) with the partner fixture loaded, started once."""
    started = time.monotonic()
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso-partner"), partner_turtle(project_settings.base)) as endpoint:
        print(f"\nVirtuoso started and loaded in {time.monotonic() - started:.1f} s", file=sys.stderr)
        yield endpoint


ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def run_kgraph(built_release, tmp_path):
    """Invoke kgraph with the session's build and a data folder of the test's own (for accept)."""
    from click.testing import CliRunner

    from kgraph.cli import main

    data_dir = tmp_path / "data"
    data_dir.mkdir()
    config = tmp_path / "kgraph.toml"
    text = (ROOT / "kgraph.toml").read_text()
    text = text.replace('build_dir = "build"', f'build_dir = "{built_release.path.parent.parent}"')
    text = text.replace('data_dir = "data"', f'data_dir = "{data_dir}"')
    for name in ("ontology", "shapes", "queries"):
        text = text.replace(f'{name}_dir = "{name}"', f'{name}_dir = "{ROOT / name}"')
    config.write_text(text)

    def invoke(*args: str):
        return CliRunner().invoke(main, ["--config", str(config), *args], catch_exceptions=False)

    invoke.data_dir = data_dir
    return invoke
