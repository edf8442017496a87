"""The history store loaded in a process of its own while the members are being written.

    python -m kgraph.history.store_loader STORE [MEMBERS.nq ...]   < new members (N-Quads)

The history stage's Python (descriptions, diff, member blocks) holds one core; pyoxigraph's
bulk loader needs the members it writes. Run one after the other, the load was a third of the
stage at 1M (5.5 s of 15.9 s). Here it runs beside it: the stage writes each member block to
the members file and to this process's stdin, and the loader reads them as they come.

The files named on the command line (earlier releases' members, when there is no previous
store to copy) are loaded first. Exit 0 when all is loaded and flushed; else 1 with one line
on stderr saying what failed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import BinaryIO, Iterator

import pyoxigraph as ox


class StoreLoader:
    """The loader process: write member blocks to `sink`, then `finish()`."""

    def __init__(self, store: Path, files: list[Path]):
        self._process = subprocess.Popen([sys.executable, "-m", "kgraph.history.store_loader", str(store),
                                          *map(str, files)], stdin=subprocess.PIPE, stderr=subprocess.PIPE)
        self.sink: BinaryIO = self._process.stdin  # type: ignore[assignment]

    def finish(self) -> None:
        """Close the input and wait; OSError with the loader's own message if it failed."""
        try:
            self.sink.close()
        except BrokenPipeError:
            pass  # the loader has gone: its exit status and message say why
        error = self._process.stderr.read().decode(errors="replace").strip() if self._process.stderr else ""
        if self._process.wait() != 0:
            raise OSError(f"the history store could not be loaded: {error or 'exit code ' + str(self._process.returncode)}")

    def cancel(self) -> None:
        """Stop the loader (the build failed: its store is removed with the release folder)."""
        self._process.kill()
        self._process.wait()


# Bytes of members per bulk_load call: Oxigraph's bulk loader holds what one call gives it (at
# 10M statements the 12M new members' quads in one call took 1.9 GB beside the build's store).
BLOCK_BYTES = 32 << 20


def _graph(line: bytes) -> bytes:
    """The graph term of an N-Quads line in a named graph (its last " <"; see dumps.union_line)."""
    return line[line.rfind(b" <"):]


def member_blocks(stream: BinaryIO, size: int = BLOCK_BYTES) -> Iterator[bytes]:
    """stream's N-Quads lines in blocks of about size bytes, each ending where a named graph
    (a member) does: a member's blank nodes, labelled within it (kgraph.history.cbd), are
    then never split between two bulk_load calls, which would make two nodes of one."""
    carry = b""
    while True:
        head = carry + stream.read(size)
        if not head:
            return
        parts = [head, stream.readline()]  # to the end of a line
        if not parts[1]:
            last = head[head.rfind(b"\n", 0, len(head) - 1) + 1:]
        else:
            last = parts[1] if head.endswith(b"\n") else head[head.rfind(b"\n") + 1:] + parts[1]
        carry = b""
        for line in iter(stream.readline, b""):
            if _graph(line) != _graph(last):
                carry = line
                break
            parts.append(line)
        yield b"".join(parts)  # joined once: adding each line to a block of size bytes copied it


def load_members(store: ox.Store, stream: BinaryIO, source: str) -> None:
    """Load stream's members into store block by block; ValueError naming source and the line of
    the whole stream (not of its block) on bad N-Quads."""
    line = 0  # lines of the blocks before this one
    for block in member_blocks(stream):
        try:
            store.bulk_load(block, format=ox.RdfFormat.N_QUADS)
        except SyntaxError as exc:
            message = str(exc.msg).split(": ", 1)[-1]
            raise ValueError(f"{source}:{line + (exc.lineno or 1)}:{exc.offset or 1}: {message}") from None
        line += block.count(b"\n")


def main(argv: list[str]) -> int:
    store_dir, files = argv[0], argv[1:]
    try:
        store = ox.Store(store_dir)
        for path in files:
            with open(path, "rb") as members:
                load_members(store, members, path)
        load_members(store, sys.stdin.buffer, "the new members")
        store.flush()
    except (OSError, SyntaxError, ValueError) as exc:
        print(f"{store_dir}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
