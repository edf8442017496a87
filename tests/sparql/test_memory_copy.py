"""Query workers answering a small release from a copy in memory (settings.query_memory_quads):
the same answers as the on-disk store (blank nodes by the same labels, named graphs, every kind
of query), the copy really used (a dump changed in one literal shows through), a dump that is
not the store's quads refused for the disk, every worker of a pool in one order, and which
releases get a copy.

The session's 2018 build (real store, its real N-Quads dump), real worker processes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kgraph.sparql import negotiation as n
from kgraph.sparql.executor import Executor
from kgraph.sparql.store import NQUADS_DUMP, StoreInfo, memory_copy_source
from kgraph.web.state import ServedRelease

JSON = {n.SOLUTIONS: "application/sparql-results+json", n.BOOLEAN: "application/sparql-results+json",
        n.GRAPH: "application/n-quads"}
QUERIES = {
    "every quad": "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }",
    "the union, blank nodes included": "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) }",
    "a group": "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p",
    "a construct": "CONSTRUCT { ?s ?p ?o } WHERE { ?s a ?type ; ?p ?o }",
    "an ask": "ASK { ?s ?p ?s }",
}


def _rows(body: bytes) -> list:
    """A SELECT's rows, an ASK's boolean or a CONSTRUCT's lines, sorted (order is the engine's)."""
    if body.startswith(b"{"):
        parsed = json.loads(body)
        if "boolean" in parsed:
            return [parsed["boolean"]]
        return sorted(json.dumps(row, sort_keys=True) for row in parsed["results"]["bindings"])
    return sorted(body.decode().splitlines())


def _info(built_release) -> StoreInfo:
    return StoreInfo(built_release.store_path, built_release.version, built_release.manifest)


@pytest.fixture(scope="module")
def disk(built_release):
    with Executor(built_release.store_path, workers=1) as executor:
        yield executor


def test_a_copy_answers_as_the_store_on_disk(built_release, disk):
    source = memory_copy_source(_info(built_release))
    assert source == (built_release.path / "dumps" / NQUADS_DUMP, built_release.manifest["quads"])
    with Executor(built_release.store_path, workers=1, memory_copy=source) as memory:
        for name, query in QUERIES.items():
            on_disk = _rows(disk.query(query, JSON).read())
            assert on_disk and _rows(memory.query(query, JSON).read()) == on_disk, name


def _changed_dump(built_release, tmp_path: Path, drop_one: bool) -> Path:
    """The release's dump with one literal changed (same quad count) or one quad left out."""
    lines = (built_release.path / "dumps" / NQUADS_DUMP).read_text().splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if '"Gent"@nl' in line)
    if drop_one:
        del lines[at]
    else:
        lines[at] = lines[at].replace('"Gent"@nl', '"Gent (from the copy)"@nl')
    dump = tmp_path / NQUADS_DUMP
    dump.write_text("".join(lines))
    return dump


ASK_COPY = 'ASK { ?s ?p "Gent (from the copy)"@nl }'


def test_the_workers_answer_from_the_copy(built_release, tmp_path):
    dump = _changed_dump(built_release, tmp_path, drop_one=False)
    with Executor(built_release.store_path, workers=2, memory_copy=(dump, built_release.manifest["quads"])) as memory:
        assert _rows(memory.query(ASK_COPY, JSON).read()) == [True]


def test_a_dump_that_is_not_the_stores_quads_leaves_the_workers_on_disk(built_release, tmp_path, disk):
    dump = _changed_dump(built_release, tmp_path, drop_one=True)  # one quad fewer than the manifest says
    with Executor(built_release.store_path, workers=1, memory_copy=(dump, built_release.manifest["quads"])) as ex:
        query = 'SELECT ?s WHERE { ?s ?p "Gent"@nl }'
        assert _rows(ex.query(query, JSON).read()) == _rows(disk.query(query, JSON).read()) != []


def test_every_worker_of_a_pool_gives_one_order(built_release):
    """Each worker loads its copy before it takes a query: no worker answers from the disk
    (another order) while the others answer from memory."""
    source = memory_copy_source(_info(built_release))
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 500"
    with Executor(built_release.store_path, workers=3, slow_queries=0, memory_copy=source) as memory:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(6) as pool:
            bodies = set(pool.map(lambda _: memory.query(query, JSON).read(), range(24)))
    assert len(bodies) == 1


def test_which_releases_get_a_copy(built_release, project_settings):
    info = _info(built_release)

    def copy_of(**changes):
        served = ServedRelease(project_settings.replace(**changes), info, 1)
        try:
            return served.executor.memory_copy
        finally:
            served.executor.close()

    quads = built_release.manifest["quads"]
    assert copy_of(query_memory_quads=quads) == (str(built_release.path / "dumps" / NQUADS_DUMP), quads)
    assert copy_of(query_memory_quads=quads - 1) is None  # larger than the limit
    assert copy_of(query_memory_quads=0) is None  # off
    assert copy_of(update_token="secret-token") is None  # updates: the workers must see them
    bare = StoreInfo(built_release.store_path, "a-folder", {})  # no manifest: no count to check a copy by
    assert memory_copy_source(bare) is None
