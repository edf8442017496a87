"""The append-only history log next to the releases: one N-Quads file of members per release.

    build/history/
      index.json                   the releases in order: stamp, time, input version, counts,
                                   and the size and SHA-256 of each of its two files
      releases/<stamp>.nq          the release's members, one block per member, each version in
                                   its own named graph (the version IRI)
      releases/<stamp>.tsv         one line per member: version, resource, kind, byte offset and
                                   length of its block, digest of the resource's description

A release's files are written once and never again: appending writes them beside the others
and only then replaces index.json (atomically). Opening the log checks every file against the
index; a missing or damaged one stops the build (HistoryError) instead of being rewritten.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

INDEX = "index.json"
RELEASES = "releases"
FORMAT = "kgraph-history/1"


class HistoryError(RuntimeError):
    """The history log is missing, damaged or would have to be rewritten; the message says where."""


@dataclass(frozen=True)
class Entry:
    """One member of a release: a version (or deletion) of a resource, and where its block is."""

    version: str
    resource: str
    kind: str  # created, updated or deleted
    offset: int
    length: int
    digest: str  # of the resource's description ("-" for a deletion)

    def line(self) -> str:
        return "\t".join([self.version, self.resource, self.kind, str(self.offset), str(self.length), self.digest])

    @classmethod
    def parse(cls, text: str, where: str) -> "Entry":
        fields = text.rstrip("\n").split("\t")
        if len(fields) != 6:
            raise HistoryError(f"{where}: damaged entry (expected 6 tab-separated fields, found {len(fields)})")
        try:
            return cls(fields[0], fields[1], fields[2], int(fields[3]), int(fields[4]), fields[5])
        except ValueError:
            raise HistoryError(f"{where}: damaged entry (offset and length must be integers)") from None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as data:
        for chunk in iter(lambda: data.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _write_new(path: Path, data: bytes) -> None:
    """Write a file that must not exist yet as a published file (a leftover of an append that
    never reached the index is replaced), durably."""
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)


class HistoryLog:
    """The log of a build folder, checked when opened."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.releases: list[dict] = []

    @property
    def index_path(self) -> Path:
        return self.folder / INDEX

    def file(self, name: str) -> Path:
        return self.folder / RELEASES / name

    @classmethod
    def open(cls, folder: Path, expected_stamp: str | None = None) -> "HistoryLog":
        """The log in folder, every file checked against its index.

        A log that does not exist yet is empty, unless expected_stamp (the release stamp the
        current release says it published) is given: then the log is missing, a HistoryError.
        """
        log = cls(folder)
        if not log.index_path.exists():
            if expected_stamp is not None:
                raise HistoryError(
                    f"{log.index_path}: the history log is missing, but the current release published "
                    f"history up to {expected_stamp}; restore the folder {log.folder} from a backup "
                    "(a build never starts the history again over published versions)")
            return log
        try:
            index = json.loads(log.index_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise HistoryError(f"{log.index_path}: unreadable ({exc})") from None
        except json.JSONDecodeError as exc:
            raise HistoryError(f"{log.index_path}:{exc.lineno}:{exc.colno}: damaged ({exc.msg})") from None
        if not isinstance(index, dict) or index.get("format") != FORMAT or not isinstance(index.get("releases"), list):
            raise HistoryError(f"{log.index_path}: not a kgraph history index (format {FORMAT!r} expected)")
        log.releases = index["releases"]
        for release in log.releases:
            for kind in ("members", "entries"):
                log._check(release, kind)
        stamps = [r["stamp"] for r in log.releases]
        if stamps != sorted(set(stamps)):
            raise HistoryError(f"{log.index_path}: damaged (release stamps are not strictly increasing)")
        if expected_stamp is not None and expected_stamp not in stamps:
            raise HistoryError(f"{log.index_path}: the current release published history up to {expected_stamp}, "
                               "which the log does not hold; restore the log from a backup")
        return log

    def _check(self, release: dict, kind: str) -> None:
        try:
            name, size, digest = release[kind]["file"], release[kind]["bytes"], release[kind]["sha256"]
        except (KeyError, TypeError):
            raise HistoryError(f"{self.index_path}: damaged (release entry without its {kind} file)") from None
        path = self.file(name)
        if not path.is_file():
            raise HistoryError(f"{path}: missing from the history log (listed in {self.index_path}); "
                               "restore it from a backup")
        if path.stat().st_size != size or _sha256(path) != digest:
            raise HistoryError(f"{path}: damaged (its size or SHA-256 differs from {self.index_path}); "
                               "restore it from a backup")

    @property
    def last(self) -> dict | None:
        return self.releases[-1] if self.releases else None

    def entries(self, release: dict) -> Iterator[Entry]:
        """The members of one release of the log, in order."""
        path = self.file(release["entries"]["file"])
        with open(path, encoding="utf-8") as lines:
            for number, text in enumerate(lines, 1):
                yield Entry.parse(text, f"{path}:{number}")

    def state(self) -> dict[str, Entry]:
        """The last entry of every resource the log has seen (a deletion included)."""
        latest: dict[str, Entry] = {}
        for release in self.releases:
            for entry in self.entries(release):
                latest[entry.resource] = entry
        return latest

    def append(self, record: dict, members: Path, entries: list[Entry]) -> dict:
        """Append one release (its stamp in record): the members file (moved into the log) and
        its entries; the record as written to the index. Refuses to replace a listed release."""
        stamp = record["stamp"]
        if any(r["stamp"] == stamp for r in self.releases):
            raise HistoryError(f"{self.index_path}: release {stamp} is already in the log; a published "
                               "version is never rewritten")
        if self.releases and stamp <= self.releases[-1]["stamp"]:
            raise HistoryError(f"{self.index_path}: release {stamp} is not later than the log's last, "
                               f"{self.releases[-1]['stamp']}")
        (self.folder / RELEASES).mkdir(parents=True, exist_ok=True)
        record = dict(record)
        target = self.file(stamp + ".nq")
        with open(members, "rb") as data:  # durable before the index names it
            os.fsync(data.fileno())
        shutil.move(str(members), str(target))
        record["members"] = {"file": target.name, "bytes": target.stat().st_size, "sha256": _sha256(target)}
        table = "".join(entry.line() + "\n" for entry in entries).encode()
        path = self.file(stamp + ".tsv")
        _write_new(path, table)
        record["entries"] = {"file": path.name, "bytes": len(table), "sha256": hashlib.sha256(table).hexdigest()}
        releases = self.releases + [record]
        text = json.dumps({"format": FORMAT, "releases": releases}, indent=2, sort_keys=True) + "\n"
        _write_new(self.index_path, text.encode())
        self.releases = releases
        return record

    def block(self, release: dict, entry: Entry) -> bytes:
        """The N-Quads block of one member."""
        with open(self.file(release["members"]["file"]), "rb") as data:
            data.seek(entry.offset)
            return data.read(entry.length)
