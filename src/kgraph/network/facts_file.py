"""The network's facts as the build read them, kept in the release so that serving never reads them
again: at 1M triples extracting them from the store took minutes of a web worker's time on the
first /explore request, the build has them already.

The file is the build's own output inside the release folder (as trusted as the store next to it),
so pickle is enough: NetworkData is plain dataclasses, dicts and tuples.
"""

from __future__ import annotations

import pickle
from pathlib import Path

from kgraph.network.extract import NetworkData

FILE = "network-facts.pickle"


def write_facts(data: NetworkData, path: Path) -> None:
    """Write data to path (atomically: a half-written file is never read)."""
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
    partial.replace(path)


def read_facts(path: Path) -> NetworkData | None:
    """The facts the build wrote at path, or None if there are none (a release built before)."""
    if not path.is_file():
        return None
    data = pickle.loads(path.read_bytes())
    if not isinstance(data, NetworkData):
        raise ValueError(f"{path}: not the network's facts")
    return data
