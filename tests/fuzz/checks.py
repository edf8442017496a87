"""What every response must be, whatever was asked (issue 10 points 2, 7 and 10).

Each property is its own function with its own assert, so hypothesis reports distinct failures
apart (it tells bugs apart by where the assertion fails) instead of stopping at the first kind.
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from tests.fuzz.strategies import SCRIPT_OPEN, FuzzRequest

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Answer:
    """A response, reduced to what the checks look at (from the test client or a raw connection)."""

    status: int
    headers: Mapping[str, str]  # case-insensitive lookups are done by the caller's mapping type
    body: bytes

    def excerpt(self, limit: int = 200) -> str:
        return self.body[:limit].decode("utf-8", "replace")


def machine_paths(*extra: Path) -> tuple[str, ...]:
    """Filesystem paths of this machine that no response may carry."""
    paths = {str(ROOT), sys.prefix, str(Path(sys.executable).parent), tempfile.gettempdir() + "/", "/root/",
             "site-packages", *(str(p) for p in extra)}
    return tuple(sorted(paths))


def _said(request: FuzzRequest, needle: str) -> bool:
    """Whether the request itself carries `needle` (an echo of it is not a leak)."""
    sent = request.target + " " + " ".join(v for _, v in request.headers) + " " + request.body.decode("utf-8", "replace")
    return needle in sent


def no_server_error(request: FuzzRequest, answer: Answer) -> None:
    """No status >= 500, except the documented 503 (busy or timed out), which says when to retry."""
    if answer.status == 503:
        assert "Retry-After" in answer.headers, f"503 without Retry-After: {request.describe()} -> {answer.excerpt()!r}"
        return
    assert answer.status < 500, f"{answer.status}: {request.describe()} -> {answer.excerpt()!r}"


def nosniff(request: FuzzRequest, answer: Answer) -> None:
    """Every response says X-Content-Type-Options: nosniff."""
    assert answer.headers.get("X-Content-Type-Options") == "nosniff", (
        f"no X-Content-Type-Options: nosniff on {answer.status}: {request.describe()}")


def no_machine_path(request: FuzzRequest, answer: Answer, paths: tuple[str, ...]) -> None:
    """No body names a file or folder of the machine (the worktree, the venv, /tmp/, /root/)."""
    text = answer.body.decode("utf-8", "replace")
    leaked = [p for p in paths if p in text and not _said(request, p)]
    assert not leaked, f"{answer.status} body names {leaked}: {request.describe()} -> {answer.excerpt(400)!r}"


def no_traceback(request: FuzzRequest, answer: Answer) -> None:
    """No body carries a Python traceback."""
    assert b"Traceback (most recent call last)" not in answer.body, (
        f"{answer.status} body has a traceback: {request.describe()} -> {answer.excerpt(400)!r}")


def no_unescaped_script(request: FuzzRequest, answer: Answer) -> None:
    """Echoed markup comes back escaped (or not at all), in every content type."""
    # The marker's opening half: a path splits the whole marker at its "/", so an echoed segment may
    # carry only this much of it. No page of kgraph's own has it.
    assert SCRIPT_OPEN.encode() not in answer.body, (
        f"{answer.status} {answer.headers.get('Content-Type')} echoes <script> unescaped: {request.describe()}")


def check_answer(request: FuzzRequest, answer: Answer, paths: tuple[str, ...]) -> None:
    """The safety properties, gravest first. `nosniff` is checked by tests of its own, so that its
    absence (on every response until it is added) cannot hide the rarer failures from hypothesis."""
    no_server_error(request, answer)
    no_traceback(request, answer)
    no_machine_path(request, answer, paths)
    no_unescaped_script(request, answer)
