"""The Executor's interface over an external SPARQL engine (kgraph.sparql.executor does it on the
embedded store), so that everything above it (views, QuerySource, fragments, API, cache) is the same.

Per query:
1. the policy pass kgraph.sparql.policy.analyse runs first (too-deep texts, bad escapes refused,
   exactly as embedded; the web layer's guard has already refused SERVICE / LOAD, and it is run
   here again for callers that skip it: the engine's federation is never reached);
2. substitutions become a VALUES block (kgraph.backend.values), then every release graph IRI is
   written as its engine name (kgraph.backend.naming); a relative IRI gets the endpoint as BASE;
3. the dataset is the release's: no FROM -> default-graph-uri = the release's union graph (every
   statement of the release, as the embedded store's default graph; one graph, because engines
   plan a list of hundreds of graphs 10-100x more slowly: benchmarks/results/backend-100k.md)
   and named-graph-uri = the release's graphs, so no other release's graphs, nor the control
   graph, are visible; FROM / FROM NAMED or protocol graphs -> those, renamed;
4. the engine is asked in one canonical format per kind (SPARQL results XML for SELECT / ASK, the
   one both engines write without quirks kgraph cannot undo; N-Triples for graphs), within the
   time left (HTTP timeout = remaining time; a Virtuoso "anytime" partial answer, flagged by
   X-SQL-State, is a QueryTimeout, never a complete answer);
5. the answer, engine names mapped back, is parsed and written again by pyoxigraph in the
   negotiated format, through the same RowCountingWriter as embedded (row limit, X-Result-Rows):
   both engines' answers come out byte-alike to the embedded store's.
   A SELECT from Oxigraph server of pyoxigraph's own version is passed through instead (the same
   writer), rows counted on the way; the dataset's form encoding is kept per release (client).
6. an update (with the update token) is written for the release by kgraph.backend.updates.
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Mapping

import pyoxigraph as ox

from kgraph.backend import pointer, updates
from kgraph.backend.client import BackendError, EngineClient
from kgraph.sparql import diagnostics
from kgraph.backend.naming import GraphNames, has_relative_iri
from kgraph.backend.values import bind
from kgraph.sparql import ask_tables, negotiation, policy
from kgraph.sparql.errors import (
    EngineError,
    NotAcceptable,
    QuerySyntaxError,
    QueryTimeout,
    ResultTooLarge,
    UpdateNotAccepted,
)
from kgraph.sparql.executor import Result, _default_tmp_dir
from kgraph.sparql.rowcount import RowCountingWriter, RowLimitExceeded

SOLUTIONS_ACCEPT = "application/sparql-results+xml"
GRAPH_ACCEPT = "application/n-triples"
ASK_COLUMN = "__ASK_RETVAL"  # Virtuoso answers ASK as a one-column table: one row for true
MAX_ANSWER_BYTES = 2 << 30
_GRAPH_KEYWORDS = ("CONSTRUCT", "DESCRIBE")
PASS_THROUGH = ("JSON", "XML", "CSV", "TSV")


class RemoteExecutor:
    """Queries on one published release in an external engine; thread-safe, no processes of its own.

    `names` are the release's graphs (public IRI -> engine name); an update may add graphs to them.
    """

    def __init__(self, client: EngineClient, names: GraphNames, *, timeout: float = 30.0,
                 max_rows: int = 100_000, tmp_dir: str | Path | None = None,
                 service_allowlist: tuple[str, ...] = (), writable: bool = False):
        self.client = client
        self.writable = writable  # updates accepted (the update token is set and backend_update_url)
        self._update_lock = threading.Lock()
        self.names = names
        self.timeout = timeout
        self.max_rows = max_rows
        self.tmp_dir = str(tmp_dir) if tmp_dir else _default_tmp_dir()
        self.service_allowlist = service_allowlist
        self.generation = 0  # bumped by every update, as the embedded executor's, so caches keyed on it start again
        # Whether the engine writes query results byte for byte as pyoxigraph does (learnt from the
        # Server header of its first answer): then a SELECT's answer is passed through (_through).
        self.same_writer: bool | None = None

    def start(self) -> None:
        """Nothing to start: the engine runs on its own (the HTTP pool connects on first use)."""

    def close(self) -> None:
        """Nothing to stop here: the client is shared by the releases and closed by its owner."""

    def __enter__(self) -> "RemoteExecutor":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def query(
        self,
        text: str,
        formats: Mapping[str, str | None],
        *,
        default_graphs: tuple[str, ...] | list[str] = (),
        named_graphs: tuple[str, ...] | list[str] = (),
        base_iri: str | None = None,
        timeout: float | None = None,
        stored_default_graph: bool = False,
        substitutions: Mapping[str, Any] | None = None,
    ) -> Result:
        """Evaluate a query on the engine and serialise its result to the format chosen for its kind
        (the arguments as kgraph.sparql.Executor.query's)."""
        if not any(formats.values()):
            raise NotAcceptable("query")
        started = time.monotonic()
        deadline = started + (self.timeout if timeout is None else timeout)
        analysis = policy.check(text, self.service_allowlist)
        if analysis.is_update:
            raise UpdateNotAccepted("an update was sent as a query")
        if stored_default_graph:
            # The embedded store's own default graph is empty in a release (every statement is in a
            # named graph); the engine's default graph is the engine's business, never read.
            default_graphs, named_graphs = ["urn:kgraph:empty-default-graph"], []
        engine_text = self.names.rewrite(bind(text, substitutions or {}))
        if base_iri and has_relative_iri(engine_text):
            engine_text = f"BASE <{base_iri}>\n{engine_text}"
        if default_graphs or named_graphs:
            graphs = [self.names.to_engine(g) for g in default_graphs], [self.names.to_engine(g) for g in named_graphs]
        elif analysis.has_dataset:
            graphs = [], []
        else:
            graphs = [self.names.union], self.names.engine
        is_graph = analysis.first_keyword in _GRAPH_KEYWORDS
        ask = dict(default_graphs=graphs[0], named_graphs=graphs[1])
        through = self._pass_through_format(analysis.first_keyword, formats)
        if through is not None:
            result = self._through(text, engine_text, through, formats[negotiation.SOLUTIONS], deadline, ask)
            if result is not None:
                return result
        raw_fd, raw_path = tempfile.mkstemp(prefix="kgraph-engine-", dir=self.tmp_dir)
        out_fd, out_path = tempfile.mkstemp(prefix="kgraph-result-", dir=self.tmp_dir)
        os.close(out_fd)
        try:
            with os.fdopen(raw_fd, "wb") as raw:
                answer = self._ask_engine(text, engine_text, GRAPH_ACCEPT if is_graph else SOLUTIONS_ACCEPT, raw,
                                           deadline=deadline, transform=self._to_public, max_bytes=MAX_ANSWER_BYTES, **ask)
            self._check_complete(answer, deadline)
            if self.same_writer is None:
                self.same_writer = writes_like_pyoxigraph(answer.headers)
            kind, media_type, rows = self._write(raw_path, is_graph, analysis.first_keyword == "ASK", formats, out_path)
            return Result(kind, media_type, Path(out_path), os.path.getsize(out_path), rows)
        except BaseException:
            Path(out_path).unlink(missing_ok=True)
            raise
        finally:
            Path(raw_path).unlink(missing_ok=True)

    def _pass_through_format(self, keyword: str, formats: Mapping[str, str | None]) -> str | None:
        """The pyoxigraph format name in which the engine's own bytes are the answer, or None.

        Only a SELECT, only in a results format, only from an engine that writes them as pyoxigraph
        does (the same Oxigraph version: the same writer); everything else is parsed and written
        again, so that every engine's answers are byte-alike to the embedded store's."""
        media_type = formats.get(negotiation.SOLUTIONS)
        if keyword != "SELECT" or not self.same_writer or media_type is None:
            return None
        name = negotiation.serialiser_name(media_type)
        return name if name in PASS_THROUGH else None

    def _through(self, text: str, engine_text: str, name: str, media_type: str, deadline: float,
                 ask: Mapping[str, Any]) -> Result | None:
        """The engine's answer in the negotiated format, engine names made public, rows counted
        (and limited) on the way into the result file: no parse, no second serialisation. None
        when the engine turns out to write differently now (then the caller asks it again)."""
        out_fd, out_path = tempfile.mkstemp(prefix="kgraph-result-", dir=self.tmp_dir)
        try:
            with os.fdopen(out_fd, "wb") as handle:
                writer = RowCountingWriter(handle, name, self.max_rows)
                try:
                    answer = self._ask_engine(text, engine_text, media_type, writer, deadline=deadline,
                                              transform=self._to_public, max_bytes=MAX_ANSWER_BYTES, **ask)
                except RowLimitExceeded:
                    raise ResultTooLarge(
                        f"the result has more than {self.max_rows} rows, the most this endpoint serves; "
                        "add a LIMIT (and OFFSET to page through it)"
                    ) from None
            self._check_complete(answer, deadline)
            if not writes_like_pyoxigraph(answer.headers) or answer.media_type != media_type:
                self.same_writer = False  # an engine replaced behind the same URL: parse from now on
                Path(out_path).unlink(missing_ok=True)
                return None
            return Result(negotiation.SOLUTIONS, media_type, Path(out_path), answer.size, writer.rows)
        except BaseException:
            Path(out_path).unlink(missing_ok=True)
            raise

    def _check_complete(self, answer: Any, deadline: float) -> None:
        """A QueryTimeout for an answer that is partial (Virtuoso's "anytime" answers) or late."""
        if answer.headers.get("x-sql-state", "").upper() == "S1TAT":  # Virtuoso's partial "anytime" answer
            raise QueryTimeout("the engine stopped the query at its time limit and sent a partial answer, "
                               "which is not served as complete")
        if time.monotonic() > deadline:
            raise QueryTimeout(f"the query did not finish within the time limit of {self.timeout:g} s and was stopped")

    def _to_public(self, block: bytes) -> bytes:
        """An answer's bytes with engine graph names made public, and Virtuoso's blank node
        labels (`nodeID://b10001`, no valid label) made plain ones."""
        return self.names.to_public(block).replace(b"<bnode>nodeID://", b"<bnode>")

    def _ask_engine(self, text: str, *args: Any, **kwargs: Any) -> Any:
        """client.query, with a syntax error the engine found reported as the embedded store does."""
        try:
            return self.client.query(*args, **kwargs)
        except QuerySyntaxError as engine_error:
            raise local_syntax_error(text) or engine_error from None

    def _write(self, raw_path: str, is_graph: bool, is_ask: bool, formats: Mapping[str, str | None],
               out_path: str) -> tuple[str, str, int | None]:
        """Parse the engine's answer and write it in the negotiated format: (kind, media type, rows)."""
        try:
            if is_graph:
                triples = [ox.Triple(q.subject, q.predicate, q.object)
                           for q in ox.parse(path=raw_path, format=ox.RdfFormat.N_TRIPLES)]
                return self._write_graph(triples, formats, out_path)
            parsed = ox.parse_query_results(path=raw_path, format=ox.QueryResultsFormat.XML)
        except SyntaxError as exc:
            raise BackendError(f"the engine's answer could not be read: {exc}") from None
        if is_ask and isinstance(parsed, ox.QuerySolutions) and [v.value for v in parsed.variables] == [ASK_COLUMN]:
            parsed = boolean_result(any(True for _ in parsed))
        if isinstance(parsed, ox.QuerySolutions):
            media_type = formats.get(negotiation.SOLUTIONS)
            if media_type is None:
                raise NotAcceptable(negotiation.SOLUTIONS)
            name = negotiation.serialiser_name(media_type)
            try:
                with open(out_path, "wb") as handle:
                    writer = RowCountingWriter(handle, name, self.max_rows)
                    parsed.serialize(writer, getattr(ox.QueryResultsFormat, name))
            except RowLimitExceeded:
                raise ResultTooLarge(
                    f"the result has more than {self.max_rows} rows, the most this endpoint serves; "
                    "add a LIMIT (and OFFSET to page through it)"
                ) from None
            except SyntaxError as exc:
                raise BackendError(f"the engine's answer could not be read: {exc}") from None
            return negotiation.SOLUTIONS, media_type, writer.rows
        media_type = formats.get(negotiation.BOOLEAN)
        if media_type is None:
            raise NotAcceptable(negotiation.BOOLEAN)
        name = negotiation.serialiser_name(media_type)
        if ask_tables.is_table_format(name):
            Path(out_path).write_bytes(ask_tables.ask_table(name, bool(parsed)))
        else:
            boolean_result(bool(parsed)).serialize(out_path, getattr(ox.QueryResultsFormat, name))
        return negotiation.BOOLEAN, media_type, None

    @staticmethod
    def _write_graph(triples: list, formats: Mapping[str, str | None], out_path: str) -> tuple[str, str, None]:
        media_type = formats.get(negotiation.GRAPH)
        if media_type is None:
            raise NotAcceptable(negotiation.GRAPH)
        name = negotiation.serialiser_name(media_type)
        ox.serialize(triples, out_path, getattr(ox.RdfFormat, name))
        return negotiation.GRAPH, media_type, None

    def update(self, text: str, *, base_iri: str | None = None, timeout: float | None = None) -> None:
        """Apply an update to the served release in the engine (a writable executor only: the
        update token is set); see kgraph.backend.updates for how it is written for the engine.

        SERVICE / LOAD are refused here too; a syntax error is the embedded store's own. Graphs the
        update makes become the release's (recorded in the control graph with the same request),
        and the generation goes up, so the caches keyed on it start again."""
        if not self.writable:
            raise EngineError("this store is read-only")
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        analysis = policy.check(text, self.service_allowlist)
        if not analysis.is_update:
            raise QuerySyntaxError("a query was sent as an update")
        error = local_syntax_error(text, update=True, base_iri=base_iri)
        if error is not None:
            raise error
        with self._update_lock:  # one update at a time: each may add graphs to `names`
            names = self.names
            # Virtuoso 7 fails on an INSERT template of several graphs (SR002), after applying the
            # operations before it: it is sent one INSERT per graph (kgraph.backend.updates).
            split = self.client.server.startswith("Virtuoso/")
            written = updates.for_engine(text, names, base_iri, one_graph_per_insert=split)
            grown = GraphNames.of(names.tag, [*names.public, *written.new_graphs], names.union_base) if written.new_graphs else names
            self.client.update(self._update_text(written, grown, base_iri), deadline=deadline)
            self.names = grown
            self.generation += 1  # pages, answers and indexes kept for the old data are not served again

    @staticmethod
    def _update_text(written: updates.EngineUpdate, grown: GraphNames, base_iri: str | None) -> str:
        """The text sent: with the endpoint as BASE if it has relative IRIs, and the graphs it makes
        recorded as the release's in the control graph, in the same request."""
        text = written.text
        if base_iri and has_relative_iri(text):
            text = f"BASE <{base_iri}>\n{text}"
        if written.new_graphs:
            text += " ;\n" + pointer.add_graphs(grown.to_engine(g) for g in written.new_graphs)
        return text


def local_syntax_error(text: str, *, update: bool = False, base_iri: str | None = None) -> Exception | None:
    """The embedded store's own syntax error for a text an engine refused (same message, line
    and column whichever engine runs the query), or None if pyoxigraph reads it.

    Only the parse matters: the text is given to an empty in-memory store and a query's solutions
    are never iterated (an update runs there, on no data, before the engine is sent it)."""
    try:
        if update:
            ox.Store().update(text, base_iri=base_iri)
        else:
            ox.Store().query(text, use_default_graph_as_union=True)
    except SyntaxError as exc:
        return diagnostics.readable(text, str(exc), is_update=update)
    except (ValueError, TypeError, RuntimeError, NotImplementedError, OSError):
        return None
    return None


def writes_like_pyoxigraph(headers: Mapping[str, str]) -> bool:
    """Whether an answer comes from Oxigraph server of pyoxigraph's own version (`Server:
    Oxigraph/0.5.13`): the same Rust writers, so its JSON, XML, CSV and TSV bytes are the ones
    pyoxigraph would write for the same solutions."""
    return headers.get("server", "").strip() == f"Oxigraph/{ox.__version__}"


def boolean_result(value: bool) -> Any:
    """A pyoxigraph QueryBoolean (parsed from its JSON form: the class has no public constructor)."""
    return ox.parse_query_results(f'{{"head":{{}},"boolean":{str(value).lower()}}}', ox.QueryResultsFormat.JSON)
