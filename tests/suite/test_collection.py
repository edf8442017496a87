"""Every folder of tests/ that holds tests is collected by `make test`.

pytest leaves out folders whose names match `norecursedirs`, and its default list holds
"build": tests/build/ (the build's stages) was silently never run by the whole suite, only when
named on the command line."""

from __future__ import annotations

from fnmatch import fnmatch
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]


def test_no_test_folder_matches_norecursedirs(pytestconfig: pytest.Config):
    patterns = pytestconfig.getini("norecursedirs")
    folders = sorted({path.parent.relative_to(TESTS) for path in TESTS.rglob("test_*.py")})
    assert Path("build") in folders  # the folder that was left out
    left_out = [folder for folder in folders
                if any(fnmatch(part, pattern) for part in folder.parts for pattern in patterns)]
    assert not left_out, f"pytest would not collect {left_out} (norecursedirs = {patterns})"
