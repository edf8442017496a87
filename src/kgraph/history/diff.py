"""What changed since the log's last release: a new version of every resource created or
changed, a deletion for every one that disappeared, written as member blocks."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Iterable

from kgraph.history import terms
from kgraph.history.cbd import Description
from kgraph.history.log import Entry


def _iri(value: str) -> bytes:
    return b"<" + value.encode() + b">"


def version_block(description: Description, version: str, stamp: str) -> bytes:
    """The member for a version: the resource's statements about the version IRI (its blank
    nodes as they are), dcterms:isVersionOf the resource, prov:generatedAtTime the release time,
    all in the named graph of the version."""
    subject, member = _iri(description.resource), _iri(version)
    graph = b" " + member + b" .\n"
    lines = [member + line[len(subject):-2] + graph if line.startswith(subject + b" ") else line[:-2] + graph
             for line in description.lines]
    lines += _version_lines(description.resource, version, stamp)
    return b"".join(sorted(lines))


def deletion_block(resource: str, version: str, stamp: str) -> bytes:
    """The member for a deletion: a tombstone typed as:Delete (the stream's ldes:versionDeleteObject)."""
    member = _iri(version)
    lines = _version_lines(resource, version, stamp)
    lines.append(member + b" " + _iri(terms.RDF_TYPE) + b" " + _iri(terms.AS_DELETE) + b" " + member + b" .\n")
    return b"".join(sorted(lines))


def _version_lines(resource: str, version: str, stamp: str) -> list[bytes]:
    member = _iri(version)
    moment = _moment(stamp)
    return [member + b" " + _iri(terms.IS_VERSION_OF) + b" " + _iri(resource) + b" " + member + b" .\n",
            member + b" " + _iri(terms.GENERATED_AT) + b" " + moment + b" " + member + b" .\n"]


@functools.lru_cache(maxsize=4)  # one stamp per build: parsed once, not per member
def _moment(stamp: str) -> bytes:
    return f'"{terms.xsd_datetime(stamp)}"^^<{terms.XSD}dateTime>'.encode()


@dataclass
class Changes:
    """The members of one release, written to a file, and what they count."""

    path: Path
    entries: list[Entry] = field(default_factory=list)
    resources: int = 0  # publishable resources in the release
    sha256: str = ""

    def count(self, kind: str) -> int:
        return sum(1 for e in self.entries if e.kind == kind)


def changes(descriptions: Iterable[Description], previous: dict[str, Entry], stamp: str, out: Path,
            sink: BinaryIO | None = None) -> Changes:
    """Compare the release's descriptions with the log's state and write the members to out
    (and to sink, as they are written): versions in resource order, then the deletions in
    resource order."""
    result = Changes(out)
    seen: set[str] = set()
    digest = hashlib.sha256()
    offset = 0
    with open(out, "wb") as members:
        def write(block: bytes, entry_of) -> None:
            nonlocal offset
            members.write(block)
            if sink is not None:
                sink.write(block)
            digest.update(block)
            result.entries.append(entry_of(offset, len(block)))
            offset += len(block)

        for description in descriptions:
            resource = description.resource
            seen.add(resource)
            before = previous.get(resource)
            now = description.digest
            if before is not None and before.kind != terms.DELETED and before.digest == now:
                continue
            kind = terms.UPDATED if before is not None and before.kind != terms.DELETED else terms.CREATED
            version = terms.version_iri(resource, stamp)
            write(version_block(description, version, stamp),
                  lambda at, length: Entry(version, resource, kind, at, length, now))
        result.resources = len(seen)
        for resource in sorted(r for r, e in previous.items() if e.kind != terms.DELETED and r not in seen):
            version = terms.version_iri(resource, stamp)
            write(deletion_block(resource, version, stamp),
                  lambda at, length: Entry(version, resource, terms.DELETED, at, length, "-"))
    result.sha256 = digest.hexdigest()
    return result
