"""The headers kgraph.web.headers.ReleaseHeaders adds on the WSGI header list (issue 16 point 1): the same
as the per-response hooks that made them before, on every kind of response.

Apps on the session's 2018 build (real store, real query workers), asked through Flask's test
client (which calls the whole WSGI stack): the project's settings, one with a configured origin
(not `*`), one with CORS off and one with updates enabled.
"""

from __future__ import annotations

import pytest

from kgraph.web import close_app, create_app
from kgraph.web.headers import LICENCE_LINK, PREFLIGHT_HEADERS
from tests.linkeddata_support import HTML_ACCEPT, client, ld_app  # noqa: F401 (pytest fixtures)

ORIGIN = "https://partner.example.org"
DOC = "/doc/organisatie/gent"


@pytest.fixture(scope="module")
def app_for(built_release, project_settings):
    made = []

    def make(**changes):
        app = create_app(project_settings.replace(**changes), built_release.path, query_workers=1)
        made.append(app)
        return app.test_client()

    yield make
    for app in made:
        close_app(app)


def _headers(response) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, value in response.headers.items():
        out.setdefault(name.lower(), []).append(value)
    return out


def test_every_kind_of_response_has_one_licence_link_cache_control_cors_and_nosniff(client):
    page = client.get(DOC, headers={"Accept": HTML_ACCEPT})
    answers = {
        "page": page,
        "kept page": client.get(DOC, headers={"Accept": HTML_ACCEPT}),
        "304": client.get(DOC, headers={"Accept": HTML_ACCEPT, "If-None-Match": page.headers["ETag"]}),
        "healthz (its own no-store)": client.get("/healthz"),
        "no route": client.get("/nowhere/at/all"),
        "wrong method": client.delete("/healthz"),
        "catalogue (its own Link)": client.get("/catalog", headers={"Accept": "text/turtle"}),
    }
    for name, response in answers.items():
        headers = _headers(response)
        assert len(headers["link"]) == 1 and LICENCE_LINK in headers["link"][0], name
        assert headers["cache-control"] == ["no-store" if "no-store" in name else "public, max-age=300"], name
        assert headers["access-control-allow-origin"] == ["*"], name
        assert "Link" in headers["access-control-expose-headers"][0], name
        assert headers["x-content-type-options"] == ["nosniff"], name
        assert "vary" not in headers or "Origin" not in headers["vary"][0], name  # `*`: no Vary: Origin
    assert answers["kept page"].headers["X-Cache"] == "HIT"
    assert answers["304"].status_code == 304 and answers["wrong method"].status_code == 405
    # The view's own Link (the catalogue's alternates) is kept, with the licence after it.
    catalogue_link = answers["catalogue (its own Link)"].headers["Link"]
    assert 'rel="alternate"' in catalogue_link and catalogue_link.index('rel="alternate"') < catalogue_link.index(LICENCE_LINK)


def test_a_configured_origin_is_named_and_varied_on(app_for):
    client = app_for(cors_origin=ORIGIN)
    page = client.get(DOC, headers={"Accept": HTML_ACCEPT, "Origin": ORIGIN})
    vary = [v.strip() for v in page.headers["Vary"].split(",")]
    assert page.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "Origin" in vary and "Accept" in vary and len(page.headers.getlist("Vary")) == 1
    healthz = client.get("/healthz")  # no Vary of its own: one made
    assert healthz.headers.getlist("Vary") == ["Origin"]
    preflight = client.options("/sparql", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"})
    assert preflight.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert preflight.headers["Access-Control-Allow-Headers"] == PREFLIGHT_HEADERS
    assert preflight.headers["Access-Control-Max-Age"] == "86400"
    assert "Access-Control-Allow-Methods" not in client.get("/healthz").headers  # only on preflight


def test_no_cors_headers_when_cors_is_off_and_no_cache_with_updates(app_for):
    plain = app_for(cors_origin="").get("/healthz")
    assert not [name for name in plain.headers.keys() if name.lower().startswith("access-control-")]
    assert plain.headers["X-Content-Type-Options"] == "nosniff" and LICENCE_LINK in plain.headers["Link"]
    updatable = app_for(update_token="secret-token").get(DOC, headers={"Accept": HTML_ACCEPT})
    assert updatable.headers["Cache-Control"] == "no-cache"


def test_a_view_cache_control_stands(client):
    # The probes say no-store themselves; the language cookie makes a page private.
    assert client.get("/readyz").headers.getlist("Cache-Control") == ["no-store"]
    assert client.get("/healthz").headers.getlist("Cache-Control") == ["no-store"]
    chosen = client.get(DOC + "?lang=en", headers={"Accept": HTML_ACCEPT})
    assert chosen.headers.getlist("Cache-Control") == ["private, no-cache"] and "Set-Cookie" in chosen.headers
