"""In-memory copies of a release for fragment pages (kgraph.fragments.memory): the copy holds
exactly the store's quads, blank nodes by the store's labels; pages read from it hold the same
quads as pages read from disk, page after page; a release over the limit, without its dump, or
whose dump disagrees with its quad count gets no copy (pages stay on disk); and an app's
fragments answer from the copy once it is there, with the triples the disk gives."""

from __future__ import annotations

import logging
import shutil

import pyoxigraph as ox

from kgraph.fragments import matching
from kgraph.fragments.memory import MemoryCopies
from kgraph.web import close_app, create_app
from kgraph.web.fragment_views import FRAGMENTS, NQUADS_DUMP
from tests.fragments.test_matching import all_pages, patterns


def _copy(built_release, limit: int = 10_000_000):
    copies = MemoryCopies(limit)
    quads = len(built_release.open_store())
    version = built_release.path.name
    return copies, version, built_release.path / "dumps" / NQUADS_DUMP, quads


def test_the_copy_is_the_store(built_release, store):
    copies, version, dump, quads = _copy(built_release)
    assert copies.store_for(version, dump, quads) is None  # started, not ready
    assert copies.wait(version, 60)
    memory = copies.store_for(version, dump, quads)
    on_disk = set(store.quads_for_pattern(None, None, None, None))
    assert set(memory.quads_for_pattern(None, None, None, None)) == on_disk
    assert any(isinstance(q.subject, ox.BlankNode) for q in on_disk)  # so the labels were compared too


def test_pages_from_the_copy_hold_what_pages_from_disk_hold(built_release, store):
    copies, version, dump, quads = _copy(built_release)
    copies.store_for(version, dump, quads)
    assert copies.wait(version, 60)
    memory = copies.store_for(version, dump, quads)
    from_disk, from_memory = matching.StoreMatcher(store), matching.StoreMatcher(store, memory)
    for pattern in patterns(store):
        for size in (7, 100):
            disk_pages, memory_pages = all_pages(from_disk, pattern, size), all_pages(from_memory, pattern, size)
            assert len(disk_pages) == len(memory_pages), pattern
            for disk_page, memory_page in zip(disk_pages, memory_pages):
                assert set(disk_page) == set(memory_page), pattern


def test_no_copy_over_the_limit_without_a_dump_or_with_a_wrong_one(built_release, tmp_path, caplog):
    copies, version, dump, quads = _copy(built_release, limit=10)
    assert copies.store_for(version, dump, quads) is None and not copies.wait(version, 1)  # nothing started
    copies = MemoryCopies(10_000_000)
    assert copies.store_for(version, tmp_path / "none.nq", quads) is None and not copies.wait(version, 1)
    short = tmp_path / NQUADS_DUMP
    lines = dump.read_bytes().splitlines(keepends=True)
    short.write_bytes(b"".join(lines[:-1]))  # one quad lost
    with caplog.at_level(logging.WARNING, logger="kgraph.fragments.memory"):
        copies.store_for("short", short, quads)
        assert not copies.wait("short", 60)
    assert copies.store_for("short", short, quads) is None
    assert f"has {quads - 1} quads, its store {quads}" in caplog.text
    broken = tmp_path / "broken.nq"
    shutil.copy(dump, broken)
    with broken.open("ab") as out:
        out.write(b"<a> <b> .\n")
    with caplog.at_level(logging.WARNING, logger="kgraph.fragments.memory"):
        copies.store_for("broken", broken, quads)
        assert not copies.wait("broken", 60)
    assert "not copied into memory" in caplog.text


def test_an_app_answers_from_the_copy(built_release, project_settings, store):
    app = create_app(project_settings, built_release.path, query_workers=1)
    try:
        client = app.test_client()
        subject = next(q.subject for q in store.quads_for_pattern(None, None, None, None) if isinstance(q.subject, ox.NamedNode)
                       and not any(isinstance(o.object, ox.BlankNode) for o in store.quads_for_pattern(q.subject, None, None, None)))
        url = f"/fragments?subject={subject.value}&graph=urn:ldf:defaultGraph"
        first = client.get(url, headers={"Accept": "application/n-quads"})  # from disk; starts the copy
        served = app.extensions["kgraph"].served_for({})
        fragments = app.extensions[FRAGMENTS]
        assert fragments.copies.wait(served.store.version, 60)
        fragments.pages = type(fragments.pages)(fragments.pages.budget)  # nothing kept: the page is read again
        second = client.get(url, headers={"Accept": "application/n-quads"})
        assert "X-Cache" not in second.headers

        def data(body: bytes) -> set:
            return {q for q in ox.parse(body, format=ox.RdfFormat.N_QUADS) if isinstance(q.graph_name, ox.DefaultGraph)}

        assert data(first.data) == data(second.data) == {ox.Quad(q.subject, q.predicate, q.object) for q in
                                                          store.quads_for_pattern(subject, None, None, None)}
    finally:
        close_app(app)


def test_a_new_releases_copy_lets_the_old_one_go(built_release):
    copies, version, dump, quads = _copy(built_release)
    copies.store_for(version, dump, quads)
    assert copies.wait(version, 60)
    copies.store_for("next-release", dump, quads)  # the same quads, as another release
    assert copies.wait("next-release", 60)
    assert copies.store_for("next-release", dump, quads) is not None
    assert version not in copies._copies  # its memory given back, not held beside the new one
    assert copies.store_for(version, dump, quads) is None and not copies.wait(version, 1)  # nor copied again
