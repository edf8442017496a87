"""Content negotiation: q-values, specificity, real clients' Accept headers, the format parameter."""

from __future__ import annotations

import pytest

from kgraph.web import negotiation as n
from kgraph.web.negotiation import BOOLEAN, GRAPH, SERVICE_DESCRIPTION, SOLUTIONS, choose, negotiate

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
# SPARQLWrapper 2.0's Accept headers per returnFormat (SPARQLWrapper/Wrapper.py, _getAcceptHeader)
SW_JSON = "application/sparql-results+json,application/json,text/javascript,application/javascript"
SW_XML = "application/sparql-results+xml"
SW_CSV = "text/csv"
SW_TSV = "text/tab-separated-values"
SW_TURTLE = "application/turtle,text/turtle"
SW_N3 = "application/turtle,text/turtle,text/rdf+n3,application/n-triples,application/n3,text/n3"
SW_RDFXML = "application/rdf+xml"
SW_JSONLD = "application/ld+json,application/x-json+ld"
CURL = "*/*"


@pytest.mark.parametrize(
    "accept, kind, expected",
    [
        (CURL, SOLUTIONS, "application/sparql-results+json"),
        (None, SOLUTIONS, "application/sparql-results+json"),
        ("", BOOLEAN, "application/sparql-results+json"),
        (CURL, GRAPH, "text/turtle"),
        (BROWSER, SOLUTIONS, "application/sparql-results+xml"),  # application/xml;q=0.9 beats */*;q=0.8
        (BROWSER, GRAPH, "application/rdf+xml"),
        (SW_JSON, SOLUTIONS, "application/sparql-results+json"),
        (SW_JSON, BOOLEAN, "application/sparql-results+json"),
        (SW_XML, SOLUTIONS, "application/sparql-results+xml"),
        (SW_XML, BOOLEAN, "application/sparql-results+xml"),
        (SW_CSV, SOLUTIONS, "text/csv"),
        (SW_TSV, SOLUTIONS, "text/tab-separated-values"),
        (SW_TURTLE, GRAPH, "text/turtle"),
        (SW_N3, GRAPH, "text/turtle"),
        (SW_RDFXML, GRAPH, "application/rdf+xml"),
        (SW_JSONLD, GRAPH, "application/ld+json"),
        ("application/n-quads", GRAPH, "application/n-quads"),
        ("application/trig", SERVICE_DESCRIPTION, "application/trig"),
        ("text/plain", GRAPH, "application/n-triples"),
    ],
)
def test_real_clients(accept, kind, expected):
    assert negotiate(kind, accept) == expected


def test_q_values_decide():
    assert negotiate(SOLUTIONS, "application/sparql-results+json;q=0.5, text/csv") == "text/csv"
    assert negotiate(SOLUTIONS, "text/csv;q=0.2, application/sparql-results+xml;q=0.7") == "application/sparql-results+xml"


def test_specificity_beats_wildcards_at_equal_q():
    # text/* and */* at q=1 still lose to the explicitly named type
    assert negotiate(SOLUTIONS, "*/*, text/*, text/tab-separated-values") == "text/tab-separated-values"
    # the most specific range sets the q-value: text/csv;q=0 excludes CSV even though text/* allows text
    assert negotiate(SOLUTIONS, "text/*, text/csv;q=0") == "text/tab-separated-values"


def test_q_zero_excludes_and_nothing_acceptable_is_none():
    assert negotiate(SOLUTIONS, "application/sparql-results+json;q=0, */*;q=0") is None
    assert negotiate(SOLUTIONS, "image/png") is None
    assert negotiate(BOOLEAN, "image/png") is None
    assert negotiate(GRAPH, "application/sparql-results+json") is None


def test_malformed_accept_elements_are_ignored():
    assert negotiate(SOLUTIONS, "garbage, text/csv;q=abc, text/tab-separated-values") == "text/tab-separated-values"


@pytest.mark.parametrize(
    "values, kind, expected",
    [
        (["json"], SOLUTIONS, "application/sparql-results+json"),
        (["json"], GRAPH, "application/ld+json"),
        (["xml"], GRAPH, "application/rdf+xml"),
        (["csv"], SOLUTIONS, "text/csv"),
        (["tsv", "text/tab-separated-values"], SOLUTIONS, "text/tab-separated-values"),  # SPARQLWrapper repeats it
        (["rdf+xml", "application/rdf+xml"], GRAPH, "application/rdf+xml"),
        (["json-ld", "application/ld+json"], GRAPH, "application/ld+json"),
        (["turtle"], GRAPH, "text/turtle"),
        (["nt"], GRAPH, "application/n-triples"),
        (["application/n-quads"], GRAPH, "application/n-quads"),
        (["trig"], GRAPH, "application/trig"),
        (["csv"], GRAPH, None),
        (["nonsense"], SOLUTIONS, None),
    ],
)
def test_format_parameter_overrides_accept(values, kind, expected):
    assert negotiate(kind, "text/csv", values) == expected


def test_choose_is_pure_over_any_offer_list():
    assert choose("text/html;q=0.5, */*;q=0.1", ["a/b", "text/html"]) == "text/html"
    assert choose("*/*", ["a/b", "text/html"]) == "a/b"  # tie: server order
    assert choose("text/*", ["a/b"]) is None


def test_wants_html_only_for_browsers():
    assert n.wants_html(BROWSER)
    assert not n.wants_html(CURL)
    assert not n.wants_html(None)
    assert not n.wants_html("text/turtle")


def test_ask_results_are_offered_in_csv_and_tsv_as_jena_writes_them():
    assert negotiate(BOOLEAN, "text/csv") == "text/csv"
    assert negotiate(BOOLEAN, "text/tab-separated-values") == "text/tab-separated-values"
    assert negotiate(BOOLEAN, "text/csv", ["csv"]) == "text/csv"


def test_media_type_parameters_other_than_q_do_not_stop_a_match():
    assert negotiate(GRAPH, "text/turtle; charset=utf-8") == "text/turtle"
    assert negotiate(SOLUTIONS, "text/csv;charset=utf-8;q=0.9, application/sparql-results+xml;q=0.5") == "text/csv"


def test_every_canonical_type_has_a_serialiser():
    for kind, offered in n.OFFERS.items():
        assert offered
        for media_type in offered:
            assert n.serialiser_name(n.canonical(media_type, kind))
