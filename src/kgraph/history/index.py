"""The index of the history a release serves: every member of the log up to that release, by
release and by resource (SQLite, in the release folder), and reads of the member blocks."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from kgraph.history.log import Entry

INDEX_FILE = "history.sqlite"



def write_index(path: Path, releases: Iterable[tuple[dict, Iterable[Entry]]]) -> None:
    """Write the index of the given releases (record, entries), in order, to path."""
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    try:
        db.execute("CREATE TABLE releases (seq INTEGER PRIMARY KEY, stamp TEXT UNIQUE, time TEXT, version TEXT, "
                   "members_file TEXT, resources INTEGER, created INTEGER, updated INTEGER, deleted INTEGER, "
                   "members_sha256 TEXT)")
        db.execute("CREATE TABLE members (stamp TEXT, seq INTEGER, version TEXT PRIMARY KEY, resource TEXT, "
                   "kind TEXT, offset INTEGER, length INTEGER)")
        for number, (record, entries) in enumerate(releases):
            db.execute("INSERT INTO releases VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (number, record["stamp"], record["time"], record["version"], record["stamp"] + ".nq",
                        record["resources"], record["created"], record["updated"], record["deleted"],
                        record["members"]["sha256"]))
            db.executemany("INSERT INTO members VALUES (?, ?, ?, ?, ?, ?, ?)",
                           ((record["stamp"], seq, e.version, e.resource, e.kind, e.offset, e.length)
                            for seq, e in enumerate(entries)))
        db.execute("CREATE INDEX members_by_resource ON members (resource, stamp)")
        db.execute("CREATE INDEX members_by_release ON members (stamp, seq)")
        db.commit()
    finally:
        db.close()


@dataclass(frozen=True)
class Release:
    """One release of the history."""

    seq: int
    stamp: str
    time: str
    version: str
    members_file: str
    resources: int
    created: int
    updated: int
    deleted: int
    members_sha256: str

    @property
    def members(self) -> int:
        return self.created + self.updated + self.deleted


@dataclass(frozen=True)
class Member:
    """One member as the index knows it."""

    stamp: str
    seq: int
    version: str
    resource: str
    kind: str
    offset: int
    length: int


class HistoryIndex:
    """A release's view of the history: its index file and the log's member files (read-only)."""

    def __init__(self, index_path: Path, log_folder: Path):
        self.log_folder = Path(log_folder)
        self.db = sqlite3.connect(f"file:{index_path}?mode=ro", uri=True, check_same_thread=False)

    @classmethod
    def of_release(cls, release_folder: Path) -> "HistoryIndex | None":
        """The history index of a release folder of a build, or None if it has none."""
        path = Path(release_folder) / INDEX_FILE
        log = Path(release_folder).resolve().parent.parent / "history"
        return cls(path, log) if path.is_file() and log.is_dir() else None

    def close(self) -> None:
        self.db.close()

    def releases(self) -> list[Release]:
        """Every release, oldest first."""
        return [Release(*row) for row in self.db.execute("SELECT * FROM releases ORDER BY seq")]

    def release(self, stamp: str) -> Release | None:
        row = self.db.execute("SELECT * FROM releases WHERE stamp = ?", (stamp,)).fetchone()
        return Release(*row) if row else None

    def members(self, stamp: str, start: int, count: int) -> list[Member]:
        """Members start .. start+count-1 of a release."""
        rows = self.db.execute("SELECT * FROM members WHERE stamp = ? AND seq >= ? AND seq < ? ORDER BY seq",
                               (stamp, start, start + count))
        return [Member(*row) for row in rows]

    def member(self, version: str) -> Member | None:
        row = self.db.execute("SELECT * FROM members WHERE version = ?", (version,)).fetchone()
        return Member(*row) if row else None

    def versions_of(self, resource: str) -> list[Member]:
        """Every member of a resource, oldest first."""
        rows = self.db.execute("SELECT * FROM members WHERE resource = ? ORDER BY stamp", (resource,))
        return [Member(*row) for row in rows]

    def members_file(self, release: Release) -> Path:
        """The log's file of a release's members (N-Quads)."""
        return self.log_folder / "releases" / release.members_file

    def block(self, member: Member) -> bytes:
        """The member's N-Quads block, from the log."""
        with open(self.log_folder / "releases" / f"{member.stamp}.nq", "rb") as data:
            data.seek(member.offset)
            return data.read(member.length)

    def blocks(self, members: list[Member]) -> bytes:
        """The blocks of consecutive members of one release, in one read."""
        if not members:
            return b""
        first, last = members[0], members[-1]
        with open(self.log_folder / "releases" / f"{first.stamp}.nq", "rb") as data:
            data.seek(first.offset)
            return data.read(last.offset + last.length - first.offset)
