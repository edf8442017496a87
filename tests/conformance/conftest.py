"""W3C suite counts: the fixture tests add to (tests/conftest.py sums them over the run and prints them;
its hooks live there because under xdist only the top conftest is loaded in the controlling process)."""

from __future__ import annotations

import json
from collections import Counter

import pytest


@pytest.fixture
def w3c_counts(record_property):
    """A Counter a test adds to; its counts are summed over the run and printed at the end."""
    counts: Counter = Counter()
    yield counts
    record_property("w3c_counts", json.dumps(counts))
