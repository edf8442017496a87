"""`kgraph validate PATH...` as the README's workflow uses it: part of the content validated in
the context of the rest, a broken copy reporting exactly its breach at file:line, files
outside the content checked against it, blank nodes placed through their named subject, and
the report in Dutch with --lang nl."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kgraph.cli import main

ROOT = Path(__file__).resolve().parents[2]
ORBA = Path("data/2018/03-project-orba.ttl")
SMART = Path("data/2018/07-smart-flanders.ttl")


@pytest.fixture()
def project(tmp_path, monkeypatch):
    """A copy of the content (ontology, data, shapes, config) to break, as the working folder."""
    for name in ("ontology", "data", "shapes", "kgraph.toml"):
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy
        copy(ROOT / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def kgraph(*args: str):
    return CliRunner().invoke(main, ["--config", "kgraph.toml", *args], catch_exceptions=False)


def replace_line(path: Path, number: int, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    assert old in lines[number - 1], lines[number - 1]
    lines[number - 1] = lines[number - 1].replace(old, new)
    path.write_text("\n".join(lines), encoding="utf-8")


def violations(output: str) -> list[str]:
    return [block for block in output.split("\n\n") if block.startswith("Violation:")]


@pytest.mark.parametrize("paths", [["data/2018"], [str(SMART)], []])
def test_validate_part_of_todays_data_reports_zero(project, paths):
    result = kgraph("validate", *paths)
    assert result.exit_code == 0, result.output
    assert "0 violation(s)" in result.output


def test_a_bad_date_reports_exactly_its_breach(project):
    replace_line(project / ORBA, 76, '"2018-11-09"^^xsd:date', '"2018-13-45"^^xsd:date')
    result = kgraph("validate", str(ORBA))
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "Failed to convert" not in result.output
    [found] = violations(result.output)
    assert f"in:      {ORBA}:76\n" in found
    assert "path:    schema:startDate" in found and "value:   2018-13-45" in found
    assert "1 violation(s)" in result.output


def test_a_missing_dutch_label_reports_exactly_its_breach(project):
    replace_line(project / ORBA, 74, '"Oefensessie ORBA (9 november 2018)"@nl , ', "")
    result = kgraph("validate", "data/2018")
    assert result.exit_code == 1
    [found] = violations(result.output)
    assert f"in:      {ORBA}:74\n" in found and "path:    rdfs:label" in found


def test_a_file_outside_the_content_is_checked_against_it(project, tmp_path):
    prefixes = [line for line in (project / ORBA).read_text().split("\n") if line.startswith("@prefix")]
    event = [
        "evenement:nieuwe-oefensessie a schema:Event , kg:Event ;",
        '    rdfs:label "Nieuwe oefensessie"@nl , "New practice session"@en ;',
        '    schema:startDate "2018-11-10"^^xsd:date ;',
        "    kg:eventOf activiteit:orba-oefensessies ;",  # stated in the content, not here
        "    dcterms:source sectie:jaarverslag-2018-03 .",
    ]
    new = tmp_path / "elsewhere" / "nieuw.ttl"
    new.parent.mkdir()
    new.write_text("\n".join(prefixes + event) + "\n")
    result = kgraph("validate", str(new))
    assert result.exit_code == 0, result.output
    assert not violations(result.output)  # no dangling links to the content it refers to
    event[3] = "    kg:eventOf activiteit:bestaat-niet ;"
    new.write_text("\n".join(prefixes + event) + "\n")
    result = kgraph("validate", str(new))
    assert result.exit_code == 1
    found = violations(result.output)  # the link, and what the shapes require of its target
    assert found and all(f"in:      elsewhere/nieuw.ttl:{len(prefixes) + 4}\n" in v for v in found), found


def test_a_finding_on_a_blank_node_names_its_subject_path_and_line(project):
    replace_line(project / SMART, 36, "prov:hadRole rol:uitvoerder ;", "")
    result = kgraph("validate", str(SMART))
    assert result.exit_code == 1
    [found] = violations(result.output)
    assert "via:     activiteit:smart-flanders prov:qualifiedAssociation" in found
    assert f"in:      {SMART}:34\n" in found  # the association with imec, not the first one
    assert "path:    prov:hadRole" in found


def test_lang_nl_translates_every_word(project):
    replace_line(project / ORBA, 76, '"2018-11-09"^^xsd:date', '"2018-13-45"^^xsd:date')
    result = kgraph("validate", "--lang", "nl", str(ORBA))
    assert result.exit_code == 1
    assert "Overtreding:" in result.output and "Waarschuwing:" in result.output
    assert re.search(r"1 overtreding\(en\), \d+ waarschuwing\(en\) \(\d+ bevinding\(en\) buiten", result.output)
    for english in ("Violation", "Warning", "path:", "value:", "message:", "shape:", "violation(s)",
                    "warning(s)", "outside", "An event"):
        assert english not in result.output, english
    for dutch in ("pad:", "waarde:", "melding:", "vorm:"):
        assert dutch in result.output
