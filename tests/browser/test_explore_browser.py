"""The network explorer (issue 15 point 1) in headless Chromium against the live 2018 server:
reached from the home page, drawn by vis-network, filtered (the drawn nodes follow the year and
role filters), a node searched and its side panel (partners ranked by shared activities,
measures, direct and through-network activities), the bipartite and timeline views, and the API
page's Swagger UI."""

from __future__ import annotations

import pytest
import requests

pytestmark = [pytest.mark.browser, pytest.mark.live]

ORG = "https://data.kenniscentrumvlaamsesteden.be/id/organisatie/"


def _drawn(page) -> int:
    page.wait_for_selector("#network[data-state='ready'] canvas")
    return page.evaluate("window.kgraphExplore.network.body.data.nodes.length")


def test_explorer_filters_search_and_panel(page, live_2018, screenshot):
    page.goto(f"{live_2018}/?lang=en")
    page.click("main a[href$='/explore']")
    page.wait_for_url("**/explore")
    everything = _drawn(page)
    expected = requests.get(live_2018 + "/explore/data.json").json()
    assert everything == len(expected["nodes"]) > 30
    screenshot(page, "explore-network")

    # A role filter: the drawing shows exactly the server's filtered view.
    trekker = "https://data.kenniscentrumvlaamsesteden.be/id/rol/trekker"
    page.select_option("#f-role", trekker)
    page.wait_for_function(f"window.kgraphExplore.network && window.kgraphExplore.network.body.data.nodes.length != {everything}")
    filtered = requests.get(live_2018 + "/explore/data.json", params={"role": trekker}).json()
    assert _drawn(page) == len(filtered["nodes"]) < everything
    page.select_option("#f-role", "")
    page.wait_for_function(f"window.kgraphExplore.network.body.data.nodes.length == {everything}")

    # Search the hub: the panel ranks its partners by shared activities and shows its measures.
    page.fill("#f-search", "Knowledge Centre of Flemish Cities")
    page.dispatch_event("#f-search", "change")
    page.wait_for_selector(f"#panel[data-selected='{ORG}kenniscentrum-vlaamse-steden'][data-state='ready']")
    shared = [int(x) for x in page.locator("#panel [data-part='partners'] li").evaluate_all("ls => ls.map(l => l.dataset.shared)")]
    assert len(shared) > 20 and shared == sorted(shared, reverse=True)
    degree = int(page.locator("#panel dd[data-measure='degree']").inner_text())
    assert degree == len(shared)
    screenshot(page, "explore-panel-hub")

    # Gent by clicking in the panel's data: 5 activities directly, 5 through the central cities.
    page.evaluate(f"window.kgraphExplore.network.body.emitter.emit('click', {{nodes: ['{ORG}gent']}})")
    page.wait_for_selector(f"#panel[data-selected='{ORG}gent'][data-state='ready']")
    assert page.locator("#panel [data-part='activities'] li").count() == 5
    assert page.locator("#panel [data-part='through'] li").count() == 5
    assert "Central cities" in page.locator("#panel [data-part='through']").inner_text()

    # Bipartite and timeline views.
    page.click("button[data-view='bipartite']")
    page.wait_for_function("window.kgraphExplore.view == 'bipartite'")
    bipartite = requests.get(live_2018 + "/explore/data.json", params={"view": "bipartite", "lang": "en"}).json()
    page.wait_for_function(f"window.kgraphExplore.network && window.kgraphExplore.network.body.data.nodes.length == {len(bipartite['nodes'])}")
    page.click("button[data-view='timeline']")
    page.wait_for_selector("#timeline[data-state='ready'] table")
    assert page.locator("#timeline tbody tr").count() == 13  # twelve months and "without a month"
    screenshot(page, "explore-timeline")
    assert page.console_errors == []


def test_api_page_draws_swagger_ui(page, live_2018):
    page.goto(f"{live_2018}/api/")
    page.wait_for_selector("#swagger-ui[data-state='ready'] .opblock")
    assert page.locator("#swagger-ui .opblock").count() >= 20
    assert page.console_errors == []


def test_hub_relationship_view_is_readable_and_filtered(page, live_2018, screenshot):
    hub = "kenniscentrum-vlaamse-steden"
    page.goto(f"{live_2018}/graph/organisatie/{hub}?lang=en")
    page.wait_for_selector("#relations[data-ready='true'] canvas")
    ego = requests.get(f"{live_2018}/explore/ego/{hub}.json").json()
    assert len(ego["nodes"]) == 26 and ego["left_out"]["partners"] == ego["left_out"]["total_partners"] - 25 > 0
    shared = [n["shared"] for n in ego["nodes"][1:]]
    assert shared == sorted(shared, reverse=True)  # the partners it shares most with, not a hairball of all
    screenshot(page, "relations-hub")
    page.select_option("#relation-filters select[name='role']", "https://data.kenniscentrumvlaamsesteden.be/id/rol/trekker")
    page.click("#relation-filters button[type='submit']")
    page.wait_for_url("**role=**")
    page.wait_for_selector("#relations[data-ready='true'] canvas")
    source = page.locator("#relations").get_attribute("data-source")
    assert "role=" in source
    filtered = requests.get(source).json()
    assert len(filtered["nodes"]) < len(ego["nodes"])


def test_query_ui_has_input_fields_for_param_queries(page, live_2018):
    page.goto(f"{live_2018}/sparql")
    page.click("button.example[data-name='activiteiten-van-stad']")
    field = page.locator("#query-params input[name='city']")
    assert field.input_value() == "organisatie:gent" and field.get_attribute("data-type") == "iri"
    field.fill("organisatie:leuven")
    page.click("#query-params button[type='submit']")
    page.wait_for_selector("#query-params-result[data-rows] table")
    lang = page.evaluate("document.documentElement.lang")  # the page's language (the browser's: English)
    expected = requests.get(live_2018 + "/api/queries/activiteiten-van-stad",
                            params={"city": "organisatie:leuven", "lang": lang}).json()
    assert int(page.locator("#query-params-result").get_attribute("data-rows")) == len(expected["rows"]) > 0
    assert "organisatie/leuven" in page.locator("#query-params-result").inner_text()
    # The labels in the page's language: the answer shown is the API's in that language.
    assert expected["rows"][0]["activityLabel"] in page.locator("#query-params-result").inner_text()
    suffix = "activiteiten-van-stad.csv?city=organisatie%3Aleuven" + ("&lang=en" if lang == "en" else "")
    assert page.locator("#query-params-csv").get_attribute("href").endswith(suffix)
    field.fill("not an iri > }")
    page.click("#query-params button[type='submit']")
    page.wait_for_selector("#query-params-error:not([hidden])")
    assert "city" in page.locator("#query-params-error").inner_text()
    # A query without parameters hides the form.
    page.click("button.example[data-name='aantallen']")
    assert page.locator("#query-params").is_hidden()
