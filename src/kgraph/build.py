"""The build: content files in, a validated, materialised Oxigraph store and dumps out.

Stages: parse -> materialise -> validate -> store -> dumps. Everything is written into a new
release folder; only a build that passed every stage becomes `current` (see release.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

from kgraph import __version__, dumps, fastvalidate, release, sources
from kgraph.config import Settings
from kgraph.materialise import entailed_quads
from kgraph.namespaces import all_prefixes
from kgraph.provenance import dataset_metadata
from kgraph.validate import Report, sources_by_subject, validate_quads


class BuildError(RuntimeError):
    """The build stopped; the previous release is untouched. `report` is set for violations."""

    def __init__(self, message: str, report: Report | None = None):
        super().__init__(message)
        self.report = report


@dataclass(frozen=True)
class Stage:
    """What one stage did: its name, what it counted and how long it took."""

    name: str
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        counts = ", ".join(f"{v} {k}" for k, v in self.counts.items())
        return f"{self.name:<12} {counts:<60} {self.seconds:7.2f} s"


Progress = Callable[[Stage], None]


def input_files(settings: Settings) -> list[Path]:
    """Every file whose content decides the build's output (for the version hash)."""
    files = [s.path for s in sources.discover(settings.ontology_dir, settings.data_dir, settings.base)]
    files += sorted(settings.shapes_dir.rglob("*.ttl")) if settings.shapes_dir.is_dir() else []
    return files


def input_version(settings: Settings, files: list[Path]) -> str:
    """A hash of the base, kgraph's version and every input file's path and bytes."""
    digest = hashlib.sha256(f"kgraph {__version__}\nbase {settings.base}\n".encode())
    root = Path(os.path.commonpath([str(p.resolve()) for p in files])) if files else Path(".")
    for path in files:
        digest.update(f"{path.resolve().relative_to(root).as_posix()}\n".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def source_date(files: list[Path]) -> dt.datetime:
    """When the input was last changed: SOURCE_DATE_EPOCH if set (reproducible builds), else
    the newest input file's modification time. Never the wall clock, so dumps stay identical."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    stamp = int(epoch) if epoch and epoch.isdigit() else int(max(p.stat().st_mtime for p in files))
    return dt.datetime.fromtimestamp(stamp, tz=dt.timezone.utc)


def _timed(name: str, progress: Progress | None, work: Callable[[], dict[str, int]]) -> Stage:
    started = time.perf_counter()
    counts = work()
    stage = Stage(name, time.perf_counter() - started, counts)
    if progress:
        progress(stage)
    return stage


def build(settings: Settings, out: Path | None = None, progress: Progress | None = None) -> release.Release:
    """Build the graph into a new release under out (default: settings.build_dir).

    Raises BuildError (bad input, violations) or sources.SourceError (unreadable file); in
    both cases nothing under out changes but a removed partial folder.
    """
    build_dir = Path(out or settings.build_dir)
    base = settings.base
    files = input_files(settings)
    version = input_version(settings, files)
    release_id = f"{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%S%f}-{version[:12]}"
    state: dict = {}

    def parse() -> dict[str, int]:
        found = sources.discover(settings.ontology_dir, settings.data_dir, base)
        parsed = list(sources.parse_sources(found, base))
        state["parsed"] = [(str(s.path), q) for s, q in parsed]
        state["quads"] = [quad for _, quads in parsed for quad in quads]
        state["graphs"] = [s.graph for s in found]
        return {"files": len(found), "triples": len(state["quads"])}

    def materialise() -> dict[str, int]:
        memory = ox.Store()
        memory.bulk_extend(state["quads"])
        inferred = entailed_quads(memory, f"{base}graph/inferred")
        metadata = dataset_metadata(
            memory, base=base, graph=f"{base}graph/metadata", version=version,
            modified=source_date(files), graphs=state["graphs"],
        )
        memory.extend(metadata)
        state["quads"] += inferred + metadata
        state["memory"] = memory  # every quad, in its graph: validation reads it as their union
        return {"inferred": len(inferred), "metadata": len(metadata)}

    def validate() -> dict[str, int]:
        # The set-wise evaluator gives pyshacl's findings in seconds instead of hours at scale
        # (tests/core/test_fastvalidate.py); pyshacl remains for shapes it does not cover.
        sources_of = sources_by_subject(state["parsed"])
        try:
            report = fastvalidate.validate_quads(state["quads"], settings.shapes_dir, base, sources_of,
                                                 store=state.pop("memory"))
        except fastvalidate.Unsupported:
            report = validate_quads(state["quads"], settings.shapes_dir, base, sources_of)
        state["report"] = report
        if not report.conforms:
            raise BuildError(f"the graph does not conform to the shapes:\n{report.text()}", report)
        return {"violations": 0, "warnings": report.count("Warning")}

    def store() -> dict[str, int]:
        build_dir.mkdir(parents=True, exist_ok=True)
        state["folder"] = folder = release.new_release_dir(build_dir, release_id)
        state["sorted"] = dumps.canonical(state["quads"])
        oxstore = ox.Store(str(folder / "store"))
        oxstore.bulk_extend(state["sorted"])
        oxstore.optimize()
        oxstore.flush()
        del oxstore
        return {"quads": len(state["sorted"]), "graphs": len({q.graph_name for q in state["sorted"]})}

    def write_dumps() -> dict[str, int]:
        prefixes = all_prefixes(base)
        state["dumps"], state["triples"] = dumps.write_dumps(state["folder"] / "dumps", state["sorted"], prefixes)
        dumps.context_file(state["folder"] / "dumps", prefixes)
        return {"files": len(state["dumps"])}

    stages: list[Stage] = []
    try:
        for name, work in (("parse", parse), ("materialise", materialise), ("validate", validate),
                           ("store", store), ("dumps", write_dumps)):
            stages.append(_timed(name, progress, work))
    except BaseException:
        if "folder" in state:
            shutil.rmtree(state["folder"], ignore_errors=True)
        raise
    triples = state["triples"]
    manifest = {
        "version": version,
        "kgraph": __version__,
        "base": base,
        "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "source_date": source_date(files).isoformat(),
        "triples": triples,
        "quads": len(state["sorted"]),
        "warnings": state["report"].count("Warning"),
        "stages": {s.name: {"seconds": round(s.seconds, 3), **s.counts} for s in stages},
        "dumps": state["dumps"],
    }
    release.write_manifest(state["folder"], manifest)
    return release.publish(build_dir, state["folder"], release_id)
