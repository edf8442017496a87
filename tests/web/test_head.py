"""HEAD answers every GET route like GET, without the body (issue 10.4), through the real server.

The test walks the route table: a GET rule added without a sample URL here fails the test, so
no route escapes the check.
"""

from __future__ import annotations

from urllib.parse import quote

import requests

from kgraph.web.routes import ROUTES

# Headers that legitimately differ between two answers to the same request.
PER_RESPONSE = {"date", "x-cache"}


def sample_urls(built_release) -> dict[str, str]:
    """One real path per GET rule of the route table, on the 2018 build."""
    dump = built_release.manifest["dumps"][0]["file"]
    return {
        "/sparql": "/sparql?query=" + quote("ASK { ?s ?p ?o }"),
        "/healthz": "/healthz",
        "/readyz": "/readyz",
        "/catalog": "/catalog",
        "/catalog.<ext>": "/catalog.ttl",
        "/.well-known/void": "/.well-known/void",
        "/dumps/": "/dumps/",
        "/dumps/<path:filename>": f"/dumps/{dump}",
        "/ns/kgraph": "/ns/kgraph",
        "/ns/kgraph.<ext>": "/ns/kgraph.ttl",
        "/ns/kgraph/shapes": "/ns/kgraph/shapes",
        "/ns/kgraph/shapes.<ext>": "/ns/kgraph/shapes.jsonld",
        "/assets/<package>/<path:filename>": "/assets/yasgui/yasgui.min.css",
        "/": "/",
        "/search": "/search?q=gent",
        "/id/<category>/": "/id/organisatie/",
        "/id/<category>/<ref>": "/id/organisatie/gent",
        "/doc/<category>/": "/doc/organisatie/",
        "/doc/<category>/<ref>": "/doc/organisatie/gent",
        "/graph/organisatie/<ref>": "/graph/organisatie/gent",
        # Analysts (issue 15)
        "/explore": "/explore",
        "/explore/data.json": "/explore/data.json?view=timeline",
        "/explore/organisatie/<ref>": "/explore/organisatie/gent.json",
        "/explore/ego/<ref>": "/explore/ego/gent.json",
        "/api/": "/api/",
        "/api/openapi.json": "/api/openapi.json",
        "/api/queries": "/api/queries",
        "/api/queries/<name>": "/api/queries/activiteiten-van-stad.csv",
    }


def comparable(response: requests.Response) -> dict[str, str]:
    return {k.lower(): v for k, v in response.headers.items() if k.lower() not in PER_RESPONSE}


def test_head_answers_every_get_route_like_get(live_2018, built_release):
    samples = sample_urls(built_release)
    get_rules = [route.rule for route in ROUTES if "GET" in route.methods]
    assert sorted(set(get_rules) - set(samples)) == [], "a GET route without a sample URL in this test"
    with requests.Session() as session:
        for rule in get_rules:
            url = live_2018 + samples[rule]
            session.get(url, allow_redirects=False)  # warm any cache, so both answers below are alike
            got = session.get(url, allow_redirects=False)
            head = session.head(url, allow_redirects=False)
            assert got.status_code < 400, (rule, got.status_code, got.text[:200])
            assert head.status_code == got.status_code, (rule, head.status_code, head.text[:200])
            assert head.content == b"", rule
            assert comparable(head) == comparable(got), rule


def test_head_on_a_query_is_not_415(live_2018):
    # The defect of issue 10: HEAD /sparql?query=… was read as a POST without a body (415).
    response = requests.head(live_2018 + "/sparql", params={"query": "SELECT * { ?s ?p ?o } LIMIT 1"},
                             headers={"Accept": "text/csv"})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert int(response.headers["Content-Length"]) > 0 and response.content == b""
