"""Every value from the data is HTML-escaped: a tiny store whose labels and texts are hostile
markup, rendered by every kind of page. Jinja's autoescape does it; no template marks data |safe."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kgraph.config import Settings
from kgraph.web import create_app
from tests.live import make_release

BASE = "https://data.kenniscentrumvlaamsesteden.be/"
HOSTILE = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(2)>'
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
ORG = "http://www.w3.org/ns/org#Organization"
PROV = "http://www.w3.org/ns/prov#"


def _literal(text: str, lang: str = "nl") -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + f'"@{lang}'


NTRIPLES = "\n".join([
    f"<{BASE}id/organisatie/evil> <{TYPE}> <{ORG}> .",
    f"<{BASE}id/organisatie/evil> <{LABEL}> {_literal(HOSTILE)} .",
    f"<{BASE}id/organisatie/evil> <{LABEL}> {_literal(ATTRIBUTE, 'en')} .",
    f"<{BASE}id/organisatie/evil> <http://purl.org/dc/terms/description> {_literal('Tom & Jerry <b>vet</b>')} .",
    f"<{BASE}id/activiteit/plan> <{TYPE}> <{PROV}Activity> .",
    f"<{BASE}id/activiteit/plan> <{LABEL}> {_literal('Plan <i>B</i>')} .",
    f"<{BASE}id/activiteit/plan> <{PROV}wasAssociatedWith> <{BASE}id/organisatie/evil> .",
    f"<{BASE}id/activiteit/plan> <{PROV}qualifiedAssociation> _:a .",
    f"_:a <{PROV}agent> <{BASE}id/organisatie/evil> .",
    f"_:a <{PROV}hadRole> <{BASE}id/rol/trekker> .",
    f"<{BASE}id/rol/trekker> <{LABEL}> {_literal('<u>trekker</u>')} .",
]) + "\n"


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory):
    release = make_release(tmp_path_factory.mktemp("hostile") / "release", {f"{BASE}graph/hostile": NTRIPLES})
    app = create_app(Settings(assets_dir=Path("node_modules").resolve()), release, query_workers=1)
    yield app.test_client()
    app.extensions["kgraph"].executor.close()


@pytest.mark.parametrize("url, lang", [
    ("/doc/organisatie/evil", "nl"),
    ("/doc/organisatie/evil", "en"),
    ("/doc/activiteit/plan", "nl"),
    ("/doc/rol/trekker", "nl"),
    ("/doc/organisatie/", "nl"),
    ("/doc/organisatie/?sort=count", "en"),
    ("/search?q=script+alert", "nl"),
    ("/search?q=" + HOSTILE, "nl"),
    ("/graph/organisatie/evil", "nl"),
    ("/doc/organisatie/nope-script-alert", "nl"),
])
def test_hostile_labels_come_out_escaped(hostile_client, url, lang):
    response = hostile_client.get(url, headers={"Accept": "text/html", "Accept-Language": lang})
    assert response.status_code in (200, 404)
    body = response.get_data(as_text=True)
    for markup in ("<script>alert", "<img src=x", "<b>vet</b>", "<i>B</i>", "<u>trekker</u>", '"><img'):
        assert markup not in body, (url, markup)
    shown = {
        "/doc/organisatie/evil": "&lt;script&gt;alert(1)&lt;/script&gt;" if lang == "nl" else "&#34;&gt;&lt;img src=x onerror=alert(2)&gt;",
        "/doc/activiteit/plan": "Plan &lt;i&gt;B&lt;/i&gt;",
        "/doc/rol/trekker": "&lt;u&gt;trekker&lt;/u&gt;",
    }.get(url)
    if shown:
        assert shown in body


def test_hostile_labels_in_json_and_rdf_stay_data(hostile_client):
    data = hostile_client.get("/graph/organisatie/evil.json").get_json()
    assert HOSTILE in [node["label"] for node in data["nodes"]]  # JSON carries the text as text
    response = hostile_client.get("/graph/organisatie/evil.json")
    assert response.mimetype == "application/json"  # never rendered as HTML by a browser
    assert json.loads(response.get_data(as_text=True)) == data
    turtle = hostile_client.get("/doc/organisatie/evil.ttl").get_data(as_text=True)
    assert HOSTILE in turtle  # RDF is data, served as text/turtle: nothing to escape
