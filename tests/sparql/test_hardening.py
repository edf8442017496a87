"""Issue 10 points 1-3 and 11 on a real worker: nesting limits, escapes, FROM datasets, readable errors."""

from __future__ import annotations

import json

import pytest

from kgraph import querying
from kgraph.sparql import negotiation as n
from kgraph.sparql.errors import QuerySyntaxError, QueryTooComplex, UpdateNotAccepted
from kgraph.sparql.executor import Executor
from kgraph.sparql.policy import MAX_DEPTH_COST, analyse
from tests.live import make_release

JSON = {n.SOLUTIONS: "application/sparql-results+json", n.BOOLEAN: "application/sparql-results+json", n.GRAPH: "text/turtle"}
G = "http://example.org/g"


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    graphs = {f"{G}{g}": "".join(f"<http://example.org/s{g}-{i}> <http://example.org/p> \"{i}\" .\n" for i in range(5)) for g in range(2)}
    return make_release(tmp_path_factory.mktemp("hardening") / "release", graphs)


@pytest.fixture(scope="module")
def executor(release):
    with Executor(release / "store", workers=1, timeout=20, max_rows=1000) as ex:
        yield ex


# Each construct at the largest size the policy accepts: the engine must answer (no crash), and
# one more step must be refused before the engine sees it.
CONSTRUCTS = {
    "braces": lambda k: "SELECT * " + "{" * k + "}" * k,
    "parentheses": lambda k: "SELECT * { FILTER(" + "(" * k + "true" + ")" * k + ") }",
    "sub-selects": lambda k: "SELECT * " + "{ SELECT * " * k + "{}" + "}" * k,
    "exists": lambda k: "SELECT * { " + "FILTER EXISTS { " * k + "}" * k + " }",
    "not-chain": lambda k: "SELECT * { FILTER(" + "!" * k + "true) }",
    "or-chain": lambda k: "SELECT * { FILTER(" + "||".join(["true"] * k) + ") }",
    "union-chain": lambda k: "SELECT * { " + " UNION ".join(["{}"] * k) + " }",
    "bind-chain": lambda k: "SELECT * { " + " ".join(f"BIND({i} AS ?v{i})" for i in range(k)) + " }",
    "path-alternatives": lambda k: "SELECT * { ?s " + "|".join(["<http://p>"] * k) + " ?o }",
    "false-iri": lambda k: "SELECT * { FILTER(1<" + "(" * k + "1" + ")" * k + ">2) }",
}


def _largest_accepted(build) -> int:
    low, high = 1, MAX_DEPTH_COST * 2
    while low < high:  # the policy's answer is monotonic in k
        mid = (low + high + 1) // 2
        try:
            analyse(build(mid))
            low = mid
        except QueryTooComplex:
            high = mid - 1
    return low


@pytest.mark.parametrize("name", CONSTRUCTS)
def test_nesting_at_the_limit_runs_and_past_it_is_refused_with_the_position(executor, name):
    build = CONSTRUCTS[name]
    k = _largest_accepted(build)
    assert 100 <= k < MAX_DEPTH_COST * 2
    try:
        executor.query(build(k), JSON).close()  # answered (or a 400 syntax error), never a crash
    except QuerySyntaxError:
        pass
    with pytest.raises(QueryTooComplex, match=r"at line 1, column \d+"):
        executor.query(build(k + 1), JSON)
    with pytest.raises(QueryTooComplex):
        executor.query(build(5000), JSON)  # what crashed the worker before (exit 139)


@pytest.mark.parametrize("escape", [r"\U00110000", r"\uD800", r"\UFFFFFFFF"])
def test_escapes_outside_unicode_are_a_syntax_error_naming_line_and_column(executor, escape):
    text = f'SELECT * {{\n  BIND("x{escape}" AS ?v) }}'
    with pytest.raises(QuerySyntaxError) as caught:
        executor.query(text, JSON)
    assert (caught.value.line, caught.value.column) == (2, 10)
    assert "line 2, column 10" in str(caught.value) and escape in str(caught.value)


def _count(executor, text, **kw) -> int:
    body = json.loads(executor.query(text, JSON, **kw).read())
    return int(body["results"]["bindings"][0]["n"]["value"])


def test_from_selects_the_dataset_and_protocol_graphs_override_it(executor):
    everything = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert _count(executor, everything) == 10  # no dataset named: the union of the named graphs
    assert _count(executor, "SELECT (COUNT(*) AS ?n) FROM <urn:nothing> WHERE {?s ?p ?o}") == 0  # issue 10
    assert _count(executor, f"SELECT (COUNT(*) AS ?n) FROM <{G}1> WHERE {{?s ?p ?o}}") == 5
    assert _count(executor, f"SELECT (COUNT(*) AS ?n) FROM NAMED <{G}0> WHERE {{ GRAPH ?g {{?s ?p ?o}} }}") == 5
    assert _count(executor, f"SELECT (COUNT(*) AS ?n) FROM NAMED <{G}0> WHERE {{?s ?p ?o}}") == 0
    # default-graph-uri / named-graph-uri override FROM (SPARQL 1.1 Protocol 2.1.4)
    assert _count(executor, "SELECT (COUNT(*) AS ?n) FROM <urn:nothing> WHERE {?s ?p ?o}", default_graphs=[f"{G}0"]) == 5


def test_from_in_kgraph_query(release):
    import pyoxigraph as ox

    store = ox.Store.read_only(str(release / "store"))
    result = querying.run(store, "SELECT (COUNT(*) AS ?n) FROM <urn:nothing> WHERE {?s ?p ?o}", "http://example.org/")
    assert [s["n"].value for s in result] == ["0"]
    result = querying.run(store, f"SELECT (COUNT(*) AS ?n) FROM <{G}0> WHERE {{?s ?p ?o}}", "http://example.org/")
    assert [s["n"].value for s in result] == ["5"]


def test_syntax_error_shows_the_line_a_caret_and_words(executor):
    with pytest.raises(QuerySyntaxError) as caught:
        executor.query("SELECT * WHERE { ?s ?p }", JSON)
    message = str(caught.value)
    assert message.startswith("syntax error at line 1, column 24: ")
    assert "no object" in message and "a variable, an IRI, a literal or a blank node" in message
    assert "    SELECT * WHERE { ?s ?p }\n" + " " * 27 + "^" in message  # under the }
    assert "LATERAL" not in message and "[_]" not in message


def test_unknown_prefix_names_it_and_the_declared_ones(executor):
    with pytest.raises(QuerySyntaxError) as caught:
        executor.query("PREFIX ex: <http://x/> PREFIX foaf: <http://f/>\nSELECT * { ?s xx:p ?o }", JSON)
    message = str(caught.value)
    assert "the prefix xx: (in xx:p) is not declared; declared prefixes: ex:, foaf:" in message
    assert "line 2, column 15" in message and "\\u{" not in message


def test_an_update_sent_as_a_query_says_updates_are_not_accepted(executor, release):
    with pytest.raises(UpdateNotAccepted, match="updates are not accepted here.*DELETE"):
        executor.query("DELETE WHERE { ?s ?p ?o }", JSON)
    import pyoxigraph as ox

    store = ox.Store.read_only(str(release / "store"))
    with pytest.raises(querying.QueryError, match="updates are not accepted here.*INSERT"):
        querying.run(store, "PREFIX ex: <http://x/> INSERT DATA { ex:a ex:b ex:c }", "http://example.org/")
