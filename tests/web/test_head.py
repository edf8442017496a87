"""HEAD answers every GET route like GET, without the body (issue 10.4), through the real server.

The test walks the route table: a GET rule added without a sample URL here fails the test, so
no route escapes the check.
"""

from __future__ import annotations

from urllib.parse import quote

import requests

from kgraph.web.routes import ROUTES

GENT = "https://data.kenniscentrumvlaamsesteden.be/id/organisatie/gent"
# Headers that may differ between two answers to the same URL: the clock (Date, and Expires, which
# send_file derives from it: a GET and its HEAD a second apart differ), whether the cache served it,
# and Connection, about the connection rather than the answer (uWSGI closes it after a file its
# offload thread sent, and says so; a HEAD sends no file, so its connection stays open).
PER_RESPONSE = {"date", "expires", "x-cache", "connection"}


def sample_urls(built_release) -> dict[str, str]:
    """One real path per GET rule of the route table, on the 2018 build."""
    dump = built_release.manifest["dumps"][0]["file"]
    stamp = built_release.manifest["history"]["stamp"]
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
        "/store": "/store?graph=" + quote(built_release.manifest["base"] + "graph/metadata", safe=""),
        "/store/<path:graph_path>": "/store/no/such/graph",  # see NOT_FOUND_SAMPLES
        "/reconcile": "/reconcile?queries=" + quote('{"q0": {"query": "Stad Gent"}}'),
        "/reconcile/suggest/entity": "/reconcile/suggest/entity?prefix=gen",
        "/reconcile/suggest/type": "/reconcile/suggest/type?prefix=org",
        "/reconcile/suggest/property": "/reconcile/suggest/property?prefix=nis",
        "/reconcile/propose_properties": "/reconcile/propose_properties",
        "/reconcile/preview": "/reconcile/preview?id=" + quote(GENT),
        "/reconcile/flyout": "/reconcile/flyout?id=" + quote(GENT),
        "/reconcile/view": "/reconcile/view?id=" + quote(GENT),
        "/link-to-us": "/link-to-us",
        "/doc/": "/doc/",
        "/id/": "/id/",
        "/graph/": "/graph/",
        # the history (issue 13)
        "/ldes": "/ldes",
        "/ldes/view": "/ldes/view",
        "/ldes/sparql": "/ldes/sparql?query=" + quote("ASK { ?s ?p ?o }"),
        "/ldes/<stamp>/<int:number>": f"/ldes/{stamp}/0",
        "/ldes/release/<stamp>": f"/ldes/release/{stamp}",
        "/id/<category>/<ref>/versie/<stamp>": f"/id/organisatie/gent/versie/{stamp}",
        "/doc/<category>/<ref>/versie/<stamp>": f"/doc/organisatie/gent/versie/{stamp}",
        "/fragments": "/fragments?predicate=" + quote("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
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


# Rules no sample of the 2018 build can answer 2xx: no graph of a published build is named by a
# /store/… URL (they are {base}graph/…, read through /store?graph=), so HEAD is compared on a 404.
NOT_FOUND_SAMPLES = {"/store/<path:graph_path>"}


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
            expected_404 = rule in NOT_FOUND_SAMPLES
            assert (got.status_code == 404) if expected_404 else (got.status_code < 400), (rule, got.status_code, got.text[:200])
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
