"""Material from outside the repository that the tests read, found through ONE setting: `shared_dir`.

`shared_dir` (default `../shared`, relative to kgraph.toml; overridden by KGRAPH_SHARED_DIR like
every key) holds the report's text (`seed/`) and published standards' test material
(`standards/`, never edited). Tests reach it through `shared_dir()` here or the `shared_dir`
fixture of tests/conftest.py, never through a path of their own.

Where some of it is absent, `check_material` returns ONE message naming what is missing and where
it is published; tests/conftest.py's pytest_configure stops the run with it (exit 2) before any test
is collected, instead of a FileNotFoundError per test. This module is also a pytest plugin
(`-p tests.shared_material`) so that the stop itself can be tested on a tiny test folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

import pytest

from kgraph.config import ConfigError, load_settings

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Material:
    """One piece of outside material: where it sits under shared_dir, what it is, where it is published."""

    path: str
    what: str
    source: str


W3C_TESTS = "https://github.com/w3c/rdf-tests (commit ad541a5f)"

MATERIAL: tuple[Material, ...] = (
    Material("seed/000_557579d2faabea49.txt", "the 2018 annual report's text",
             "the Kenniscentrum Vlaamse Steden's jaarverslag 2018 (plain text of its PDF; see seed/README.md)"),
    Material("standards/w3c-sparql11-protocol/manifest.ttl", "the W3C SPARQL 1.1 Protocol tests",
             f"{W3C_TESTS}, sparql/sparql11/protocol/"),
    Material("standards/w3c-sparql-tests/sparql11", "the W3C SPARQL 1.1 query, syntax and update tests",
             f"{W3C_TESTS}, sparql/sparql11/ and sparql/sparql10/{{dataset,syntax-sparql1..5}}/"),
    Material("standards/dcat-ap-3.0.1/shapes.ttl", "the DCAT-AP 3.0.1 SHACL shapes",
             "https://github.com/SEMICeu/DCAT-AP (commit 7c531da7), releases/3.0.1/html/shacl/"),
)


@lru_cache(maxsize=None)
def shared_dir() -> Path:
    """The `shared_dir` setting of the repository's kgraph.toml, KGRAPH_SHARED_DIR overriding it."""
    return load_settings(ROOT / "kgraph.toml", overrides=None).shared_dir


def shared_path(relative: str) -> Path:
    """A path under shared_dir, e.g. shared_path("standards/w3c-sparql11-protocol")."""
    return shared_dir() / relative


def check_material() -> str | None:
    """None when every piece of MATERIAL is present; else one message naming what is missing and its source."""
    try:
        folder = shared_dir()
    except ConfigError as exc:
        return f"kgraph tests: cannot read the shared_dir setting: {exc}"
    missing = [item for item in MATERIAL if not (folder / item.path).exists()]
    if not missing:
        return None
    lines = [
        f"kgraph tests: outside material is missing from shared_dir = {folder}"
        + (" (the folder does not exist)" if not folder.is_dir() else ""),
        "(set shared_dir in kgraph.toml or KGRAPH_SHARED_DIR to the folder that holds it):",
    ]
    lines += [f"  - {item.path}: {item.what}; published at {item.source}" for item in missing]
    return "\n".join(lines)


def stop_unless_present(*checks: Callable[[], str | None]) -> None:
    """Stop the whole run at once (exit 2) with the message of the first check that finds something
    missing (check_material here, tests.system_programs.check_programs)."""
    for check in checks:
        message = check()
        if message is not None:
            pytest.exit(message, returncode=2)


def pytest_configure(config: pytest.Config) -> None:
    """Stop the whole run at once, with one message, when outside material is missing."""
    stop_unless_present(check_material)
