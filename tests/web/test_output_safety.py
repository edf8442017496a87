"""Output safety (issue 10.10): nosniff on every response, echoed input never comes back as
markup, and absolute URLs come from the configured public base, else say `Vary: Host`.

The app on the session's 2018 build (real store, real query workers), asked through Flask's
test client; a second app is the same build with `public_base` set.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from kgraph.web import close_app, create_app
from tests.linkeddata_support import HTML_ACCEPT, client, ld_app  # noqa: F401 (pytest fixtures)

HOSTILE = "<script>alert(1)</script>"
FORGED = "evil.example"
PUBLIC = "https://data.example.org/"


@pytest.fixture(scope="module")
def public_app(built_release, project_settings):
    app = create_app(project_settings.replace(public_base=PUBLIC), built_release.path, query_workers=1)
    yield app
    close_app(app)


def test_nosniff_on_every_kind_of_response(client, built_release):
    dump = built_release.manifest["dumps"][0]["file"]
    page = client.get("/doc/organisatie/gent", headers={"Accept": HTML_ACCEPT})
    answers = {
        "page": page,
        "304": client.get("/doc/organisatie/gent", headers={"Accept": HTML_ACCEPT, "If-None-Match": page.headers["ETag"]}),
        "rdf": client.get("/doc/organisatie/gent.ttl"),
        "query": client.get("/sparql", query_string={"query": "ASK {}"}),
        "syntax error": client.get("/sparql", query_string={"query": "SELECT * {"}),
        "html 404": client.get("/doc/organisatie/niemand", headers={"Accept": HTML_ACCEPT}),
        "text 404": client.get("/dumps/nothing.nt"),
        "no route": client.get("/nowhere/at/all"),
        "405": client.post("/catalog"),
        "406": client.get("/catalog", headers={"Accept": "image/png"}),
        "415": client.post("/sparql", data="x", content_type="text/plain"),
        "dump file": client.get(f"/dumps/{dump}"),
        "asset": client.get("/assets/yasgui/yasgui.min.css"),
        "redirect": client.get("/id/organisatie/gent"),
        "options": client.options("/sparql"),
    }
    assert answers["304"].status_code == 304 and answers["405"].status_code == 405
    missing = {name: r.status_code for name, r in answers.items() if r.headers.get("X-Content-Type-Options") != "nosniff"}
    assert missing == {}


@pytest.mark.parametrize("path", [
    f"/dumps/{quote(HOSTILE)}",
    f"/assets/{quote(HOSTILE)}/x.js",
    f"/catalog.{quote(HOSTILE)}",
    f"/ns/kgraph/shapes.{quote(HOSTILE)}",
    f"/doc/organisatie/{quote(HOSTILE)}",
    f"/id/{quote(HOSTILE)}/x",
    f"/search?q={quote(HOSTILE)}",
    f"/graph/organisatie/{quote(HOSTILE)}",
])
def test_echoed_input_never_comes_back_as_markup(client, path):
    for accept in (HTML_ACCEPT, "*/*"):
        response = client.get(path, headers={"Accept": accept})
        assert response.status_code < 500
        assert b"<script" not in response.data.lower(), (path, accept, response.data[:300])


def test_protocol_errors_do_not_echo_markup(client):
    wrong_type = client.post("/sparql", data="x", content_type=f"text/{HOSTILE}")
    wrong_charset = client.post("/sparql", data="x", content_type=f"application/sparql-query; charset={HOSTILE}")
    for response in (wrong_type, wrong_charset):
        assert 400 <= response.status_code < 500, response.data
        assert b"<script" not in response.data.lower(), response.data


HOST_PATHS = ["/id/organisatie/gent", "/id/organisatie/", "/doc/organisatie", "/doc/organisatie/gent", "/",
              "/catalog", "/sparql", "/doc/organisatie/gent.ttl"]


@pytest.mark.parametrize("path", HOST_PATHS)
def test_a_forged_host_never_reaches_a_public_response_without_vary_host(client, path):
    response = client.get(path, base_url=f"http://{FORGED}/", headers={"Accept": HTML_ACCEPT})
    uses_host = FORGED.encode() in response.data or FORGED in response.headers.get("Location", "")
    if path in ("/id/organisatie/gent", "/sparql"):  # these do: the 303's Location, the query UI's endpoint
        assert uses_host, path
    if uses_host:
        assert "public" not in response.headers.get("Cache-Control", "") or "Host" in response.vary, path
        assert "Host" in response.vary, path


def test_the_service_description_names_the_host_it_was_asked_on_only_with_vary_host(client):
    response = client.get("/sparql", base_url=f"http://{FORGED}/", headers={"Accept": "text/turtle"})
    assert f"http://{FORGED}/sparql".encode() in response.data
    assert "Host" in response.vary and "public" in response.headers["Cache-Control"]


@pytest.mark.parametrize("path", HOST_PATHS)
def test_with_public_base_no_url_comes_from_the_host_header(public_app, path):
    response = public_app.test_client().get(path, base_url=f"http://{FORGED}/", headers={"Accept": HTML_ACCEPT})
    assert response.status_code < 500
    assert FORGED.encode() not in response.data and FORGED not in response.headers.get("Location", "")
    assert "Host" not in response.vary


def test_with_public_base_the_location_is_the_configured_one(public_app):
    client = public_app.test_client()
    for host in (FORGED, "127.0.0.1:8000", "localhost"):
        response = client.get("/id/organisatie/gent", base_url=f"http://{host}/")
        assert response.status_code == 303
        assert response.headers["Location"] == f"{PUBLIC}doc/organisatie/gent"
        slash = client.get("/doc/organisatie", base_url=f"http://{host}/")
        assert slash.status_code == 308 and slash.headers["Location"] == f"{PUBLIC}doc/organisatie/"
    described = client.get("/sparql", headers={"Accept": "text/turtle"}, base_url=f"http://{FORGED}/")
    assert f"<{PUBLIC}sparql>".encode() in described.data
