"""The history stage: this release's members of the event stream (kgraph.history).

Runs once the dumps are written: the descriptions come from the sorted N-Quads dump. The
members go to a file in the release folder, with the release's index of the whole history;
they join the append-only log only when the build is about to be published (commit), so a
build that fails never leaves a version in the log.

The stage runs in a process of its own (`start`, then `finish`) beside the network stage:
that stage is Python on one core, and once the dumps and the release store are written the
other core was idle while it ran, and the history waited for it (at 1M the two ran one after
the other for 10 s and 12.6 s).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import signal
import sys
from pathlib import Path

import pyoxigraph as ox

from kgraph import release
from kgraph.build.background import Background, BackgroundError
from kgraph.build.stage import BuildError, Stage
from kgraph.history import HistoryError, HistoryLog, terms
from kgraph.history.cbd import descriptions
from kgraph.history.diff import Changes, changes
from kgraph.history.index import INDEX_FILE, write_index
from kgraph.history.store_loader import StoreLoader

LOG_FOLDER = "history"  # in the build folder, next to `releases/` and `current`
MEMBERS_FILE = "history-members.nq"
STORE_FOLDER = "history-store"  # in the release folder: every version, a named graph each (SPARQL)


def log_folder(build_dir: Path) -> Path:
    """Where a build folder keeps its history log."""
    return Path(build_dir) / LOG_FOLDER


def published_stamp(build_dir: Path) -> str | None:
    """The history stamp the current release says it published (None: no release, or one from
    before the history was kept)."""
    link = Path(build_dir) / release.CURRENT
    if not link.exists():
        return None
    try:
        manifest = json.loads((link.resolve() / release.MANIFEST).read_text())
    except (OSError, ValueError):
        return None
    history = manifest.get("history")
    return history.get("stamp") if isinstance(history, dict) else None


def next_stamp(log: HistoryLog, modified: dt.datetime) -> str:
    """The release's stamp: its source date, or a second after the log's last release when that
    is not earlier (stamps order the stream, so they strictly increase)."""
    stamp = terms.stamp_of(modified)
    last = log.last
    if last is not None and stamp <= last["stamp"]:
        stamp = terms.stamp_of(terms.time_of(last["stamp"]) + dt.timedelta(seconds=1))
    return stamp


class HistoryStage:
    """Prepare the release's members (the stage), then append them to the log (commit)."""

    def __init__(self, base: str, build_dir: Path, folder: Path, version: str):
        self.base, self.build_dir, self.folder = base, Path(build_dir), Path(folder)
        self.version = version
        self.log: HistoryLog | None = None
        self.record: dict | None = None
        self.changes: Changes | None = None
        self._running: Background | None = None

    def open_log(self) -> None:
        """Open and check the log (BuildError if it is missing or damaged): first in a build."""
        try:
            self.log = HistoryLog.open(log_folder(self.build_dir), published_stamp(self.build_dir))
        except HistoryError as exc:
            raise BuildError(f"history: {exc}") from None

    def prepare(self, modified: dt.datetime) -> dict[str, int]:
        """The stage: compare with the log, write the members and the release's history index
        and store; modified is the release's source date."""
        if self.log is None:
            self.open_log()
        log = self.log
        releases = [(r, list(log.entries(r))) for r in log.releases]
        if log.last is not None and log.last["version"] == self.version:
            # the same input as the last release: nothing changed, nothing is appended
            self.record = log.last
            write_index(self.folder / INDEX_FILE, releases)
            self._store_loader(log).finish()
            return {"members": 0}
        stamp = next_stamp(log, modified)
        dump = self.folder / "dumps" / "kgraph.nq"
        loader = self._store_loader(log)  # loads the members beside the Python that writes them
        try:
            found = changes(descriptions(dump, terms.publishable_prefix(self.base), f"{self.base}graph/metadata"),
                            log.state(), stamp, self.folder / MEMBERS_FILE, sink=loader.sink)
            loader.finish()
        except ValueError as exc:
            loader.cancel()
            raise BuildError(f"history: {exc}") from None
        except OSError as exc:  # the loader failed (a closed pipe, or its own message)
            loader.cancel()
            raise BuildError(f"history: {exc}") from None
        except BaseException:
            loader.cancel()
            raise
        self.changes = found
        self.record = {"stamp": stamp, "time": terms.xsd_datetime(stamp), "version": self.version,
                       "resources": found.resources, "created": found.count(terms.CREATED),
                       "updated": found.count(terms.UPDATED), "deleted": found.count(terms.DELETED)}
        indexed = {**self.record, "members": {"file": f"{stamp}.nq", "sha256": found.sha256}}
        write_index(self.folder / INDEX_FILE, releases + [(indexed, found.entries)])
        return {k: self.record[k] for k in ("created", "updated", "deleted")}

    def start(self, modified: dt.datetime) -> None:
        """Begin `prepare` in a process of its own (the log is checked first, here, by open_log);
        `finish` waits for it."""
        if self.log is None:
            self.open_log()
        # the log goes as it was opened and checked (its folder and releases: plain data)
        self._running = Background(_prepare_apart, self.base, self.build_dir, self.folder, self.version, modified,
                                   self.log)

    def finish(self) -> Stage:
        """Wait for the stage begun by `start`: its Stage (its own run time), BuildError if it failed."""
        assert self._running is not None
        running, self._running = self._running, None
        try:
            counts, self.record, self.changes = running.result()
        except BackgroundError as exc:
            raise BuildError(f"history: {exc}") from None
        return Stage("history", running.seconds, counts)

    def cancel(self) -> None:
        """Stop the stage begun by `start`, if it still runs (the build failed elsewhere)."""
        if self._running is not None:
            self._running.cancel()
            self._running = None

    def _store_loader(self, log: HistoryLog) -> StoreLoader:
        """The release's history store, loading: every member of the log so far, each version in
        its named graph (the version IRI), for SPARQL at /ldes/sparql, then the new members
        written to the loader's sink. When the current release's store holds exactly the log so
        far, it is copied (hard links to its immutable files) and only the new members are
        loaded; else every member file of the log is."""
        target = self.folder / STORE_FOLDER
        previous = self._previous_store(log)
        files = [log.file(r["members"]["file"]) for r in log.releases]
        if previous is not None:
            try:
                ox.Store.read_only(str(previous)).backup(str(target))
                files = []
            except OSError:
                shutil.rmtree(target, ignore_errors=True)  # loaded from the log instead
        return StoreLoader(target, files)

    def _previous_store(self, log: HistoryLog) -> Path | None:
        link = self.build_dir / release.CURRENT
        try:
            manifest = json.loads((link.resolve() / release.MANIFEST).read_text())
        except (OSError, ValueError):
            return None
        said = manifest.get("history")
        store = link.resolve() / STORE_FOLDER
        stamps = [r["stamp"] for r in log.releases]
        if isinstance(said, dict) and said.get("releases") == stamps and store.is_dir():
            return store
        return None

    def commit(self) -> dict:
        """Append the prepared release to the log (nothing when nothing changed); what the
        release's manifest says of its history."""
        assert self.log is not None and self.record is not None
        if self.changes is not None:
            try:
                self.record = self.log.append(self.record, self.changes.path, self.changes.entries)
            except (HistoryError, OSError) as exc:
                raise BuildError(f"history: {exc}") from None
        said = {k: self.record[k] for k in ("stamp", "time", "resources", "created", "updated", "deleted")}
        return {**said, "releases": [r["stamp"] for r in self.log.releases]}


def _prepare_apart(base: str, build_dir: Path, folder: Path, version: str, modified: dt.datetime,
                   log: HistoryLog) -> tuple[dict[str, int], dict | None, Changes | None]:
    """HistoryStage.prepare in a Background process: its counts, record and changes."""
    # Background.cancel terminates this process: as SystemExit the stage's own clean-up runs
    # (the store loader is stopped rather than left loading into a folder being removed).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    stage = HistoryStage(base, build_dir, folder, version)
    stage.log = log
    counts = stage.prepare(modified)
    return counts, stage.record, stage.changes
