"""Dumps of a build, byte-identical for identical input.

Blank nodes are labelled canonically (RDFC-1.0) before anything is written (kgraph.build.spool),
and every serialisation is fed its statements in sorted order, so the same input always
gives the same bytes. Gzipped copies carry no timestamp for the same reason.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import subprocess
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kgraph.build import jsonld

STEM = "kgraph"
# sort's buffer, per sort (two run at once; each spills to disk beyond it): at 10M statements
# the build's working store takes 4-5 GB, and two sorts of 1G each would leave little of 8 GB
SORT_MEMORY = "256M"


@dataclass(frozen=True)
class DumpFormat:
    """A dump file kind: its extension, media type and whether it keeps named graphs."""

    extension: str
    media_type: str
    quads: bool


FORMATS: tuple[DumpFormat, ...] = (
    DumpFormat("ttl", "text/turtle", False),
    DumpFormat("nt", "application/n-triples", False),
    DumpFormat("jsonld", "application/ld+json", False),
    DumpFormat("nq", "application/n-quads", True),
    DumpFormat("trig", "application/trig", True),
)


class DumpError(RuntimeError):
    """A dump could not be written (e.g. the sort command failed)."""


def _sort(out: Path, work: Path, source: Path | None = None) -> subprocess.Popen:
    """Start `sort -u` writing out: of source, or (source None) of what is written to stdin.

    GNU sort sorts bytes (LC_ALL=C, which is code point order for UTF-8) in bounded memory,
    spilling to work; tens of millions of lines never have to fit in Python's memory.
    """
    command = ["sort", "-u", "-S", SORT_MEMORY, "-T", str(work), "-o", str(out)]
    command += [str(source)] if source else []
    try:
        return subprocess.Popen(command, stdin=None if source else subprocess.PIPE, stderr=subprocess.PIPE,
                                env={**os.environ, "LC_ALL": "C"})
    except OSError as exc:
        raise DumpError(f"cannot run sort to order the dumps: {exc.strerror}") from None


def _wait(process: subprocess.Popen) -> None:
    if process.stdin:
        process.stdin.close()
    error = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.wait() != 0:
        raise DumpError(f"sort failed: {error.strip()}")


def union_line(nquads_line: bytes) -> bytes:
    """The N-Triples line of an N-Quads line in a named graph: its graph term dropped.

    A named graph is always the last term before " .", an IRI without spaces, so the last
    " <" of the line starts it (whatever a literal before it contains).
    """
    return nquads_line[:nquads_line.rindex(b" <")] + b" .\n"


def union_of_sorted(nquads: Path, ntriples: Path) -> None:
    """The N-Triples dump (the union of the graphs, sorted, duplicate-free) from the sorted,
    duplicate-free N-Quads dump, in one pass instead of a second sort.

    Dropping the graph keeps the order: two quad lines first differ inside their triples, where
    the triple lines differ in the same place, or one triple is a prefix of the other, and then
    both forms go on with " " after the shorter one. For the same reason the quads of one triple
    in several graphs come together, so a duplicate triple is always the line before.
    """
    previous = None
    with open(nquads, "rb") as quads, open(ntriples, "wb") as out:
        for line in quads:
            triple = union_line(line)
            if triple != previous:
                out.write(triple)
                previous = triple


def _sorted_files(spool: Path, nquads: Path, ntriples: Path, work: Path) -> None:
    """The sorted, duplicate-free N-Quads and N-Triples (union of the graphs) dumps."""
    _wait(_sort(nquads, work, spool))
    union_of_sorted(nquads, ntriples)


def _lines(path: Path) -> int:
    with open(path, "rb") as handle:
        return sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))


def jsonld_context(prefixes: dict[str, str]) -> dict:
    """A readable JSON-LD @context: prefixes, plus short names for labels and types."""
    return jsonld.context(prefixes)


def _from_sorted(fmt: DumpFormat, path: Path, sorted_file: Path, prefixes: dict[str, str]) -> None:
    """Write fmt from a sorted N-Quads/N-Triples file, statement by statement."""
    statements = ox.parse(path=str(sorted_file), format=ox.RdfFormat.N_QUADS if fmt.quads else ox.RdfFormat.N_TRIPLES)
    if fmt.extension == "jsonld":
        with open(path, "wb") as out:
            jsonld.write(statements, prefixes, out)
        return
    rdf_format = {"ttl": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG}[fmt.extension]
    ox.serialize(statements, output=str(path), format=rdf_format, prefixes=prefixes)


def _describe(path: Path, media_type: str, encoding: str | None) -> dict:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return {"file": path.name, "media_type": media_type, "encoding": encoding, "bytes": path.stat().st_size,
            "sha256": digest.hexdigest()}


def finish(path: Path, media_type: str) -> list[dict]:
    """Describe a written dump, then gzip it (no timestamp, so the bytes stay reproducible)."""
    zipped = path.with_name(path.name + ".gz")
    with open(path, "rb") as source, open(zipped, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=6, mtime=0) as target:
            for block in iter(lambda: source.read(1 << 20), b""):
                target.write(block)
    return [_describe(path, media_type, None), _describe(zipped, media_type, "gzip")]


@dataclass(frozen=True)
class Written:
    """What write_dumps wrote: the files' descriptions, and the statements counted."""

    files: list[dict]
    triples: int
    quads: int


def write_dumps(folder: Path, spool: Path, prefixes: dict[str, str], work: Path) -> Written:
    """Write every dump (and its .gz) into folder from the spool (N-Quads, any order).

    The N-Quads and N-Triples dumps are the spool sorted and deduplicated; the other formats
    are written from those, statement by statement, so memory stays flat at any size.
    Checksums and gzipped copies are made in worker threads (hashlib and zlib release the
    GIL) while the next format is written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = {fmt.extension: folder / f"{STEM}.{fmt.extension}" for fmt in FORMATS}
    _sorted_files(spool, path["nq"], path["nt"], work)
    pending: dict[str, Future] = {}
    with ThreadPoolExecutor(max_workers=2) as pool:
        for fmt in FORMATS:
            if fmt.extension not in ("nq", "nt"):
                _from_sorted(fmt, path[fmt.extension], path["nq" if fmt.quads else "nt"], prefixes)
            pending[fmt.extension] = pool.submit(finish, path[fmt.extension], fmt.media_type)
        files = [described for fmt in FORMATS for described in pending[fmt.extension].result()]
    return Written(files, triples=_lines(path["nt"]), quads=_lines(path["nq"]))


def context_file(folder: Path, prefixes: dict[str, str]) -> None:
    """Write the JSON-LD context on its own, for consumers that want to reuse it."""
    (folder / "context.jsonld").write_text(json.dumps({"@context": jsonld_context(prefixes)}, indent=2) + "\n")
