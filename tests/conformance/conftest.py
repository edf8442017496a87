"""W3C suite counts: the fixture tests add to (tests/suite_counts.py, the top conftest's summary
hook, sums them from the reports over the run, xdist workers' too, and prints them)."""

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
