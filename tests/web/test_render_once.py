"""Render once per release (issue 16 point 1): what depends only on the release is made once and
then served as bytes, equal to a fresh render, for every GET route, language and format.

In-process tests use two real apps on the same 2018 build: one with the render-once cache, one
with it off (render_cache_bytes = 0), so "a fresh render" is the app's own answer, never a copy
kept by the test. The app counts what its cache does (RenderCache.stats: renders, hits, entries,
bytes); those counters, not timings, show that the hot path does not render again. The release
switch and the update token are tested through the real server (each server, loopback).
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import requests

from kgraph.build import build
from kgraph.web import create_app
from kgraph.web.render_once import ALIASES_PER_ENTRY, MIN_ALIASES
from tests.live import live_server, make_release
from tests.web.test_head import PER_RESPONSE, sample_urls

ROOT = Path(__file__).resolve().parents[2]
DOC = "/doc/organisatie/gent"
JSON = "application/sparql-results+json"
POINT = "SELECT ?p ?o WHERE { <https://data.kenniscentrumvlaamsesteden.be/id/organisatie/gent> ?p ?o }"
# Requests of one page in each language and RDF format, by every way a client can ask for them.
VARIANTS = [
    (DOC, {"Accept": "text/html"}),
    (DOC, {"Accept": "text/html", "Accept-Language": "en"}),
    (DOC + "?lang=en", {"Accept": "text/html", "Cookie": "kgraph_lang=en"}),
    (DOC, {"Accept": "text/html", "Cookie": "kgraph_lang=en"}),
    (DOC + ".html", {"Accept-Language": "en-GB,en;q=0.9"}),
    (DOC, {"Accept": "text/turtle"}),
    (DOC, {"Accept": "application/ld+json"}),
    (DOC, {"Accept": "application/n-triples"}),
    (DOC, {"Accept": "application/rdf+xml"}),
    (DOC + ".ttl", {}),
    (DOC + ".jsonld", {}),
    ("/", {"Accept": "text/html"}),
    ("/", {"Accept": "text/html", "Accept-Language": "en"}),
    ("/doc/organisatie/", {"Accept": "text/html"}),
    ("/doc/organisatie/", {"Accept": "text/turtle"}),
    ("/catalog", {"Accept": "text/turtle"}),
    ("/catalog", {"Accept": "text/html", "Accept-Language": "en"}),
    ("/sparql?query=" + quote(POINT), {"Accept": JSON}),
    ("/sparql?query=" + quote(POINT), {"Accept": "text/csv"}),
]


def get(app, path: str, headers: dict[str, str]):
    """GET through a new test client; a Cookie header goes into its cookie jar (the client would
    otherwise replace it with the jar's)."""
    client = app.test_client()
    headers = dict(headers)
    cookie = headers.pop("Cookie", None)
    if cookie:
        name, _, value = cookie.partition("=")
        client.set_cookie(name, value)
    return client.get(path, headers=headers)


def stats(app) -> dict[str, int]:
    return app.extensions["kgraph"].served.rendered.stats()


def comparable(response) -> tuple:
    """Status, headers and body, but for what differs per answer (as in test_head: the clock, and
    X-Cache, whether a cache served it)."""
    headers = sorted((k.lower(), v) for k, v in response.headers.items() if k.lower() not in PER_RESPONSE)
    return response.status_code, headers, response.get_data()


@pytest.fixture(scope="module")
def apps(built_release, project_settings):
    cached = create_app(project_settings, built_release.path)
    fresh = create_app(project_settings.replace(render_cache_bytes=0), built_release.path)
    yield cached, fresh
    for app in (cached, fresh):
        app.extensions["kgraph"].close()


# Routes whose answers depend only on the release: each must be kept (its second GET a hit).
MUST_KEEP = {"/", "/catalog", "/catalog.<ext>", "/.well-known/void", "/ns/kgraph", "/ns/kgraph.<ext>",
             "/ns/kgraph/shapes", "/doc/", "/doc/<category>/", "/doc/<category>/<ref>", "/graph/organisatie/<ref>",
             "/search", "/sparql", "/explore", "/explore/data.json", "/explore/organisatie/<ref>",
             "/api/queries/<name>", "/api/openapi.json", "/reconcile", "/ldes", "/ldes/view", "/store"}
# Kept by their own view's page cache, answered before the render-once lookup (kgraph.web.front
# step 2): the second GET is no render-once hit, but its page is not made again either.
KEPT_BY_THEIR_VIEW = {"/fragments"}


def test_every_get_route_kept_answer_equals_a_fresh_render(apps, built_release):
    cached, fresh = apps
    samples = sample_urls(built_release)
    assert MUST_KEEP | KEPT_BY_THEIR_VIEW <= set(samples)
    for rule, url in sorted(samples.items()):
        fresh.test_client().get(url)  # warm what the app keeps anyway (the SPARQL result cache)
        first = cached.test_client().get(url)
        before = stats(cached)
        again = cached.test_client().get(url)
        after = stats(cached)
        expected = fresh.test_client().get(url)
        assert comparable(again) == comparable(expected) == comparable(first), url
        if after["hits"] > before["hits"]:
            assert after["renders"] == before["renders"], url
        if rule in MUST_KEEP:
            assert after["hits"] == before["hits"] + 1 and again.headers["X-Cache"] == "HIT", url
        if rule in KEPT_BY_THEIR_VIEW:
            assert after == before and again.headers["X-Cache"] == "HIT", url
    kept = stats(cached)
    assert kept["entries"] >= 30, kept  # most routes are kept: pages, RDF, indexes, answers
    assert stats(fresh)["entries"] == 0


def test_each_language_and_format_is_kept_and_equals_a_fresh_render(apps):
    cached, fresh = apps
    for path, headers in VARIANTS:
        get(cached, path, headers)
        before = stats(cached)
        again = get(cached, path, headers)
        after = stats(cached)
        assert after["hits"] == before["hits"] + 1, (path, headers)
        assert after["renders"] == before["renders"], (path, headers)
        assert comparable(again) == comparable(get(fresh, path, headers)), (path, headers)
    # The languages really differ: Dutch and English pages are two entries.
    nl = get(cached, DOC, {"Accept": "text/html"}).get_data()
    en = get(cached, DOC, {"Accept": "text/html", "Accept-Language": "en"}).get_data()
    chosen_en = get(cached, DOC, {"Accept": "text/html", "Cookie": "kgraph_lang=en"}).get_data()
    assert len({nl, en, chosen_en}) == 3  # the chosen English page links with ?lang=en, the browser's does not
    assert b'<html lang="en">' in en and b'<html lang="en">' in chosen_en and b'<html lang="nl">' in nl


def test_the_hot_path_does_not_render_again(apps):
    cached, _ = apps
    client = cached.test_client()
    url = "/doc/organisatie/antwerpen"
    client.get(url, headers={"Accept": "text/turtle"})
    before = stats(cached)
    for _ in range(20):
        answer = client.get(url, headers={"Accept": "text/turtle"})
        assert answer.status_code == 200 and answer.headers["X-Cache"] == "HIT"
    after = stats(cached)
    assert after["renders"] == before["renders"]
    assert after["hits"] == before["hits"] + 20


def test_entries_are_keyed_by_the_negotiated_outcome_not_raw_headers(apps):
    cached, _ = apps
    client = cached.test_client()
    url = "/doc/organisatie/brugge"
    before = stats(cached)
    bodies = {client.get(url, headers={"Accept": accept}).get_data()
              for accept in ("text/turtle", "text/turtle;q=1.0, */*;q=0.1", "application/x-turtle;q=0.5, text/turtle")}
    after = stats(cached)
    assert len(bodies) == 1
    assert after["entries"] == before["entries"] + 1  # one body for three ways of asking for Turtle
    assert after["aliases"] == before["aliases"] + 3


def test_conditional_get_and_head_are_answered_from_the_cache(apps):
    cached, fresh = apps
    client = cached.test_client()
    url = "/doc/organisatie/leuven"
    etag = client.get(url, headers={"Accept": "text/turtle"}).headers["ETag"]
    before = stats(cached)
    not_modified = client.get(url, headers={"Accept": "text/turtle", "If-None-Match": etag})
    head = client.head(url, headers={"Accept": "text/turtle"})
    after = stats(cached)
    assert not_modified.status_code == 304 and not_modified.get_data() == b""
    assert after["renders"] == before["renders"] and after["hits"] == before["hits"] + 2
    expected_304 = fresh.test_client().get(url, headers={"Accept": "text/turtle", "If-None-Match": etag})
    assert comparable(not_modified) == comparable(expected_304)
    expected_head = fresh.test_client().head(url, headers={"Accept": "text/turtle"})
    assert head.get_data() == b"" and comparable(head) == comparable(expected_head)
    # Another validator: the full answer, from the cache.
    other = client.get(url, headers={"Accept": "text/turtle", "If-None-Match": '"nope"'})
    assert other.status_code == 200 and other.headers["ETag"] == etag


def test_what_depends_on_more_than_the_release_is_not_kept(apps):
    cached, _ = apps
    client = cached.test_client()
    before = stats(cached)
    client.get("/healthz")
    client.get("/readyz")
    chosen = client.get(DOC + "?lang=en", headers={"Accept": "text/html"})  # sets the language cookie
    assert "Set-Cookie" in chosen.headers
    client.get("/sparql", headers={"Accept": "text/html"})  # the query UI reads queries/ from disk
    client.get("/dumps/kgraph.nt.gz")  # a file: Expires follows the clock
    assert stats(cached)["entries"] == before["entries"]
    # Made each time, and remembered as such (straight to the app), within the alias bound.
    renders = stats(cached)["renders"]
    for n in range(1200):
        assert client.get(f"/healthz?n={n % 300}").status_code == 200
    assert stats(cached)["renders"] == renders + 300  # the 900 repeats went straight to the app
    for n in range(3000):  # more distinct requests than the alias map holds
        client.get(f"/healthz?m={n}")
    after = stats(cached)
    assert after["aliases"] <= max(MIN_ALIASES, ALIASES_PER_ENTRY * after["entries"])


def test_the_byte_budget_is_kept(built_release, project_settings):
    budget = 60_000
    app = create_app(project_settings.replace(render_cache_bytes=budget), built_release.path)
    try:
        client = app.test_client()
        refs = [line.split("/")[-1] for line in client.get("/doc/organisatie/", headers={"Accept": "text/uri-list"})
                .get_data(as_text=True).split() if "/id/organisatie/" in line]
        if len(refs) < 10:  # no uri-list: take the organisations from the store
            answer = client.get("/sparql?query=" + quote(
                "SELECT ?s WHERE { ?s a <http://www.w3.org/ns/org#Organization> } LIMIT 40"), headers={"Accept": JSON})
            refs = [b["s"]["value"].rsplit("/", 1)[-1] for b in answer.get_json()["results"]["bindings"]]
        assert len(refs) >= 10
        for ref in refs:
            for accept in ("text/html", "text/turtle"):
                assert client.get(f"/doc/organisatie/{ref}", headers={"Accept": accept}).status_code == 200
                kept = stats(app)
                assert kept["bytes"] <= budget, kept
        kept = stats(app)
        assert kept["evicted"] > 0 and kept["entries"] < 2 * len(refs), kept
        assert kept["stored"] == kept["entries"] + kept["evicted"]
        # An answer bigger than a quarter of the budget is served but never kept.
        big = client.get("/catalog", headers={"Accept": "text/turtle"})
        assert len(big.get_data()) > budget // 4
        assert stats(app)["stored"] == kept["stored"]
    finally:
        app.extensions["kgraph"].close()


@pytest.fixture
def project_copy(tmp_path, project_settings):
    """The project's content in a private folder, with a build folder of its own."""
    for name in ("ontology", "data", "shapes"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return project_settings.replace(ontology_dir=tmp_path / "ontology", data_dir=tmp_path / "data",
                                    shapes_dir=tmp_path / "shapes", build_dir=tmp_path / "build")


@pytest.mark.parametrize("server", ["gunicorn", "granian", "uwsgi"])
def test_a_new_release_is_served_with_new_bytes_never_the_old(project_copy, server):
    settings = project_copy.replace(server=server)
    first = build(settings)
    pages = [("/catalog", {"Accept": "text/turtle"}), ("/", {"Accept": "text/html"}),
             ("/.well-known/void", {"Accept": "text/turtle"})]
    with live_server(None, settings, workers=2) as url, requests.Session() as session:
        old = {}
        for path, headers in pages:
            for _ in range(6):  # both workers keep it
                answer = session.get(url + path, headers=headers, timeout=10)
            assert answer.status_code == 200
            old[path] = (answer.content, answer.headers["ETag"])
        assert first.version.encode() in old["/catalog"][0]
        path = sorted((settings.data_dir / "2018").glob("*.ttl"))[0]
        path.write_text(path.read_text() + "\n# a second build\n")
        second = build(settings)
        assert second.version != first.version
        deadline = time.monotonic() + 20
        while session.get(url + "/healthz", timeout=10).json()["version"] != second.version:
            assert time.monotonic() < deadline, "the server did not switch to the new release"
            time.sleep(0.1)
        for _ in range(4):  # and every worker has switched
            while session.get(url + "/healthz", timeout=10).json()["version"] != second.version:
                time.sleep(0.1)
        for path, headers in pages:
            for _ in range(6):
                answer = session.get(url + path, headers=headers, timeout=10)
                assert answer.status_code == 200
                assert (answer.content, answer.headers["ETag"]) != old[path], path
        catalog = session.get(url + "/catalog", headers={"Accept": "text/turtle"}, timeout=10).content
        assert second.version.encode() in catalog and first.version.encode() not in catalog


TOKEN = "render-once-token"
ASK_NEW = "SELECT ?o WHERE { <http://example.org/new> <http://example.org/p> ?o }"


@pytest.mark.parametrize("server", ["gunicorn", "granian", "uwsgi"])
def test_with_an_update_token_no_answer_from_before_an_update_is_served(tmp_path, project_settings, server):
    release = make_release(tmp_path / "release", {"http://example.org/g": "<http://example.org/a> <http://example.org/p> \"1\" .\n"})
    settings = project_settings.replace(update_token=TOKEN, server=server)
    with live_server(release, settings) as url, requests.Session() as session:
        def values() -> list[str]:
            answer = session.get(url + "/sparql", params={"query": ASK_NEW}, headers={"Accept": JSON}, timeout=10)
            assert answer.status_code == 200
            return [b["o"]["value"] for b in answer.json()["results"]["bindings"]]

        def graph() -> bytes:
            answer = session.get(url + "/store", params={"graph": "http://example.org/g"},
                                 headers={"Accept": "application/n-triples"}, timeout=10)
            assert answer.status_code == 200
            return answer.content

        for n in range(1, 4):
            assert values() == values() == [str(i) for i in range(1, n)]
            before = graph()
            assert graph() == before
            update = session.post(url + "/sparql", data={"update": f'INSERT DATA {{ GRAPH <http://example.org/g> {{ '
                                                                     f'<http://example.org/new> <http://example.org/p> "{n}" }} }}'},
                                  headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
            assert update.status_code == 204, update.text
            assert sorted(values()) == [str(i) for i in range(1, n + 1)]
            assert graph() != before and f'"{n}"'.encode() in graph()
