"""The Linked Data pages in headless Chromium (Debian's), against the live server on the 2018 graph:
a person clicks from the home page to an organisation, to one of its events, and to the
relationship view, where vis-network draws the graph on a canvas. Screenshots are kept in
test-artifacts/screenshots/ (ld-home, ld-organisation, ld-event, ld-relations, ld-phone)."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.live]


def test_home_to_organisation_to_event_to_relationship_view(page, live_2018, screenshot):
    page.goto(f"{live_2018}/")
    assert page.locator("h1").count() == 1
    assert page.locator("ul.counts a[href$='/doc/organisatie/']").is_visible()
    assert page.locator("ol.timeline li").count() > 10
    screenshot(page, "ld-home")

    # Home -> the organisations' index (the count on the home page) -> Gent.
    page.click("ul.counts a[href$='/doc/organisatie/']")
    page.wait_for_url("**/doc/organisatie/")
    page.click("table.index a[href$='/doc/organisatie/gent']")
    page.wait_for_url("**/doc/organisatie/gent")
    heading = page.locator("h1").inner_text()
    assert heading in ("Stad Gent", "City of Ghent")  # the browser's locale picks the language
    assert page.locator("table.involvements a[href$='/doc/activiteit/city-of-things-databroker']").is_visible()
    screenshot(page, "ld-organisation")

    # Gent -> one of its events on the timeline.
    event = page.locator("ol.timeline a[href*='/doc/evenement/']").first
    event_href = event.get_attribute("href")
    event.click()
    page.wait_for_url(event_href)
    assert page.locator("h1").inner_text()
    assert page.locator("dl.properties").first.is_visible()
    screenshot(page, "ld-event")

    # Back to Gent -> the relationship view, drawn by vis-network on a canvas.
    page.go_back()
    page.wait_for_url("**/doc/organisatie/gent")
    page.click("a[href$='/graph/organisatie/gent']")
    page.wait_for_url("**/graph/organisatie/gent")
    page.wait_for_selector("#relations[data-ready='true'] canvas")
    size = page.locator("#relations canvas").evaluate("c => [c.width, c.height]")
    assert size[0] > 100 and size[1] > 100
    # Something was drawn: the canvas is not blank.
    painted = page.locator("#relations canvas").evaluate(
        "c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        " let n = 0; for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) n++; } return n; }"
    )
    assert painted > 1000
    screenshot(page, "ld-relations")
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_search_from_the_home_page_and_keyboard_use(page, live_2018, screenshot):
    page.goto(f"{live_2018}/")
    # Keyboard: the first Tab reaches the skip link, Enter moves to the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    page.fill("#site-search", "sint niklaas")  # the one search box, in the site header
    page.press("#site-search", "Enter")
    page.wait_for_url("**/search?q=sint+niklaas*")
    page.click("ol.hits a[href$='/doc/organisatie/sint-niklaas']")
    page.wait_for_url("**/doc/organisatie/sint-niklaas")
    assert "Sint-Niklaas" in page.locator("h1").inner_text()


def test_pages_fit_a_phone_screen(page, live_2018, screenshot):
    page.set_viewport_size({"width": 375, "height": 740})
    for url in ("/", "/doc/organisatie/gent"):
        page.goto(f"{live_2018}{url}")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (url, overflow)
    screenshot(page, "ld-phone")
