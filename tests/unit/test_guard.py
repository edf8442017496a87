"""The SERVICE / LOAD guard: tricky spellings must not slip past, harmless mentions must pass."""

from __future__ import annotations

import pytest

from kgraph.sparql import guard
from kgraph.sparql.guard import ForbiddenOperation

EVIL = "http://127.0.0.1:9/evil"

REFUSED_QUERIES = [
    f"SELECT * WHERE {{ SERVICE <{EVIL}> {{ ?s ?p ?o }} }}",
    f"select * where {{ service silent <{EVIL}> {{ ?s ?p ?o }} }}",
    f"SeLeCt * {{ SeRvIcE <{EVIL}> {{ ?s ?p ?o }} }}",
    f"PREFIX e: <{EVIL}/> SELECT * {{ SERVICE e:x {{ ?s ?p ?o }} }}",
    f"PREFIX : <{EVIL}/> SELECT * {{ SERVICE :x {{ ?s ?p ?o }} }}",
    f"BASE <{EVIL}/> SELECT * {{ SERVICE <relative> {{ ?s ?p ?o }} }}",
    f"SELECT * {{ {{ SELECT * {{ SERVICE <{EVIL}> {{ ?s ?p ?o }} }} }} }}",
    f"SELECT * {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{EVIL}> {{ ?s ?p ?o }} }} }}",
    f"SELECT * {{ OPTIONAL {{ GRAPH ?g {{ SERVICE <{EVIL}> {{ ?s ?p ?o }} }} }} }}",
    "SELECT * { SERVICE ?endpoint { ?s ?p ?o } }",
    f"SELECT * {{ ?s ?p ?o FILTER(?o < 3) SERVICE <{EVIL}> {{ }} }}",
    f"SELECT * {{ ?s ?p \"a # not a comment\" . SERVICE <{EVIL}> {{ }} }}",
    f'SELECT * {{ ?s ?p """multi\nline \\""" string""" . SERVICE <{EVIL}> {{ }} }}',
    f"SELECT * WHERE {{ \\u0053ERVICE <{EVIL}> {{ ?s ?p ?o }} }}",  # codepoint escape spelling a keyword
    f"SELECT * # comment\n WHERE {{ SERVICE\n# between\n<{EVIL}> {{ ?s ?p ?o }} }}",
]

HARMLESS_QUERIES = [
    "ASK {}",
    f"SELECT * {{ # SERVICE <{EVIL}>\n ?s ?p ?o }}",
    f'SELECT * {{ ?s ?p "SERVICE <{EVIL}> {{}}" }}',
    f"SELECT * {{ ?s ?p '''LOAD <{EVIL}>''' }}",
    "SELECT * { ?s <http://example.org/SERVICE> ?o }",
    "PREFIX service: <http://example.org/> SELECT * { ?s service:load ?o }",
    "SELECT ?service ?load { ?service ?load ?o }",
    'SELECT * { ?s ?p ?o FILTER(CONTAINS(?o, "download")) }',
]


@pytest.mark.parametrize("text", REFUSED_QUERIES)
def test_service_refused(text):
    with pytest.raises(ForbiddenOperation):
        guard.check(text, allowlist=())


@pytest.mark.parametrize("text", HARMLESS_QUERIES)
def test_harmless_mentions_pass(text):
    guard.check(text, allowlist=())


@pytest.mark.parametrize(
    "text",
    [
        f"LOAD <{EVIL}>",
        f"load silent <{EVIL}> into graph <http://example.org/g>",
        f"PREFIX e: <{EVIL}/> LOAD e:data",
        f"CLEAR ALL ; LOAD <{EVIL}>",
        f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{EVIL}> {{ ?s ?p ?o }} }}",
    ],
)
def test_load_and_service_in_updates_refused(text):
    with pytest.raises(ForbiddenOperation):
        guard.check(text, allowlist=(), is_update=True)


def test_harmless_updates_pass():
    guard.check("INSERT DATA { <http://a> <http://b> 'LOAD <http://x>' }", is_update=True)
    guard.check("CLEAR ALL", is_update=True)


def test_allowlisted_targets_pass():
    allowed = ("https://query.wikidata.org/sparql",)
    guard.check("SELECT * { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }", allowed)
    guard.check("PREFIX w: <https://query.wikidata.org/> SELECT * { SERVICE w:sparql { ?s ?p ?o } }", allowed)
    guard.check("LOAD <https://query.wikidata.org/sparql>", allowed, is_update=True)
    with pytest.raises(ForbiddenOperation):  # one allowed, one not: refused
        guard.check(
            f"SELECT * {{ SERVICE <https://query.wikidata.org/sparql> {{ ?s ?p ?o }} SERVICE <{EVIL}> {{ }} }}", allowed
        )


def test_structural_layer_finds_nested_service_on_its_own():
    targets = guard._structural_targets(
        f"PREFIX e: <{EVIL}/> SELECT * {{ {{ SELECT * {{ OPTIONAL {{ SERVICE e:s {{ ?s ?p ?o }} }} }} }} }}", False
    )
    assert [t.iri for t in targets] == [f"{EVIL}/s"]
    load = guard._structural_targets(f"CLEAR ALL ; LOAD <{EVIL}> INTO GRAPH <http://g>", True)
    assert [(t.keyword, t.iri) for t in load] == [("LOAD", EVIL)]


def test_unparseable_text_mentioning_service_is_refused():
    # rdflib cannot check it, so it is not passed on (even if another parser might accept it)
    with pytest.raises(ForbiddenOperation):
        guard.check("SELECT * { ?s ?p 'service' . FILTER( }")


def test_lexer_ignores_comments_strings_and_iris():
    kinds = [k for k, _ in guard.tokens("SELECT # SERVICE\n ?s { ?s <http://x/#SERVICE> 'SERVICE' }")]
    assert kinds.count("word") == 1  # only SELECT
