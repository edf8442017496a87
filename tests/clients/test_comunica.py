"""Comunica (@comunica/query-sparql from npm), a Node.js SPARQL engine, with the live endpoint as
its `sparql@` source: it sends the query over the protocol and writes the answer as JSON."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import rdflib

from tests.clients import expected as E

ROOT = Path(__file__).resolve().parents[2]
COMUNICA = ROOT / "node_modules" / ".bin" / "comunica-sparql"

pytestmark = [
    pytest.mark.live,
    pytest.mark.node,
    # skipped outside CI only: CI installs it, so there a missing Comunica fails instead of passing as a skip
    pytest.mark.skipif(not COMUNICA.exists() and not os.environ.get("CI"),
                       reason="node_modules missing: run `npm ci` (make install) for Comunica"),
]


def comunica(base_url: str, query: str, media_type: str) -> str:
    """Run the Comunica CLI on the endpoint; its standard output."""
    node = shutil.which("node")
    assert node, "Node.js is needed for Comunica (node_modules is installed, so it should be)"
    completed = subprocess.run(
        [str(COMUNICA), f"sparql@{base_url}/sparql", "-t", media_type, "-q", query],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def test_select(live_2018):
    doc = json.loads(comunica(live_2018, E.SELECT_CITIES, "application/sparql-results+json"))
    rows = sorted((b["city"]["value"], b["nis"]["value"], b["label"]["value"]) for b in doc["results"]["bindings"])
    assert rows == E.CITY_ROWS
    assert all(b["label"].get("xml:lang") == "nl" for b in doc["results"]["bindings"])


def test_select_default_json_output(live_2018):
    """Comunica's own JSON (one object per row, terms in SPARQL syntax)."""
    rows = json.loads(comunica(live_2018, E.SELECT_ANPR_LEAD, "application/json"))
    assert rows == [{"lead": E.TURNHOUT, "label": '"Stad Turnhout"@nl'}]


def test_ask(live_2018):
    assert json.loads(comunica(live_2018, E.ASK_TURNHOUT_LEADS_ANPR, "application/sparql-results+json"))["boolean"] is True
    assert json.loads(comunica(live_2018, E.ASK_GENT_LEADS_ANPR, "application/sparql-results+json"))["boolean"] is False


def test_construct(live_2018):
    graph = rdflib.Graph().parse(data=comunica(live_2018, E.CONSTRUCT_NIS, "application/n-triples"), format="nt")
    assert {(str(s), str(o)) for s, _, o in graph} == {(city, nis) for city, nis, _ in E.CITY_ROWS}
