"""Row counts on solutions, not bytes: the counting writer under pyoxigraph's real serialisers.

Literals are built from the characters that look like row boundaries in some format (`},{`,
CRLF, a lone CR or LF, `<result>`, tabs, quotes, backslashes, commas) and the serialised bytes
are fed to the writer in chunks cut at every kind of place, so a boundary split across two
chunks, an escape split in the middle, or a quoted field spanning chunks all occur.
"""

from __future__ import annotations

import io
import random

import pyoxigraph as ox
import pytest

from kgraph.sparql.rowcount import RowCountingWriter, RowLimitExceeded

FORMATS = ("JSON", "XML", "CSV", "TSV")
PIECES = ["},{", "[{", "}", "{", ",", "\r\n", "\r", "\n", "<result>", "</result>", "\t", '"', '""', "\\", "\\\\",
          '\\"', "a", "é", "😀", " ", "?x", "&lt;", "'"]


def _literal(rng: random.Random) -> str:
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 12)))


def _store(rng: random.Random, rows: int) -> ox.Store:
    store = ox.Store()
    for i in range(rows):
        subject = ox.NamedNode(f"http://example.org/s{i}") if i % 3 else ox.BlankNode(f"b{i}")
        obj = ox.Literal(_literal(rng), language="en") if i % 4 == 1 else ox.Literal(_literal(rng))
        store.add(ox.Quad(subject, ox.NamedNode("http://example.org/p"), obj))
        if i % 5 == 0:  # some rows leave ?extra unbound
            store.add(ox.Quad(subject, ox.NamedNode("http://example.org/q"), ox.Literal(_literal(rng))))
    return store


QUERY = "SELECT ?s ?o ?extra WHERE { ?s <http://example.org/p> ?o OPTIONAL { ?s <http://example.org/q> ?extra } }"


def _count_in_chunks(body: bytes, fmt: str, rng: random.Random) -> int:
    writer = RowCountingWriter(io.BytesIO(), fmt)
    position = 0
    while position < len(body):
        size = rng.choice([1, 2, 3, 7, 64, 8192])
        writer.write(body[position:position + size])
        position += size
    return writer.rows


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("seed", range(12))
def test_rows_are_exact_whatever_the_literals_hold(fmt, seed):
    rng = random.Random(f"{fmt}-{seed}")
    rows = rng.choice([0, 1, 2, 17, 300])
    store = _store(rng, rows)
    body = store.query(QUERY).serialize(format=getattr(ox.QueryResultsFormat, fmt))
    assert _count_in_chunks(body, fmt, rng) == rows
    # and in the chunks pyoxigraph itself writes
    writer = RowCountingWriter(io.BytesIO(), fmt)
    store.query(QUERY).serialize(writer, getattr(ox.QueryResultsFormat, fmt))
    assert writer.rows == rows


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_literals_of_the_issue_count_as_one_row_each(fmt):
    store = ox.Store()
    values = ["a},{b", "x\r\ny", "lone\nlf", "<result>", "tab\there", '"}},{"', "a,b\r\n,c", "back\\", '[{"x":1}]']
    for i, value in enumerate(values):
        store.add(ox.Quad(ox.NamedNode(f"http://example.org/{i}"), ox.NamedNode("http://example.org/p"), ox.Literal(value)))
    writer = RowCountingWriter(io.BytesIO(), fmt)
    store.query("SELECT ?o { ?s ?p ?o }").serialize(writer, getattr(ox.QueryResultsFormat, fmt))
    assert writer.rows == len(values)


@pytest.mark.parametrize("fmt", FORMATS)
def test_empty_rows_and_no_variables(fmt):
    writer = RowCountingWriter(io.BytesIO(), fmt)
    ox.Store().query("SELECT * {} ").serialize(writer, getattr(ox.QueryResultsFormat, fmt))
    assert writer.rows == 1  # one solution, binding nothing
    writer = RowCountingWriter(io.BytesIO(), fmt)
    ox.Store().query("SELECT ?x { FILTER(false) }").serialize(writer, getattr(ox.QueryResultsFormat, fmt))
    assert writer.rows == 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_limit_is_on_solutions(fmt):
    store = ox.Store()
    for i in range(10):  # every literal looks like two more rows in the byte-marker counting
        store.add(ox.Quad(ox.NamedNode(f"http://example.org/{i}"), ox.NamedNode("http://example.org/p"),
                          ox.Literal("},{\r\n<result>\n},{\r\n")))
    exact = RowCountingWriter(io.BytesIO(), fmt, max_rows=10)
    store.query("SELECT ?o { ?s ?p ?o }").serialize(exact, getattr(ox.QueryResultsFormat, fmt))
    assert exact.rows == 10
    with pytest.raises(RowLimitExceeded):
        store.query("SELECT ?o { ?s ?p ?o }").serialize(RowCountingWriter(io.BytesIO(), fmt, max_rows=9),
                                                         getattr(ox.QueryResultsFormat, fmt))


TRICKY = ["a},{b", "x\r\ny", "lone\nlf", "<result>", "tab\there", '"}},{"', "a,b\r\n,c", "back\\", '[{"x":1}]', "\r\n\r\n"]


@pytest.fixture(scope="module")
def tricky_executor(tmp_path_factory):
    from kgraph.sparql.executor import Executor
    from tests.live import make_release

    def nt(value: str) -> str:
        escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
        return f'"{escaped}"'

    data = "".join(f"<http://example.org/{i}> <http://example.org/p> {nt(v)} .\n" for i, v in enumerate(TRICKY))
    data += '<http://example.org/extra> <http://example.org/q> "},{\\r\\n" .\n'
    release = make_release(tmp_path_factory.mktemp("rowcount") / "release", {"http://example.org/g": data})
    with Executor(release / "store", workers=1, timeout=20, max_rows=len(TRICKY)) as executor:
        yield executor


@pytest.mark.parametrize("media_type", ["application/sparql-results+json", "application/sparql-results+xml",
                                        "text/csv", "text/tab-separated-values"])
def test_executor_rows_exact_and_limit_on_solutions(tricky_executor, media_type):
    from kgraph.sparql import negotiation
    from kgraph.sparql.errors import ResultTooLarge

    result = tricky_executor.query("SELECT ?o { ?s <http://example.org/p> ?o }", {negotiation.SOLUTIONS: media_type})
    assert result.rows == len(TRICKY)  # what X-Result-Rows says; exactly the maximum is served
    result.close()
    with pytest.raises(ResultTooLarge, match=f"more than {len(TRICKY)} rows"):
        tricky_executor.query("SELECT ?o { ?s ?p ?o }", {negotiation.SOLUTIONS: media_type})
