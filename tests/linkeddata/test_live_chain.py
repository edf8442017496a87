"""303 then 200, followed by real clients against the real server (the default server on a loopback port,
serving the 2018 build): `requests`, and rdflib's Graph().parse(url) with its own Accept header."""

from __future__ import annotations

import pytest
import rdflib
import requests
from rdflib.namespace import FOAF, RDFS

pytestmark = [pytest.mark.live, pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")]

BASE = "https://data.kenniscentrumvlaamsesteden.be/"
GENT = rdflib.URIRef(BASE + "id/organisatie/gent")


@pytest.mark.parametrize("accept, media_type", [
    ("text/turtle", "text/turtle"),
    ("application/ld+json", "application/ld+json"),
    ("application/n-triples", "application/n-triples"),
    ("application/rdf+xml", "application/rdf+xml"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
])
def test_requests_follows_303_then_200(live_2018, accept, media_type):
    response = requests.get(f"{live_2018}/id/organisatie/gent", headers={"Accept": accept}, timeout=10)
    assert [r.status_code for r in response.history] == [303]
    assert response.history[0].headers["Location"] == f"{live_2018}/doc/organisatie/gent"
    assert response.status_code == 200
    assert response.url == f"{live_2018}/doc/organisatie/gent"
    assert response.headers["Content-Type"].split(";")[0] == media_type
    assert "Accept" in response.headers["Vary"]
    assert response.headers["Content-Location"].startswith(f"{live_2018}/doc/organisatie/gent.")
    assert 'rel="license"' in response.headers["Link"]
    if media_type == "text/html":
        assert "Stad Gent" in response.text
    else:
        parser = {"text/turtle": "turtle", "application/ld+json": "json-ld",
                  "application/n-triples": "nt", "application/rdf+xml": "xml"}[media_type]
        graph = rdflib.Graph().parse(data=response.content, format=parser)
        assert (GENT, RDFS.label, rdflib.Literal("Stad Gent", lang="nl")) in graph


def test_rdflib_parses_the_thing_uri_on_the_live_server(live_2018):
    graph = rdflib.Graph()
    graph.parse(f"{live_2018}/id/organisatie/gent")  # rdflib negotiates, follows the 303, parses
    assert (GENT, RDFS.label, rdflib.Literal("Stad Gent", lang="nl")) in graph
    assert (rdflib.URIRef(BASE + "doc/organisatie/gent"), FOAF.primaryTopic, GENT) in graph
    assert len(graph) > 20


def test_the_same_server_answers_for_any_host_name(live_2018):
    """By path: another Host header (a public domain in front of it) gets links on that host."""
    port = live_2018.rsplit(":", 1)[1]
    host = f"data.example.org:{port}"
    redirect = requests.get(f"{live_2018}/id/organisatie/gent", headers={"Host": host}, allow_redirects=False, timeout=10)
    assert redirect.status_code == 303
    assert redirect.headers["Location"] == f"http://{host}/doc/organisatie/gent"
    page = requests.get(f"{live_2018}/doc/organisatie/gent", headers={"Host": host, "Accept": "text/html"}, timeout=10)
    assert f'href="http://{host}/doc/activiteit/city-of-things-databroker"' in page.text
    turtle = requests.get(f"{live_2018}/doc/organisatie/gent.ttl", headers={"Host": host}, timeout=10)
    assert "data.example.org" not in turtle.text  # the RDF keeps the canonical IRIs


def test_conditional_get_on_a_doc(live_2018):
    first = requests.get(f"{live_2018}/doc/organisatie/gent.ttl", timeout=10)
    assert first.headers.get("ETag")
    again = requests.get(f"{live_2018}/doc/organisatie/gent.ttl", headers={"If-None-Match": first.headers["ETag"]}, timeout=10)
    assert again.status_code == 304


def test_unknown_resource_is_a_404_page_on_the_live_server(live_2018):
    response = requests.get(f"{live_2018}/id/organisatie/bestaat-niet", headers={"Accept": "text/turtle"}, timeout=10)
    assert response.status_code == 404 and "text/html" in response.headers["Content-Type"]
    assert 'name="q"' in response.text
