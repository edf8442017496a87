"""Fixtures of the reconciliation tests: the schemas, and the index of the session's 2018 build."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgraph.query_source import StoreSource
from kgraph.reconcile import ReconciliationIndex
from tests.reconcile.support import Schemas


@pytest.fixture(scope="session")
def schemas(shared_dir: Path) -> Schemas:
    return Schemas(shared_dir / "standards" / "reconciliation-api-0.2")


@pytest.fixture(scope="session")
def index(store, project_settings) -> ReconciliationIndex:
    """The reconciliation index of the built 2018 graph (what the server builds once per release)."""
    return ReconciliationIndex.build(StoreSource(store), project_settings.base)
