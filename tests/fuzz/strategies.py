"""Hypothesis strategies for hostile and careless requests: SPARQL-ish texts, protocol requests, and
requests to every route of kgraph.web.routes.ROUTES.

A request is a plain `FuzzRequest` (method, path with its query string, headers, body) that both
the Flask test client and a raw HTTP connection can send, so the same strategies drive both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from hypothesis import strategies as st

from kgraph.web.routes import ROUTES

# Echoed input that must never come back unescaped (tests/fuzz/checks.py looks for exactly this).
SCRIPT = '<script>alert("kg-fuzz")</script>'
SCRIPT_OPEN = SCRIPT[: SCRIPT.index(")") + 1]  # '<script>alert("kg-fuzz")': fits one path segment

METHODS = ("GET", "POST", "HEAD", "OPTIONS", "PUT")


@dataclass(frozen=True)
class FuzzRequest:
    """One HTTP request: `target` is the path plus its query string, percent-encoded as sent."""

    method: str
    target: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    notes: tuple[str, ...] = field(default=(), compare=False)

    def describe(self, limit: int = 300) -> str:
        """A short, readable form for failure messages and the report."""
        body = self.body[:limit].decode("utf-8", "backslashreplace")
        more = f"... ({len(self.body)} bytes)" if len(self.body) > limit else ""
        headers = ", ".join(f"{k}: {v[:80]}" for k, v in self.headers)
        return f"{self.method} {self.target[:limit]}{'...' if len(self.target) > limit else ''} [{headers}] {body!r}{more}"


# --- SPARQL-ish texts -------------------------------------------------------------------------

KEYWORDS = (
    "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "FROM", "NAMED", "GRAPH", "OPTIONAL", "UNION",
    "MINUS", "FILTER", "BIND", "VALUES", "SERVICE", "SILENT", "LOAD", "INTO", "CLEAR", "DROP", "INSERT",
    "DELETE", "DATA", "WITH", "USING", "PREFIX", "BASE", "LIMIT", "OFFSET", "ORDER BY", "GROUP BY",
    "HAVING", "DISTINCT", "REDUCED", "AS", "EXISTS", "NOT", "IN", "a", "service", "load", "SeRvIcE",
    "LATERAL", "COUNT(*)", "STR(", "REGEX(", "LANG(", "IRI(", "CONCAT(", "SUBSTR(", "UUID()",
)
PUNCTUATION = ("{", "}", "(", ")", ".", ";", ",", "*", "?", "$", "^^", "@", "|", "/", "!", "=", "&&", "+", "#", "\n", "\r\n")
ESCAPES = ("\\U00110000", "\\uD800", "\\uDFFF", "\\U0010FFFF", "\\u0000", "\\U7FFFFFFF", "\\uZZZZ", "\\", "\\n", "\\\"")
TERMS = (
    "?s", "?p", "?o", "?x", "$y", "<http://example.org/a>", "<>", "<urn:nothing>", "dcat:downloadURL",
    "rdfs:label", ":x", "_:b", "[]", "1", "1.5e3", "-0", "true", '"x"@nl', '"1"^^xsd:integer', '"},{"',
    '"a\r\nb"', '"""long\nstring"""', "'single'", "<http://127.0.0.1:1/>", SCRIPT,
)


def _string_literal(draw) -> str:
    inner = draw(st.lists(st.one_of(st.sampled_from(ESCAPES), st.sampled_from(("},{", "\r\n", "service", "load", "x"))),
                          max_size=4))
    return '"' + "".join(inner) + '"'


@st.composite
def keyword_soup(draw) -> str:
    """Keywords, punctuation, terms and escapes in any order: mostly syntax errors, some valid."""
    pieces = draw(st.lists(st.one_of(st.sampled_from(KEYWORDS), st.sampled_from(PUNCTUATION),
                                     st.sampled_from(TERMS), st.composite(_string_literal)()),
                           min_size=1, max_size=40))
    return " ".join(pieces)


@st.composite
def nested(draw) -> str:
    """Braces, parentheses or OPTIONAL groups nested up to 10,000 deep."""
    depth = draw(st.one_of(st.integers(1, 50), st.integers(1000, 3000), st.integers(4000, 10_000)))
    shape = draw(st.sampled_from(("braces", "parens", "optional", "service", "unbalanced")))
    if shape == "braces":
        return "SELECT * WHERE " + "{" * depth + " ?s ?p ?o " + "}" * depth
    if shape == "parens":
        return "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * depth + "?o" + ")" * depth + ") }"
    if shape == "optional":
        return "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o " * min(depth, 2000) + "}" * min(depth, 2000) + " }"
    if shape == "service":
        levels = min(depth, 500)
        return "SELECT * WHERE { " + "".join(f"SERVICE <http://a/{i}> {{ ?s ?p ?o OPTIONAL {{ " for i in range(levels)) \
            + "}}" * levels + " }"
    return "SELECT * WHERE " + "{" * depth + " ?s ?p ?o " + "}" * draw(st.integers(0, depth))


@st.composite
def big_values(draw) -> str:
    """VALUES and IN lists of up to a few thousand entries, sometimes with the word 'load' in a comment."""
    count = draw(st.integers(1, 4000))
    comment = draw(st.sampled_from(("", "# load <http://example.org/>\n", "# service\n")))
    if draw(st.booleans()):
        return comment + "SELECT ?x WHERE { VALUES ?x { " + " ".join(f'"v{i}"' for i in range(count)) + " } }"
    return comment + "SELECT ?s WHERE { ?s ?p ?o FILTER(?o IN (" + ", ".join(f'"v{i}"' for i in range(count)) + ")) } LIMIT 1"


@st.composite
def tricky_literals(draw) -> str:
    """Valid queries whose results hold `},{`, CRLF, quotes and escapes (row counting, serialisers)."""
    literal = draw(st.composite(_string_literal)())
    rows = draw(st.integers(1, 30))
    return ("SELECT ?x ?n WHERE { VALUES ?n { " + " ".join(str(i) for i in range(rows)) + " } "
            f'BIND(CONCAT("a}},{{b\\r\\nc", STR(?n), {literal}) AS ?x) }}')


@st.composite
def hidden_words(draw) -> str:
    """Comments, strings and prefixed names that hold 'service' or 'load' without being operations."""
    word = draw(st.sampled_from(("service", "SERVICE", "load", "LOAD", "Service <http://a/>", "LOAD <http://127.0.0.1:1/>")))
    where = draw(st.sampled_from(("comment", "string", "iri", "prefixed")))
    if where == "comment":
        return f"# {word}\nSELECT * WHERE {{ ?s ?p ?o }} LIMIT 1"
    if where == "string":
        return f'SELECT * WHERE {{ ?s ?p "{word}" }} LIMIT 1'
    if where == "iri":
        return f"SELECT * WHERE {{ ?s <http://example.org/{quote(word)}> ?o }} LIMIT 1"
    return "PREFIX dcat: <http://www.w3.org/ns/dcat#> SELECT ?u WHERE { ?d dcat:downloadURL ?u } LIMIT 1"


def triple_patterns_and_load(count: int = 100) -> str:
    """The issue's RecursionError: many triple patterns and the word 'load'."""
    return "# load\nSELECT * WHERE { " + " . ".join(f"?s{i} ?p{i} ?o{i}" for i in range(count)) + " } LIMIT 1"


NESTED_SERVICE = "SELECT * { SERVICE <http://a/> { ?s ?p ?o OPTIONAL { SERVICE <http://b/> { ?s ?q ?r } } } }"
KNOWN_CRASHERS = (
    'SELECT * WHERE { BIND("\\U00110000" AS ?x) }',
    "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000,
    NESTED_SERVICE,
    triple_patterns_and_load(100),
)

sparql_texts = st.one_of(
    keyword_soup(), nested(), big_values(), tricky_literals(), hidden_words(),
    st.text(max_size=200), st.sampled_from(KNOWN_CRASHERS),
)


# --- protocol requests ------------------------------------------------------------------------

MEDIA_TYPES = (
    "application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values",
    "text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml", "text/html",
    "application/json", "application/xml", "text/plain", "image/png", "*/*", "text/*", "application/*",
)
accept_headers = st.one_of(
    st.just(""),
    st.lists(st.tuples(st.sampled_from(MEDIA_TYPES), st.sampled_from(("", ";q=0", ";q=0.5", ";q=1.0", ";q=2", ";q=x", ";charset=utf-16")))
             .map("".join), min_size=1, max_size=5).map(", ".join),
    st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=60),
    st.just(SCRIPT),
)
CONTENT_TYPES = (
    "application/sparql-query", "application/sparql-update", "application/x-www-form-urlencoded",
    "application/sparql-query; charset=utf-16", "application/x-www-form-urlencoded; charset=latin-1",
    "multipart/form-data; boundary=x", "text/plain", "application/json", "", "application/sparql-query; charset=",
)
IRIS = ("http://example.org/graph/people", "urn:nothing", "", "not an iri", "http://127.0.0.1:1/", "<x>", SCRIPT,
        "https://data.kenniscentrumvlaamsesteden.be/graph/inferred")
PARAMETERS = ("default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri", "update", "query",
              "format", "output", "timeout", "", "q", SCRIPT)


@st.composite
def odd_parameters(draw) -> list[tuple[str, str]]:
    """Repeated and odd query-string parameters: dataset IRIs, update, empty names, junk."""
    return draw(st.lists(st.tuples(st.sampled_from(PARAMETERS), st.one_of(st.sampled_from(IRIS), sparql_texts.map(lambda t: t[:300]))),
                         max_size=4))


@st.composite
def protocol_requests(draw, text_strategy=sparql_texts) -> FuzzRequest:
    """A request to /sparql: any method, the text as a parameter, a form or a direct body. GET and
    POST are drawn most, and a long text goes in a body (a request line is limited to 4 KiB), so
    that most texts reach the guard and the engine."""
    method = draw(st.sampled_from(("GET", "POST", "GET", "POST", *METHODS[2:])))
    text = draw(text_strategy)
    params = draw(odd_parameters())
    how = draw(st.sampled_from(("query-param", "query-param", "direct", "direct", "form", "update-param", "none")))
    if len(text) > 3000 and how in ("query-param", "update-param"):
        how = "direct"
    headers: list[tuple[str, str]] = []
    body = b""
    if how == "query-param":
        params = [("query", text), *params]
    elif how == "update-param":
        params = [("update", text), *params]
    elif how == "form":
        headers.append(("Content-Type", draw(st.sampled_from(CONTENT_TYPES))))
        body = urlencode([(draw(st.sampled_from(("query", "update"))), text)], errors="surrogatepass").encode()
    elif how == "direct":
        kind = draw(st.sampled_from(("application/sparql-query", "application/sparql-query", *CONTENT_TYPES)))
        headers.append(("Content-Type", kind))
        body = text.encode("utf-8", "surrogatepass") if draw(st.integers(0, 4)) else text.encode("utf-16", "surrogatepass")
    accept = draw(accept_headers)
    if accept:
        headers.append(("Accept", accept))
    query = urlencode(params, encoding="utf-8", errors="surrogatepass")
    return FuzzRequest(method, "/sparql" + (f"?{query}" if query else ""), tuple(headers), body)


# --- every route ------------------------------------------------------------------------------

SEGMENTS = (
    "organisatie", "activiteit", "gent", "kenniscentrum-vlaamse-steden", "dataset", "kgraph.ttl", "kgraph.nt.gz",
    "ttl", "jsonld", "html", "rdf", "nt", "json", "yasgui", "%00", "a%00b", "..", "%2e%2e", "%2F", "%ZZ", "%",
    SCRIPT, quote(SCRIPT, safe=""), quote(SCRIPT_OPEN, safe=""), "é", "%C3%A9", "%FF%FE", "\u202e", "😀", "a" * 300, "x" * 5000, "", " ", "%20", ";", "?", "#",
)
segments = st.one_of(st.sampled_from(SEGMENTS), st.just(quote(SCRIPT, safe="")),
                     st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="/?#"), max_size=30))
HOSTS = ("127.0.0.1", "localhost:8000", "evil.example", "evil.example:1", SCRIPT, "a" * 300, "", "[::1]", "exa mple",
         "data.kenniscentrumvlaamsesteden.be", "127.0.0.1:99999")
_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _encode_path(path: str) -> str:
    """Percent-encode what a raw request line cannot carry, keeping the fuzzer's own %XX sequences."""
    return quote(path, safe="/%;:@!$&'()*+,=-._~")


@st.composite
def route_paths(draw) -> str:
    """A path matching one of the app's URL rules, its variables filled with odd segments; sometimes
    deeper, `..`-laden or long."""
    route = draw(st.sampled_from(ROUTES))

    def fill(match: re.Match) -> str:
        converter = match.group(1)
        if converter == "path":
            return "/".join(draw(st.lists(segments, min_size=1, max_size=4)))
        return draw(segments)

    path = _CONVERTER.sub(fill, route.rule)
    tail = draw(st.sampled_from(("", "", "/", "/..", "/../../etc/passwd", "%00", "/" + "b" * 3000, ".ttl", "/x/y/z")))
    return _encode_path(path + tail)


@st.composite
def route_requests(draw) -> FuzzRequest:
    """Any method on any route, with odd query strings, Accept, Host and content types."""
    method = draw(st.sampled_from(METHODS))
    path = draw(route_paths())
    params = draw(st.lists(st.tuples(st.sampled_from(("q", "lang", "page", "sort", "format", "ext", "", SCRIPT, "q")),
                                     st.sampled_from(("", "gent", SCRIPT, "%00", "é", "x" * 500, "-1", "99999999999999999999"))),
                           max_size=3))
    headers: list[tuple[str, str]] = []
    accept = draw(accept_headers)
    if accept:
        headers.append(("Accept", accept))
    host = draw(st.one_of(st.none(), st.sampled_from(HOSTS)))
    if host is not None:
        headers.append(("Host", host))
    body = b""
    if method in ("POST", "PUT") and draw(st.booleans()):
        headers.append(("Content-Type", draw(st.sampled_from(CONTENT_TYPES))))
        body = draw(st.binary(max_size=200))
    for name, value in draw(st.lists(st.sampled_from((("If-None-Match", '"x"'), ("If-None-Match", "*"), ("Range", "bytes=5-1"),
                                                       ("Range", "bytes=-99999999999"), ("If-Modified-Since", "yesterday"),
                                                       ("Accept-Language", "nl;q=x"), ("Origin", SCRIPT))), max_size=2, unique=True)):
        headers.append((name, value))
    query = urlencode(params)
    return FuzzRequest(method, path + (f"?{query}" if query else ""), tuple(headers), body)
