"""The dump helpers on small input/expected pairs: the spool's canonical blank node labels
(computed on the quads with blank nodes only), the N-Quads to N-Triples line, and IRI
compaction in the JSON-LD writer."""

from __future__ import annotations

import io
import json

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from kgraph.build import dumps, jsonld
from kgraph.build.background import Background
from kgraph.build import spool as spool_module
from kgraph.build.spool import Spool, typed_literals

EX = "http://example.org/"
TTL = f"""
@prefix ex: <{EX}> .
ex:a ex:knows [ ex:name "b" ; ex:knows [ ex:name "c" ] ] ; ex:name "a"@nl , "7"^^<http://www.w3.org/2001/XMLSchema#integer> .
ex:d ex:knows [ ex:name "b" ] .
ex:a ex:name "a"@nl .
"""


def parsed() -> list[ox.Quad]:
    graph = ox.NamedNode(f"{EX}g")
    return [ox.Quad(t.subject, t.predicate, t.object, graph) for t in statements()]


def statements() -> list[ox.Quad]:
    return list(ox.parse(TTL, format=ox.RdfFormat.TURTLE))


def spooled(tmp_path, name: str = "spool.nq") -> list[ox.Quad]:
    spool = Spool(tmp_path / name)
    spool.add_graph(f"{EX}g", statements())
    spool.label_blank_nodes()
    spool.close()
    return sorted(spool.read(), key=str)


def test_spool_labels_are_those_of_the_whole_dataset(tmp_path):
    whole = ox.Dataset(parsed())
    whole.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    found = spooled(tmp_path)
    assert set(found) == set(whole)  # the ground statements too, in their graph
    assert any(isinstance(q.subject, ox.BlankNode) for q in found)
    assert any(q.subject.value == "c14n0" for q in found if isinstance(q.subject, ox.BlankNode))


def test_spool_labels_ignore_how_the_parser_labelled_blank_nodes(tmp_path):
    assert spooled(tmp_path, "a.nq") == spooled(tmp_path, "b.nq")


def test_spool_refuses_the_default_graph(tmp_path):
    with pytest.raises(ValueError, match="named graph"):
        Spool(tmp_path / "s.nq").add(statements()[:1])


def test_spool_refuses_unlabelled_blank_nodes_through_add(tmp_path):
    graph = ox.NamedNode(f"{EX}g")
    with pytest.raises(ValueError, match="label_blank_nodes"):
        Spool(tmp_path / "s.nq").add([ox.Quad(ox.BlankNode("x"), ox.NamedNode(f"{EX}p"), ox.Literal("y"), graph)])


def spool_of(tmp_path, turtle: str) -> Spool:
    spool = Spool(tmp_path / "s.nq")
    spool.add_graph(f"{EX}g", list(ox.parse(turtle, format=ox.RdfFormat.TURTLE)))
    spool.label_blank_nodes()
    spool.close()
    return spool


def test_spool_keeps_literals_as_written(tmp_path):
    spool = spool_of(tmp_path, f'<{EX}a> <{EX}p> 9.0, "007"^^<http://www.w3.org/2001/XMLSchema#integer> .')
    assert {q.object.value for q in spool.read()} == {"9.0", "007"}


@pytest.mark.parametrize("line, expected", [
    (b'<http://s> <http://p> <http://o> <http://g> .\n', b'<http://s> <http://p> <http://o> .\n'),
    (b'_:c14n0 <http://p> "a <b> c" <http://g> .\n', b'_:c14n0 <http://p> "a <b> c" .\n'),
    (b'<http://s> <http://p> "x <y"@nl <http://g> .\n', b'<http://s> <http://p> "x <y"@nl .\n'),
])
def test_union_line_drops_the_graph(line, expected):
    assert dumps.union_line(line) == expected


# Triples whose text is a prefix of another's, the same triple in several graphs, characters
# just above " ", escapes (Oxigraph writes a tab as \\t: no character below " " is in a line): the N-Triples dump must be what a second sort gave.
TRICKY = f"""
@prefix ex: <{EX}> .
ex:a ex:p "a", "a"@en, "a"@en-gb, "a\\tb", "a b", "a!", "a\\"b", "9"^^ex:int, "9"^^ex:in, ex:b, ex:b2, [ ex:p "x" ] .
ex:a ex:p2 "a" . ex:a2 ex:p "a" . ex:a ex:q ex:b .
"""


def test_the_ntriples_dump_from_the_sorted_nquads_is_what_a_second_sort_gave(tmp_path):
    statements = list(ox.parse(TRICKY, format=ox.RdfFormat.TURTLE))
    quads = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(f"{EX}{g}"))
             for i, t in enumerate(statements) for g in (["g1", "g2", "g10"] if i % 2 else ["g3"])]
    lines = ox.serialize(quads, format=ox.RdfFormat.N_QUADS).splitlines(keepends=True)
    nquads, ntriples = tmp_path / "sorted.nq", tmp_path / "sorted.nt"
    nquads.write_bytes(b"".join(sorted(set(lines + lines[:5]))))  # as `sort -u` gives it
    dumps.union_of_sorted(nquads, ntriples)
    assert len(ntriples.read_bytes().splitlines()) < len(set(lines))  # duplicates were dropped
    assert ntriples.read_bytes() == b"".join(sorted({dumps.union_line(line) for line in lines}))


@pytest.mark.parametrize("iri, expected", [
    (f"{EX}a", "ex:a"),
    (f"{EX}sub/b", "sub:b"),  # the longest namespace wins
    (f"{EX}", EX),  # nothing after the namespace: left whole
    (f"{EX}//x", f"{EX}//x"),  # would read as an absolute IRI
    ("http://other.org/x", "http://other.org/x"),
])
def test_compaction(iri, expected):
    assert jsonld.Compactor({"ex": EX, "sub": f"{EX}sub/"}).iri(iri) == expected


def test_an_iri_whose_scheme_is_a_prefix_name_is_refused():
    with pytest.raises(ValueError, match="scheme"):
        jsonld.Compactor({"urn": EX}).iri("urn:isbn:123")


def test_jsonld_document_reads_back_as_the_same_graph(tmp_path):
    triples = sorted({q.triple for q in spooled(tmp_path)}, key=str)
    out = io.BytesIO()
    jsonld.write(triples, {"ex": EX, "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}, out)
    document = json.loads(out.getvalue())
    assert document["@context"]["ex"] == EX
    assert any(node["id"] == "ex:a" for node in document["@graph"])
    expected = rdflib.Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    assert isomorphic(rdflib.Graph().parse(data=out.getvalue(), format="json-ld"), expected)


@pytest.mark.parametrize("text, expected", [
    (b'<http://s> <http://p> "9.0"^^<http://www.w3.org/2001/XMLSchema#decimal> <http://g> .\n',
     {b'"9.0"^^<http://www.w3.org/2001/XMLSchema#decimal>'}),
    (b'_:c14n0 <http://p> "a \\" b"^^<http://x/dt> .\n', {b'"a \\" b"^^<http://x/dt>'}),
    (b'<http://s> <http://p> "x"@nl .\n<http://s> <http://p> "x" .\n<http://s> <http://p> <http://o> .\n', set()),
    (b'<http://s> <http://p> "x ^^<y> ." .\n', set()),  # looks typed inside, but a plain string
    (b'<http://s> <http://p> "1"^^<http://x/i> .\n<http://t> <http://p> "1"^^<http://x/i> <http://g> .\n',
     {b'"1"^^<http://x/i>'}),
])
def test_typed_literals_are_read_from_the_text(text, expected):
    assert typed_literals(text) == expected


def test_spool_keeps_every_typed_literal_as_written(tmp_path):
    spool = spool_of(tmp_path, f'<{EX}a> <{EX}p> 9.0, "x"@nl, "y", [ <{EX}q> "007"^^<{EX}int> ] .')
    assert {(t.value, t.datatype.value) for t in spool.literals} == {
        ("9.0", "http://www.w3.org/2001/XMLSchema#decimal"), ("007", f"{EX}int")}


def test_blank_nodes_labelled_in_a_process_of_their_own_get_the_same_labels(tmp_path, monkeypatch):
    in_process = spooled(tmp_path, "a.nq")
    started = []
    monkeypatch.setattr(spool_module, "BLANK_IN_PROCESS_BYTES", 0)
    monkeypatch.setattr(spool_module, "Background",
                        lambda work, *args: started.append(work) or Background(work, *args))
    assert spooled(tmp_path, "b.nq") == in_process
    assert started == [spool_module.label_file]
