"""The build: content files in, a validated, materialised Oxigraph store and dumps out.

Stages, each a module of this package: parse (into an N-Quads spool) -> load (a working
store) -> materialise -> validate, while the dumps, and the release's store, are written from
the spool by processes of their own (the store's first part overlaps load and materialise, the
rest and the dumps overlap validation); then the network stage, and beside it, in a process of
its own, the history (kgraph.build.history, from the sorted dump). Everything is written into a
new release folder; only a build that passed every stage becomes `current` (kgraph.release).
One BuildRun holds what the stages hand each other; `kgraph validate` runs its first four
stages (kgraph.build.check).
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import pyoxigraph as ox

from kgraph import release
from kgraph.build import dumps, inputs, linkset_dumps, publish
from kgraph.build.background import Background, BackgroundError
from kgraph.build.history import HistoryStage
from kgraph.build.load import LOAD_BATCH, load_statements
from kgraph.build.materialise import materialise
from kgraph.build.memory import give_back
from kgraph.build.parse import Warn, parse_into
from kgraph.build.spool import Spool
from kgraph.build.stage import BuildError, Progress, Stage, timed
from kgraph.build.store import finish_store, write_store
from kgraph.config import Settings
from kgraph.namespaces import all_prefixes

if TYPE_CHECKING:  # the validation package is imported by the validate stage, when it runs
    from kgraph.validation import Report


@dataclass
class BuildRun:
    """One run of the stages: what they read, and what each hands on to the next."""

    settings: Settings
    folder: Path  # the release folder being written (or, for kgraph validate, a scratch one)
    found: list[inputs.Source]
    version: str
    modified: dt.datetime
    spool: Spool
    progress: Progress | None = None
    warn: Warn | None = None
    stages: list[Stage] = field(default_factory=list)
    in_memory: bool = False  # whether the working store is in memory (else the release's own)
    store: ox.Store | None = None  # the working store inference and validation run on
    parsed_bytes: int = 0  # the spool's size after parsing: the release store's first part
    parsed_part_seconds: float = 0.0
    release_store: Background | None = None
    written_dumps: Background | None = None
    report: "Report | None" = None
    written: dumps.Written | None = None
    linkset_files: list[dict] = field(default_factory=list)  # links-<partner>.nt (kgraph.build.linkset_dumps)
    network_files: list[dict] = field(default_factory=list)  # the network exports (kgraph.build.network)

    @property
    def store_path(self) -> Path:
        return self.folder / "store"

    def run(self, name: str, work) -> None:
        self.stages.append(timed(name, self.progress, work))

    # --- the stages ---------------------------------------------------------------------------
    def parse(self) -> dict[str, int]:
        try:
            files = parse_into(self.spool, self.found, self.settings.base, self.warn)
        except BackgroundError as exc:
            raise BuildError(f"parsing: {exc}") from None
        try:
            self.spool.label_blank_nodes()
        except BackgroundError as exc:
            raise BuildError(f"labelling blank nodes: {exc}") from None
        return {"files": files, "triples": self.spool.count}

    def load(self, write_release_store: bool = True) -> dict[str, int]:
        # The store inference and validation run on: in memory when the graph fits (several
        # times faster to scan), else the release's own store on disk.
        self.spool.flush()
        self.in_memory = self.spool.count <= self.settings.build_in_memory_quads
        if self.in_memory and write_release_store:  # the release's store gets the parsed statements meanwhile
            self.parsed_bytes = self.spool.path.stat().st_size
            self.release_store = Background(write_store, self.spool.path, self.store_path, self.spool.blank_ranges,
                                            0, self.parsed_bytes, False)
        self.store = ox.Store() if self.in_memory else ox.Store(str(self.store_path))
        load_statements(self.store, self.spool.path, self.spool.blank_ranges, None if self.in_memory else LOAD_BATCH)
        return {("quads in memory" if self.in_memory else "quads on disk"): self.spool.count}

    def materialise(self) -> dict[str, int]:
        return materialise(self.store, self.spool, base=self.settings.base, version=self.version,
                           modified=self.modified, graphs=[s.graph for s in self.found])

    def validate(self, language: str = "en") -> "Report":
        """The validation report of the graph (kgraph.validation), findings placed in the files."""
        # imported here: the background processes import this package, and need no SHACL engines
        from kgraph.build.validate import validate_graph

        self.report = validate_graph(self.store, self.spool.path, self.spool.literals, self.found,
                                     self.settings.shapes_dir, self.settings.base, language)
        return self.report

    def check(self, reported: Callable[["Report"], None] | None = None) -> dict[str, int]:
        """The validate stage of a build: BuildError when the graph has violations."""
        report = self.validate()
        if reported:
            report.findings  # placed now, while the store they are placed by is open
            reported(report)
        if not report.conforms:
            raise BuildError(f"the graph does not conform to the shapes:\n{report.text()}", report)
        # a conforming build only counts its warnings: they are not placed (nobody reads them),
        # and the report lets go of the working store, which finish_store closes
        self.report = report.counted()
        return {"violations": 0, "warnings": report.count("Warning")}

    # --- the stages that run beside validation ------------------------------------------------
    def start_background(self) -> None:
        # The spool is complete once materialised: the dumps, and the release's store if the
        # work was done in memory, are written by processes of their own while this one
        # validates (the stages are mostly Python; threads would share one core).
        spaces = linkset_dumps.partner_spaces(self.settings.data_dir / "links", self.settings.base)
        self.written_dumps = Background(write_all_dumps, self.folder / "dumps", self.spool.path,
                                        all_prefixes(self.settings.base), self.folder / "work", spaces,
                                        self.settings.base)
        if self.in_memory:  # the rest of the release's store, once its first part is written
            self.parsed_part_seconds = self._result("store", self.release_store)[1]
            self.release_store = Background(write_store, self.spool.path, self.store_path, self.spool.blank_ranges,
                                            self.parsed_bytes)

    def network(self) -> dict[str, int]:
        """The network stage: measures and exports of the collaboration network (beside the history
        stage, in its own process); a build in memory lets go of its working store after the facts."""
        from kgraph.build.network import extract_facts, write_network  # networkx is needed by this stage only

        from kgraph.network.facts_file import FILE

        data = extract_facts(self.store, self.settings.base)
        if self.in_memory:
            # the release's store is written by a process of its own: the working copy (4-5 GB
            # at 10M statements) is not needed for the measures and exports
            self.store = None
            give_back()
        counts, self.network_files = write_network(data, self.folder / "dumps", self.modified, facts=self.folder / FILE)
        return counts

    def _result(self, name: str, background: Background) -> tuple:
        try:
            return background.result(), background.seconds
        except (dumps.DumpError, BackgroundError) as exc:
            raise BuildError(f"{name}: {exc}") from None

    def finish_store(self) -> None:
        """The store stage: wait for the release's store (or close the one worked on)."""
        if self.in_memory:
            self.store = None
            counts, seconds = self._result("release store", self.release_store)
            self.release_store = None
            self._report(Stage("store", seconds + self.parsed_part_seconds, counts))
        else:
            store, self.store = self.store, None
            self.run("store", lambda: finish_store(store, self.store_path))

    def finish_dumps(self) -> None:
        """The dumps stage: wait for the dumps (and the link sets' dumps, written by the same
        process), then write their JSON-LD context."""
        (self.written, self.linkset_files), seconds = self._result("dumps", self.written_dumps)
        self.written_dumps = None
        self._report(Stage("dumps", seconds, {"files": len(self.written.files)}))
        dumps.context_file(self.folder / "dumps", all_prefixes(self.settings.base))

    def report_stage(self, stage: Stage) -> None:
        """Record a stage that ran elsewhere (a process of its own) and tell progress."""
        self._report(stage)

    def _report(self, stage: Stage) -> None:
        self.stages.append(stage)
        if self.progress:
            self.progress(stage)

    def abandon(self) -> None:
        """Stop what still runs and close the files (the build failed)."""
        self.spool.discard()
        for background in (self.written_dumps, self.release_store):
            if background is not None:
                background.cancel()
        self.store = None  # close the store before its folder goes


def write_all_dumps(folder: Path, spool: Path, prefixes: dict[str, str], work: Path, spaces: dict[str, str],
                    base: str) -> tuple[dumps.Written, list[dict]]:
    """The dumps (kgraph.build.dumps) and the link sets' dumps, read from the N-Triples dump
    (kgraph.build.linkset_dumps): in the dumps' process, off the build's own path (10M: 4.7 s)."""
    written = dumps.write_dumps(folder, spool, prefixes, work)
    return written, linkset_dumps.write(folder, folder / f"{dumps.STEM}.nt", spaces, base)


def start(settings: Settings, folder: Path, found: list[inputs.Source], version: str,
          progress: Progress | None = None, warn: Warn | None = None) -> BuildRun:
    """A run over found (content files) writing into folder, whose `work` subfolder it makes."""
    work = folder / "work"
    work.mkdir()
    return BuildRun(settings=settings, folder=folder, found=found, version=version,
                    modified=inputs.source_date(settings, inputs.input_files(settings)),
                    spool=Spool(work / "spool.nq"), progress=progress, warn=warn)


def build(settings: Settings, out: Path | None = None, progress: Progress | None = None,
          warn: Warn | None = None, reported: Callable[["Report"], None] | None = None, *,
          history: bool = True) -> release.Release:
    """Build the graph into a new release under out (default: settings.build_dir).

    Raises BuildError (bad input, violations, dumps or store that could not be written) or
    SourceError (unreadable file, file:line:col); in every case nothing under out changes but
    a removed partial folder. progress hears of every stage as it ends, warn of content
    files that state nothing, reported of the validation report (also when it conforms).

    Statements go to an N-Quads spool on disk (kgraph.build.spool) as files are parsed;
    inference and validation run on a store loaded from it (in memory up to
    settings.build_in_memory_quads statements, else on disk, so that the graph never has to
    fit in memory); the dumps are sorted from the spool by `sort`.

    history=False leaves the history stage out: the release has no event stream and the log is
    not read or written. benchmarks.history builds each release both ways to measure what the
    stream adds to a build.
    """
    build_dir = Path(out or settings.build_dir)
    found = inputs.discover(settings.ontology_dir, settings.data_dir, settings.base)
    build_dir.mkdir(parents=True, exist_ok=True)
    version = inputs.input_version(settings, inputs.input_files(settings))
    release_id = f"{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%S%f}-{version[:12]}"
    folder = release.new_release_dir(build_dir, release_id)
    run: BuildRun | None = None
    stream = HistoryStage(settings.base, build_dir, folder, version) if history else None
    try:
        if stream:
            stream.open_log()  # a missing or damaged history log stops the build before any work
        run = start(settings, folder, found, version, progress, warn)
        run.run("parse", run.parse)
        run.run("load", run.load)
        run.run("materialise", run.materialise)
        run.start_background()
        run.run("validate", run.check if reported is None else lambda: run.check(reported))
        run.finish_dumps()  # written beside validation: the history reads the sorted dump
        if stream:
            stream.start(run.modified)  # the release's members of the event stream, beside the network stage
        run.run("network", run.network)
        run.finish_store()
        if stream:
            run.report_stage(stream.finish())
    except BaseException:
        if stream:
            stream.cancel()
        if run is not None:
            run.abandon()
        shutil.rmtree(folder, ignore_errors=True)
        raise
    shutil.rmtree(folder / "work")
    contents = publish.manifest(version=run.version, base=settings.base, source_date=run.modified,
                                written=run.written, warnings=run.report.count("Warning"), stages=run.stages,
                                linkset_dumps=run.linkset_files)
    contents["network"] = run.network_files
    try:
        if stream:
            contents["history"] = stream.commit()  # last: the log is appended only for a release that publishes
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return publish.publish(build_dir, folder, release_id, contents, keep=settings.keep_releases)
