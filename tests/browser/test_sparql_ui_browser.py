"""The query UI in headless Chromium against the live server on the 2018 graph: a person types a
query into YASGUI, runs it and reads the rows of the result table; the examples open in new tabs."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.live]

CENTRAL_CITIES = """PREFIX kg: <https://data.kenniscentrumvlaamsesteden.be/ns/kgraph#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?city ?label ?nis WHERE {
  ?city a kg:CentralCity ; kg:nisCode ?nis ; rdfs:label ?label .
  FILTER(LANG(?label) = "nl")
} ORDER BY ?nis"""


def open_ui(page, base_url: str) -> None:
    page.goto(f"{base_url}/sparql")
    page.wait_for_selector(".yasqe .CodeMirror")


def type_query(page, text: str) -> None:
    """Replace the editor's text the way a person does: click, select all, type."""
    page.click(".yasqe .CodeMirror-lines")
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    # insert_text types the whole text as one input event: CodeMirror would otherwise re-indent
    # every typed line, which changes nothing in the query but makes the test slow.
    page.keyboard.insert_text(text)


def result_rows(page) -> list[list[str]]:
    """The cells of the result table of the tab on show (hidden tabs keep their own tables)."""
    rows = page.locator(".yasr table.dataTable tbody tr:visible")
    rows.first.wait_for()
    return rows.evaluate_all(
        "rows => rows.map(r => Array.from(r.querySelectorAll('td')).map(td => td.innerText.trim()))"
    )


def run_query(page) -> None:
    """Press the run button of the tab on show and wait until YASR has drawn this query's result
    (its "drawn" event): the tab may still show the table of a query it ran before (YASGUI keeps
    a tab's last result), which result_rows would otherwise read (once: 50 rows of the default
    query instead of the 13 asked for)."""
    page.evaluate("""() => {
        window.kgraphTestDrawn = false;
        window.kgraphYasgui.getTab().getYasr().once("drawn", () => { window.kgraphTestDrawn = true; });
    }""")
    page.locator(".yasqe_queryButton:visible").click()
    page.wait_for_function("() => window.kgraphTestDrawn === true", timeout=30_000)


def test_typed_query_runs_and_shows_the_13_central_cities(page, live_2018, screenshot):
    open_ui(page, live_2018)
    assert page.evaluate("window.kgraphYasgui.getTab().getEndpoint()") == f"{live_2018}/sparql"
    type_query(page, CENTRAL_CITIES)
    assert page.evaluate("window.kgraphYasgui.getTab().getQuery()") == CENTRAL_CITIES
    run_query(page)
    rows = result_rows(page)
    screenshot(page, "sparql-ui-central-cities")
    assert len(rows) == 13
    text = "\n".join(" ".join(row) for row in rows)
    for expected in ("Stad Turnhout", "13040", "Stad Gent", "44021", "Stad Aalst"):
        assert expected in text
    # Rows are in NIS-code order as asked: Antwerpen (11002) first, Hasselt and Genk (71xxx) last.
    assert "11002" in " ".join(rows[0]) and "71022" in " ".join(rows[-1])
    assert not [e for e in page.console_errors if "favicon" not in e]


def test_example_query_opens_in_a_new_tab_and_answers(page, live_2018, screenshot):
    open_ui(page, live_2018)
    tabs_before = page.evaluate("Object.keys(window.kgraphYasgui._tabs).length")
    button = page.locator("#examples button.example[data-name='trekkers']")
    label = button.inner_text().strip()
    button.click()
    assert page.evaluate("Object.keys(window.kgraphYasgui._tabs).length") == tabs_before + 1
    assert page.evaluate("window.kgraphYasgui.getTab().getName()") == label
    query = page.evaluate("window.kgraphYasgui.getTab().getQuery()")
    assert query.startswith("BASE <https://data.kenniscentrumvlaamsesteden.be/>") and "rol:trekker" in query
    run_query(page)
    rows = result_rows(page)
    screenshot(page, "sparql-ui-example-trekkers")
    anpr = [row for row in rows if any("ANPR" in cell for cell in row)]
    assert anpr and any("Turnhout" in cell for cell in anpr[0]), anpr
