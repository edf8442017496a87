"""Where a Turtle file states something: the line of a subject, and of a subject's predicate.

The RDF parsers give statements, not positions. Attribution only needs the line of a
statement's subject and predicate, so this splits the text into statements (`subject p o ;
p o .`) and their predicate parts with a regular expression that knows Turtle's strings, IRIs
and comments, and resolves each subject and predicate token with the file's prefixes. It runs
only for files that have findings.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import urljoin

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

# The tokens that decide the structure: long and short strings, IRIs, comments, escapes in
# prefixed names, brackets, ';' and a '.' that ends a statement (followed by space, '#' or the
# end: in a prefixed name or a decimal a '.' is followed by a name character or a digit).
_TOKEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""' r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"' r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\s]*>|#[^\n]*|\\\S|[\[\]();]|\.(?=[\s#]|$)', re.S)
_SPARQL_DIRECTIVE = re.compile(r"(?:(?:PREFIX|BASE)\s[^<]*<[^>]*>\s*)+", re.I)
_PREFIX = re.compile(r"(?:@prefix|PREFIX|prefix)\s+([^\s:]*):\s*<([^>]*)>")
_TERM = re.compile(r"<[^>]*>|[^\s;,\[\]()]+")


@dataclass
class FileLines:
    """The lines of one Turtle file's subjects, and of the (subject, predicate) pairs of the
    subjects asked about (their predicates are resolved when first asked for)."""

    subjects: dict[str, int] = field(default_factory=dict)
    predicates: dict[tuple[str, str], list[tuple[int, str]]] = field(default_factory=dict)
    # per subject, the statements not yet split into predicates: (start, end, ';' positions)
    pending: dict[str, list[tuple[int, int, list[int]]]] = field(default_factory=dict)
    parts_of: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # every part, per subject
    text: str = ""
    resolve: Callable[[str], str | None] = lambda token: None  # a token as an IRI
    line: Callable[[int], int] = lambda position: 0  # a position's line

    def _split(self, subject: str) -> None:
        for start, end, parts in self.pending.pop(subject, ()):
            _predicates(self.text, subject, start, end, parts, self.resolve, self.line, self)

    def line_of(self, subject: str, predicate: str | None = None, value: str | None = None,
                hints: tuple[str, ...] = ()) -> int | None:
        """The line that states subject's predicate (its value's line, if the value is written
        on a line of its own), else the subject's first line; None if the file has neither.
        Where the predicate is stated more than once, the statement whose text holds the most
        of hints (and of value) is taken."""
        self._split(subject)
        parts = self.predicates.get((subject, predicate)) if predicate else None
        if not parts and value:  # e.g. an inferred superproperty: where the file states the value
            local = _local(value)
            parts = [part for part in self.parts_of.get(subject, ())
                     if value in part[1] or (local and local in part[1])]
        if not parts:
            return self.subjects.get(subject)
        wanted = [h for h in (*hints, _local(value) if value else "") if h]
        line, text = max(parts, key=lambda part: sum(h in part[1] for h in wanted)) if wanted else parts[0]
        if value:
            local = _local(value)
            for offset, row in enumerate(text.split("\n")):
                if value in row or (local and local in row):
                    return line + offset
        return line


def _local(term: str) -> str:
    """The part of a term as findings show it that a file would have written: a prefixed
    name's local part, a literal's text."""
    return term.split(":", 1)[-1] if not term.startswith(("<", '"', "http")) else term


def _skip_space_and_comments(text: str, start: int, end: int) -> int:
    while start < end:
        while start < end and text[start].isspace():
            start += 1
        if start < end and text[start] == "#":
            newline = text.find("\n", start, end)
            start = end if newline < 0 else newline + 1
            continue
        match = _SPARQL_DIRECTIVE.match(text, start, end)
        if match and match.end() > start:
            start = match.end()
            continue
        return start
    return start


def index_file(path: Path, base: str) -> FileLines:
    """The subject and predicate lines of a Turtle file (empty if it cannot be read)."""
    try:
        text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    except (OSError, UnicodeDecodeError):
        return FileLines()
    prefixes = {m.group(1): urljoin(base, m.group(2)) for m in _PREFIX.finditer(text)}
    newlines = [m.start() for m in re.finditer("\n", text)]

    def line(position: int) -> int:
        return bisect.bisect_left(newlines, position) + 1

    def resolve(token: str) -> str | None:
        if token == "a":
            return RDF_TYPE
        if token.startswith("<"):
            return urljoin(base, token[1:-1])
        if ":" in token and not token.startswith("_:"):
            prefix, local = token.split(":", 1)
            namespace = prefixes.get(prefix)
            if namespace is None:
                return None
            return namespace + (re.sub(r"\\(.)", r"\1", local) if "\\" in local else local)
        return None

    found = FileLines(text=text, resolve=resolve, line=line)
    depth, start, parts = 0, 0, []
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in "[(":
            depth += 1
        elif token in "])":
            depth -= 1
        elif token == ";" and depth == 0:
            parts.append(match.start())
        elif token == "." and depth == 0:
            _statement(text, start, match.start(), parts, resolve, line, found)
            start, parts = match.end(), []
    return found


def _statement(text, start, end, parts, resolve, line, found: FileLines) -> None:
    """Record the subject of one statement text[start:end] (split at parts, its ';')."""
    start = _skip_space_and_comments(text, start, end)
    if text.startswith(("@prefix", "@base"), start):
        return
    subject_token = _TERM.match(text, start, end)
    subject = resolve(subject_token.group()) if subject_token else None
    if subject is None:
        return  # a blank node subject: findings on it are placed through the named subject
    found.subjects.setdefault(subject, line(start))
    found.pending.setdefault(subject, []).append((subject_token.end(), end, parts))


def _predicates(text, subject, start, end, parts, resolve, line, found: FileLines) -> None:
    """Record the lines of the predicates of one statement about subject."""
    for begin, stop in zip([start, *[p + 1 for p in parts]], [*parts, end]):
        begin = _skip_space_and_comments(text, begin, stop)
        predicate_token = _TERM.match(text, begin, stop)
        predicate = resolve(predicate_token.group()) if predicate_token else None
        part = (line(begin), text[begin:stop])
        found.parts_of.setdefault(subject, []).append(part)
        if predicate:
            found.predicates.setdefault((subject, predicate), []).append(part)
