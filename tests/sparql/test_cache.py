"""The result cache: whole entries or none, a byte budget, one folder per store and version."""

from __future__ import annotations

from pathlib import Path

from kgraph.sparql.cache import ResultCache
from kgraph.sparql.executor import Result


def fresh_result(folder: Path, body: bytes, name: str = "r") -> Result:
    path = folder / f"{name}.tmp"
    path.write_bytes(body)
    return Result("solutions", "application/sparql-results+json", path, len(body), rows=2)


def test_put_moves_the_result_in_and_get_reads_it_back(tmp_path):
    cache = ResultCache(tmp_path / "cache", max_bytes=1000)
    result = fresh_result(tmp_path, b'{"x": 1}')
    answer = cache.put("k1", result)
    assert answer is not None and answer.body.read() == b'{"x": 1}'
    assert not (tmp_path / "r.tmp").exists()  # renamed, not copied
    again = cache.get("k1")
    assert again.body.read() == b'{"x": 1}' and again.rows == 2 and again.size == 8
    assert again.media_type == "application/sparql-results+json"
    assert cache.get("other") is None


def test_budget_evicts_the_least_recently_used(tmp_path):
    cache = ResultCache(tmp_path / "cache", max_bytes=400)
    for i in range(5):
        cache.put(f"k{i}", fresh_result(tmp_path, bytes(100), f"r{i}")).body.close()
    kept = sorted(p.stem for p in (tmp_path / "cache").glob("*.body"))
    assert len(kept) == 4 and "k0" not in kept
    total = sum(p.stat().st_size for p in (tmp_path / "cache").glob("*.body"))
    assert total <= 400


def test_an_open_answer_survives_eviction(tmp_path):
    cache = ResultCache(tmp_path / "cache", max_bytes=1000)
    cache.put("k", fresh_result(tmp_path, b"whole body")).body.close()
    answer = cache.get("k")
    cache.clear()
    assert answer.body.read() == b"whole body"


def test_large_answers_and_a_zero_budget_are_not_cached(tmp_path):
    cache = ResultCache(tmp_path / "cache", max_bytes=400)
    big = fresh_result(tmp_path, bytes(200))
    assert cache.put("big", big) is None and big.path.exists()  # still the caller's to serve
    off = ResultCache(tmp_path / "off", max_bytes=0)
    assert off.put("k", fresh_result(tmp_path, b"x", "s")) is None and off.get("k") is None


def test_each_store_and_version_has_its_own_folder(tmp_path):
    a = ResultCache.for_store(tmp_path / "store", "v1", 10, str(tmp_path))
    b = ResultCache.for_store(tmp_path / "store", "v2", 10, str(tmp_path))
    c = ResultCache.for_store(tmp_path / "other", "v1", 10, str(tmp_path))
    assert len({a.folder, b.folder, c.folder}) == 3
    assert a.folder == ResultCache.for_store(tmp_path / "store", "v1", 10, str(tmp_path)).folder


def test_the_budget_is_looked_at_once_a_sixteenth_of_it_was_added(tmp_path):
    # Looking at the folder's total costs a stat per entry: a process looks on its first put, then
    # once its own puts since the last look reach a sixteenth of the budget, so the folder holds at
    # most the budget plus that sixteenth (per process) between two looks.
    cache = ResultCache(tmp_path / "cache", max_bytes=16_000)
    totals = []
    for i in range(400):
        cache.put(f"k{i}", fresh_result(tmp_path, bytes(100), f"r{i}")).body.close()
        totals.append(sum(p.stat().st_size for p in (tmp_path / "cache").glob("*.body")))
    assert max(totals) <= 16_000 + 16_000 // 16
    assert max(totals) > 16_000  # it did not look after every put
