"""The system programs the suite runs as real peers and clients, checked before the run starts.

`.ci/run` installs them with apt-get (they are Debian packages, not PyPI or npm ones). Where one
is missing, `check_programs` returns ONE message naming each missing program, what needs it and
the package it comes from; tests/conftest.py's pytest_configure stops the run with it (exit 2),
as it does for missing outside material (tests/shared_material.py), instead of some 200 tests
failing one by one with FileNotFoundError. This module is also a pytest plugin
(`-p tests.system_programs`) so that the stop itself can be tested on a tiny test folder.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass

import pytest

from tests.shared_material import stop_unless_present


@dataclass(frozen=True)
class Program:
    """A program on the PATH (or in /usr/sbin, where Debian puts nginx), its package and its users."""

    name: str
    package: str
    used_by: str
    setting: str | None = None  # an environment variable that may name the program instead


PROGRAMS: tuple[Program, ...] = (
    Program("virtuoso-t", "virtuoso-opensource", "the Virtuoso peer of tests/backend, tests/linking and the benchmarks"),
    Program("isql-vt", "virtuoso-opensource", "loading that peer (tests/linking, the benchmarks)"),
    Program("nginx", "nginx", "the caching proxy in front of two replicas (tests/deploy, tests/bench)"),
    Program("wrk", "wrk", "the load of the benchmark smoke tests (tests/bench)"),
    Program("chromium", "chromium", "the headless browser of tests/browser", setting="KGRAPH_CHROMIUM"),
)


def find(program: Program) -> str | None:
    """Where program is: its setting's path, on the PATH, or in /usr/sbin (not on a user's PATH on Debian)."""
    given = os.environ.get(program.setting) if program.setting else None
    if given:
        return shutil.which(given)
    return shutil.which(program.name, path=os.environ.get("PATH", "") + os.pathsep + "/usr/sbin")


def check_programs() -> str | None:
    """None when every program of PROGRAMS is found; else one message naming the missing ones."""
    missing = [program for program in PROGRAMS if find(program) is None]
    if not missing:
        return None
    packages = " ".join(dict.fromkeys(program.package for program in missing))
    lines = ["kgraph tests: system programs the suite runs are missing (install them as .ci/run does: "
             f"apt-get install {packages}):"]
    lines += [f"  - {program.name} (Debian package {program.package}): {program.used_by}" for program in missing]
    return "\n".join(lines)


def pytest_configure(config: pytest.Config) -> None:
    """Stop the whole run at once, with one message, when a system program is missing."""
    stop_unless_present(check_programs)
