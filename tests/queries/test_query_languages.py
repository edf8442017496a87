"""Named queries in the reader's language (issue 17 point 8): the `# labels:` variables of a query
come back in English when English is asked for, with the same rows; texts that exist only in
Dutch stay Dutch. In-process on the built store, then through the live API and query UI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import requests

from kgraph.named_queries import CatalogueError, load_catalogue, parse_query_file
from kgraph.querying import bindings_for, run

BASE = "https://data.kenniscentrumvlaamsesteden.be/"
QUERIES = Path(__file__).resolve().parents[2] / "queries"


def _answer(store, query, lang):
    solutions = run(store, query.text(BASE, lang), BASE, bindings_for(query, {}, BASE))
    names = [variable.value for variable in solutions.variables]
    return [{name: solution[name] for name in names} for solution in solutions]


@pytest.fixture(scope="module")
def catalogue(project_settings):
    return load_catalogue(project_settings.queries_dir)


@pytest.mark.parametrize("name", sorted(load_catalogue(QUERIES)))
def test_labels_follow_the_language_with_the_same_rows(store, catalogue, name):
    query = catalogue[name]
    if not query.labels:  # no label variable, or every label asked in both languages already
        assert query.text(BASE, "en") == query.text(BASE, "nl")
        return
    dutch, english = _answer(store, query, "nl"), _answer(store, query, "en")
    assert len(english) == len(dutch) > 0
    assert english != dutch  # some label changed language
    for name_ in query.labels:
        for row in english:
            term = row.get(name_)
            if term is not None:  # a projected label variable: English, never Dutch
                assert term.language == "en", (name, name_, term)
    assert query.text(BASE, "nl") == query.text(BASE)  # Dutch is the default, as in the report


def test_every_rdfs_label_the_queries_show_exists_in_english(store):
    """Why the listed variables can follow the language: no resource has a Dutch label without an English one."""
    (row,) = store.query('SELECT (COUNT(*) AS ?n) WHERE { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?l '
                         'FILTER(LANG(?l) = "nl") FILTER NOT EXISTS { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?e '
                         'FILTER(LANG(?e) = "en") } }', use_default_graph_as_union=True)
    assert int(row["n"].value) == 0


def test_dutch_only_texts_are_not_listed(catalogue):
    documents = catalogue["documenten-per-activiteit"]
    assert "title" not in documents.labels and 'LANG(?title) = "nl"' in documents.text(BASE, "en")


def test_a_label_variable_without_its_language_filter_is_refused(tmp_path):
    path = tmp_path / "bad.rq"
    path.write_text('# title: t\n# title@en: t\n# description: d\n# description@en: d\n# labels: nameLabel\n'
                    'SELECT ?nameLabel WHERE { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?nameLabel }\n')
    with pytest.raises(CatalogueError, match=r"bad\.rq:5: label variable 'nameLabel'"):
        parse_query_file(path)


def test_the_api_answers_in_the_language_asked(live_2018):
    url = live_2018 + "/api/queries/trekkers"
    dutch = requests.get(url, params={"limit": 1000}).json()
    english = requests.get(url, params={"limit": 1000, "lang": "en"}).json()
    assert [r["activity"] for r in english["rows"]] == [r["activity"] for r in dutch["rows"]]
    labels = {r["activity"]: r["activityLabel"] for r in dutch["rows"]}
    assert any(r["activityLabel"] != labels[r["activity"]] for r in english["rows"])
    tag = requests.get(url, params={"lang": "en"}, headers={"Accept": "application/json"}).headers["ETag"]
    assert tag != requests.get(url, headers={"Accept": "application/json"}).headers["ETag"]
    refused = requests.get(url, params={"lang": "fr"})
    assert refused.status_code == 400 and "'lang'" in refused.text


def test_the_query_ui_examples_are_in_the_page_language(live_2018):
    def example(lang):
        page = requests.get(live_2018 + "/sparql", params={"lang": lang}, headers={"Accept": "text/html"}).text
        config = re.search(r'<script[^>]*id="kgraph-ui-config"[^>]*>(.*?)</script>', page, re.S)
        assert config, "the query page carries its configuration"
        examples = json.loads(config.group(1))["examples"]
        return next(e["query"] for e in examples if e["name"] == "trekkers")
    assert 'LANG(?activityLabel) = "en"' in example("en")
    assert 'LANG(?activityLabel) = "nl"' in example("nl")
