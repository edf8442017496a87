"""Content input (the parse stage): a byte-order mark is skipped, an empty file is a warning
(printed by `kgraph build` and `kgraph validate`), and every refusal names file:line:col."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kgraph.build import SourceError, inputs, parse
from kgraph.build.parse import BOM, _in_workers as in_workers, parse_into, parse_statements
from kgraph.build.spool import Spool
from kgraph.cli import main

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://data.kenniscentrumvlaamsesteden.be/"
TURTLE = '@prefix ex: <http://example.org/> .\nex:a ex:b "c" .\n'


def test_a_byte_order_mark_is_skipped(tmp_path):
    plain, marked = tmp_path / "plain.ttl", tmp_path / "marked.ttl"
    plain.write_text(TURTLE, encoding="utf-8")
    marked.write_bytes(BOM + TURTLE.encode())
    assert parse_statements(marked, BASE) == parse_statements(plain, BASE) != []


def test_an_error_after_a_byte_order_mark_is_placed_as_without_it(tmp_path):
    marked = tmp_path / "marked.ttl"
    marked.write_bytes(BOM + b'@prefix ex: <http://example.org/> .\nex:a ex:b "c" \nex:d ex:e ex:f .\n')
    with pytest.raises(SourceError) as raised:
        parse_statements(marked, BASE)
    assert str(raised.value).startswith(f"{marked}:3:1: ")
    assert "\ufeff" not in str(raised.value)


@pytest.mark.parametrize("content, where", [
    (b'@prefix ex: <http://example.org/> .\nex:a ex:b "c" \nex:d ex:e ex:f .\n', ":3:1: "),
    (b'@prefix ex: <http://example.org/> .\nex:a ex:b "ca\xfft" .\n', ":2:14: not UTF-8 text"),
    (b'@prefix ex: <http://example.org/> .\nex:a ex:b "c" .\nex:a nope:b "c" .\n', ":3:"),
    (b"\xef\xbb", ":1:1: not UTF-8 text"),
])
def test_every_refusal_names_file_line_and_column(tmp_path, content, where):
    bad = tmp_path / "bad.ttl"
    bad.write_bytes(content)
    with pytest.raises(SourceError) as raised:
        parse_statements(bad, BASE)
    message = str(raised.value)
    assert message.startswith(f"{bad}{where}"), message
    assert raised.value.line is not None and raised.value.column is not None


def test_an_empty_file_is_a_warning_of_build_and_validate(tmp_path, monkeypatch):
    for name in ("ontology", "data", "shapes"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "kgraph.toml", tmp_path)
    monkeypatch.chdir(tmp_path)
    empty = Path("data/2018/25-leeg.ttl")
    empty.write_text("# nothing yet\n")
    runner = CliRunner()
    for args in (["validate"], ["validate", str(empty)], ["build", "--out", "out"]):
        result = runner.invoke(main, ["--config", "kgraph.toml", *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert f"warning: {empty.resolve()}:1:1: the file states nothing" in result.stderr, (args, result.stderr)


def _spool_bytes(settings, path: Path) -> tuple[bytes, list, list, set]:
    """The spool of the project's content: its statements without blank nodes as written, the
    labelled ones (in the order RDFC-1.0's output happens to take: sorted), the byte ranges of
    those, and the typed literals."""
    spool = Spool(path)
    parse_into(spool, inputs.discover(settings.ontology_dir, settings.data_dir, settings.base), settings.base)
    spool.label_blank_nodes()
    spool.close()
    written = path.read_bytes()
    (start, end), = spool.blank_ranges
    return written[:start], sorted(written[start:end].splitlines()), spool.blank_ranges, spool.literals


def test_files_parsed_by_worker_processes_give_the_same_spool(project_settings, tmp_path, monkeypatch):
    in_one = _spool_bytes(project_settings, tmp_path / "one.nq")
    used = []
    monkeypatch.setattr(parse, "PARALLEL_PARSE_BYTES", 0)
    monkeypatch.setattr(parse, "_in_workers", lambda *args: used.append(True) or in_workers(*args))
    in_workers_spool = _spool_bytes(project_settings, tmp_path / "workers.nq")
    assert used == [True]
    assert in_workers_spool == in_one and in_one[0] and in_one[1]


def test_a_refusal_in_a_worker_process_names_file_line_and_column(tmp_path, monkeypatch):
    good, bad = tmp_path / "good.ttl", tmp_path / "bad.ttl"
    good.write_text(TURTLE, encoding="utf-8")
    bad.write_bytes(b'@prefix ex: <http://example.org/> .\nex:a ex:b "c" \nex:d ex:e ex:f .\n')
    monkeypatch.setattr(parse, "PARALLEL_PARSE_BYTES", 0)
    found = [inputs.Source(p, "data", f"{BASE}graph/data/{p.stem}") for p in (good, bad)]
    with pytest.raises(SourceError) as raised:
        parse_into(Spool(tmp_path / "spool.nq"), found, BASE)
    assert str(raised.value).startswith(f"{bad}:3:1: ")
    assert (raised.value.path, raised.value.line, raised.value.column) == (bad, 3, 1)
