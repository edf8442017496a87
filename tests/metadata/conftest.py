"""Fixtures of the metadata tests: the official DCAT-AP shapes, the session build's catalogue, and
a Flask app serving the session build (real store, real query workers; no mocks)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgraph.metadata import StoreSource, catalogue
from kgraph.metadata.validation import load_shapes
from kgraph.web import create_app


@pytest.fixture(scope="session")
def dcat_ap_shapes(shared_dir: Path):
    """shapes.ttl + range.ttl + mdr-vocabularies.shape.ttl + shapes_recommended.ttl, unchanged."""
    folder = shared_dir / "standards" / "dcat-ap-3.0.1"
    files = sorted(folder.glob("*.ttl"))
    assert files, f"no DCAT-AP shapes in {folder}"
    return load_shapes(folder)


@pytest.fixture(scope="session")
def catalogue_triples(built_release, store):
    """The catalogue of the session build, made from its store and manifest."""
    return catalogue(StoreSource(store), built_release.manifest["base"], built_release.manifest)


@pytest.fixture(scope="module")
def meta_app(built_release, project_settings):
    """The app serving the session build with the project's settings (shapes folder, base)."""
    app = create_app(project_settings.replace(build_dir=built_release.path.parent.parent),
                     built_release.path, query_workers=1)
    yield app
    app.extensions["kgraph"].executor.close()


@pytest.fixture
def client(meta_app):
    return meta_app.test_client()
