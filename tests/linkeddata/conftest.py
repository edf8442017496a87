"""Fixtures of the content negotiation tests (defined in tests/linkeddata_support.py, shared with tests/web/html)."""

from tests.linkeddata_support import client, ld_app, samples  # noqa: F401 (pytest fixtures)
