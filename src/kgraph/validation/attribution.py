"""Which file and line a finding comes from: the one attribution of every finding.

A focus node that is an IRI is placed where a content file states it as a subject (the line of
the finding's path, if that file states it); one that is only ever an object (a dangling link)
where it is used. A blank node is placed through the nearest named subject: the statements
that lead to it are followed back until an IRI, and the finding says that subject and the
path from it (`via`), at the line of that path's first step.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Mapping

import pyoxigraph as ox

from kgraph.namespaces import shorten
from kgraph.validation.findings import Finding
from kgraph.validation.lines import FileLines, index_file

# How far back a blank node's named subject is looked for, and how many uses of an object
# are named (a dangling link used a hundred times names its first few places).
MAX_DEPTH = 8
MAX_PLACES = 5


def _shown(path: Path) -> str:
    """path as people give it: relative to the working folder when it is under it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class Attribution:
    """Places findings in the content files whose statements are the named graphs of store.

    files maps each content file's named graph to its path, in the order the files are read;
    statements in other graphs (inferred, metadata) are nobody's file."""

    def __init__(self, store: ox.Store, files: Mapping[str, Path], base: str, prefixes: Mapping[str, str]):
        self._store, self._base = store, base
        self._files = {ox.NamedNode(graph): (order, path) for order, (graph, path) in enumerate(files.items())}
        self._prefixes = dict(prefixes)
        self._lines: dict[Path, FileLines] = {}
        self._shown: dict[Path, str] = {}  # resolving a path per finding cost 20% of attribution

    def __call__(self, finding: Finding) -> Finding:
        """finding with its sources (file:line, in the order files are read) and, for a blank
        node, via (its nearest named subject and the path from there)."""
        focus = self._term(finding.focus)
        predicate = self._expand(finding.path)
        if isinstance(focus, ox.NamedNode):
            places = self._subject_places(focus, predicate, finding.value) or self._object_places(focus)
            return replace(finding, sources=self._ordered(places), via=None)
        if isinstance(focus, ox.BlankNode):
            found = self._named_subject(focus)
            if found is not None:
                subject, steps, graph = found
                place = self._place(graph, subject.value, steps[0].value, None, self._hints(focus))
                via = f"{self._short(subject.value)} {'/'.join(self._short(p.value) for p in steps)}"
                return replace(finding, sources=self._ordered([place] if place else []), via=via)
        return replace(finding, sources=(), via=None)

    def _term(self, focus: str) -> ox.NamedNode | ox.BlankNode | None:
        try:
            return ox.NamedNode(focus)
        except ValueError:
            pass
        try:
            blank = ox.BlankNode(focus)
        except ValueError:
            return None  # a literal focus node: it has no subject to place it by
        return blank if next(self._store.quads_for_pattern(None, None, blank), None) or next(
            self._store.quads_for_pattern(blank, None, None), None) else None

    def _expand(self, path: str | None) -> str | None:
        """A finding's path (as findings show it: prefixed or <iri>) as an IRI."""
        if not path:
            return None
        if path.startswith("<") and path.endswith(">"):
            return path[1:-1]
        prefix, _, local = path.partition(":")
        return self._prefixes[prefix] + local if prefix in self._prefixes else None

    def _short(self, iri: str) -> str:
        return shorten(iri, self._prefixes) or f"<{iri}>"

    def _hints(self, blank: ox.BlankNode) -> tuple[str, ...]:
        """What the text of a blank node's statements holds: its objects' local names and
        the start of its literals (to tell its `[ ... ]` from its siblings')."""
        hints = []
        for quad in self._store.quads_for_pattern(blank, None, None):
            term = quad.object
            if isinstance(term, ox.NamedNode):
                hints.append(term.value.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1])
            elif isinstance(term, ox.Literal):
                hints.append(term.value[:40])
        return tuple(h for h in hints if h)

    def _place(self, graph, subject: str, predicate: str | None, value: str | None,
               hints: tuple[str, ...] = ()) -> tuple | None:
        known = self._files.get(graph)
        if known is None:
            return None
        order, path = known
        lines = self._lines.get(path)
        if lines is None:
            lines = self._lines[path] = index_file(path, self._base)
        line = lines.line_of(subject, predicate, value, hints)
        shown = self._shown.get(path)
        if shown is None:
            shown = self._shown[path] = _shown(path)
        return (order, shown, line)

    def _subject_places(self, focus: ox.NamedNode, predicate: str | None, value: str | None) -> list[tuple]:
        graphs = dict.fromkeys(q.graph_name for q in self._store.quads_for_pattern(focus, None, None))
        places = [self._place(g, focus.value, predicate, value) for g in graphs]
        return [p for p in places if p]

    def _object_places(self, focus: ox.NamedNode) -> list[tuple]:
        places = []
        for quad in sorted(self._store.quads_for_pattern(None, None, focus), key=self._file_first):
            if isinstance(quad.subject, ox.NamedNode):
                place = self._place(quad.graph_name, quad.subject.value, quad.predicate.value, None)
                if place and place not in places:
                    places.append(place)
            if len(places) >= MAX_PLACES:
                break
        return places

    def _named_subject(self, blank: ox.BlankNode):
        """The nearest IRI subject with a path of statements to blank: (subject, predicates
        from it, its statement's graph), breadth first; None if there is none."""
        frontier, seen = [(blank, [])], {blank}
        for _ in range(MAX_DEPTH):
            following = []
            for node, steps in frontier:
                for quad in sorted(self._store.quads_for_pattern(None, None, node), key=self._file_first):
                    path = [quad.predicate, *steps]
                    if isinstance(quad.subject, ox.NamedNode):
                        return quad.subject, path, quad.graph_name
                    if quad.subject not in seen:
                        seen.add(quad.subject)
                        following.append((quad.subject, path))
            frontier = following
        return None

    def _file_first(self, quad: ox.Quad) -> tuple:
        """Statements of content files first (in the files' order), then inferred ones."""
        return (self._files.get(quad.graph_name, (len(self._files),))[0], str(quad))

    @staticmethod
    def _ordered(places: list[tuple]) -> tuple[str, ...]:
        return tuple(f"{path}:{line}" if line else path for _, path, line in sorted(places, key=lambda p: (p[0], p[2] or 0)))
