"""kgraph.history.store_loader: members go to the bulk loader in blocks that end where a member
does, so that memory stays bounded and no member's blank node is split in two."""

from __future__ import annotations

import io
import subprocess
import sys

import pyoxigraph as ox
import pytest

from kgraph.history.store_loader import member_blocks

EX = "http://example.org/"


def _members(count: int) -> bytes:
    lines = []
    for i in range(count):
        graph = f"<{EX}r{i}/versie/1>"
        lines += [f"<{EX}r{i}> <{EX}p> _:h{i} {graph} .\n", f"_:h{i} <{EX}name> \"naam {i}\"@nl {graph} .\n",
                  f"_:h{i} <{EX}q> \"a \\\" <{EX}x> b\" {graph} .\n"]
    return "".join(lines).encode()


@pytest.mark.parametrize("size", ["tiny", "mid-line", "a line's end", "a member's end", "all"])
def test_blocks_hold_every_line_once_and_end_where_a_member_does(size):
    data = _members(50)
    first_member = data.index(b"<" + f"{EX}r1>".encode())
    size = {"tiny": 1, "mid-line": 7, "a line's end": data.index(b"\n") + 1, "a member's end": first_member,
            "all": len(data) * 2}[size]
    blocks = list(member_blocks(io.BytesIO(data), size=size))
    assert b"".join(blocks) == data and (len(blocks) == 1 if size > len(data) else len(blocks) > 10)
    for before, after in zip(blocks, blocks[1:]):
        last, first = before.splitlines()[-1], after.splitlines()[0]
        assert last[last.rfind(b" <"):] != first[first.rfind(b" <"):]


def test_the_loader_gives_each_member_its_own_blank_node_whatever_the_blocks(tmp_path):
    data = _members(200)
    store = tmp_path / "store"
    done = subprocess.run([sys.executable, "-c", "import sys; from kgraph.history import store_loader as s; "
                           "s.BLOCK_BYTES = 300; sys.exit(s.main(sys.argv[1:]))", str(store)],
                          input=data, capture_output=True, check=True)
    assert done.returncode == 0
    loaded = ox.Store.read_only(str(store))
    assert len(loaded) == 600
    rows = loaded.query(f"SELECT (COUNT(DISTINCT ?b) AS ?n) (COUNT(*) AS ?all) WHERE {{ GRAPH ?g {{ ?r <{EX}p> ?b . "
                        f"?b <{EX}name> ?name ; <{EX}q> ?q }} }}")
    row = next(iter(rows))
    assert (int(row["n"].value), int(row["all"].value)) == (200, 200)


def test_bad_members_are_named_by_their_line_in_the_whole_stream_not_in_their_block(tmp_path):
    data = _members(100)
    lines = data.splitlines(keepends=True)
    bad = next(i for i in range(240, len(lines)) if b"<http://example.org/q>" in lines[i])  # far past the first block
    lines[bad] = lines[bad].replace(b"<http://example.org/q>", b"oops")
    done = subprocess.run([sys.executable, "-c", "import sys; from kgraph.history import store_loader as s; "
                           "s.BLOCK_BYTES = 300; sys.exit(s.main(sys.argv[1:]))", str(tmp_path / "store")],
                          input=b"".join(lines), capture_output=True)
    error = done.stderr.decode()
    assert done.returncode == 1 and error.count("\n") == 1, error
    assert f"the new members:{bad + 1}:" in error and "Traceback" not in error, error
