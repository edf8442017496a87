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

from kgraph.rdfconv import to_rdflib_graph

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


def canonical(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """The quads with canonical blank node labels, sorted by their N-Quads form."""
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(dataset, key=str)


def union_triples(sorted_quads: list[ox.Quad]) -> list[ox.Triple]:
    """The default-graph view (union of all graphs) of sorted quads, duplicates removed."""
    seen: dict[ox.Triple, None] = {}
    for quad in sorted_quads:
        seen.setdefault(quad.triple, None)
    return sorted(seen, key=str)


def jsonld_context(prefixes: dict[str, str]) -> dict:
    """A readable JSON-LD @context: prefixes, plus short names for labels and types."""
    context: dict = dict(sorted(prefixes.items()))
    context["label"] = {"@id": "http://www.w3.org/2000/01/rdf-schema#label", "@container": "@language"}
    context["type"] = "@type"
    context["id"] = "@id"
    return context


def _stable(value):
    """value with every JSON array sorted: rdflib emits nodes and values in hash order."""
    if isinstance(value, dict):
        return {k: _stable(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_stable(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def _jsonld(triples: list[ox.Triple], prefixes: dict[str, str]) -> bytes:
    # pyoxigraph writes expanded JSON-LD only; rdflib compacts against a context.
    graph = to_rdflib_graph(triples)
    text = graph.serialize(format="json-ld", context=jsonld_context(prefixes), auto_compact=True)
    document = json.loads(text)
    context = document.pop("@context")
    body = _stable(document)  # RDF arrays are unordered, so sorting them changes no meaning
    ordered = {"@context": context, **body}
    return (json.dumps(ordered, indent=2, sort_keys=False, ensure_ascii=False) + "\n").encode("utf-8")


def _writer(fmt: DumpFormat, quads: list[ox.Quad], prefixes: dict[str, str],
            union: Callable[[], list[ox.Triple]] | None = None) -> Callable[[], bytes]:
    union = union or (lambda: union_triples(quads))
    if fmt.extension == "jsonld":
        return lambda: _jsonld(union(), prefixes)
    rdf_format = {
        "ttl": ox.RdfFormat.TURTLE,
        "nt": ox.RdfFormat.N_TRIPLES,
        "nq": ox.RdfFormat.N_QUADS,
        "trig": ox.RdfFormat.TRIG,
    }[fmt.extension]
    use_prefixes = prefixes if fmt.extension in ("ttl", "trig") else None
    return lambda: ox.serialize(quads if fmt.quads else union(), format=rdf_format, prefixes=use_prefixes)


def _describe(name: str, data: bytes, media_type: str, encoding: str | None) -> dict:
    return {"file": name, "media_type": media_type, "encoding": encoding, "bytes": len(data),
            "sha256": hashlib.sha256(data).hexdigest()}


def _write_gzip(path: Path, content: bytes, media_type: str) -> dict:
    data = gzip.compress(content, mtime=0)
    path.write_bytes(data)
    return _describe(path.name, data, media_type, "gzip")


def write_dumps(folder: Path, sorted_quads: list[ox.Quad], prefixes: dict[str, str]) -> list[dict]:
    """Write every dump (and its .gz) into folder; describe each file for the manifest.

    The default-graph view is computed once for the triple formats, and the gzipped copies are
    compressed in a worker thread (zlib releases the GIL) while the next format is serialised.
    """
    folder.mkdir(parents=True, exist_ok=True)
    cached: list[list[ox.Triple]] = []

    def union() -> list[ox.Triple]:
        if not cached:
            cached.append(union_triples(sorted_quads))
        return cached[0]

    described: list = []
    with ThreadPoolExecutor(max_workers=1) as pool:
        for fmt in FORMATS:
            content = _writer(fmt, sorted_quads, prefixes, union)()
            name = f"{STEM}.{fmt.extension}"
            (folder / name).write_bytes(content)
            described.append(_describe(name, content, fmt.media_type, None))
            described.append(pool.submit(_write_gzip, folder / f"{name}.gz", content, fmt.media_type))
    return [d.result() if isinstance(d, Future) else d for d in described]


def context_file(folder: Path, prefixes: dict[str, str]) -> None:
    """Write the JSON-LD context on its own, for consumers that want to reuse it."""
    (folder / "context.jsonld").write_text(json.dumps({"@context": jsonld_context(prefixes)}, indent=2) + "\n")
