"""Every kind of page as a person sees it, in headless Chromium against the live server on the 2018
graph: at 1400 and 390 px, in Dutch and in English, with a screenshot of each kept in
test-artifacts/screenshots/tour-<kind>-<lang>-<width>.png, and axe-core's accessibility check.

What is asserted on each: the site navigation and the search box are visible; the page is in the
chosen language (html lang, the language switch offers the other one, a label known to be on the
page in that language is visible); at 390 px nothing is wider than the screen; no console errors.
One Chromium for the session (tests/browser/conftest.py), one tab per test, one page per kind.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.live]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (1400, 390)

# kind -> (path, text visible in Dutch, text visible in English)
PAGES: dict[str, tuple[str, str, str]] = {
    "home": ("/", "Wat de dataset bevat", "What the dataset holds"),
    "lists": ("/doc/", "Lijsten van de dataset", "Lists of the dataset"),
    "index": ("/doc/activiteit/", "Filter op soort", "Filter by kind"),
    "organisation": ("/doc/organisatie/gent", "Stad Gent", "City of Ghent"),
    "activity": ("/doc/activiteit/werkgroep-obmi", "Deelnemers en rollen", "Participants and roles"),
    "event": ("/doc/evenement/stad-in-cijfers-websites-online-2018-10-15", "mijlpaal", "milestone"),
    "section": ("/doc/sectie/jaarverslag-2018-03", "Zo citeer je deze gegevens", "How to cite this data"),
    "search": ("/search?q=gent", "Zoekresultaten", "Search results"),
    "relations": ("/graph/organisatie/gent", "Samenwerkingen van Stad Gent", "Relationships of City of Ghent"),
    "sparql": ("/sparql", "Voorbeeldvragen", "Example queries"),
    "catalog": ("/catalog", "Distributies", "Distributions"),
    "dumps": ("/dumps/", "Bestand", "File"),
    "vocabulary": ("/ns/kgraph", "evenement", "event"),
    "not-found": ("/doc/organisatie/bestaat-niet", "Niet gevonden", "Not found"),
}
OTHER = {"nl": "English", "en": "Nederlands"}


def _settle(page, kind: str) -> None:
    if kind == "sparql":
        page.wait_for_selector(".yasqe .CodeMirror")
    if kind == "relations":
        page.wait_for_selector("#relations[data-ready='true'] canvas")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_kind_of_page_at_desktop_and_phone_width(page, live_2018, screenshot, lang):
    for kind, (path, dutch, english) in PAGES.items():
        sep = "&" if "?" in path else "?"
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{live_2018}{path}{sep}lang={lang}")
            _settle(page, kind)
            where = f"{kind} {lang} {width}px"
            assert page.locator("html").get_attribute("lang") == lang, where
            assert page.locator("header.site nav.site-nav").is_visible(), where
            assert page.locator("header.site input[name=q]").is_visible(), where
            assert page.locator("form[role=search]").count() == 1, where  # one search box per page
            assert page.locator("#language-switch").inner_text().strip() == OTHER[lang], where
            expected = english if lang == "en" else dutch
            assert page.get_by_text(expected, exact=False).first.is_visible(), (where, expected)
            if width == 390:
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 0, (where, overflow)
            # The long pages (the vocabulary is ~100 KB of pyLODE) as the window shows them: a
            # full-page capture of them is slow on a loaded machine and adds nothing to the check.
            screenshot(page, f"tour-{kind}-{lang}-{width}", full_page=kind not in ("vocabulary", "sparql"))
        errors = page.console_errors  # type: ignore[attr-defined]
        if kind == "not-found":  # the page itself answers 404 by design; Chromium logs that
            errors = [e for e in errors if "404 (NOT FOUND)" not in e]
        assert [e for e in errors if "favicon" not in e] == [], kind
        page.console_errors.clear()  # type: ignore[attr-defined]


def test_language_choice_sticks_across_clicks(page, live_2018):
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{live_2018}/")
    start = page.locator("html").get_attribute("lang")  # en-GB browser: English
    other = "nl" if start == "en" else "en"
    page.click("#language-switch")
    page.wait_for_function(f"document.documentElement.lang === '{other}'")
    # The next clicks, through the header, stay in the chosen language: the query UI included.
    for selector in ("header.site a[href*='/doc/organisatie/']", "table.index a[href*='/doc/organisatie/gent']",
                     "header.site a[href*='/sparql']"):
        page.click(selector)
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == other, selector
    page.goto(f"{live_2018}/catalog")  # typed in the address bar: the cookie keeps it
    assert page.locator("html").get_attribute("lang") == other


def test_the_query_of_a_page_opens_filled_in_in_the_query_ui(page, live_2018):
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{live_2018}/doc/organisatie/gent")
    with page.expect_navigation():
        page.click("#query-link")
    assert "/sparql" in page.url
    page.wait_for_selector(".yasqe .CodeMirror")
    query = page.evaluate("window.kgraphYasgui.getTab().getQuery()")
    assert query.startswith("PREFIX rdfs:") and "id/organisatie/gent>" in query and "CONSTRUCT" in query


@pytest.mark.skipif(not AXE.is_file(), reason="axe-core not installed: npm ci")
def test_axe_finds_no_serious_or_critical_violation_on_any_kind_of_page(page, live_2018):
    found = {}
    for kind, (path, _, _) in PAGES.items():
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{live_2018}{path}")
            _settle(page, kind)
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate(
                "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
                ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))"
            )
            if violations:
                found[f"{kind} {width}px"] = violations
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in found.items())
