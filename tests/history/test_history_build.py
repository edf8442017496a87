"""The history a build keeps (no HTTP): only what changed gets a version, identical inputs give
identical bytes, and a missing or damaged log stops the build without rewriting anything."""

from __future__ import annotations

import json
import shutil

import pytest

from kgraph.build import BuildError
from kgraph.history import HistoryLog, terms
from kgraph.history.index import HistoryIndex
from kgraph.history import stream
from tests.history import project


@pytest.fixture(scope="module")
def history(tmp_path_factory, project_settings):
    """Two builds of a copy (the second with one activity changed and one added)."""
    folder = tmp_path_factory.mktemp("history")
    settings = project.copy_project(folder, project_settings)
    first = project.build_at(settings, project.FIRST)
    project.change_and_add(folder)
    second = project.build_at(settings, project.SECOND)
    return folder, settings, first, second


def _log_bytes(build_dir) -> dict[str, bytes]:
    folder = build_dir / "history"
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _stream_bytes(release) -> list[bytes]:
    index = HistoryIndex.of_release(release.path)
    root = "http://127.0.0.1:8000/"
    documents = [stream.event_stream(root, index), stream.view(root, index)]
    for r in index.releases():
        documents += [stream.page(root, index, r, n) for n in range(stream.page_count(r))]
    return [stream.serialise(d, "TRIG", {"tree": terms.TREE}) for d in documents]


def test_only_the_changed_and_the_added_resource_get_a_version(history):
    folder, settings, first, second = history
    log = HistoryLog.open(settings.build_dir / "history")
    assert [r["stamp"] for r in log.releases] == [first.manifest["history"]["stamp"], second.manifest["history"]["stamp"]]
    # 198 resources of the 2018 report, the OBMi milestone (issue 17) and the partner dataset of the
    # municipality linkset (issue 14)
    assert log.releases[0]["created"] == log.releases[0]["resources"] == 200
    kinds = {e.resource[len(settings.base):]: e.kind for e in log.entries(log.releases[1])}
    # the new activity links to BE REEL! (kg:followsUp) and the section's other resources
    # have blank nodes too: neither makes a version of anything else
    assert kinds == {project.CHANGED: terms.UPDATED, project.ADDED: terms.CREATED}


def test_identical_inputs_give_byte_identical_logs_and_streams(history, tmp_path, project_settings):
    folder, settings, first, second = history
    again = project.copy_project(tmp_path, project_settings)
    project.build_at(again, project.FIRST)
    project.change_and_add(tmp_path)
    second_again = project.build_at(again, project.SECOND)
    assert _log_bytes(again.build_dir) == _log_bytes(settings.build_dir)
    assert _stream_bytes(second_again) == _stream_bytes(second)


def test_rebuilding_the_same_input_appends_nothing(history, tmp_path, project_settings):
    folder, settings, first, second = history
    build_dir = tmp_path / "build"
    shutil.copytree(settings.build_dir, build_dir, symlinks=True)
    before = _log_bytes(build_dir)
    rebuilt = project.build_at(settings.replace(build_dir=build_dir), project.THIRD)
    assert rebuilt.manifest["history"]["stamp"] == second.manifest["history"]["stamp"]
    assert _log_bytes(build_dir) == before


def _copy(history, tmp_path):
    folder, settings, first, second = history
    build_dir = tmp_path / "build"
    shutil.copytree(settings.build_dir, build_dir, symlinks=True)
    project.remove_document(folder)  # a third release would have something to record
    return settings.replace(build_dir=build_dir), build_dir


@pytest.fixture
def restore_section(history):
    folder = history[0]
    path = folder / project.SECTION
    text = path.read_text(encoding="utf-8")
    yield
    path.write_text(text, encoding="utf-8")


def test_a_damaged_log_file_stops_the_build_naming_it(history, tmp_path, restore_section):
    settings, build_dir = _copy(history, tmp_path)
    damaged = build_dir / "history" / "releases" / f"{history[2].manifest['history']['stamp']}.nq"
    data = bytearray(damaged.read_bytes())
    data[100] ^= 1
    damaged.write_bytes(bytes(data))
    before = _log_bytes(build_dir)
    current = (build_dir / "current").resolve()
    with pytest.raises(BuildError) as stopped:
        project.build_at(settings, project.THIRD)
    assert str(damaged) in str(stopped.value) and "damaged" in str(stopped.value)
    assert _log_bytes(build_dir) == before and (build_dir / "current").resolve() == current


def test_a_missing_log_file_or_index_stops_the_build(history, tmp_path, restore_section):
    settings, build_dir = _copy(history, tmp_path)
    entries = build_dir / "history" / "releases" / f"{history[3].manifest['history']['stamp']}.tsv"
    entries.unlink()
    with pytest.raises(BuildError, match="missing from the history log"):
        project.build_at(settings, project.THIRD)
    shutil.rmtree(build_dir / "history")
    with pytest.raises(BuildError) as stopped:
        project.build_at(settings, project.THIRD)
    assert "history log is missing" in str(stopped.value) and history[3].manifest["history"]["stamp"] in str(stopped.value)
    assert not (build_dir / "history").exists()  # not started again over published versions


def test_a_damaged_index_is_reported_with_its_position(history, tmp_path, restore_section):
    settings, build_dir = _copy(history, tmp_path)
    index = build_dir / "history" / "index.json"
    index.write_text(index.read_text()[:-20])
    with pytest.raises(BuildError, match=r"index\.json:\d+:\d+: damaged"):
        project.build_at(settings, project.THIRD)


def test_a_published_release_is_never_appended_again(history):
    folder, settings, first, second = history
    log = HistoryLog.open(settings.build_dir / "history")
    from kgraph.history.log import HistoryError

    with pytest.raises(HistoryError, match="never rewritten"):
        log.append({"stamp": log.releases[0]["stamp"]}, folder / "nothing.nq", [])
    with pytest.raises(HistoryError, match="not later"):
        log.append({"stamp": "20000101T000000Z"}, folder / "nothing.nq", [])


def test_stamps_strictly_increase_when_source_dates_do_not(history, tmp_path, project_settings):
    settings = project.copy_project(tmp_path, project_settings)
    first = project.build_at(settings, project.SECOND)
    project.change_and_add(tmp_path)
    second = project.build_at(settings, project.FIRST)  # an older source date
    assert first.manifest["history"]["stamp"] == "20191231T000000Z"
    assert second.manifest["history"]["stamp"] == "20191231T000001Z"


def _shown(quads) -> tuple[int, set[str]]:
    """How many quads, and those without blank nodes (the store relabels blank nodes as it loads)."""
    import pyoxigraph as ox

    quads = list(quads)
    named = {str(q) for q in quads if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)}
    return len(quads), named


def _store_quads(release) -> tuple[int, set[str]]:
    import pyoxigraph as ox

    return _shown(ox.Store.read_only(str(release.path / "history-store")))


def _log_quads(build_dir, upto: int) -> tuple[int, set[str]]:
    import pyoxigraph as ox

    log = HistoryLog.open(build_dir / "history")
    return _shown(q for r in log.releases[:upto]
                  for q in ox.parse(path=str(log.file(r["members"]["file"])), format=ox.RdfFormat.N_QUADS))


def test_each_release_history_store_holds_exactly_the_log_so_far(history):
    """Loaded beside the stage (kgraph.history.store_loader): from scratch for the first release,
    the previous store copied plus the new members for the second."""
    folder, settings, first, second = history
    assert _store_quads(first) == _log_quads(settings.build_dir, 1)
    assert _store_quads(second) == _log_quads(settings.build_dir, 2)
    assert _store_quads(first)[1] < _store_quads(second)[1]


def test_without_a_previous_store_the_log_files_are_loaded_then_the_new_members(history, tmp_path, project_settings):
    folder, settings, first, second = history
    again = project.copy_project(tmp_path, project_settings)
    first_again = project.build_at(again, project.FIRST)
    shutil.rmtree(first_again.path / "history-store")  # nothing to copy: the second build reads the log
    project.change_and_add(tmp_path)
    second_again = project.build_at(again, project.SECOND)
    assert _store_quads(second_again) == _log_quads(again.build_dir, 2) == _log_quads(settings.build_dir, 2)


def test_a_loader_that_fails_says_why(tmp_path):
    from kgraph.history.store_loader import StoreLoader

    loader = StoreLoader(tmp_path / "store", [])
    loader.sink.write(b"<http://example.org/a> <http://example.org/b> \"unclosed .\n")
    with pytest.raises(OSError, match=r"history store could not be loaded: .*store"):
        loader.finish()


def test_a_build_without_the_history_neither_reads_nor_writes_the_log(history, tmp_path, restore_section):
    """history=False (benchmarks.history measures the stream's cost with it): the release says
    nothing of a history, has no members, and a log in the build folder is left as it was."""
    settings, build_dir = _copy(history, tmp_path)
    before = _log_bytes(build_dir)
    from kgraph.build import build
    plain = build(settings.replace(build_dir=build_dir), build_dir, history=False)
    assert "history" not in plain.manifest and "history" not in plain.manifest["stages"]
    assert not (plain.path / "history-members.nq").exists() and not (plain.path / "history-store").exists()
    assert _log_bytes(build_dir) == before
    # the same content with its history: the stage ran, in its own process, and reported
    with_history = build(settings.replace(build_dir=tmp_path / "again"), tmp_path / "again")
    assert with_history.manifest["stages"]["history"]["created"] > 0
    assert with_history.manifest["history"]["created"] == with_history.manifest["stages"]["history"]["created"]
