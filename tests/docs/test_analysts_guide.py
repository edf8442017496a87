"""Every Python snippet of docs/analysts.md, run against the live 2018 server (issue 15 point 6):
the address in the guide is replaced by the live server's, and what each snippet computes is
checked against the API / SPARQL."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "analysts.md"
PLACEHOLDER = "http://127.0.0.1:8000"


def _snippets() -> list[str]:
    return re.findall(r"```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.DOTALL)


def _run(snippet: str, live: str) -> dict:
    assert PLACEHOLDER in snippet
    namespace: dict = {}
    exec(compile(snippet.replace(PLACEHOLDER, live), str(GUIDE), "exec"), namespace)  # noqa: S102 - our own docs
    return namespace


def test_the_guide_has_its_three_snippets():
    assert len(_snippets()) == 3


def test_pandas_snippet(live_2018):
    partners = _run(_snippets()[0], live_2018)["partners"]
    rows = requests.get(live_2018 + "/api/queries/partners-van-organisatie",
                        params={"org": "organisatie:kenniscentrum-vlaamse-steden", "limit": 1000}).json()["rows"]
    assert list(partners["partner"]) == [r["partner"] for r in rows] and len(rows) > 20
    assert list(partners["sharedActivities"]) == [r["sharedActivities"] for r in rows]


def test_networkx_snippet(live_2018):
    namespace = _run(_snippets()[1], live_2018)
    graph, central = namespace["graph"], namespace["central"]
    assert central[0].endswith("/organisatie/kenniscentrum-vlaamse-steden")
    assert namespace["strongest"] in graph.edges and graph.number_of_nodes() > 30


def test_sparqlwrapper_snippet(live_2018):
    busiest = _run(_snippets()[2], live_2018)["busiest"]
    assert busiest[0][0] == "Knowledge Centre of Flemish Cities"
    assert [n for _, n in busiest] == sorted((n for _, n in busiest), reverse=True)


@pytest.mark.parametrize("path", ["/explore", "/api/", "/dumps/", "/sparql"])
def test_the_addresses_the_guide_names_answer(live_2018, path):
    assert path in GUIDE.read_text()
    assert requests.get(live_2018 + path, headers={"Accept": "text/html"}).status_code == 200
