"""One answer to one question (issue 15 point 5): for every organisation, its page lists the
activities it took part in directly and, apart, those it took part in through a network it is a
member of, and both lists are the named query activiteiten-van-stad's answer for it (column 'via'
empty / naming the network). Gent: 5 directly, 5 through the central cities."""

from __future__ import annotations

import pytest
import requests

from kgraph.linkeddata import Context, Vocabulary, parse_ref, resource_page
from kgraph.named_queries import load_catalogue
from kgraph.query_source import StoreSource
from kgraph.querying import bindings_for, run

BASE = "https://data.kenniscentrumvlaamsesteden.be/"


@pytest.fixture(scope="module")
def ctx(store):
    source = StoreSource(store)
    return Context(source, BASE, Vocabulary.load(source))


def _organisations(store) -> list[str]:
    rows = store.query("SELECT ?o WHERE { ?o a <http://www.w3.org/ns/org#Organization> } ORDER BY ?o",
                       use_default_graph_as_union=True)
    return [r["o"].value for r in rows]


def test_every_organisation_page_agrees_with_the_named_query(ctx, store, project_settings):
    query = load_catalogue(project_settings.queries_dir)["activiteiten-van-stad"]
    organisations = _organisations(store)
    assert len(organisations) >= 40
    for iri in organisations:
        rows = list(run(store, query.text(BASE), BASE, bindings_for(query, {"city": f"<{iri}>"}, BASE)))
        page = resource_page(ctx, parse_ref("organisatie", iri.rsplit("/", 1)[-1]), "nl")
        direct = {r["activity"].value for r in rows if r["via"] is None}
        through = {(r["activity"].value, r["via"].value) for r in rows if r["via"] is not None}
        assert {i.activity.iri for i in page.involvements} == direct, iri
        assert {(t.activity.iri, t.network.iri) for t in page.through_networks} == through, iri


def test_gent_page_says_which_is_which(live_2018):
    html = requests.get(live_2018 + "/doc/organisatie/gent.html", headers={"Accept-Language": "en"}).text
    direct, _, through = html.partition('id="through-networks"')
    assert direct.split('class="involvements"')[1].split("</table>")[0].count("<tr>") - 1 == 5  # less the header row
    assert through.split("</table>")[0].count("<tr>") - 1 == 5
    assert "Through a network" in html and "/doc/organisatie/centrumsteden" in through
