"""kgraph.validation.lines: the line of a subject and of its predicates, whatever the strings,
comments, nested blank nodes and directives around them hold."""

from __future__ import annotations

from kgraph.validation.lines import index_file

BASE = "https://ex.org/"
TEXT = '''@prefix ex: <http://example.org/> .
PREFIX sch: <http://schema.org/>
# ex:fake ex:p "a comment is no statement" .
ex:a ex:p "a string with . and ; and # inside" ;
    ex:q """a long
string . ; over lines""" ;
    ex:r [ ex:s "nested ; not a part" ; ex:t ex:u ] ;
    sch:name "A" .
<id/b> a ex:Thing ;
    ex:p ex:c ,
        ex:d .
ex:e\\.f ex:p 1.5 .
'''


def test_subjects_and_predicates_are_placed(tmp_path):
    path = tmp_path / "x.ttl"
    path.write_text(TEXT, encoding="utf-8")
    lines = index_file(path, BASE)
    ex = "http://example.org/"
    assert lines.line_of(f"{ex}fake") is None
    assert lines.line_of(f"{ex}a") == 4
    assert lines.line_of(f"{ex}a", f"{ex}p") == 4
    assert lines.line_of(f"{ex}a", f"{ex}q") == 5
    assert lines.line_of(f"{ex}a", f"{ex}r") == 7
    assert lines.line_of(f"{ex}a", f"{ex}s") == 4  # not a predicate of ex:a: its first line
    assert lines.line_of(f"{ex}a", "http://schema.org/name") == 8
    assert lines.line_of(f"{BASE}id/b", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type") == 9
    assert lines.line_of(f"{BASE}id/b", f"{ex}p", "ex:d") == 11  # the value's own line
    assert lines.line_of(f"{ex}e.f", f"{ex}p") == 12


def test_a_byte_order_mark_does_not_move_the_lines(tmp_path):
    path = tmp_path / "x.ttl"
    path.write_bytes(b"\xef\xbb\xbf" + TEXT.encode())
    assert index_file(path, BASE).line_of("http://example.org/a", "http://example.org/q") == 5
