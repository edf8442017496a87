"""What a build reports: a line per stage (Stage), and BuildError when it stops."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:  # the validation package is imported by the validate stage, when it runs
    from kgraph.validation import Report


class BuildError(RuntimeError):
    """The build stopped; the previous release is untouched. `report` is set for violations."""

    def __init__(self, message: str, report: "Report | None" = None):
        super().__init__(message)
        self.report = report


@dataclass(frozen=True)
class Stage:
    """What one stage did: its name, what it counted and how long it took."""

    name: str
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        counts = ", ".join(f"{v} {k}" for k, v in self.counts.items())
        return f"{self.name:<12} {counts:<60} {self.seconds:7.2f} s"


Progress = Callable[[Stage], None]


def timed(name: str, progress: Progress | None, work: Callable[[], dict[str, int]]) -> Stage:
    """Run one stage's work, timed; tell progress."""
    started = time.perf_counter()
    counts = work()
    stage = Stage(name, time.perf_counter() - started, counts)
    if progress:
        progress(stage)
    return stage
