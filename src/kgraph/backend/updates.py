"""A SPARQL Update for the served release, written for the engine: every graph it names made the
release's own, and its default graph the release's data.

The engine holds many releases (and the control graph), so an update cannot be sent as the client
wrote it: `CLEAR ALL` would clear every release, `INSERT DATA { <s> <p> <o> }` would write into the
engine's own default graph, which no query of kgraph reads. Each operation is rewritten, token by
token (the text has been parsed by pyoxigraph first, so it is well formed):

- every IRI in a graph position (after GRAPH, WITH, USING [NAMED], and the operands of CLEAR /
  DROP / CREATE / ADD / MOVE / COPY), and every IRI that is a release graph anywhere, gets the
  release's suffix (kgraph.backend.naming); a graph the release did not have becomes one of its
  graphs (recorded in the control graph, so every later query names it);
- the default graph is the release's union graph (the default graph of its queries): DEFAULT and
  triples outside GRAPH go there, and every triple written into (or deleted from) a named graph
  is written into (deleted from) the union graph too, so a query without GRAPH sees the change as
  it sees it on the embedded store, whose default graph is the union of its graphs;
- the WHERE of DELETE / INSERT reads the release's dataset: `USING <union>` (or the WITH graph)
  and `USING NAMED` each of the release's graphs, unless the update names its own; `DELETE WHERE`
  is written as the DELETE ... WHERE it stands for;
- CLEAR / DROP NAMED and ALL become one CLEAR / DROP per graph of the release, and the union too.

Limits (README): deleting a triple from one named graph removes it from the default graph even if
another graph still states it; COPY / MOVE into DEFAULT is refused (it would replace the whole
union graph); a new graph IRI with a fragment cannot be given the suffix and is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

import pyoxigraph as ox

from kgraph.backend.naming import GraphNames
from kgraph.sparql.errors import QueryEvaluationError
from kgraph.sparql.lexer import Token, tokenize, unescape

_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_MANAGEMENT = {"CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY"}


class UpdateNotSupported(QueryEvaluationError):
    """An update kgraph cannot apply to a release in an external engine (a 400, in words)."""


@dataclass(frozen=True)
class EngineUpdate:
    """The update as the engine is sent it, and the graphs it adds to the release (public IRIs)."""

    text: str
    new_graphs: tuple[str, ...]


def for_engine(text: str, names: GraphNames, base_iri: str | None = None, *,
               one_graph_per_insert: bool = False) -> EngineUpdate:
    """The engine's text of an update on the release `names` (see the module's rules).

    `one_graph_per_insert`: for Virtuoso 7, which fails on an INSERT template of several graphs
    (SR002 "string_output_string", after applying the operations before it): each graph of an
    INSERT template but the last gets an INSERT ... WHERE of its own, run just before the
    operation (whose WHERE then sees those triples too: README, the limits)."""
    return _Writer(text, names, base_iri, one_graph_per_insert).write()


class _Writer:
    def __init__(self, text: str, names: GraphNames, base_iri: str | None, one_graph_per_insert: bool = False):
        self.text, self.names = text, names
        self.split_inserts = one_graph_per_insert
        self.tokens = list(tokenize(text))
        self.base = base_iri or ""
        self.prefixes: dict[str, str] = {}
        self.new: list[str] = []
        self.i = 0

    # -- the walk over operations
    def write(self) -> EngineUpdate:
        out: list[str] = []
        while self.i < len(self.tokens):
            token = self.tokens[self.i]
            word = token.text.upper() if token.kind == "word" else ""
            if word in ("PREFIX", "BASE") or (token.kind == "pname" and token.text.upper().startswith("PREFIX")):
                out.append(self._declaration())
            elif token.text == ";":
                self.i += 1
                out.append(" ;\n")
            else:
                out.append(self._operation())
        return EngineUpdate("".join(out), tuple(dict.fromkeys(self.new)))

    def _declaration(self) -> str:
        start = self.tokens[self.i]
        if start.kind == "pname":  # PREFIXex: <...> (glued)
            iri = self.tokens[self.i + 1]
            self.prefixes[start.text[6:-1]] = self._resolve(iri.text)
            self.i += 2
            return f"PREFIX {start.text[6:]} {iri.text}\n"
        if start.text.upper() == "BASE":
            iri = self.tokens[self.i + 1]
            self.base = self._resolve(iri.text)
            self.i += 2
            return f"BASE {iri.text}\n"
        name, iri = self.tokens[self.i + 1], self.tokens[self.i + 2]
        self.prefixes[name.text[:-1]] = self._resolve(iri.text)
        self.i += 3
        return f"PREFIX {name.text} {iri.text}\n"

    def _operation(self) -> str:
        word = self._word()
        if word in _MANAGEMENT:
            return self._management(word)
        if word in ("INSERT", "DELETE") and self._word(1) == "DATA":
            self.i += 2
            return f"{word} DATA {{ {' '.join(self._quads(self._block(), self.names.union))} }}"
        if word == "DELETE" and self._word(1) == "WHERE":
            self.i += 2
            block = self._block()
            return self._modify(None, block, None, [], block)
        return self._modify_clauses()

    def _modify_clauses(self) -> str:
        with_graph = None
        if self._word() == "WITH":
            self.i += 1
            with_graph = self._graph_iri(self.tokens[self.i])
            self.i += 1
        delete = insert = None
        if self._word() == "DELETE":
            self.i += 1
            delete = self._block()
        if self._word() == "INSERT":
            self.i += 1
            insert = self._block()
        using: list[str] = []
        while self._word() == "USING":
            self.i += 1
            named = self._word() == "NAMED"
            self.i += named
            using.append(f"USING {'NAMED ' if named else ''}<{self._graph_iri(self.tokens[self.i])}>")
            self.i += 1
        if self._word() != "WHERE":
            raise UpdateNotSupported("this update cannot be applied through the SPARQL engine: a DELETE / INSERT "
                                     "needs its WHERE")
        self.i += 1
        return self._modify(delete, self._block(), with_graph, using, insert=insert)

    def _modify(self, delete: tuple[int, int] | None, where: tuple[int, int], with_graph: str | None,
                using: list[str], delete_where: tuple[int, int] | None = None,
                insert: tuple[int, int] | None = None) -> str:
        target = with_graph or self.names.union
        parts, before = [], []
        if delete_where is not None:
            delete = delete_where
        if delete is not None:
            parts.append(f"DELETE {{ {' '.join(self._quads(delete, target))} }}")
        inserts = self._quads(insert, target) if insert is not None else []
        if self.split_inserts:
            before, inserts = inserts[:-1], inserts[-1:]
        if inserts:
            parts.append(f"INSERT {{ {' '.join(inserts)} }}")
        if not using:
            using = [f"USING <{target}>"] + [f"USING NAMED <{g}>" for g in self._release_graphs()]
        where_text = f"WHERE {{ {self._span(where[0], where[1], graphs=True)} }}"
        own = [f"INSERT {{ {group} }}\n" + "\n".join(using) + f"\n{where_text}" for group in before]
        return " ;\n".join([*own, "\n".join([*parts, *using, where_text])])

    def _management(self, word: str) -> str:
        self.i += 1
        silent = self._word() == "SILENT"
        self.i += silent
        keyword = f"{word}{' SILENT' if silent else ''}"
        if word in ("ADD", "MOVE", "COPY"):
            source = self._operand()
            if self._word() != "TO":
                raise UpdateNotSupported(f"{word} needs TO")
            self.i += 1
            target = self._operand()
            if target == self.names.union and word != "ADD":
                raise UpdateNotSupported(f"{word} ... TO DEFAULT cannot be applied through the SPARQL engine: it "
                                         "would replace the whole default graph of the release (use ADD, or INSERT)")
            return f"{keyword} GRAPH <{source}> TO GRAPH <{target}>"
        what = self._word()
        if word == "CREATE" or what == "GRAPH":
            self.i += 1
            graph = self._graph_iri(self.tokens[self.i])
            self.i += 1
            if word == "CREATE":
                return f"{keyword} GRAPH <{graph}>"
            return (f"DELETE {{ GRAPH <{self.names.union}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} ;\n"
                    f"{keyword} GRAPH <{graph}>")
        self.i += 1
        if what == "DEFAULT":
            return f"CLEAR SILENT GRAPH <{self.names.union}>"
        if what in ("NAMED", "ALL"):
            graphs = [*self._release_graphs(), self.names.union]
            return " ;\n".join(f"{word} SILENT GRAPH <{g}>" for g in graphs)
        raise UpdateNotSupported(f"{word} {what} cannot be applied through the SPARQL engine")

    def _operand(self) -> str:
        """DEFAULT (the union graph) or [GRAPH] iri, for ADD / MOVE / COPY."""
        if self._word() == "DEFAULT":
            self.i += 1
            return self.names.union
        if self._word() == "GRAPH":
            self.i += 1
        graph = self._graph_iri(self.tokens[self.i])
        self.i += 1
        return graph

    # -- blocks
    def _block(self) -> tuple[int, int]:
        """The token range inside the braces starting at the current token; moves past them."""
        if self.tokens[self.i].text != "{":
            raise UpdateNotSupported("this update cannot be applied through the SPARQL engine: a '{' was expected")
        depth, start = 0, self.i + 1
        for j in range(self.i, len(self.tokens)):
            text = self.tokens[j].text if self.tokens[j].kind == "op" else ""
            depth += (text == "{") - (text == "}")
            if depth == 0:
                self.i = j + 1
                return start, j
        raise UpdateNotSupported("this update cannot be applied through the SPARQL engine: a '}' is missing")

    def _quads(self, block: tuple[int, int], default: str) -> list[str]:
        """Quads (DATA or a template) with every triple in an explicit graph, mirrored into the
        union graph: `GRAPH <g> { t }` -> [`GRAPH <g'> { t }`, `GRAPH <union> { t }`]."""
        groups: list[tuple[str, str]] = []  # (graph as written for the engine, triples)
        resume = self.i  # _block() below moves it: the caller's place is kept
        j, end, run = block[0], block[1], block[0]
        while j < end:
            token = self.tokens[j]
            if token.kind == "word" and token.text.upper() == "GRAPH":
                if run < j:
                    groups.append((f"<{default}>", self._span(run, j)))
                graph = self.tokens[j + 1]
                graph_text = graph.text if graph.kind == "var" else f"<{self._graph_iri(graph)}>"
                self.i = j + 2
                inner = self._block()
                groups.append((graph_text, self._span(inner[0], inner[1])))
                j = self.i
                if j < end and self.tokens[j].text == ".":
                    j += 1
                run = j
                continue
            j += 1
        if run < end:
            groups.append((f"<{default}>", self._span(run, end)))
        self.i = resume
        union = f"<{self.names.union}>"
        written = []
        for graph, triples in groups:
            if not triples.strip(" .\n\t"):
                continue
            written.append(f"GRAPH {graph} {{ {triples} }}")
            if graph != union:
                written.append(f"GRAPH {union} {{ {triples} }}")
        return written

    def _span(self, start: int, end: int, graphs: bool = False) -> str:
        """The text of tokens[start:end] with release graph IRIs renamed (and, with `graphs`, every
        IRI after GRAPH given the suffix: a pattern naming a graph the update makes)."""
        if start >= end:
            return ""
        out, last = [], self.tokens[start].start
        for j in range(start, end):
            token = self.tokens[j]
            if token.kind not in ("iri", "pname"):
                continue
            after_graph = graphs and j > start and self.tokens[j - 1].kind == "word" and self.tokens[j - 1].text.upper() == "GRAPH"
            iri = self._iri(token)
            if iri is None:
                continue
            if after_graph:
                renamed = self._graph_iri(token)
            elif iri in self.names.public or iri in self.new:
                renamed = self.names.to_engine(iri) if iri in self.names.public else iri + self.names.suffix
            else:
                continue
            out.append(self.text[last:token.start])
            out.append(f"<{renamed}>")
            last = token.start + len(token.text)
        final = self.tokens[end - 1]
        out.append(self.text[last:final.start + len(final.text)])
        return "".join(out)

    # -- terms
    def _word(self, ahead: int = 0) -> str:
        at = self.i + ahead
        if at < len(self.tokens) and self.tokens[at].kind == "word":
            return self.tokens[at].text.upper()
        return ""

    def _iri(self, token: Token) -> str | None:
        if token.kind == "iri":
            return self._resolve(token.text)
        if token.kind == "pname":
            prefix, _, local = token.text.partition(":")
            if prefix in self.prefixes:
                return self.prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
        return None

    def _graph_iri(self, token: Token) -> str:
        """The engine name of the graph a token names: a release graph's, or a new graph of the release."""
        iri = self._iri(token)
        if iri is None:
            raise UpdateNotSupported(f"this update cannot be applied through the SPARQL engine: {token.text!r} "
                                     "is not a graph IRI kgraph can read here")
        if iri in self.names.public:
            return self.names.to_engine(iri)
        if "#" in iri:
            raise UpdateNotSupported(f"the graph <{iri}> has a fragment: a graph written through the SPARQL engine "
                                     "gets the release's fragment (#kgraph-release-...), so it cannot have its own")
        try:
            ox.NamedNode(iri)
        except ValueError as exc:
            raise UpdateNotSupported(f"<{iri}> is not a valid graph IRI: {exc}") from None
        if iri not in self.new:
            self.new.append(iri)
        return iri + self.names.suffix

    def _release_graphs(self) -> list[str]:
        return [*self.names.engine, *(g + self.names.suffix for g in self.new)]

    def _resolve(self, iri_token: str) -> str:
        iri = unescape(iri_token[1:-1])
        return urljoin(self.base, iri) if self.base and not _ABSOLUTE.match(iri) else iri
