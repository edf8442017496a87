"""The page for partners who link to us (/link-to-us), in Dutch and English: the URI patterns and
their stability promise, the reconciliation endpoint and the OpenRefine recipe, the linkset
dumps, and a SPARQLWrapper example that is run, exactly as the live server's page shows it."""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser

import pytest
import requests

from tests.linkeddata_support import HTML_ACCEPT, read_html

BROWSER = {"Accept": HTML_ACCEPT}


class _CodeBlock(HTMLParser):
    """The text of the element with a given id, character references decoded (what a reader copies)."""

    def __init__(self, wanted: str):
        super().__init__(convert_charrefs=True)
        self.wanted, self.depth, self.parts = wanted, 0, []

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += 1
        elif dict(attrs).get("id") == self.wanted:
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def code_block(html: str, element_id: str) -> str:
    reader = _CodeBlock(element_id)
    reader.feed(html)
    return "".join(reader.parts)


@pytest.mark.parametrize("lang, heading, recipe_word", [
    ("nl", "Naar ons linken", "Kies het type"),
    ("en", "Link to us", "Pick the type"),
])
def test_page_says_how_to_link_in_both_languages(client, project_settings, lang, heading, recipe_word):
    response = client.get(f"/link-to-us?lang={lang}", headers=BROWSER)
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = read_html(response.data)
    assert page.lang == lang and page.h1() == [heading]
    body = page.body
    base = project_settings.base
    for pattern in (f"{base}id/{{category}}/{{reference}}", f"{base}doc/{{category}}/{{reference}}", f"{base}ns/kgraph#Term"):
        assert pattern in body
    assert "stability" in page.ids and ("never changes" in body or "verandert nooit" in body)
    assert ("http://localhost/reconcile", "http://localhost/reconcile") in page.links
    assert recipe_word in body and "Add Standard Service" in body and "cell.recon.match.id" in body
    assert "http://localhost/dumps/" in page.hrefs() and "http://localhost/.well-known/void" in page.hrefs()
    assert "void:Linkset" in body
    example = code_block(response.get_data(as_text=True), "find-iri-example")
    assert 'ENDPOINT = "http://localhost/sparql"' in example and "SPARQLWrapper" in example
    # The site's layout: the same header and footer as the other pages, the footer linking here.
    home = read_html(client.get(f"/?lang={lang}", headers=BROWSER).data)
    # (links carry ?lang= when the choice differs from the browser's: compare without the query)
    assert "http://localhost/link-to-us" in {h.split("?")[0] for h in home.hrefs()}
    assert "http://localhost/link-to-us" in {h.split("?")[0] for h in page.hrefs()}


def test_example_on_the_page_escapes_a_forged_host(client):
    response = client.get("/link-to-us", headers={**BROWSER, "Host": 'evil"<x>'})
    assert "<x>" not in response.get_data(as_text=True)


def test_sparqlwrapper_example_finds_our_iri_against_the_live_server(live_2018, project_settings, tmp_path):
    """The code block of the live page, run as a partner would run it (SPARQLWrapper, a new process)."""
    page = requests.get(f"{live_2018}/link-to-us?lang=en", headers=BROWSER, timeout=30)
    assert page.status_code == 200
    example = code_block(page.text, "find-iri-example")
    assert f'ENDPOINT = "{live_2018}/sparql"' in example
    script = tmp_path / "find_iri.py"
    script.write_text(example, encoding="utf-8")
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [f"{project_settings.base}id/organisatie/gent Stad Gent"], run.stdout
