"""The build's statements on disk, so that no stage holds the whole graph in memory.

Every statement the build makes (parsed, inferred, metadata) is appended to one N-Quads file,
the spool, in whatever order it comes; the dumps are sorted from it and the store is loaded
from it. Statements without blank nodes go straight to the file. Statements with blank nodes
are kept apart until the end and given canonical labels (RDFC-1.0): that algorithm only ever
looks at the quads that mention a blank node, so labelling those alone gives the labels of the
whole dataset (tests/build/test_dumps.py), while parser-chosen labels never reach a dump.

The spool keeps literals as written ("9.0"^^xsd:decimal stays "9.0"): the store would
normalise them, so dumps and validation read the spool, not the store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

import pyoxigraph as ox

from kgraph.build.background import Background


# The end of an N-Triples/N-Quads line whose object is a typed literal: the store may write
# those differently from how they were written ("9.0"^^xsd:decimal is stored as "9"). Plain
# strings are written without a datatype, and the parser already lowercases language tags.
# Group 1 is the literal's datatype part.
_TYPED_END = re.compile(rb'"(\^\^<[^>]*>) (?:<[^>]*> )?\.\n')


def typed_literals(lines: bytes) -> set[bytes]:
    """The distinct typed literals (see _TYPED_END) that are objects of N-Triples or
    N-Quads lines, as N-Triples terms: found by a regular expression over the text, so that no
    term object is made for the millions of plain ones."""
    found = set()
    for match in _TYPED_END.finditer(lines):
        line = lines.rfind(b"\n", 0, match.start()) + 1
        # the object starts after the subject and the predicate, which hold no space
        predicate = lines.index(b" ", line) + 1
        start = lines.index(b" ", predicate) + 1
        found.add(lines[start:match.start() + 1 + len(match.group(1))])
    return found


# Above this much N-Quads of statements with blank nodes, they are labelled in a process of
# their own (below it, the memory is not worth starting one).
BLANK_IN_PROCESS_BYTES = 16 << 20


def label_file(source: Path, target: Path) -> None:
    """The N-Quads of source with canonical (RDFC-1.0) blank node labels, written to target."""
    dataset = ox.Dataset(ox.parse(path=str(source), format=ox.RdfFormat.N_QUADS))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    ox.serialize(dataset, output=str(target), format=ox.RdfFormat.N_QUADS)


@dataclass(frozen=True)
class SpooledSource:
    """One parsed source as the spool writes it: its statements without blank nodes as N-Quads
    lines in its graph, those with blank nodes (parser-labelled, to be labelled canonically),
    and its distinct typed literals."""

    ground: bytes
    ground_count: int
    blank: bytes
    typed: set[bytes]


def spooled_source(graph: str, statements: list[ox.Quad]) -> SpooledSource:
    """statements (parsed into the default graph) in named graph, as the spool writes them.

    The statements without blank nodes are written as N-Triples with the graph put before
    each line's final " .", which saves making a new quad object per statement: N-Triples
    escapes line breaks inside literals, so every line ends in " .\\n" and nowhere else.
    """
    target = ox.NamedNode(graph)
    ground, blank = [], []
    for quad in statements:
        if type(quad.subject) is ox.BlankNode or type(quad.object) is ox.BlankNode:
            blank.append(ox.Quad(quad.subject, quad.predicate, quad.object, target))
        else:
            ground.append(quad)
    # the parser's labels are unique to each parse, so files cannot share one
    blank_lines = ox.serialize(blank, format=ox.RdfFormat.N_QUADS) if blank else b""
    lines = ox.serialize(ground, format=ox.RdfFormat.N_TRIPLES)
    return SpooledSource(lines.replace(b" .\n", f" {target} .\n".encode()), len(ground), blank_lines,
                         typed_literals(lines))


class Spool:
    """An append-only N-Quads file of statements; quads with blank nodes wait for labelling.

    Use: add_graph for every source, then label_blank_nodes once, then add (statements that
    build on the labelled ones), then close. Every statement is in a named graph:
    dumps.union_line relies on it.
    """

    def __init__(self, path: Path):
        self.path = path
        self._out: BinaryIO = open(path, "wb")
        # Statements with blank nodes wait in a file of their own (as Python objects they would
        # cost a kilobyte each); None once labelled.
        self._blank_path = path.with_name(path.name + ".blank")
        self._blank: BinaryIO | None = open(self._blank_path, "wb")
        self.count = 0  # statements written or waiting, duplicates included
        # Every distinct typed literal, as written: the store may write these differently
        # (kgraph.validation.prefilter)
        self._typed: set[bytes] = set()
        # Byte ranges of the file that may hold blank nodes (the labelled ones, and added
        # statements with blank nodes): a store loads the rest with its own parser, which
        # would give blank nodes new labels (kgraph.build.load)
        self.blank_ranges: list[tuple[int, int]] = []

    def add_graph(self, graph: str, statements: list[ox.Quad]) -> None:
        """Append a source's statements (parsed into the default graph) to named graph.

        Before label_blank_nodes only: statements with blank nodes are held back for it.
        """
        self.add_parsed(spooled_source(graph, statements))

    def add_parsed(self, source: "SpooledSource") -> None:
        """Append a source as spooled_source made it (perhaps in another process)."""
        if self._blank is None:
            raise ValueError("sources are spooled before blank nodes are labelled")
        self._blank.write(source.blank)
        self._typed |= source.typed
        self._out.write(source.ground)
        self.count += source.ground_count

    def add(self, quads: Iterable[ox.Quad]) -> None:
        """Append statements in named graphs whose blank nodes (if any) are already labelled
        (e.g. inferred from a store loaded from this spool)."""
        quads = list(quads)
        if any(type(q.graph_name) is not ox.NamedNode for q in quads):  # noqa: E721
            raise ValueError("a spooled statement must be in a named graph")
        if self._blank is not None and any(
                type(q.subject) is ox.BlankNode or type(q.object) is ox.BlankNode for q in quads):
            raise ValueError("statements with blank nodes are added after label_blank_nodes")
        start = self._out.tell()
        self._write(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
        if any(type(q.subject) is ox.BlankNode or type(q.object) is ox.BlankNode for q in quads):
            self.blank_ranges.append((start, self._out.tell()))
        self.count += len(quads)

    def _write(self, lines: bytes) -> None:
        self._typed |= typed_literals(lines)
        self._out.write(lines)

    def label_blank_nodes(self) -> int:
        """Label the held-back blank nodes canonically (RDFC-1.0) and append those quads; how
        many there were. Statements added later use these labels (e.g. inferred from a
        store loaded from this spool)."""
        if self._blank is None:
            raise ValueError("blank nodes are labelled once")
        waiting = self._blank.tell() > 0
        self._blank.close()
        self._blank = None
        labelled = self._blank_path.with_name(self._blank_path.name + ".labelled")
        if not waiting:
            labelled.write_bytes(b"")
        elif self._blank_path.stat().st_size < BLANK_IN_PROCESS_BYTES:
            label_file(self._blank_path, labelled)
        else:
            # RDFC-1.0 takes about a kilobyte per quad, which a process of its own gives back
            # to the system when it ends (in this one it would stay, next to the store). A
            # process that dies raises BackgroundError.
            Background(label_file, self._blank_path, labelled).result()
        self._blank_path.unlink()
        count = 0
        start = self._out.tell()
        with open(labelled, "rb") as lines:
            for chunk in iter(lambda: lines.read(1 << 24) + lines.readline(), b""):
                self._write(chunk)
                count += chunk.count(b"\n")
        labelled.unlink()
        if count:
            self.blank_ranges.append((start, self._out.tell()))
        self.count += count
        return count

    @property
    def literals(self) -> set[ox.Literal]:
        """Every distinct typed literal spooled so far (xsd:string ones aside), as written."""
        subject, predicate = b"<urn:kgraph:s> <urn:kgraph:p> ", b" .\n"
        text = b"".join(subject + literal + predicate for literal in self._typed)
        return {t.object for t in ox.parse(text, format=ox.RdfFormat.N_TRIPLES)}

    def flush(self) -> None:
        """Make everything added so far readable (see read)."""
        self._out.flush()

    def close(self) -> None:
        """Flush and close the file (blank nodes must have been labelled)."""
        if self._blank is not None:
            raise ValueError("blank nodes were never labelled")
        self._out.close()

    def discard(self) -> None:
        """Close the files without checks (the build failed; its folder is removed)."""
        self._out.close()
        if self._blank is not None:
            self._blank.close()
            self._blank_path.unlink(missing_ok=True)

    def read(self) -> Iterator[ox.Quad]:
        """The spooled statements, as written (after flush or close)."""
        return ox.parse(path=str(self.path), format=ox.RdfFormat.N_QUADS)
