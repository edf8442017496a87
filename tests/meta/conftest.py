"""Fixtures of the metadata tests: the official DCAT-AP shapes, the session build's catalogue, and
a Flask app serving the session build (real store, real query workers; no mocks)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgraph.metadata import StoreSource, catalogue
from kgraph.metadata.validation import load_shapes
from kgraph.web import create_app

ROOT = Path(__file__).resolve().parents[2]
DCAT_AP = ROOT.parent / "shared" / "standards" / "dcat-ap-3.0.1"


@pytest.fixture(scope="session")
def dcat_ap_shapes():
    """shapes.ttl + range.ttl + mdr-vocabularies.shape.ttl + shapes_recommended.ttl, unchanged."""
    files = sorted(DCAT_AP.glob("*.ttl"))
    assert files, f"no DCAT-AP shapes in {DCAT_AP}"
    return load_shapes(DCAT_AP)


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
