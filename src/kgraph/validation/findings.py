"""What validation finds: one Finding type, one Report type, and the one way findings become a
report (deduplicated, attributed, sorted), whichever engine found them."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
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


@dataclass
class Report:
    """All findings of a validation run; it conforms when there is no Violation. `elsewhere`
    counts findings left out because they are outside the files asked for."""

    findings: list[Finding] = field(default_factory=list)
    elsewhere: int = 0

    @property
    def conforms(self) -> bool:
        return not any(f.severity == "Violation" for f in self.findings)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

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
    """The report of an engine's findings: each attributed (its sources and via filled in),
    duplicates dropped (one constraint component per broken facet would repeat a finding),
    sorted by sort_key."""
    report = Report()
    seen: set[Finding] = set()
    for found in findings:
        finding = attribute(found) if attribute else replace(found, sources=(), via=None)
        if finding not in seen:
            seen.add(finding)
            report.findings.append(finding)
    report.findings.sort(key=sort_key)
    return report
