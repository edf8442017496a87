"""`kgraph validate` (kgraph.build.check) finds what the build finds: finding for finding on
the whole shapes test corpus and on the real data, every finding placed at file:line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from kgraph.build import BuildError, build
from kgraph.build.check import check_files

ROOT = Path(__file__).resolve().parents[2]
CASES = sorted((ROOT / "tests" / "shapes" / "cases").glob("*.ttl"))


def build_report(settings, out: Path):
    """The validation report of a build of settings' content (whether it conforms or not)."""
    reports = []
    try:
        build(settings.replace(build_dir=out), out, reported=reports.append)
    except BuildError as exc:
        assert exc.report is not None, exc
        assert reports == [exc.report]
    return reports[0]


def test_validate_and_build_agree_on_the_real_data(project_settings, tmp_path):
    built = build_report(project_settings, tmp_path / "build")
    checked = check_files(project_settings, [])
    assert checked.findings == built.findings
    assert built.conforms and built.count("Warning") == len(built.findings) > 0
    assert all(re.fullmatch(r"data/.+\.ttl:\d+", place) for f in built.findings for place in f.sources)


def test_validate_and_build_agree_on_the_whole_shapes_corpus(project_settings, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(ROOT / "tests" / "shapes" / "background.ttl", data)
    for case in CASES:
        shutil.copy(case, data)
    settings = project_settings.replace(data_dir=data)
    built = build_report(settings, tmp_path / "build")
    checked = check_files(settings, [])
    assert not built.conforms and built.count("Violation") > len(CASES) / 2
    assert checked.findings == built.findings
    # and the files asked for get exactly their own findings
    one = data / CASES[0].name
    own = check_files(settings, [one])
    assert own.findings == [f for f in built.findings if str(one) in f.files() or
                            any(Path(p).resolve() == one.resolve() for p in f.files())]
    assert own.elsewhere == len(built.findings) - len(own.findings)


@pytest.mark.parametrize("paths", [["data/2018"], ["data/2018/07-smart-flanders.ttl"], ["data/shared", "data/2018"]])
def test_the_readme_workflow_reaches_zero_on_todays_data(project_settings, paths, monkeypatch):
    monkeypatch.chdir(ROOT)
    report = check_files(project_settings, [Path(p) for p in paths])
    assert report.conforms and report.count("Violation") == 0
    assert all(any(f.startswith(paths[0].rstrip("/")) or len(paths) > 1 for f in x.files()) for x in report.findings)
