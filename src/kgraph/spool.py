"""The build's statements on disk, so that no stage holds the whole graph in memory.

Every statement the build makes (parsed, inferred, metadata) is appended to one N-Quads file,
the spool, in whatever order it comes; the dumps are sorted from it and the store is loaded
from it. Statements without blank nodes go straight to the file. Statements with blank nodes
are kept apart until the end and given canonical labels (RDFC-1.0): that algorithm only ever
looks at the quads that mention a blank node, so labelling those alone gives the labels of the
whole dataset (tests/unit/test_dumps.py), while parser-chosen labels never reach a dump.

The spool keeps literals as written ("9.0"^^xsd:decimal stays "9.0"): the store would
normalise them, so dumps and validation read the spool, not the store.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

import pyoxigraph as ox


class Spool:
    """An append-only N-Quads file of statements; quads with blank nodes wait for labelling.

    Use: add_graph for every source, then label_blank_nodes once, then add (statements that
    build on the labelled ones), then close. Every statement is in a named graph:
    dumps.union_line relies on it.
    """

    def __init__(self, path: Path):
        self.path = path
        self._out: BinaryIO = open(path, "wb")
        self._blank: list[ox.Quad] | None = []  # None once labelled
        self.count = 0  # statements written or waiting, duplicates included

    def add_graph(self, graph: str, statements: list[ox.Quad]) -> None:
        """Append a source's statements (parsed into the default graph) to named graph.

        Before label_blank_nodes only: statements with blank nodes are held back for it. The
        others are written as N-Triples with the graph put before each line's final " .",
        which saves making a new quad object per statement: N-Triples escapes line breaks
        inside literals, so every line ends in " .\\n" and nowhere else.
        """
        if self._blank is None:
            raise ValueError("sources are spooled before blank nodes are labelled")
        target = ox.NamedNode(graph)
        ground = []
        for quad in statements:
            if type(quad.subject) is ox.BlankNode or type(quad.object) is ox.BlankNode:
                self._blank.append(ox.Quad(quad.subject, quad.predicate, quad.object, target))
            else:
                ground.append(quad)
        lines = ox.serialize(ground, format=ox.RdfFormat.N_TRIPLES)
        self._out.write(lines.replace(b" .\n", f" {target} .\n".encode()))
        self.count += len(ground)

    def add(self, quads: Iterable[ox.Quad]) -> None:
        """Append statements in named graphs whose blank nodes (if any) are already labelled
        (e.g. inferred from a store loaded from this spool)."""
        quads = list(quads)
        if any(type(q.graph_name) is not ox.NamedNode for q in quads):  # noqa: E721
            raise ValueError("a spooled statement must be in a named graph")
        if self._blank is not None and any(
                type(q.subject) is ox.BlankNode or type(q.object) is ox.BlankNode for q in quads):
            raise ValueError("statements with blank nodes are added after label_blank_nodes")
        ox.serialize(quads, output=self._out, format=ox.RdfFormat.N_QUADS)
        self.count += len(quads)

    def label_blank_nodes(self) -> list[ox.Quad]:
        """Label the held-back blank nodes canonically, append those quads and return them
        (statements added later must use these labels, e.g. inferred from a loaded store)."""
        if self._blank is None:
            raise ValueError("blank nodes are labelled once")
        dataset = ox.Dataset(self._blank)
        self._blank = None
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        labelled = list(dataset)
        ox.serialize(labelled, output=self._out, format=ox.RdfFormat.N_QUADS)
        self.count += len(labelled)
        return labelled

    def flush(self) -> None:
        """Make everything added so far readable (see read)."""
        self._out.flush()

    def close(self) -> None:
        """Flush and close the file (blank nodes must have been labelled)."""
        if self._blank is not None:
            raise ValueError("blank nodes were never labelled")
        self._out.close()

    def discard(self) -> None:
        """Close the file without checks (the build failed; its folder is removed)."""
        self._out.close()

    def read(self) -> Iterator[ox.Quad]:
        """The spooled statements, as written (after flush or close)."""
        return ox.parse(path=str(self.path), format=ox.RdfFormat.N_QUADS)
