"""Issue 17, through Flask's test client on the 2018 build: the language choice that sticks, one
layout everywhere, lists for /doc/, /id/ and /graph/, pages that read naturally, indexes sorted,
filtered and paged by the store, search ranked as people expect, citing, compact JSON-LD."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import rdflib
import rdflib.compare

from tests.linkeddata_support import HTML_ACCEPT, read_html

BROWSER = {"Accept": HTML_ACCEPT}
DUTCH_BROWSER = {**BROWSER, "Accept-Language": "nl-BE,nl;q=0.9"}
BASE = "https://data.kenniscentrumvlaamsesteden.be/"
SITE_PAGES = ["/", "/doc/", "/id/", "/graph/", "/doc/activiteit/", "/doc/organisatie/gent", "/search?q=gent",
              "/graph/organisatie/gent", "/sparql", "/catalog", "/dumps/", "/ns/kgraph", "/doc/organisatie/bestaat-niet"]


def html(client, url: str, headers=DUTCH_BROWSER, status: int = 200):
    response = client.get(url, headers=headers)
    assert response.status_code == status, (url, response.status_code)
    return response, read_html(response.data)


def markup(client, url: str) -> str:
    """The page's HTML as served (for checks on where something stands)."""
    response = client.get(url, headers=DUTCH_BROWSER)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


@pytest.mark.parametrize("url", SITE_PAGES)
def test_every_page_has_the_one_layout_and_keeps_the_chosen_language(client, url):
    sep = "&" if "?" in url else "?"
    status = 404 if "bestaat-niet" in url else 200
    response, page = html(client, f"{url}{sep}lang=en", status=status)
    assert page.lang == "en", url
    assert "kgraph_lang=en" in response.headers.get("Set-Cookie", ""), url  # the choice is kept
    assert "Cookie" in response.headers.get("Vary", "")
    # The site header: home, lists, query UI, vocabulary, one search box, the switch to Dutch.
    hrefs = page.hrefs()
    for target in ("http://localhost/?lang=en", "http://localhost/doc/?lang=en", "http://localhost/sparql?lang=en",
                   "http://localhost/ns/kgraph?lang=en"):
        assert target in hrefs, (url, target)
    assert sum(1 for i in page.inputs if i.get("name") == "q") == 1, url
    assert "Nederlands" in page.link_texts()
    # Links into the site carry the language (this Dutch browser would otherwise get Dutch).
    own = [h for h in hrefs if h.startswith("http://localhost/doc/") and not h.endswith((".ttl", ".jsonld", ".nt", ".rdf"))]
    assert own and all("lang=en" in h for h in own), url
    # The next request, with the cookie and no ?lang=, is English too.
    client.set_cookie("kgraph_lang", "en")
    _, again = html(client, url, status=status)
    assert again.lang == "en", url
    client.delete_cookie("kgraph_lang")


def test_without_a_choice_the_browser_language_decides_and_links_stay_plain(client):
    _, page = html(client, "/doc/organisatie/gent")
    assert page.lang == "nl"
    assert not [h for h in page.hrefs() if "lang=" in h and h.startswith("http://localhost/doc/")]
    _, english = html(client, "/doc/organisatie/gent", headers={**BROWSER, "Accept-Language": "en"})
    assert english.lang == "en" and "City of Ghent" in english.h1()


def test_catalog_dumps_and_vocabulary_are_in_one_language(client):
    _, dutch = html(client, "/catalog?lang=nl")
    _, english = html(client, "/catalog?lang=en")
    assert "Distributies" in dutch.body and "Distributions" not in dutch.body
    assert "Distributions" in english.body and "Distributies" not in english.body
    _, dumps = html(client, "/dumps/?lang=en")
    assert "The whole knowledge graph" in dumps.body and "De volledige kennisgraaf" not in dumps.body
    for lang, wanted, unwanted in (("en", "call for projects", "projectoproep"), ("nl", "projectoproep", "call for projects")):
        _, vocabulary = html(client, f"/ns/kgraph?lang={lang}")
        body = vocabulary.body
        assert wanted in body and unwanted not in body, lang
        assert "activityactiviteit" not in body and "Stedenkgraph" not in body
        assert vocabulary.lang == lang


def test_lists_answer_doc_id_and_graph(client):
    for url in ("/doc/", "/id/"):
        _, page = html(client, url + "?lang=en")
        assert ("http://localhost/doc/organisatie/?lang=en") in page.hrefs()
        assert any(text.endswith("Report sections") for text in page.link_texts())
    _, graphs = html(client, "/graph/?lang=en")
    assert "http://localhost/graph/organisatie/gent?lang=en" in graphs.hrefs()


def test_resource_pages_have_breadcrumbs_and_say_how_to_cite(client):
    _, page = html(client, "/doc/activiteit/werkgroep-obmi?lang=en")
    assert "http://localhost/doc/activiteit/?lang=en" in page.hrefs()  # breadcrumb to the category
    cite = markup(client, "/doc/activiteit/werkgroep-obmi?lang=en").split('id="citation"', 1)[1][:800]
    assert "Kenniscentrum Vlaamse Steden" in cite and f"{BASE}id/activiteit/werkgroep-obmi" in cite
    assert "Version" in cite
    # The report's section it comes from, and the original PDF.
    assert "http://localhost/doc/sectie/jaarverslag-2018-01?lang=en" in page.hrefs()
    assert any(h.endswith("Werkgroep%20OBMi_2018.pdf") for h in page.hrefs())


def test_the_query_link_opens_the_query_ui_with_the_query(client, ld_app):
    _, page = html(client, "/doc/organisatie/gent")
    link = next(h for h, text in page.links if "SPARQL-query" in text)
    parts = urlsplit(link)
    assert parts.path == "/sparql" and "query" not in parse_qs(parts.query)  # GET /sparql?query= would run it
    query = unquote(parts.fragment.removeprefix("query="))
    assert "CONSTRUCT" in query and f"<{BASE}id/organisatie/gent>" in query
    ui = client.get(parts.path, headers=BROWSER)
    assert ui.status_code == 200 and ui.mimetype == "text/html"
    assert "window.location.hash" in ui.get_data(as_text=True)  # the UI reads the query from the fragment


def test_activity_page_reads_naturally(client):
    _, page = html(client, "/doc/activiteit/werkgroep-obmi?lang=en")
    body = markup(client, "/doc/activiteit/werkgroep-obmi?lang=en")
    table = body.split('class="participants"', 1)[1].split("</table>", 1)[0]
    for who, role in (("City of Antwerp", "executor"), ("City of Ghent", "executor"),
                      ("Consultation of the city secretaries of the central cities", "initiator")):
        row = table.split(who, 1)[1].split("</tr>", 1)[0]
        assert role in row, who
    assert "qualified association" not in page.dts and "agent" not in page.dts  # no nested blocks
    assert "only in Dutch" in page.body  # the description exists only in Dutch, and the page says so
    assert "All city-in-figures websites online (15 October 2018)" in page.link_texts()  # the milestone
    # Each name once, with its language.
    names = body.split('id="g-names"', 1)[1].split("</dl>", 1)[0]
    assert names.count(">Werkgroep OBMi</span>") == 1 and "(nl)" in names and "(en)" in names


def test_labels_given_in_both_languages_alike_appear_once(client):
    names = markup(client, "/doc/activiteit/smart-flanders?lang=en").split('id="g-names"', 1)[1].split("</dl>", 1)[0]
    assert names.count(">Smart Flanders</span>") == 1 and "(en, nl)" in names


def test_report_page_lists_its_sections_once_in_report_order(client):
    _, page = html(client, "/doc/document/jaarverslag-2018?lang=en")
    sections = [h for h in page.hrefs() if "/doc/sectie/jaarverslag-2018-" in h]
    assert len(sections) == 24 and len(set(sections)) == 24
    numbers = [int(h.split("jaarverslag-2018-")[1][:2]) for h in sections]
    assert numbers == list(range(1, 25))
    assert "Dutch" in page.body and ">NLD<" not in page.body.replace(" ", "")


def test_section_page_names_its_report_from_the_readers_side(client):
    incoming = markup(client, "/doc/sectie/jaarverslag-2018-03?lang=en").split('id="incoming"', 1)[1]
    assert "has part" not in incoming  # the report is shown once, as "is part of"
    assert "source of" in incoming


def test_municipalities_by_name_with_their_code(client):
    _, page = html(client, "/doc/organisatie/gent?lang=en")
    assert "Gent (NIS 44021)" in page.link_texts() or "Gent (NIS 44021)" in page.body
    assert ">44021<" not in markup(client, "/doc/organisatie/gent?lang=en").split('id="g-when"', 1)[1].split("</dl>", 1)[0]


def test_index_shows_dates_and_periods_and_filters_by_kind(client):
    _, events = html(client, "/doc/evenement/?sort=date&lang=en")
    dates = [attrs["datetime"] for tag, attrs in events.elements if tag == "time"]
    assert len(dates) == 20 and dates == sorted(dates)  # every event has its date
    _, activities = html(client, "/doc/activiteit/?lang=en")
    assert "Period" in activities.body and "7 March 2018 – 5 November 2018" in activities.body
    kinds = [h for h in activities.hrefs() if "kind=" in h]
    working_groups = next(h for h in kinds if "WorkingGroup" in unquote(h))
    _, filtered = html(client, working_groups.replace("http://localhost", ""))
    listed = [h for h in filtered.hrefs() if h.startswith("http://localhost/doc/activiteit/")
              and not h.split("/doc/activiteit/")[1].startswith("?")]
    assert markup(client, working_groups.replace("http://localhost", "")).count("<td>working group</td>") == len(listed) == 6


def test_sections_index_is_in_report_order(client):
    _, page = html(client, "/doc/sectie/")
    sections = [h for h in page.hrefs() if "/doc/sectie/jaarverslag-2018-" in h]
    assert [int(h.rsplit("-", 1)[1]) for h in sections] == list(range(1, 25))


def test_paging_is_done_by_the_store_and_covers_every_member_once(client, store, project_settings):
    from tests.linkeddata_support import category_members

    members = category_members(store, project_settings.base, "organisatie")
    seen: list[str] = []
    page_number = 1
    while True:
        _, page = html(client, f"/doc/organisatie/?size=10&page={page_number}")
        rows = [h for h in page.hrefs() if h.startswith("http://localhost/doc/organisatie/") and "?" not in h
                and not h.endswith("/")]
        seen += rows
        if not any(rel == "next" for tag, attrs in page.elements for rel in [attrs.get("rel")] if tag == "a"):
            break
        page_number += 1
    assert page_number == -(-len(members) // 10)
    assert sorted(seen) == sorted(m.replace(BASE + "id/", "http://localhost/doc/") for m in members)
    assert len(seen) == len(set(seen))
    bad = client.get("/doc/organisatie/?page=zero", headers=BROWSER)
    assert bad.status_code == 400 and b"parameter page" in bad.data


def test_search_ranks_whole_words_before_substrings_and_counts_in_words(client):
    hits = read_html(markup(client, "/search?q=GENT").split('class="hits"', 1)[1].encode())
    order = [text for href, text in hits.links if "/doc/" in href]
    assert order[0] == "Stad Gent"
    assert order.index("Stad Gent") < order.index("Agentschap Binnenlands Bestuur")
    _, one = html(client, "/search?q=sint-niklaas")
    assert "1 resultaat voor" in one.body and " resultaten voor" not in one.body
    assert "gevonden via: sint-niklaas" not in one.body  # the internal slug is not shown


def test_query_ui_default_query_has_the_dataset_prefixes_and_groups_examples(client):
    body = markup(client, "/sparql?lang=en")
    config = json.loads(body.split('id="kgraph-ui-config">', 1)[1].split("</script>", 1)[0])
    assert config["defaultQuery"].startswith(f"PREFIX kg: <{BASE}ns/kgraph#>")
    assert "?sub ?pred ?obj" not in config["defaultQuery"] and 'LANG(?chosen) = "en"' in config["defaultQuery"]
    assert config["prefixes"]["organisatie"] == f"{BASE}id/organisatie/"
    assert config["base"] == BASE and config["root"] == "/"
    groups = body.count('class="example-group"')
    assert 3 <= groups <= 5 and body.count('class="example"') == len(config["examples"])


def test_resource_json_ld_uses_a_compact_context(client):
    response = client.get("/doc/organisatie/gent.jsonld")
    document = json.loads(response.data)
    assert document["@context"]["kg"] == f"{BASE}ns/kgraph#" and document["@context"]["id"] == "@id"
    gent = next(n for n in document["@graph"] if n["id"] == "organisatie:gent")
    assert gent["label"]["nl"] == "Stad Gent"
    # The same triples as the N-Triples representation.
    compact = rdflib.Graph().parse(data=response.data, format="json-ld")
    plain = rdflib.Graph().parse(data=client.get("/doc/organisatie/gent.nt").data, format="nt")
    assert rdflib.compare.isomorphic(compact, plain)
