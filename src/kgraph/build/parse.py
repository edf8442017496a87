"""The parse stage: every content file into the spool, with errors that say file:line:col.

Files use IRIs relative to the dataset's base, so parsing always resolves them against the
configured base. A UTF-8 byte-order mark is skipped (editors on Windows write one); a file
that states nothing is not an error but a warning, which the caller prints.
"""

from __future__ import annotations

import itertools
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pyoxigraph as ox

from kgraph.build.background import BackgroundError
from kgraph.build.inputs import Source, SourceError
from kgraph.build.spool import Spool, SpooledSource, spooled_source

BOM = b"\xef\xbb\xbf"
# Above this much Turtle, files are parsed by PARSE_WORKERS processes (below it, starting them
# costs more than it saves). 10M statements: 94 s in one process.
PARALLEL_PARSE_BYTES = 8 << 20
PARSE_WORKERS = 2

Warn = Callable[[str], None]


def _location(error: SyntaxError) -> tuple[int | None, int | None, str]:
    """Line, column and bare message of a pyoxigraph parser error."""
    message = str(error.msg if hasattr(error, "msg") else error)
    # pyoxigraph says "Parser error at line 3 between columns 1 and 4: A dot is expected"
    if ": " in message and message.startswith("Parser error"):
        message = message.split(": ", 1)[1]
    return getattr(error, "lineno", None) or 1, getattr(error, "offset", None) or 1, message


def _decode_error(data: bytes, exc: UnicodeDecodeError) -> tuple[int, int]:
    """Line and column (1-based, in characters) of the first byte that is not UTF-8."""
    before = data[:exc.start]
    line = before.count(b"\n") + 1
    column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", errors="replace")) + 1
    return line, column


def parse_statements(path: Path, base: str) -> list[ox.Quad]:
    """All statements of a Turtle file, in the default graph; SourceError (file:line:col) on
    bad input. A leading byte-order mark is skipped."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(path, None, None, f"cannot read file ({exc.strerror})") from None
    text = data[len(BOM):] if data.startswith(BOM) else data
    try:
        text.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _decode_error(text, exc)
        raise SourceError(path, line, column, f"not UTF-8 text (byte 0x{text[exc.start]:02x})") from None
    try:
        return list(ox.parse(text, format=ox.RdfFormat.TURTLE, base_iri=base))
    except SyntaxError as exc:
        line, column, message = _location(exc)
        raise SourceError(path, line, column, message) from None


def parse_file(path: Path, base: str, graph: str | None = None) -> list[ox.Quad]:
    """All quads of a Turtle file, in graph (or the default graph); SourceError on bad input."""
    triples = parse_statements(path, base)
    if not graph:
        return triples
    target = ox.NamedNode(graph)
    return [ox.Quad(q.subject, q.predicate, q.object, target) for q in triples]


def spool_source(source: Source, base: str) -> SpooledSource:
    """One source parsed and made into spool lines (run in a worker process for big inputs)."""
    return spooled_source(source.graph, parse_statements(source.path, base))


def _spooled(found: list[Source], base: str) -> Iterator[SpooledSource]:
    """Every source made into spool lines, in order: in PARSE_WORKERS processes of their own
    when the input is big (parsing is Python-bound: one process would use one core)."""
    size = sum(source.path.stat().st_size for source in found if source.path.is_file())
    if len(found) < 2 or size < PARALLEL_PARSE_BYTES:
        return (spool_source(source, base) for source in found)
    return _in_workers(found, base)


def _in_workers(found: list[Source], base: str) -> Iterator[SpooledSource]:
    pool = ProcessPoolExecutor(PARSE_WORKERS, mp_context=multiprocessing.get_context("spawn"))
    try:
        # map keeps the order of the files, so the spool is the same as parsed in one process
        yield from pool.map(spool_source, found, itertools.repeat(base))
    except BrokenProcessPool:
        raise BackgroundError("a parse worker process died (out of memory?)") from None
    finally:  # on a bad file, the files not yet parsed are not waited for
        pool.shutdown(wait=True, cancel_futures=True)


def parse_into(spool: Spool, found: Iterable[Source], base: str, warn: Warn | None = None) -> int:
    """Parse every source into its named graph of spool; warn about files that state nothing.
    How many files were read."""
    found = list(found)
    count = 0
    for source, spooled in zip(found, _spooled(found, base)):
        if not spooled.ground_count and not spooled.blank and warn:
            warn(f"{source.path}:1:1: the file states nothing (no statements)")
        spool.add_parsed(spooled)
        count += 1
    return count
