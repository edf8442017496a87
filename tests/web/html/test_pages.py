"""The Linked Data pages rendered by the app (Flask's test client, the 2018 build) and checked for
the facts they must show, in Dutch and in English, with links that stay on the serving host."""

from __future__ import annotations

import pytest

from kgraph.namespaces import CATEGORIES
from tests.linkeddata_support import HTML_ACCEPT, category_members, read_html

BROWSER = {"Accept": HTML_ACCEPT}
BASE = "https://data.kenniscentrumvlaamsesteden.be/"
GENT = "/doc/organisatie/gent"


def get_page(client, url: str, status: int = 200, **headers: str):
    response = client.get(url, headers={**BROWSER, **headers})
    assert response.status_code == status, (url, response.status_code, response.get_data(as_text=True)[:500])
    assert response.mimetype == "text/html"
    return read_html(response.data)


def test_organisation_page_shows_label_types_and_activities(client):
    page = get_page(client, GENT)
    assert page.h1() == ["Stad Gent"]
    assert page.lang == "nl"
    body = page.body
    for fact in ("centrumstad", "Een van de 13 centrumsteden.", "44021", "Centrumsteden"):
        assert fact in body, fact
    # The databroker project Gent leads ("trekker"), linked by its label to its page.
    assert ("http://localhost/doc/activiteit/city-of-things-databroker", "Databroker (City of Things)") in page.links
    row = body.split("Databroker (City of Things)", 1)[1][:80]
    assert "trekker" in row
    # Its events on a timeline, its documents with their PDF links, the relationship view.
    assert any("/doc/evenement/" in href for href in page.hrefs())
    assert any(href.endswith(".pdf") for href in page.hrefs())
    assert "http://localhost/graph/organisatie/gent" in page.hrefs()


def test_activity_page_shows_events_on_a_timeline_and_documents(client):
    page = get_page(client, "/doc/activiteit/workshop-gdpr")
    assert page.h1() == ["Workshop GDPR"]
    assert ("time", {"datetime": "2018-02-20"}) in page.elements
    assert "Workshop GDPR (20 februari 2018)" in page.link_texts()
    obmi = get_page(client, "/doc/activiteit/werkgroep-obmi")
    # The PDF link exactly as printed in the report (%20%20 kept).
    pdf = "http://www.kenniscentrumvlaamsesteden.be/Gedeelde%20%20documenten/2019/Jaarverslag2018/Werkgroep%20OBMi_2018.pdf"
    assert pdf in obmi.hrefs()
    assert "9 vergaderingen in 2018" in obmi.body  # a quantity (blank node) shown as one line
    assert "trekker" in get_page(client, "/doc/activiteit/city-of-things-databroker").body


def test_event_page_links_back_to_its_activity(client):
    page = get_page(client, "/doc/evenement/workshop-gdpr-2018-02-20")
    assert page.h1() == ["Workshop GDPR (20 februari 2018)"]
    assert "20 februari 2018" in page.body
    assert ("http://localhost/doc/activiteit/workshop-gdpr", "Workshop GDPR") in page.links


@pytest.mark.parametrize("accept_language", ["en", "en-GB,en;q=0.9", "fr-BE, en;q=0.5, nl;q=0.1"])
def test_english_label_when_the_browser_prefers_english(client, accept_language):
    response = client.get(GENT, headers={**BROWSER, "Accept-Language": accept_language})
    page = read_html(response.data)
    assert page.h1() == ["City of Ghent"]
    assert page.lang == "en"
    assert "Accept-Language" in response.headers["Vary"]
    assert "Data broker (City of Things)" in page.link_texts()


def test_dutch_is_the_default_and_when_preferred(client):
    assert get_page(client, GENT, **{"Accept-Language": "nl-BE,nl;q=0.9,en;q=0.8"}).h1() == ["Stad Gent"]
    assert get_page(client, GENT, **{"Accept-Language": "de"}).h1() == ["Stad Gent"]


def test_properties_are_labelled_never_raw_iris(client, samples):
    assert set(samples) >= {"organisatie", "activiteit", "evenement", "document"}
    for iri in samples.values():
        page = get_page(client, iri.replace(BASE + "id/", "/doc/"))
        assert page.dts, iri
        for term in page.dts:
            assert "://" not in term and "#" not in term, (iri, term)
    # The reused vocabularies' terms by their labels too (prov:wasAssociatedWith, schema:startDate).
    # (prov:wasAssociatedWith with prov:qualifiedAssociation is the participants table: tests/web/html/test_readable_site.py)
    assert "maakt deel uit van" in get_page(client, "/doc/sectie/jaarverslag-2018-03").dts
    assert "begindatum" in get_page(client, "/doc/evenement/workshop-gdpr-2018-02-20").dts
    assert "start date" in get_page(client, "/doc/evenement/workshop-gdpr-2018-02-20", **{"Accept-Language": "en"}).dts


def test_resource_page_links_to_rdf_alternates_and_the_sparql_query(client):
    page = get_page(client, GENT)
    for extension in ("ttl", "jsonld", "nt", "rdf"):
        assert f"http://localhost/doc/organisatie/gent.{extension}" in page.hrefs()
    # The link opens the query UI with the query in the fragment; the query itself, sent to the
    # endpoint, produces the description.
    sparql = [href for href in page.hrefs() if href.startswith("http://localhost/sparql#query=")]
    assert sparql, page.hrefs()
    query = sparql[0].split("#query=", 1)[1]
    response = client.get(f"/sparql?query={query}", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and b"Stad Gent" in response.data  # the query really produces it


def test_home_page_shows_counts_timeline_search_and_services(client, store, project_settings):
    page = get_page(client, "/")
    assert page.h1() == ["Kenniscentrum Vlaamse Steden: werking als kennisgraaf"]
    organisations = len(category_members(store, project_settings.base, "organisatie"))
    activities = len(category_members(store, project_settings.base, "activiteit"))
    assert organisations and activities
    assert ("http://localhost/doc/organisatie/", f"{organisations} Organisaties") in page.links
    assert ("http://localhost/doc/activiteit/", f"{activities} Activiteiten") in page.links
    headings = [text for tag, text in page.headings if tag == "h3"]
    assert "februari 2018" in headings and "december 2018" in headings
    assert "Workshop GDPR (20 februari 2018)" in page.link_texts()
    assert any(i.get("name") == "q" for i in page.inputs)
    for service in ("sparql", "catalog", "dumps/", "ns/kgraph"):
        assert f"http://localhost/{service}" in page.hrefs(), service


@pytest.mark.parametrize("query", ["Sint-Niklaas", "sint niklaas", "SINT NIKLAAS", "  sint-niklaas  ", "Sïnt Niklaas"])
def test_search_is_accent_and_case_insensitive(client, query):
    page = get_page(client, "/search?q=" + query)
    assert ("http://localhost/doc/organisatie/sint-niklaas", "Stad Sint-Niklaas") in page.links


def test_search_finds_accented_labels_from_plain_text_and_says_when_nothing_matches(client):
    assert any("Europarlementariërs" in text for text in get_page(client, "/search?q=europarlementariers").link_texts())
    empty = get_page(client, "/search?q=zzzqqq")
    assert "Niets gevonden" in empty.body
    assert get_page(client, "/search").h1() == ["Zoekresultaten"]


def test_category_index_lists_every_member_with_counts_and_sorts(client, store, project_settings):
    for category in ("organisatie", "activiteit", "evenement", "document", "persoon", "plaats", "thema"):
        members = category_members(store, project_settings.base, category)
        assert members, category
        page = get_page(client, f"/doc/{category}/")
        listed = {href for href in page.hrefs() if href.startswith(f"http://localhost/doc/{category}/")
                  and not href.endswith("/") and "?" not in href}
        assert listed == {m.replace(BASE + "id/", "http://localhost/doc/") for m in members}, category
    by_count = client.get("/doc/organisatie/?sort=count", headers=BROWSER).get_data(as_text=True)
    counts = [int(cell.split("</td>")[0]) for cell in by_count.split('<td class="num">')[1:]]
    assert counts and counts == sorted(counts, reverse=True)
    by_date = client.get("/doc/evenement/?sort=date", headers=BROWSER).get_data(as_text=True)
    dates = [chunk.split('"')[0] for chunk in by_date.split('<time datetime="')[1:]]
    assert dates and dates == sorted(dates)
    assert client.get("/id/organisatie/").status_code == 303
    assert client.get("/id/organisatie/").headers["Location"].endswith("/doc/organisatie/")


def test_every_category_has_an_index(client):
    for category in CATEGORIES:
        assert client.get(f"/doc/{category}/", headers=BROWSER).status_code == 200, category


def test_unknown_resources_get_a_helpful_404_never_a_500(client):
    for url in ("/doc/organisatie/bestaat-niet", "/id/organisatie/bestaat-niet", "/doc/geen-categorie/x",
                "/doc/organisatie/Not_A_Slug", "/doc/organisatie/gent.xyz", "/doc/onbekend/",
                "/graph/organisatie/bestaat-niet", "/graph/organisatie/bestaat-niet.json", "/id/onbekend/"):
        page = get_page(client, url, status=404)
        assert page.h1() == ["Niet gevonden"], url
        search = [i for i in page.inputs if i.get("name") == "q"]
        assert search and all(page.labels.get(i.get("id")) for i in search), url
    # Suggestions from the words of the address.
    assert "Stad Sint-Niklaas" in get_page(client, "/doc/organisatie/sint-niklaa", status=404).link_texts()


def test_links_stay_on_the_host_that_served_the_page(client):
    response = client.get(GENT, headers=BROWSER, base_url="https://mirror.example:8443")
    page = read_html(response.data)
    own = [href for href in page.hrefs() if "/doc/" in href or "/graph/" in href]
    assert own and all(href.startswith("https://mirror.example:8443/") for href in own)
    assert not [href for href in page.hrefs() if href.startswith(BASE)]
    assert f"{BASE}id/organisatie/gent" in page.body  # the canonical URI is still shown
    redirect = client.get("/id/organisatie/gent", base_url="https://mirror.example:8443")
    assert redirect.headers["Location"] == "https://mirror.example:8443/doc/organisatie/gent"


@pytest.mark.parametrize("url", ["/", GENT, "/doc/organisatie/", "/search?q=gent", "/graph/organisatie/gent",
                                 "/doc/organisatie/bestaat-niet"])
def test_pages_are_accessible_basics(client, url):
    response = client.get(url, headers=BROWSER)
    page = read_html(response.data)
    assert page.lang in ("nl", "en")
    assert {"name": "viewport", "content": "width=device-width, initial-scale=1"} in page.metas
    assert page.links[0][0] == "#main" and "main" in page.ids  # skip link first, to the main content
    assert len(page.h1()) == 1
    for field in page.inputs:
        if field.get("type") != "hidden":
            assert page.labels.get(field.get("id", "")), (url, field)
    assert all(image.get("alt") for image in page.images)
    assert ("link", {"rel": "stylesheet", "href": "http://localhost/static/ld/ld.css"}) in page.elements
    assert client.get("/static/ld/ld.css").status_code == 200


def test_relationship_view_page_draws_with_the_served_library(client):
    page = get_page(client, "/graph/organisatie/gent")
    assert page.h1() == ["Samenwerkingen van Stad Gent"]
    container = [attrs for tag, attrs in page.elements if attrs.get("id") == "relations"]
    # Drawn from the explorer's ego view (top partners, the explorer's filters: issue 15).
    assert container and container[0]["data-source"] == "http://localhost/explore/ego/gent.json"
    assert container[0].get("role") == "img" and container[0].get("aria-label")
    library = [src for src in page.scripts if "vis-network" in src]
    assert library and library[0].startswith("/assets/vis-network/")  # served by this app, no CDN
    script = client.get(library[0])
    assert script.status_code == 200 and script.mimetype == "text/javascript" and len(script.data) > 100_000
    assert "Databroker (City of Things)" in page.link_texts()  # the same data as a table
