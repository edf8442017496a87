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
    f"SELECT * WHERE {{ SERVICE <\\u0068ttp://127.0.0.1:9/evil> {{ ?s ?p ?o }} }}",  # escape inside the IRI
    f"SELECT * {{ SERVICEsilent<{EVIL}> {{ }} }}",  # pyoxigraph reads keywords glued to what follows
    f"PREFIX ex: <{EVIL}/> SELECT * {{ SERVICEex:x {{ }} }}",
    f"PREFIX : <{EVIL}/> SELECT * {{ service:x {{ }} }}",
    f"PREFIX : <{EVIL}/> SELECT * {{ SERVICE SILENT:x {{ }} }}",
    "SELECT * { SERVICE <relative> { } }",  # resolved against the request's base: could be anything
    "SELECT * { SERVICE <http://a/> { ?s ?p ?o OPTIONAL { SERVICE <http://b/> { ?s ?q ?r } } } }",
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
    "SELECT * { " + " ".join(f"?s <http://p{i}> ?o ." for i in range(100)) + " } # load",  # was a RecursionError
    "PREFIX service: <http://example.org/> PREFIX : <http://x/> SELECT * { ?s service:load ?o }",
    "PREFIX : <http://x/> SELECT * { GRAPH service:g { ?s ?p ?o } }",
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


def test_targets_are_found_nested_with_keyword_and_position():
    analysis = guard.check(f"PREFIX e: <{EVIL}/> SELECT * {{ {{ SELECT * {{ OPTIONAL {{ SERVICE e:s {{ ?s ?p ?o }} }} }} }} }}",
                           allowlist=(f"{EVIL}/s",))
    assert [(t.keyword, t.iri, t.line) for t in analysis.targets] == [("SERVICE", f"{EVIL}/s", 1)]
    load = guard.check(f"CLEAR ALL ;\n LOAD <{EVIL}> INTO GRAPH <http://g>", allowlist=(EVIL,), is_update=True)
    assert [(t.keyword, t.iri, t.line, t.column) for t in load.targets] == [("LOAD", EVIL, 2, 7)]


def test_refusal_names_keyword_target_and_position():
    with pytest.raises(ForbiddenOperation, match=r"SERVICE <http://127\.0\.0\.1:9/evil> at line 2, column 11"):
        guard.check(f"SELECT *\n{{ SERVICE <{EVIL}> {{ }} }}")


def test_codepoint_escapes_outside_strings_are_not_keywords_to_the_engine():
    # pyoxigraph 0.5 applies \\u escapes only inside strings and IRIs: if an upgrade changed
    # that, the lexer would no longer read texts as the engine does, and this test would say so.
    import pyoxigraph as ox

    text = f"SELECT * WHERE {{ \\u0053ERVICE <{EVIL}> {{ ?s ?p ?o }} }}"
    with pytest.raises(SyntaxError):
        ox.Store().query(text)
    guard.check(text)  # not a SERVICE to the engine, so not one to the guard


def test_lexer_ignores_comments_strings_iris_and_language_tags():
    from kgraph.sparql.lexer import tokenize

    tokens = list(tokenize("SELECT # SERVICE\n ?s { ?s <http://x/#SERVICE> 'SERVICE', \"x\"@load, _:load }"))
    assert [t.text for t in tokens if t.kind == "word"] == ["SELECT"]
    assert [t.kind for t in tokens if "load" in t.text] == ["langtag", "bnode"]
