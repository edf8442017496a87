"""Concise bounded descriptions of the publishable resources, from the sorted N-Quads dump.

A resource's description is the set of statements with it as subject and, recursively, those
of the blank nodes they reach, over every named graph but the dataset's metadata. Blank nodes
are relabelled from their content and their place under the resource (a hash), so a
description's bytes depend on that resource's statements alone: a change elsewhere in the
graph (which shifts the dump's RDFC-1.0 labels) changes no other resource's description.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

BLANK = b"_:"


@dataclass(frozen=True)
class Description:
    """A resource and its statements (N-Triples lines, sorted, without line ends)."""

    resource: str
    lines: tuple[bytes, ...]

    @property
    def digest(self) -> str:
        return hashlib.sha256(b"\n".join(self.lines)).hexdigest()


def _split(line: bytes) -> tuple[bytes, bytes, bytes, bytes]:
    """Subject, predicate, object and graph of one N-Quads line of the dump (graph always named)."""
    subject, predicate, rest = line.split(b" ", 2)
    if not rest.endswith(b" .\n"):
        raise ValueError(f"not an N-Quads statement: {line[:80]!r}")
    obj, _, graph = rest[:-3].rpartition(b" <")
    return subject, predicate, obj, graph[:-1]


def _first_blank_line(data, size: int) -> int:
    """The offset of the first line whose subject is a blank node: in the sorted dump they all
    come last (b"_" sorts after b"<"), so a binary search over line starts finds it."""
    low, high = 0, size
    while low < high:
        middle = (low + high) // 2
        data.seek(middle)
        if middle:
            data.readline()  # to the next line start
        start = data.tell()
        line = data.readline()
        if not line or line.startswith(BLANK):
            high = middle
        else:
            low = start + len(line) if start >= middle else middle + 1
    data.seek(low)
    if low:
        data.seek(low - 1)
        if data.read(1) != b"\n":
            data.readline()
    return data.tell()


def blank_statements(lines, excluded: bytes) -> dict[bytes, set[tuple[bytes, bytes]]]:
    """Every blank node's statements (predicate, object), from the dump's blank-node lines."""
    found: dict[bytes, set[tuple[bytes, bytes]]] = {}
    for line in lines:
        subject, predicate, obj, graph = _split(line)
        if graph != excluded:
            found.setdefault(subject, set()).add((predicate, obj))
    return found


class _Labeller:
    """Content-derived labels for the blank nodes of one description."""

    def __init__(self, blanks: dict[bytes, set[tuple[bytes, bytes]]]):
        self.blanks = blanks
        self.signatures: dict[bytes, bytes] = {}

    def signature(self, node: bytes, path: frozenset[bytes] = frozenset()) -> bytes:
        """What a blank node says, its nested blank nodes written out (a cycle as a marker)."""
        if node in self.signatures:
            return self.signatures[node]
        parts = []
        for predicate, obj in self.blanks.get(node, ()):
            if obj.startswith(BLANK):
                nested = b"_:cycle" if obj in path or obj == node else b"[" + self.signature(obj, path | {node}) + b"]"
                parts.append(predicate + b" " + nested)
            else:
                parts.append(predicate + b" " + obj)
        signature = b";".join(sorted(parts))
        if not path:
            self.signatures[node] = signature
        return signature

    def describe(self, resource: str, statements: set[tuple[bytes, bytes]],
                 written_out: Iterable[bytes] = ()) -> Description:
        """The resource's description with its blank nodes relabelled; written_out: statements
        of the resource whose object is no blank node, as lines already ("<s> <p> o .")."""
        subject = b"<" + resource.encode() + b">"
        labels: dict[bytes, bytes] = {}
        lines: list[bytes] = list(written_out)
        pending = [(subject, subject, statements)]
        while pending:
            owner, written, said = pending.pop()
            seen: dict[bytes, int] = {}
            blank = []
            for predicate, obj in said:
                if obj.startswith(BLANK):
                    blank.append((predicate, obj))
                else:
                    lines.append(written + b" " + predicate + b" " + obj + b" .")
            # identical sibling blank nodes are interchangeable: number them in signature order
            for predicate, obj in sorted(blank, key=lambda po: (po[0], self.signature(po[1]), po[1])):
                if obj not in labels:
                    key = written + b" " + predicate + b" " + self.signature(obj)
                    seen[key] = seen.get(key, -1) + 1
                    digest = hashlib.sha256(key + b" %d" % seen[key]).hexdigest()[:24]
                    labels[obj] = b"_:h" + digest.encode()
                    pending.append((obj, labels[obj], self.blanks.get(obj, set())))
                lines.append(written + b" " + predicate + b" " + labels[obj] + b" .")
        return Description(resource, tuple(sorted(set(lines))))

    def _key(self, obj: bytes) -> bytes:
        return self.signature(obj) if obj.startswith(BLANK) else b""


def descriptions(path: Path, base_prefix: str, excluded_graph: str) -> Iterator[Description]:
    """The description of every IRI subject under base_prefix in the sorted N-Quads file, in
    IRI order (each line is read once). ValueError if the file is not sorted by subject."""
    excluded = excluded_graph.encode()
    wanted = b"<" + base_prefix.encode()
    with open(path, "rb") as data:
        size = data.seek(0, 2)
        blanks_at = _first_blank_line(data, size)
        labeller = _Labeller(blank_statements(data, excluded))
        data.seek(0)
        current: bytes | None = None
        said: set[tuple[bytes, bytes]] = set()  # the current resource's statements with a blank object
        plain: set[bytes] = set()  # and its others, as description lines (a set: a triple in several graphs once)
        done: bytes = b""
        skipped: bytes | None = None  # the last subject found not to be a resource (a '#' or '?' IRI)
        in_excluded = b" <" + excluded + b"> .\n"
        # The loop is the stage's hottest Python (one pass over every line of the dump): each line
        # is split once, by hand rather than by _split, and a subject is checked when it changes.
        for line in data:
            if not line.startswith(wanted):
                if line.startswith(BLANK):
                    break  # the blank nodes' lines (read above, from blanks_at) come last in the sorted dump
                continue
            if line.endswith(in_excluded):
                continue
            subject, predicate, rest = line.split(b" ", 2)
            if subject != current:
                if subject == skipped:
                    continue
                if b"#" in subject or b"?" in subject:
                    skipped = subject
                    continue
                if current is not None:
                    yield labeller.describe(current[1:-1].decode(), said, plain)
                    done = current
                if subject <= done:
                    raise ValueError(f"{path}: not sorted by subject at {subject[:80]!r}")
                current, said, plain = subject, set(), set()
            if not rest.endswith(b" .\n"):
                raise ValueError(f"not an N-Quads statement: {line[:80]!r}")
            end = rest.rindex(b" <")  # the object ends where the graph begins
            if rest.startswith(BLANK):
                said.add((predicate, rest[:end]))
            else:  # the line up to its graph is the description's line
                plain.add(line[:len(line) - len(rest) + end] + b" .")
        if current is not None:
            yield labeller.describe(current[1:-1].decode(), said, plain)
