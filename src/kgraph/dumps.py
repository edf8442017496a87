"""Dumps of a build, byte-identical for identical input.

Blank nodes are labelled canonically (RDFC-1.0) before anything is written, and every
serialisation is fed its statements in sorted order, so the same input always gives the
same bytes. Gzipped copies carry no timestamp for the same reason.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import pyoxigraph as ox

from kgraph import jsonld

STEM = "kgraph"


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


def _has_blank(quad: ox.Quad) -> bool:
    return (isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode)
            or isinstance(quad.graph_name, ox.BlankNode))


def canonical(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """The quads, duplicates removed, with canonical blank node labels, sorted by N-Quads form.

    Only the quads that mention a blank node go through RDFC-1.0: the algorithm never looks
    at any other quad (it hashes each blank node's own quads), so the labels are those of
    canonicalising the whole dataset, at a fraction of the cost (tests/core/test_build.py).
    """
    ground: dict[ox.Quad, None] = {}
    blank = ox.Dataset()
    for quad in quads:
        if _has_blank(quad):
            blank.add(quad)
        else:
            ground[quad] = None
    blank.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted([*ground, *blank], key=str)


def union_triples(sorted_quads: list[ox.Quad]) -> list[ox.Triple]:
    """The default-graph view (union of all graphs) of sorted quads, duplicates removed."""
    seen: dict[ox.Triple, None] = {}
    for quad in sorted_quads:
        seen.setdefault(quad.triple, None)
    return sorted(seen, key=str)


def jsonld_context(prefixes: dict[str, str]) -> dict:
    """A readable JSON-LD @context: prefixes, plus short names for labels and types."""
    return jsonld.context(prefixes)


def _serialise(fmt: DumpFormat, path: Path, quads: list[ox.Quad], prefixes: dict[str, str],
               union: Callable[[], list[ox.Triple]]) -> None:
    if fmt.extension == "jsonld":
        with open(path, "wb") as out:
            jsonld.write(union(), prefixes, out)
        return
    rdf_format = {
        "ttl": ox.RdfFormat.TURTLE,
        "nt": ox.RdfFormat.N_TRIPLES,
        "nq": ox.RdfFormat.N_QUADS,
        "trig": ox.RdfFormat.TRIG,
    }[fmt.extension]
    use_prefixes = prefixes if fmt.extension in ("ttl", "trig") else None
    ox.serialize(quads if fmt.quads else union(), output=str(path), format=rdf_format, prefixes=use_prefixes)


def _describe(path: Path, media_type: str, encoding: str | None) -> dict:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return {"file": path.name, "media_type": media_type, "encoding": encoding, "bytes": path.stat().st_size,
            "sha256": digest.hexdigest()}


def _finish(path: Path, media_type: str) -> list[dict]:
    """Describe a written dump, then gzip it (no timestamp, so the bytes stay reproducible)."""
    zipped = path.with_name(path.name + ".gz")
    with open(path, "rb") as source, open(zipped, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=6, mtime=0) as target:
            for block in iter(lambda: source.read(1 << 20), b""):
                target.write(block)
    return [_describe(path, media_type, None), _describe(zipped, media_type, "gzip")]


def write_dumps(folder: Path, sorted_quads: list[ox.Quad], prefixes: dict[str, str]) -> tuple[list[dict], int]:
    """Write every dump (and its .gz) into folder; describe each file for the manifest, and
    count the triples of the default-graph view.

    Files are written as they are serialised (nothing held whole in memory); the default-graph
    view is computed once for the triple formats; checksums and gzipped copies are made in a
    worker thread (hashlib and zlib release the GIL) while the next format is serialised.
    """
    folder.mkdir(parents=True, exist_ok=True)
    cached: list[list[ox.Triple]] = []

    def union() -> list[ox.Triple]:
        if not cached:
            cached.append(union_triples(sorted_quads))
        return cached[0]

    pending: list[Future] = []
    with ThreadPoolExecutor(max_workers=1) as pool:
        for fmt in FORMATS:
            path = folder / f"{STEM}.{fmt.extension}"
            _serialise(fmt, path, sorted_quads, prefixes, union)
            pending.append(pool.submit(_finish, path, fmt.media_type))
    return [described for future in pending for described in future.result()], len(union())


def context_file(folder: Path, prefixes: dict[str, str]) -> None:
    """Write the JSON-LD context on its own, for consumers that want to reuse it."""
    (folder / "context.jsonld").write_text(json.dumps({"@context": jsonld_context(prefixes)}, indent=2) + "\n")
