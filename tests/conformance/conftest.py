"""W3C suite counts, printed at the end of the run (also under xdist: counts travel on the reports)."""

from __future__ import annotations

import json
from collections import Counter

import pytest

_TOTALS: Counter = Counter()


@pytest.fixture
def w3c_counts(record_property):
    """A Counter a test adds to; its counts are summed over the run and printed at the end."""
    counts: Counter = Counter()
    yield counts
    record_property("w3c_counts", json.dumps(counts))


def pytest_runtest_logreport(report):
    if report.when != "teardown":  # the fixture records its counts at teardown
        return
    for name, value in report.user_properties:
        if name == "w3c_counts":
            _TOTALS.update(json.loads(value))


def pytest_terminal_summary(terminalreporter):
    if _TOTALS:
        terminalreporter.section("W3C SPARQL suites")
        for name, count in sorted(_TOTALS.items()):
            terminalreporter.write_line(f"{name}: {count}")
