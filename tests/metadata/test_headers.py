"""Every route of routes.ROUTES (iterated, so routes added later are covered too) answers with the
open-licence Link header, CORS, Cache-Control, and (for a 200) an ETag that a conditional GET
turns into a 304."""

from __future__ import annotations

import re

import pytest

from kgraph.web.routes import ROUTES

LICENCE = '<https://data.vlaanderen.be/id/licentie/creative-commons-zero-verklaring/v1.0>; rel="license"'
# Values for the variables of rules; a variable not listed gets "x" (the route may then 404, and
# its 404 must carry the same headers).
SAMPLES = {
    "ext": "ttl",
    "filename": "kgraph.ttl",
    "category": "organisatie",
    "ref": "gent",
    "reference": "gent",
    "slug": "gent",
    "package": "x",
}
VARIABLE = re.compile(r"<(?:[a-z_]+:)?([a-z_]+)>")


def concrete(rule: str) -> str:
    return VARIABLE.sub(lambda m: SAMPLES.get(m.group(1), "x"), rule)


GET_ROUTES = [r for r in ROUTES if "GET" in r.methods]


def test_the_table_has_the_metadata_routes():
    rules = {r.rule for r in ROUTES}
    assert {"/catalog", "/.well-known/void", "/dumps/", "/dumps/<path:filename>", "/ns/kgraph",
            "/ns/kgraph/shapes"} <= rules
    assert GET_ROUTES


@pytest.mark.parametrize("route", GET_ROUTES, ids=lambda r: r.rule)
def test_every_route_has_licence_cors_and_cache_headers(client, meta_app, route):
    url = concrete(route.rule)
    response = client.get(url, headers={"Origin": "http://example.org"})
    assert response.status_code < 500, url
    assert LICENCE in response.headers.get("Link", ""), url
    assert response.headers.get("Access-Control-Allow-Origin") == "*", url
    assert response.headers.get("Cache-Control"), url
    if route.rule in ("/readyz", "/healthz"):  # the probes are asked anew every time: never from a cache
        assert response.headers["Cache-Control"] == "no-store" and "ETag" not in response.headers, url
    elif response.status_code == 200:
        max_age = meta_app.config["KGRAPH_SETTINGS"].cache_max_age
        assert f"max-age={max_age}" in response.headers["Cache-Control"], url
        etag = response.headers.get("ETag")
        assert etag, url
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304, url
        assert again.data == b""


def test_preflight_is_answered_on_metadata_routes(client):
    response = client.options("/catalog", headers={"Origin": "http://example.org",
                                                   "Access-Control-Request-Method": "GET"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response.headers["Access-Control-Allow-Methods"]


def test_etag_changes_with_the_representation(client):
    turtle = client.get("/catalog", headers={"Accept": "text/turtle"}).headers["ETag"]
    jsonld = client.get("/catalog", headers={"Accept": "application/ld+json"}).headers["ETag"]
    assert turtle != jsonld
    assert client.get("/catalog", headers={"Accept": "application/ld+json", "If-None-Match": turtle}).status_code == 200


def test_error_responses_carry_the_licence_and_cors_too(client):
    response = client.get("/dumps/does-not-exist.ttl")
    assert response.status_code == 404
    assert LICENCE in response.headers["Link"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    # Cross-origin scripts may read the licence (and the validators) too.
    exposed = {h.strip() for h in response.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"Link", "ETag", "Last-Modified"} <= exposed
