"""The query UI page and the npm assets it loads, through Flask's test client (no browser)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from kgraph.config import Settings
from kgraph.web import create_app

ROOT = Path(__file__).resolve().parents[3]
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
YASGUI_BUILD = ROOT / "node_modules" / "@zazuko" / "yasgui" / "build"

# Outside CI a missing npm install is skipped with the reason; in CI (which installs it) these tests
# run and fail, so a wrong path or a broken install cannot pass as a skip.
needs_npm = pytest.mark.skipif(not YASGUI_BUILD.is_dir() and not os.environ.get("CI"),
                               reason="node_modules missing: run `npm ci` (make install)")


def make_app(release: Path, **settings) -> object:
    return create_app(Settings(**settings), release)


@pytest.fixture
def ui_app(sample_release, tmp_path):
    """An app whose query catalogue holds one query with characters that need escaping."""
    queries = tmp_path / "queries"
    queries.mkdir()
    (queries / "lastig.rq").write_text(
        "# title: Moeilijk <b>&amp;</b> \"tekens\"\n"
        "# title@en: Tricky </script><script>alert(1)</script>\n"
        "# description: Een vraag met 'rare' tekens.\n"
        "# description@en: A query with odd characters.\n"
        'SELECT ?x WHERE { BIND("</script><!--" AS ?x) }\n',
        encoding="utf-8",
    )
    app = make_app(sample_release, queries_dir=queries, assets_dir=ROOT / "node_modules")
    yield app
    app.extensions["kgraph"].executor.close()


def page_config(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="kgraph-ui-config">(.*?)</script>', html, re.S)
    assert match, "the page has no JSON config block"
    return json.loads(match.group(1))


@needs_npm
def test_ui_loads_yasgui_from_the_app_and_embeds_examples_safely(ui_app):
    response = ui_app.test_client().get("/sparql", headers={"Accept": BROWSER_ACCEPT, "Accept-Language": "en"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    # The assets come from this app, never from a CDN.
    assert re.search(r'<script src="/assets/yasgui/yasgui\.min\.js\?v=[\d.]+"></script>', html)
    assert re.search(r'<link rel="stylesheet" href="/assets/yasgui/yasgui\.min\.css\?v=[\d.]+">', html)
    # Every address is this app's own (the site layout's links are absolute on the serving host)
    # or a query-only link (the language switch); never a CDN.
    # (Besides the skip link and the licence's IRI in the footer, a link, not something loaded.)
    from kgraph.provenance import LICENCE
    assert all(url.startswith(("/", "data:", "http://localhost/", "?", "#")) or url == LICENCE
               for url in re.findall(r'(?:src|href)="([^"]*)"', html))
    assert all(url.startswith(("/", "data:")) for url in re.findall(r'src="([^"]*)"', html))
    assert "copyEndpointOnNewTab: false" in html
    # The injected markup is escaped everywhere: no live tag, no early end of the JSON block.
    assert "<script>alert(1)</script>" not in html
    assert html.count("</script>") == html.count("<script")
    config = page_config(html)
    assert config["endpoint"] == "/sparql"
    (example,) = config["examples"]
    assert example["name"] == "lastig"
    assert example["title"]["en"] == "Tricky </script><script>alert(1)</script>"
    assert example["query"].startswith("BASE <https://data.kenniscentrumvlaamsesteden.be/>\n# title:")
    assert 'BIND("</script><!--" AS ?x)' in example["query"]
    assert "Tricky &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the button label


def test_ui_lists_the_project_queries(sample_release, project_settings):
    app = make_app(sample_release, queries_dir=project_settings.queries_dir, assets_dir=project_settings.assets_dir)
    try:
        html = app.test_client().get("/sparql", headers={"Accept": BROWSER_ACCEPT}).get_data(as_text=True)
    finally:
        app.extensions["kgraph"].executor.close()
    names = [e["name"] for e in page_config(html)["examples"]]
    assert names == sorted(p.stem for p in Path(project_settings.queries_dir).glob("*.rq"))
    assert "trekkers" in names
    assert html.count('class="example"') == len(names)


def test_ui_without_npm_assets_explains_and_still_offers_a_form(sample_release, tmp_path, project_settings):
    app = make_app(sample_release, queries_dir=project_settings.queries_dir, assets_dir=tmp_path / "no-node-modules")
    try:
        client = app.test_client()
        html = client.get("/sparql", headers={"Accept": BROWSER_ACCEPT}).get_data(as_text=True)
        missing = client.get("/assets/yasgui/yasgui.min.js")
    finally:
        app.extensions["kgraph"].executor.close()
    assert 'id="assets-missing"' in html and "npm ci" in html
    assert "/assets/yasgui/" not in html  # no broken <script src>
    assert '<form method="post" action="http://localhost/sparql"' in html
    assert missing.status_code == 404 and b"npm ci" in missing.data


@needs_npm
def test_assets_have_types_and_cache_headers(ui_app):
    client = ui_app.test_client()
    js = client.get("/assets/yasgui/yasgui.min.js")
    assert js.status_code == 200 and js.mimetype == "text/javascript"
    assert js.headers["X-Content-Type-Options"] == "nosniff"
    assert "public" in js.headers["Cache-Control"] and "max-age=86400" in js.headers["Cache-Control"]
    assert js.content_length == (YASGUI_BUILD / "yasgui.min.js").stat().st_size
    css = client.get("/assets/yasgui/yasgui.min.css")
    assert css.status_code == 200 and css.mimetype == "text/css"
    again = client.get("/assets/yasgui/yasgui.min.css", headers={"If-None-Match": css.headers["ETag"]})
    assert again.status_code == 304
    assert client.get("/assets/vis-network/vis-network.min.js").mimetype == "text/javascript"


@needs_npm
@pytest.mark.parametrize(
    "path",
    [
        "/assets/yasgui/../package.json",
        # .js files that exist, outside the package folder: refused by the path check itself.
        "/assets/yasgui/../../../vis-network/standalone/umd/vis-network.min.js",
        "/assets/yasgui/..%2F..%2F..%2Fvis-network%2Fstandalone%2Fumd%2Fvis-network.min.js",
        "/assets/vis-network/%2e%2e/%2e%2e/%2e%2e/@zazuko/yasgui/build/yasgui.min.js",
        "/assets/yasgui/..%2Fpackage.json",
        "/assets/yasgui/%2e%2e/%2e%2e/%2e%2e/kgraph.toml",
        "/assets/yasgui//etc/passwd",
        "/assets/yasgui/ts/../../package.json",
        "/assets/yasgui/..\\package.json",
        "/assets/yasgui/nonexistent.js",
        "/assets/yasgui/ts",  # a folder, and no allowed suffix
        "/assets/unknown/yasgui.min.js",
        "/assets/@zazuko/yasgui/build/yasgui.min.js",
    ],
)
def test_assets_refuse_anything_outside_the_package_folders(ui_app, path):
    # A doubled slash is first redirected (Werkzeug merges slashes), then refused.
    response = ui_app.test_client().get(path, follow_redirects=True)
    assert response.status_code == 404, path
