"""What validation finds: one Finding type, one Report type, and the one way findings become a
report (deduplicated, attributed, sorted), whichever engine found them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Iterable

import rdflib

SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}

# Every word the report prints, per language (messages come translated from the shapes).
_WORDS = {
    "en": {"Violation": "Violation", "Warning": "Warning", "Info": "Info", "in": "in", "via": "via",
           "path": "path", "value": "value", "message": "message", "shape": "shape",
           "violations": "violation(s)", "warnings": "warning(s)",
           "elsewhere": "finding(s) outside the files asked for, not shown"},
    "nl": {"Violation": "Overtreding", "Warning": "Waarschuwing", "Info": "Info", "in": "in", "via": "via",
           "path": "pad", "value": "waarde", "message": "melding", "shape": "vorm",
           "violations": "overtreding(en)", "warnings": "waarschuwing(en)",
           "elsewhere": "bevinding(en) buiten de gevraagde bestanden, niet getoond"},
}
LANGUAGES = tuple(_WORDS)


def words(language: str) -> dict[str, str]:
    """The report's labels in language (English for a language kgraph has no labels in)."""
    return _WORDS.get(language, _WORDS["en"])


@dataclass(frozen=True)
class Finding:
    """One SHACL result: severity, focus node, path, value, message and shape, as pyshacl would
    report them; `sources` are the file:line places that state the focus node, and `via`, for
    a focus node that is a blank node, the nearest named subject and the path from it."""

    severity: str
    focus: str
    path: str | None
    value: str | None
    message: str
    shape: str
    sources: tuple[str, ...] = ()
    via: str | None = None

    def files(self) -> tuple[str, ...]:
        """The files of `sources`, without their line numbers."""
        return tuple(place.rsplit(":", 1)[0] if place.rsplit(":", 1)[-1].isdigit() else place
                     for place in self.sources)

    def describe(self, language: str = "en") -> str:
        """A few lines for people: severity, focus node and its files, path, value, message."""
        w = words(language)
        lines = [f"{w.get(self.severity, self.severity)}: {self.focus}"]
        labels = [("in", ", ".join(self.sources)), ("via", self.via), ("path", self.path),
                  ("value", self.value), ("message", self.message), ("shape", self.shape)]
        width = max(len(w[key]) for key, _ in labels) + 2
        for key, text in labels:
            if text or key in ("message", "shape"):
                lines.append(f"  {(w[key] + ':').ljust(width)}{text or ''}".rstrip())
        return "\n".join(lines)


class Report:
    """All findings of a validation run; it conforms when there is no Violation. `elsewhere`
    counts findings left out because they are outside the files asked for.

    A report made with `place` (report_of with an attribution) places its findings in their
    files when they are first read: the build only counts its warnings (97k at 10M triples,
    a third of validation's time when each was placed), and placing does not change a
    finding's severity, so `conforms` and `count` need no places."""

    def __init__(self, findings: Iterable[Finding] = (), elsewhere: int = 0,
                 place: Callable[[Finding], Finding] | None = None):
        self._findings = list(findings)
        self._place = place
        self.elsewhere = elsewhere

    @property
    def findings(self) -> list[Finding]:
        """The findings, placed and in the report's order (sort_key)."""
        if self._place is not None:
            self._findings = sorted((self._place(f) for f in self._findings), key=sort_key)
            self._place = None
        return self._findings

    @property
    def placed(self) -> bool:
        """Whether the findings are placed (or were made without an attribution)."""
        return self._place is None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Report):
            return NotImplemented
        return self.findings == other.findings and self.elsewhere == other.elsewhere

    def __repr__(self) -> str:
        return f"Report({len(self._findings)} findings, elsewhere={self.elsewhere})"

    @property
    def conforms(self) -> bool:
        return not any(f.severity == "Violation" for f in self._findings)

    def count(self, severity: str) -> int:
        return sum(1 for f in self._findings if f.severity == severity)

    def text(self, language: str = "en") -> str:
        """The whole report as text, violations first, every word in language."""
        w = words(language)
        blocks = [f.describe(language) for f in self.findings]
        summary = f"{self.count('Violation')} {w['violations']}, {self.count('Warning')} {w['warnings']}"
        if self.elsewhere:
            summary += f" ({self.elsewhere} {w['elsewhere']})"
        return "\n\n".join([*blocks, summary]) if blocks else summary

    def only(self, keep: Callable[[Finding], bool]) -> "Report":
        """The findings keep accepts; the others counted in `elsewhere`."""
        kept = [f for f in self.findings if keep(f)]
        return Report(kept, self.elsewhere + len(self.findings) - len(kept))

    def counted(self) -> "Report":
        """This report, or if its findings are not placed yet, one that only counts them: it
        lets go of the attribution (and with it the store it reads)."""
        if self._place is None:
            return self
        return Report(self._findings, self.elsewhere, place=_unplaceable)


def _unplaceable(finding: Finding) -> Finding:
    raise RuntimeError("this report only counts its findings: they were not placed while the store was open")


def short_term(term: rdflib.term.Node | None, graph: rdflib.Graph) -> str | None:
    """A term as findings show it: IRIs with the graph's prefixes, literals as their text,
    blank nodes as _:label."""
    if term is None:
        return None
    if isinstance(term, rdflib.URIRef):
        return term.n3(graph.namespace_manager)
    return str(term) if isinstance(term, rdflib.Literal) else term.n3()


def sort_key(f: Finding) -> tuple:
    """The report's order: severity, files, focus, shape, message, path, value."""
    return (SEVERITY_ORDER.get(f.severity, 9), f.sources, f.focus, f.shape, f.message, f.path or "", f.value or "")


def report_of(findings: Iterable[Finding], attribute: Callable[[Finding], Finding] | None = None) -> Report:
    """The report of an engine's findings, duplicates dropped (one constraint component per
    broken facet would repeat a finding), sorted by sort_key; with attribute, each is placed
    (its sources and via filled in) when the report's findings are first read.

    Dropping duplicates before placing them drops the same ones: a place depends only on a
    finding's focus, path and value, and engines give findings without places."""
    unique = list(dict.fromkeys(replace(found, sources=(), via=None) for found in findings))
    if attribute is None:
        return Report(sorted(unique, key=sort_key))
    return Report(unique, place=attribute)
