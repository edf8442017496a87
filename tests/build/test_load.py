"""The load stage: a store loaded from the spool holds the spooled statements exactly, blank
node labels included, though the parts without blank nodes go through the store's own parser
(which would relabel blank nodes)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kgraph.build.load import load_statements, segments
from kgraph.build.spool import Spool

EX = "http://example.org/"
TTL = f"""
@prefix ex: <{EX}> .
ex:a ex:knows [ ex:name "b" ; ex:knows [ ex:name "c" ] ] ; ex:name "a"@nl , 9.0 .
ex:d ex:knows [ ex:name "b" ] ; ex:name "d" .
"""


def _spool(tmp_path) -> Spool:
    spool = Spool(tmp_path / "spool.nq")
    spool.add_graph(f"{EX}g", list(ox.parse(TTL, format=ox.RdfFormat.TURTLE)))
    spool.label_blank_nodes()
    spool.flush()
    blank = next(q.object for q in spool.read() if isinstance(q.object, ox.BlankNode))
    later = ox.NamedNode(f"{EX}later")
    # statements added after labelling, with and without blank nodes, as materialise adds them
    spool.add([ox.Quad(blank, ox.NamedNode(f"{EX}seen"), ox.Literal("yes"), later)])
    spool.add([ox.Quad(ox.NamedNode(f"{EX}a"), ox.NamedNode(f"{EX}seen"), ox.Literal("too"), later)])
    spool.close()
    return spool


def _as_stored(spool: Spool) -> set[ox.Quad]:
    """The spool's statements as a store gives them back (it normalises "9.0" to "9")."""
    store = ox.Store()
    store.bulk_extend(spool.read())
    return set(store)


@pytest.mark.parametrize("on_disk", [False, True])
def test_the_store_holds_the_spool_with_its_blank_node_labels(tmp_path, on_disk):
    spool = _spool(tmp_path)
    assert len(spool.blank_ranges) == 2  # the labelled statements, and one of the added ones
    store = ox.Store(str(tmp_path / "store")) if on_disk else ox.Store()
    load_statements(store, spool.path, spool.blank_ranges, batch=2)
    expected = _as_stored(spool)
    assert set(store) == expected and len(store) == len(expected) == 11
    labels = {t.value for q in store for t in (q.subject, q.object) if isinstance(t, ox.BlankNode)}
    assert labels == {"c14n0", "c14n1", "c14n2"}


def test_a_store_loaded_in_two_parts_holds_the_whole_spool(tmp_path):
    spool = _spool(tmp_path)
    middle = spool.blank_ranges[0][1] + 10  # inside a line: the parts are cut at line ends below
    middle = spool.path.read_bytes().index(b"\n", middle) + 1
    store = ox.Store(str(tmp_path / "store"))
    load_statements(store, spool.path, spool.blank_ranges, end=middle)
    load_statements(store, spool.path, spool.blank_ranges, start=middle)
    assert set(store) == _as_stored(spool)


def test_segments_cut_at_the_blank_ranges():
    assert list(segments(0, 100, [(60, 80), (10, 20)])) == [
        (0, 10, False), (10, 20, True), (20, 60, False), (60, 80, True), (80, 100, False)]
    assert list(segments(15, 70, [(10, 20), (60, 80)])) == [(15, 20, True), (20, 60, False), (60, 70, True)]
    assert list(segments(0, 50, [])) == [(0, 50, False)]
    assert list(segments(0, 50, [(0, 50)])) == [(0, 50, True)]
