"""Fixtures of the HTML page tests (defined in tests/linkeddata_support.py, shared with tests/linkeddata)."""

from tests.linkeddata_support import client, ld_app, samples  # noqa: F401 (pytest fixtures)
