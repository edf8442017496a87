"""benchmarks/report.py: the answers table's verdict per query."""

from __future__ import annotations

from benchmarks.report import agreement


def test_a_query_no_system_ran_is_not_a_disagreement():
    assert agreement({"pyoxigraph": "not run", "kgraph": "not run"}) == "not run"


def test_the_systems_that_ran_a_query_agree_or_not():
    assert agreement({"pyoxigraph": "4 rows ab", "oxigraph-server": "not run", "kgraph": "4 rows ab"}) == "yes"
    assert agreement({"pyoxigraph": "4 rows ab", "kgraph": "5 rows cd"}) == "no"
