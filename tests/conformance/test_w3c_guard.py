"""The SERVICE / LOAD guard over every query and update of the W3C SPARQL suites.

Every positive syntax test and every evaluation query without SERVICE / LOAD must pass the
guard untouched; every one with SERVICE (or, in updates, LOAD) must be refused; negative syntax
tests may pass (the engine refuses them) or be refused, but never crash the guard. Whether a
text holds SERVICE / LOAD is decided here independently, by rdflib's parse tree.
"""

from __future__ import annotations

import re

import pytest

from kgraph.sparql import guard
from kgraph.sparql.errors import ForbiddenOperation, QueryError
from tests.conformance.w3c_suite import SYNTAX_FOLDERS, entries, evaluation_folders

FOLDERS = SYNTAX_FOLDERS + evaluation_folders()


FETCHING_FOLDERS = ("sparql11/syntax-fed", "sparql11/service")


def _fetches(text: str, is_update: bool, folder: str) -> bool:
    """Whether rdflib's parse tree of the text has a SERVICE (or LOAD) node.

    rdflib cannot parse every test (nested SERVICE overflows its recursion): those are judged by
    their folder, the manifests' own grouping of the federation tests.
    """
    try:
        return _tree_fetches(text, is_update)
    except Exception:  # noqa: BLE001 - rdflib's own failures, not the guard's
        return folder in FETCHING_FOLDERS


def _tree_fetches(text: str, is_update: bool) -> bool:
    if not re.search(r"service|load", text, re.IGNORECASE):
        return False
    from rdflib.plugins.sparql import parser
    from rdflib.plugins.sparql.parserutils import CompValue

    tree = parser.parseUpdate(text) if is_update else parser.parseQuery(text)
    stack, seen = [tree], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, CompValue) and node.name in ("ServiceGraphPattern", "Load"):
            return True
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
            stack.extend(list(node))
    return False


@pytest.mark.parametrize("folder", FOLDERS)
def test_guard_over_w3c_suite(folder, w3c_counts):
    problems = []
    for entry in entries(folder):
        if not entry.query.is_file():
            continue
        text = entry.query.read_text(encoding="utf-8")
        try:
            guard.check(text, allowlist=(), is_update=entry.is_update)
            outcome = "passed"
        except ForbiddenOperation:
            outcome = "refused"
        except QueryError as exc:
            outcome = f"refused otherwise ({type(exc).__name__}: {exc})"
        except Exception as exc:  # noqa: BLE001 - the point: the guard must never crash
            problems.append(f"{entry.id}: the guard crashed: {type(exc).__name__}: {exc}")
            continue
        w3c_counts[f"guard {outcome.split(' (')[0]}"] += 1
        if not entry.positive:
            continue
        expected = "refused" if _fetches(text, entry.is_update, folder) else "passed"
        if outcome != expected:
            problems.append(f"{entry.id} ({entry.query.name}): {outcome}, expected {expected}")
    assert not problems, "\n".join(problems)
