"""The fragments' URL term syntax (kgraph.fragments.terms, no HTTP): what Comunica and @ldf/server
write is read back to the same term, and what is no term is refused naming the parameter."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kgraph.fragments import FragmentTermError, parse_pattern, parse_term, term_to_string
from kgraph.fragments.skolem import genid_prefix, skolemise

XSD = "http://www.w3.org/2001/XMLSchema#"

TERMS = [
    ox.NamedNode("http://www.kenniscentrumvlaamsesteden.be/Gedeelde%20%20documenten/2018/a.pdf"),
    ox.Literal("Stad Gent"),
    ox.Literal("ANPR-camera’s (City of Things)", language="nl"),
    ox.Literal("say \"hi\"@en", language="en-GB"),  # quotes and an @ inside the value
    ox.Literal("2018", datatype=ox.NamedNode(XSD + "gYear")),
    ox.Literal("354767.87", datatype=ox.NamedNode(XSD + "decimal")),
    ox.Literal("regel 1\nregel 2 " + "x" * 5000),
]


@pytest.mark.parametrize("term", TERMS, ids=lambda t: str(t)[:30])
def test_every_term_reads_back_as_written(term):
    assert parse_term("object", term_to_string(term)) == term


def test_angle_brackets_and_variables():
    assert parse_term("object", '"1"^^<http://www.w3.org/2001/XMLSchema#integer>') == ox.Literal("1", datatype=ox.NamedNode(XSD + "integer"))
    assert parse_term("subject", "<http://example.org/a>") == ox.NamedNode("http://example.org/a")
    for variable in ("", "?s", None):
        assert parse_term("subject", variable) is None


@pytest.mark.parametrize("parameter,value", [
    ("subject", "gent"), ("subject", '"Gent"'), ("object", '"open'), ("object", '"x"@1 2'),
    ("object", '"x"^^xsd'), ("object", '"x"junk'), ("predicate", "http://a b"), ("object", "?bad-name"),
    ("graph", "_:b0"),
])
def test_what_is_no_term_is_refused_naming_the_parameter(parameter, value):
    with pytest.raises(FragmentTermError) as caught:
        parse_pattern({parameter: value})
    assert caught.value.parameter == parameter
    assert str(caught.value).startswith(f"parameter {parameter!r}")


def test_skolem_iris_name_the_stores_blank_nodes():
    base = "https://example.org/"
    node = ox.BlankNode("c14n3")
    iri = skolemise(node, genid_prefix(base))
    assert iri == ox.NamedNode("https://example.org/.well-known/genid/c14n3")
    assert parse_pattern({"subject": iri.value}, genid_prefix(base)).subject == node
    assert parse_pattern({"object": iri.value}, genid_prefix(base)).object == node



def test_query_strings_are_read_and_written_as_werkzeug_and_quote_do():
    """The fast path's reading of a query string (first_values) is werkzeug's request.args.get,
    and Pattern's percent-encoding is quote(safe=""), on random text of every ASCII character,
    escapes good and bad, '+', repeated and empty parameters, and more than ASCII."""
    import random
    from urllib.parse import quote

    from werkzeug.wrappers import Request

    from kgraph.fragments.pattern import _quote
    from kgraph.web.fragment_views import first_values

    rnd = random.Random(5)
    pieces = ["subject", "object", "=", "&", "+", "%", "%2", "%41", "%C3%A9", "%FF", "%e2%82", "a", " ", "?", "\"", "é"]
    for _ in range(3000):
        query = "".join(rnd.choice(pieces) for _ in range(rnd.randrange(0, 12)))
        text = "".join(chr(rnd.randrange(0, 300)) for _ in range(rnd.randrange(0, 15)))
        assert _quote(text) == quote(text, safe="")
        if not query.isascii():
            continue
        args = Request({"QUERY_STRING": query, "REQUEST_METHOD": "GET"}).args
        expected = {name: args.get(name) for name in args}
        assert first_values(query) == expected, query
