"""The build: content files in, a validated, materialised Oxigraph store and dumps out.

Stages: parse (into an N-Quads spool) -> load (a working store) -> materialise -> validate,
while the dumps, and the release's store, are written from the spool by processes of their
own (the store's first part overlaps load and materialise, the rest and the dumps overlap
validation). Everything is written into a new release folder; only a build that passed every
stage becomes `current` (see release.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable

import pyoxigraph as ox

from kgraph import __version__, dumps, fastvalidate, prefilter, release, sources
from kgraph.background import Background, BackgroundError
from kgraph.config import Settings
from kgraph.materialise import entailed_quads
from kgraph.namespaces import all_prefixes
from kgraph.provenance import dataset_metadata
from kgraph.spool import Spool
from kgraph.validate import Report, validate_quads


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


# Statements per bulk_extend call into a store on disk: Oxigraph's bulk loader holds what one
# call gives it in memory (10M statements in one call: 1.9 GB; in calls of 100k: 0.25 GB, no
# slower). An in-memory store takes them in one call: in calls of 100k, loading 10M took 84 s
# instead of 52 s.
LOAD_BATCH = 100_000


def load_statements(store: ox.Store, spool: Path | BinaryIO, batch: int | None = LOAD_BATCH) -> None:
    """Load the spooled statements (a file, or an open one from where it stands) into store,
    keeping their blank node labels (bulk_load would give blank nodes new labels; bulk_extend
    keeps the canonical ones), batch at a time (None: all at once)."""
    if isinstance(spool, Path):
        statements = ox.parse(path=str(spool), format=ox.RdfFormat.N_QUADS)
    else:
        statements = ox.parse(spool, format=ox.RdfFormat.N_QUADS)
    if batch is None:
        store.bulk_extend(statements)
        return
    while chunk := list(itertools.islice(statements, batch)):
        store.bulk_extend(chunk)


def finish_store(store: ox.Store, path: Path) -> dict[str, int]:
    """Compact and close a release's store; its size on disk."""
    store.optimize()
    store.flush()
    del store  # closes it, so that servers can open it
    return {"bytes": sum(f.stat().st_size for f in path.rglob("*") if f.is_file())}


class _Head(io.RawIOBase):
    """The first `size` bytes of a binary file, from where it stands."""

    def __init__(self, raw: BinaryIO, size: int):
        self._raw, self._left = raw, size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._left <= 0:
            return 0
        read = self._raw.readinto(memoryview(buffer)[:self._left])
        self._left -= read
        return read


def write_store(spool: Path, path: Path, start: int = 0, end: int | None = None, finish: bool = True) -> dict[str, int]:
    """Add the spool's statements from byte start to byte end (None: to its end) to the release's
    store at path; with finish, compact it. Run in a process of its own, in two parts: what
    was parsed, while the graph is loaded and materialised, then what that added."""
    store = ox.Store(str(path))
    with open(spool, "rb") as lines:
        lines.seek(start)
        load_statements(store, lines if end is None else io.BufferedReader(_Head(lines, end - start)))
    if finish:
        return finish_store(store, path)
    store.flush()
    del store  # closed, for the next part's process
    return {}


class GraphSources:
    """Which source files state something about an IRI: a mapping for validation findings,
    looked up in the store when a finding asks (rather than indexed for every subject)."""

    def __init__(self, store: ox.Store, found: list[sources.Source]):
        self._store = store
        self._order = {s.graph: (i, str(s.path)) for i, s in enumerate(found)}
        self._known: dict[str, tuple[str, ...]] = {}

    def get(self, subject: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        if subject not in self._known:
            self._known[subject] = self._lookup(subject)
        return self._known[subject] or default

    def _lookup(self, subject: str) -> tuple[str, ...]:
        try:
            iri = ox.NamedNode(subject)
        except ValueError:
            return ()  # a blank node's label: not a subject of any source file as written
        query = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {iri} ?p ?o }} }}"
        graphs = [self._order[row["g"].value] for row in self._store.query(query) if row["g"].value in self._order]
        return tuple(path for _, path in sorted(graphs))  # in the order the sources are read


def build(settings: Settings, out: Path | None = None, progress: Progress | None = None) -> release.Release:
    """Build the graph into a new release under out (default: settings.build_dir).

    Raises BuildError (bad input, violations, dumps or store that could not be written) or
    sources.SourceError (unreadable file); in every case nothing under out changes but a
    removed partial folder.

    Statements go to an N-Quads spool on disk (kgraph.spool) as files are parsed; inference
    and validation run on a store loaded from it (in memory up to
    settings.build_in_memory_quads statements, else on disk, so that the graph never has to
    fit in memory); the dumps are sorted from the spool by `sort`.
    """
    build_dir = Path(out or settings.build_dir)
    base = settings.base
    files = input_files(settings)
    version = input_version(settings, files)
    release_id = f"{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%S%f}-{version[:12]}"
    found = sources.discover(settings.ontology_dir, settings.data_dir, base)
    build_dir.mkdir(parents=True, exist_ok=True)
    folder = release.new_release_dir(build_dir, release_id)
    work = folder / "work"
    work.mkdir()
    spooled = Spool(work / "spool.nq")
    state: dict = {}

    def parse() -> dict[str, int]:
        for source in found:
            spooled.add_graph(source.graph, sources.parse_statements(source.path, base))
        try:
            spooled.label_blank_nodes()
        except BackgroundError as exc:
            raise BuildError(f"labelling blank nodes: {exc}") from None
        return {"files": len(found), "triples": spooled.count}

    def load() -> dict[str, int]:
        # The store inference and validation run on: in memory when the graph fits (several
        # times faster to scan), else the release's own store on disk.
        spooled.flush()
        in_memory = spooled.count <= settings.build_in_memory_quads
        state["in_memory"] = in_memory
        if in_memory:  # the release's store gets the parsed statements meanwhile
            state["parsed bytes"] = spooled.path.stat().st_size
            state["release store"] = Background(write_store, spooled.path, folder / "store", 0,
                                                state["parsed bytes"], False)
        state["store"] = ox.Store() if in_memory else ox.Store(str(folder / "store"))
        load_statements(state["store"], spooled.path, None if in_memory else LOAD_BATCH)
        return {("quads in memory" if in_memory else "quads on disk"): spooled.count}

    def materialise() -> dict[str, int]:
        oxstore = state["store"]
        inferred = entailed_quads(oxstore, f"{base}graph/inferred")  # also added to the store
        metadata = dataset_metadata(
            oxstore, base=base, graph=f"{base}graph/metadata", version=version,
            modified=source_date(files), graphs=[s.graph for s in found],
        )
        oxstore.extend(metadata)
        spooled.add(inferred + metadata)
        spooled.close()
        return {"inferred": len(inferred), "metadata": len(metadata)}

    def validate() -> dict[str, int]:
        # pyshacl's findings in seconds instead of hours at scale (tests/core/test_fastvalidate.py):
        # SPARQL picks the focus nodes that can fail, the set-wise evaluator checks them. For
        # shapes that SPARQL cannot prefilter, the evaluator checks every focus node; pyshacl
        # remains for shapes the evaluator does not cover.
        oxstore = state["store"]
        sources_of = GraphSources(oxstore, found)
        shapes_dir = settings.shapes_dir
        try:
            report = prefilter.validate_prefiltered(oxstore, spooled.path, spooled.literals, shapes_dir, base, sources_of)
        except fastvalidate.Unsupported:
            try:
                report = fastvalidate.validate_on_store(oxstore, spooled.read(), shapes_dir, base, sources_of)
            except fastvalidate.Unsupported:
                report = validate_quads(list(spooled.read()), shapes_dir, base, sources_of)
        state["report"] = report
        if not report.conforms:
            raise BuildError(f"the graph does not conform to the shapes:\n{report.text()}", report)
        return {"violations": 0, "warnings": report.count("Warning")}

    def start_background() -> None:
        # The spool is complete once materialised: the dumps, and the release's store if the
        # work was done in memory, are written by processes of their own while this one
        # validates (the stages are mostly Python; threads would share one core).
        state["dumps"] = Background(dumps.write_dumps, folder / "dumps", spooled.path, all_prefixes(base), work)
        if state["in_memory"]:  # the rest of the release's store, once its first part is written
            state["parsed part"] = collect("release store", report=False).seconds
            state["release store"] = Background(write_store, spooled.path, folder / "store", state["parsed bytes"])

    def collect(name: str, report: bool = True) -> Stage:
        background = state.pop(name)
        try:
            counts = background.result()
        except (dumps.DumpError, BackgroundError) as exc:
            raise BuildError(f"{name}: {exc}") from None
        if name == "dumps":
            state["written"] = counts
            counts = {"files": len(counts.files)}
        seconds = background.seconds + (state.get("parsed part", 0.0) if report and name != "dumps" else 0.0)
        stage = Stage("dumps" if name == "dumps" else "store", seconds, counts)
        if progress and report:
            progress(stage)
        return stage

    def close_disk_store() -> dict[str, int]:
        return finish_store(state.pop("store"), folder / "store")

    stages: list[Stage] = []
    try:
        for name, work_of_stage in (("parse", parse), ("load", load), ("materialise", materialise)):
            stages.append(_timed(name, progress, work_of_stage))
        start_background()
        stages.append(_timed("validate", progress, validate))
        if state["in_memory"]:
            state.pop("store")
            stages.append(collect("release store"))
        else:
            stages.append(_timed("store", progress, close_disk_store))
        stages.append(collect("dumps"))
        dumps.context_file(folder / "dumps", all_prefixes(base))
    except BaseException:
        spooled.discard()
        for name in ("dumps", "release store"):
            if name in state:
                state[name].cancel()
        state.clear()  # close the store before its folder goes
        shutil.rmtree(folder, ignore_errors=True)
        raise
    shutil.rmtree(work)
    written = state["written"]
    manifest = {
        "version": version,
        "kgraph": __version__,
        "base": base,
        "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "source_date": source_date(files).isoformat(),
        "triples": written.triples,
        "quads": written.quads,
        "warnings": state["report"].count("Warning"),
        "stages": {s.name: {"seconds": round(s.seconds, 3), **s.counts} for s in stages},
        "dumps": written.files,
    }
    release.write_manifest(folder, manifest)
    return release.publish(build_dir, folder, release_id, keep=settings.keep_releases)
