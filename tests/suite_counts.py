"""The counts of the suites the issues ask to see in every run's output (fuzz, W3C), printed by
tests/conftest.py's pytest_terminal_summary after pytest's own summary (with xdist too: the
controller holds every report)."""

from __future__ import annotations

import json
from collections import Counter

import pytest

# Suite name -> node-id prefix. A W3C suite added under tests/conformance/ is counted with it.
SUITES = {
    "fuzz (hypothesis; tests/fuzz)": "tests/fuzz/",
    "W3C conformance (tests/conformance)": "tests/conformance/",
    "W3C Graph Store Protocol (tests/conformance/test_w3c_graph_store.py)": "tests/conformance/test_w3c_graph_store.py::test_w3c_graph_store_protocol",
}
OUTCOMES = ("passed", "failed", "error", "skipped", "xfailed", "xpassed")


def suite_counts(stats: dict[str, list]) -> dict[str, Counter]:
    """Per suite, how many tests ended in each outcome (a test counted once, by its deciding phase)."""
    counts = {name: Counter() for name in SUITES}
    for outcome in OUTCOMES:
        for report in stats.get(outcome, []):
            nodeid = getattr(report, "nodeid", "")
            when = getattr(report, "when", "call")
            if outcome == "passed" and when != "call":
                continue
            for name, prefix in SUITES.items():
                if nodeid.startswith(prefix):
                    counts[name][outcome] += 1
    return counts


def w3c_totals(stats: dict[str, list]) -> Counter:
    """The W3C suites' own counts (passed, refused, known engine failures, ...), which the
    `w3c_counts` fixture (tests/conformance/conftest.py) records in its teardown report's
    user_properties: read from the reports, which carry them from xdist workers too."""
    totals: Counter = Counter()
    for reports in stats.values():
        for report in reports:
            if getattr(report, "when", None) != "teardown":
                continue
            for name, value in getattr(report, "user_properties", ()):
                if name == "w3c_counts":
                    totals.update(json.loads(value))
    return totals


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line per suite: its counts, or that it did not run; then the W3C suites' details."""
    terminalreporter.section("suite counts")
    for name, counter in suite_counts(terminalreporter.stats).items():
        parts = ", ".join(f"{counter[o]} {o}" for o in OUTCOMES if counter[o])
        terminalreporter.write_line(f"{name}: {parts or 'not run'}")
    totals = w3c_totals(terminalreporter.stats)
    if totals:
        terminalreporter.section("W3C SPARQL suites")
        for name, count in sorted(totals.items()):
            terminalreporter.write_line(f"{name}: {count}")
